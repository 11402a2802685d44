import Foundation
import Synchronization

/// Ctrl-C (SIGINT) and SIGTERM (what Slurm sends at a time limit or `scancel`): the
/// first raises ``requested``, which the chains read before every generation, so the
/// run stops within a generation; the chains it cuts short are dropped (a resume runs
/// them from their start). A second exits at once (the journal is safe either way).
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
