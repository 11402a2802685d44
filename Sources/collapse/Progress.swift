import CollapseKit
import Foundation
import Synchronization

/// Progress of a run on stderr, counted in generations (G + 1 per chain, so a run of
/// two long chains moves too): a bar redrawn in place when stderr is a terminal,
/// otherwise a plain line every 10 seconds. Both show generations done / total, chains
/// done / total, generations per second and the ETA.
final class Progress: Sendable {
    private let total: Int
    private let initial: Int
    private let chains: Int
    private let initialChains: Int
    /// What the workers count their generations into.
    let counter: GenerationCounter
    private let chainsDone = Atomic<Int>(0)
    private let started = Date()
    private let stopped = Atomic<Bool>(false)
    private let isTerminal = isatty(STDERR_FILENO) == 1

    /// `initial` of `total` generations (`initialChains` of `chains` chains) were
    /// already done (a resumed run); `workers` run the rest.
    init(generations total: Int, initial: Int, chains: Int, initialChains: Int, workers: Int) {
        self.total = total
        self.initial = initial
        self.chains = chains
        self.initialChains = initialChains
        counter = GenerationCounter(workers: workers)
    }

    func chainFinished() { chainsDone.wrappingAdd(1, ordering: .relaxed) }

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
        let ran = counter.value
        let finishedCount = initial + ran
        let elapsed = Date().timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(ran) / elapsed : 0
        let eta = rate > 0 ? Self.duration(Double(total - finishedCount) / rate) : "?"
        let stats = "\(finishedCount)/\(total) generations  \(initialChains + chainsDone.load(ordering: .relaxed))/\(chains) chains  \(Self.rate(rate)) generations/s  ETA \(eta)"
        if isTerminal {
            let width = 30
            let filled = total > 0 ? width * finishedCount / total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(stats)\u{1B}[K\(final ? "\n" : "")".utf8))
        } else if !final {
            FileHandle.standardError.write(Data("progress: \(stats)\n".utf8))
        }
    }

    /// 950, 12.3 k, 4.56 M.
    static func rate(_ r: Double) -> String {
        r >= 1e6 ? String(format: "%.2f M", r / 1e6) : r >= 1e3 ? String(format: "%.1f k", r / 1e3) : String(format: "%.0f", r)
    }

    static func duration(_ s: Double) -> String {
        guard s.isFinite else { return "?" }
        let t = Int(s.rounded())
        return t >= 3600 ? String(format: "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
                         : String(format: "%d:%02d", t / 60, t % 60)
    }
}
