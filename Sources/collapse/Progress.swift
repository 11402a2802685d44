import Foundation
import Synchronization

/// Progress of a run on stderr: a bar redrawn in place when stderr is a terminal
/// (chains done / total, rate, ETA), otherwise a plain line every 10 seconds.
final class Progress: Sendable {
    private let total: Int
    private let initial: Int
    private let done = Atomic<Int>(0)
    private let started = Date()
    private let stopped = Atomic<Bool>(false)
    private let isTerminal = isatty(STDERR_FILENO) == 1

    /// `initial` chains of `total` were already finished (resumed run).
    init(total: Int, initial: Int) {
        self.total = total
        self.initial = initial
    }

    func chainFinished() { done.wrappingAdd(1, ordering: .relaxed) }

    func start() {
        let t = Thread { [self] in
            let interval = isTerminal ? 0.2 : 10.0
            var last = Date()
            while !stopped.load(ordering: .relaxed) {
                Thread.sleep(forTimeInterval: 0.1)
                if Date().timeIntervalSince(last) >= interval {
                    last = Date()
                    draw(final: false)
                }
            }
        }
        t.start()
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        draw(final: true)
    }

    private func draw(final: Bool) {
        let ran = done.load(ordering: .relaxed)
        let finishedCount = initial + ran
        let elapsed = Date().timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(ran) / elapsed : 0
        let eta = rate > 0 ? Self.duration(Double(total - finishedCount) / rate) : "?"
        let stats = "\(finishedCount)/\(total) chains  \(String(format: "%.1f", rate)) chains/s  ETA \(eta)"
        if isTerminal {
            let width = 30
            let filled = total > 0 ? width * finishedCount / total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(stats)\u{1B}[K\(final ? "\n" : "")".utf8))
        } else if !final {
            FileHandle.standardError.write(Data("progress: \(stats)\n".utf8))
        }
    }

    static func duration(_ s: Double) -> String {
        guard s.isFinite else { return "?" }
        let t = Int(s.rounded())
        return t >= 3600 ? String(format: "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
                         : String(format: "%d:%02d", t / 60, t % 60)
    }
}

/// Ctrl-C (SIGINT) and SIGTERM (what Slurm sends at a time limit or `scancel`): the
/// first stops scheduling new chains and lets running ones finish and be journaled; a
/// second exits at once (the journal is safe either way).
enum Interrupt {
    private static let flag = Atomic<Int>(0)
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    static var requested: Bool { flag.load(ordering: .relaxed) > 0 }

    static func install(onFirst: @escaping @Sendable () -> Void) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                if flag.wrappingAdd(1, ordering: .relaxed).oldValue == 0 { onFirst() } else { _exit(130) }
            }
            source.resume()
            sources.append(source)
        }
    }
}
