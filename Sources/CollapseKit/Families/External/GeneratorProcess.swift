import Foundation
#if canImport(Glibc)
import Glibc
#endif

// glibc declares these only under _GNU_SOURCE, which Swift's Glibc module does not
// define; both take and return plain C integers and pointers.
@_silgen_name("pipe2")
private func pipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32
@_silgen_name("posix_spawn_file_actions_addchdir_np")
private func posix_spawn_file_actions_addchdir_np(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>,
                                                  _ path: UnsafePointer<CChar>) -> Int32

/// Why an external generator failed one request: the kind (the first word of the
/// `generator_failed` message and of the run's one-line summaries), the details, and the
/// last lines the program wrote to stderr.
public struct GeneratorFailure: Error, CustomStringConvertible, Sendable {
    /// What went wrong (the names are a contract: docs/protocol.md).
    public enum Kind: String, Sendable, CaseIterable {
        /// The program could not be started (no such file, not executable).
        case startFailed = "start failed"
        /// The program exited, or closed its stdout, before replying.
        case crash
        /// No reply within `model.timeout` seconds (the program is killed).
        case timeout
        /// The reply is not one JSON object with a boolean `ok` (or `hello`'s fields).
        case malformedReply = "malformed reply"
        /// The program replied `{"ok": false, "error": …}`.
        case errorReply = "error reply"
        /// The output file is missing or fails a check (header, rows, numbers, categories).
        case invalidOutput = "invalid output"
    }

    public let kind: Kind
    public let detail: String
    /// The program's last stderr lines (at most ``GeneratorProcess/stderrLines``).
    public let stderrTail: [String]

    /// `kind: detail`, then the stderr tail, one line each, indented.
    public var description: String {
        let head = "\(kind.rawValue): \(detail)"
        guard !stderrTail.isEmpty else { return head }
        return head + "\nstderr (last \(stderrTail.count) lines):\n" + stderrTail.map { "  " + $0 }.joined(separator: "\n")
    }
}

/// One running external generator: a child process started with `posix_spawn` in its
/// own process group (so a terminal's Ctrl-C reaches collapse only, which stops it),
/// with `COLLAPSE_PROTOCOL=1` in its environment, JSON lines on its stdin and stdout,
/// and its stderr written to a file whose last lines go into error reports. Not
/// thread-safe: one chain uses it at a time (``GeneratorPool``).
final class GeneratorProcess {
    /// stderr lines kept for error reports.
    static let stderrLines = 50

    let pid: pid_t
    /// Where this process's training and output files live.
    let folder: String
    private var input: Int32
    private var output: Int32
    private let stderrPath: String
    private var buffer: [UInt8] = []
    private var exited = false

    /// Starts `argv` (argv[0] looked up on PATH unless it holds a slash) in `directory`.
    init(argv: [String], directory: String, folder: String) throws(GeneratorFailure) {
        self.folder = folder
        self.stderrPath = folder + "/stderr.log"
        var toChild: [Int32] = [-1, -1], fromChild: [Int32] = [-1, -1]
        guard pipe2(&toChild, O_CLOEXEC) == 0 else {
            throw GeneratorFailure(kind: .startFailed, detail: "pipe: \(String(cString: strerror(errno)))", stderrTail: [])
        }
        guard pipe2(&fromChild, O_CLOEXEC) == 0 else {
            close(toChild[0]); close(toChild[1])
            throw GeneratorFailure(kind: .startFailed, detail: "pipe: \(String(cString: strerror(errno)))", stderrTail: [])
        }
        let errFD = open(stderrPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer {
            close(toChild[0]); close(fromChild[1])
            if errFD >= 0 { close(errFD) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        if errFD >= 0 {
            posix_spawn_file_actions_adddup2(&actions, errFD, 2)
        }
        _ = posix_spawn_file_actions_addchdir_np(&actions, directory)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        // Its own process group; default dispositions for the signals collapse ignores
        // or handles (an ignored disposition would survive exec); nothing blocked.
        var defaults = sigset_t(), empty = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGQUIT] { sigaddset(&defaults, s) }
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setpgroup(&attr, 0)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var env = ProcessInfo.processInfo.environment
        env["COLLAPSE_PROTOCOL"] = "1"
        let envStrings = env.map { "\($0.key)=\($0.value)" }.sorted()
        var child: pid_t = 0
        let status = Self.withCStrings(argv) { cArgv in
            Self.withCStrings(envStrings) { cEnv in
                posix_spawnp(&child, argv[0], &actions, &attr, cArgv, cEnv)
            }
        }
        guard status == 0 else {
            close(toChild[1]); close(fromChild[0])
            throw GeneratorFailure(kind: .startFailed,
                                   detail: "cannot start \(argv[0]) in \(directory): \(String(cString: strerror(status)))",
                                   stderrTail: [])
        }
        pid = child
        input = toChild[1]
        output = fromChild[0]
        _ = GeneratorProcess.live.withLock { $0.insert(child) }
    }

    deinit { kill() }

    /// Sends one request line and waits at most `timeout` seconds for the reply line,
    /// parsed as a JSON object.
    func request(_ line: String, timeout: Double, what: String) throws(GeneratorFailure) -> [String: Any] {
        let bytes = Array((line + "\n").utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { write(input, $0.baseAddress! + sent, bytes.count - sent) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw crashed("its stdin closed before \(what) was sent") }
            sent += n
        }
        let reply = try readLine(timeout: timeout, what: what)
        guard let data = reply.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data), let map = object as? [String: Any] else {
            throw failure(.malformedReply, "the reply to \(what) is not a JSON object: \(Self.clip(reply))")
        }
        return map
    }

    /// A failure of this process, with its stderr tail.
    func failure(_ kind: GeneratorFailure.Kind, _ detail: String) -> GeneratorFailure {
        GeneratorFailure(kind: kind, detail: detail, stderrTail: stderrTail())
    }

    private func readLine(timeout: Double, what: String) throws(GeneratorFailure) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let nl = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<nl], as: UTF8.self)
                buffer.removeSubrange(...nl)
                return line
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else {
                kill()
                throw failure(.timeout, "no reply to \(what) within \(NumberFormat.double(timeout)) s (model.timeout); the program was killed")
            }
            var fds = [pollfd(fd: output, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 1, Int32(min(left * 1000 + 1, 1_000_000)))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { continue }
            let n = read(output, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw crashed("it closed its stdout before replying to \(what)") }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }

    /// The failure of a process that went away: its exit status when it has exited.
    private func crashed(_ detail: String) -> GeneratorFailure {
        var status: Int32 = 0
        var waited: pid_t = 0
        for _ in 0..<50 {  // up to 0.5 s for the exit to be reported
            waited = waitpid(pid, &status, WNOHANG)
            if waited != 0 { break }
            usleep(10_000)
        }
        var how = detail
        if waited == pid {
            exited = true
            GeneratorProcess.live.withLock { _ = $0.remove(pid) }
            let code = (status >> 8) & 0xff, signal = status & 0x7f
            how = signal == 0 ? "the program exited with status \(code): \(detail)"
                : "the program was killed by signal \(signal): \(detail)"
        }
        kill()
        return failure(.crash, how)
    }

    /// The last ``stderrLines`` lines of the program's stderr.
    func stderrTail() -> [String] {
        guard let text = try? String(contentsOfFile: stderrPath, encoding: .utf8) else { return [] }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return Array(lines.suffix(Self.stderrLines))
    }

    /// Closes its pipes and kills its process group (SIGKILL), then reaps it.
    func kill() {
        if input >= 0 { close(input) }
        if output >= 0 { close(output) }
        input = -1
        output = -1
        guard !exited else { return }
        exited = true
        _ = Glibc.kill(-pid, SIGKILL)
        _ = Glibc.kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        GeneratorProcess.live.withLock { _ = $0.remove(pid) }
    }

    /// Closes its stdin (a well-behaved program exits), waits up to `grace` seconds,
    /// then kills what is left.
    func shutdown(grace: Double) {
        if input >= 0 { close(input) }
        input = -1
        let until = Date().addingTimeInterval(grace)
        var status: Int32 = 0
        while !exited, Date() < until {
            if waitpid(pid, &status, WNOHANG) == pid {
                exited = true
                GeneratorProcess.live.withLock { _ = $0.remove(pid) }
                // The program may have left children of its own in its group.
                _ = Glibc.kill(-pid, SIGKILL)
                break
            }
            usleep(5_000)
        }
        kill()
    }

    /// Every generator process started and not yet reaped, so a stop can kill them all.
    static let live = LockedPIDs()

    /// Kills the process group of every live generator (SIGKILL): what a Ctrl-C or a
    /// SIGTERM does, so no child outlives collapse. Callable from any thread.
    static func killAll() {
        for pid in live.withLock({ Array($0) }) {
            _ = Glibc.kill(-pid, SIGKILL)
            _ = Glibc.kill(pid, SIGKILL)
        }
    }

    private static func clip(_ s: String) -> String {
        let t = s.count > 200 ? String(s.prefix(200)) + "…" : s
        return "'\(t)'"
    }

    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for p in pointers { free(p) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

/// A set of process ids behind a lock.
final class LockedPIDs: @unchecked Sendable {
    private var pids: Set<pid_t> = []
    private let lock = NSLock()

    func withLock<R>(_ body: (inout Set<pid_t>) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&pids)
    }
}
