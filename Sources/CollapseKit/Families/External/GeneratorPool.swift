import Foundation
import Synchronization

/// The running copies of one external generator (one `command` in one folder with one
/// `data` and `options`): at most one per worker thread, started lazily when a chain
/// needs one and none is idle, each greeted with `hello`. A chain takes a process for
/// one `fit_sample` and gives it back; a process that failed is killed, and the next
/// chain starts a fresh one. Shared by every cell with the same generator, for the
/// whole run (``ExternalGenerators``).
public final class GeneratorPool: @unchecked Sendable {
    /// The program's argv, argv[0] resolved against the config's folder when relative.
    public let argv: [String]
    /// The config file's folder: the program's working directory.
    public let directory: String
    /// The `hello` request line.
    let helloLine: String
    /// `model.timeout`, seconds per request.
    public let timeout: Double
    private let lock = NSLock()
    private var idle: [GeneratorProcess] = []
    private var started = 0
    private var identity: (name: String, version: String)?

    init(argv: [String], directory: String, hello: String, timeout: Double) {
        self.argv = argv
        self.directory = directory
        self.helloLine = hello
        self.timeout = timeout
    }

    /// The program's `name` and `version` from its first successful `hello`.
    public var nameAndVersion: (name: String, version: String)? { lock.withLock { identity } }

    /// Runs `body` on an idle process (started and greeted when none is idle); gives
    /// it back afterwards, or kills it when `body` or the start failed.
    func withProcess<R>(_ body: (GeneratorProcess) throws(GeneratorFailure) -> R) throws(GeneratorFailure) -> R {
        let process = try checkout()
        do {
            let result = try body(process)
            lock.withLock { idle.append(process) }
            return result
        } catch {
            process.kill()
            throw error
        }
    }

    /// Starts a process and checks its `hello` now (collapse's `prepare`), keeping it for
    /// the first chain; throws the failure, with the program's stderr.
    public func check() throws(GeneratorFailure) {
        let process = try checkout()
        lock.withLock { idle.append(process) }
    }

    private func checkout() throws(GeneratorFailure) -> GeneratorProcess {
        if let p = lock.withLock({ idle.popLast() }) { return p }
        guard !ExternalGenerators.stopping else {
            throw GeneratorFailure(kind: .crash, detail: "the run is stopping", stderrTail: [])
        }
        let index = lock.withLock { () -> Int in
            started += 1
            return started
        }
        let folder = try ExternalGenerators.folder(for: index)
        let process = try GeneratorProcess(argv: argv, directory: directory, folder: folder)
        do {
            let reply = try process.request(helloLine, timeout: timeout, what: "hello")
            guard let ok = reply["ok"] as? Bool else {
                throw process.failure(.malformedReply, "the reply to hello has no boolean \"ok\"")
            }
            guard ok else {
                throw process.failure(.errorReply, "hello: \(reply["error"].map { "\($0)" } ?? "no \"error\" given")")
            }
            guard let name = reply["name"] as? String, let version = reply["version"] as? String else {
                throw process.failure(.malformedReply, "the reply to hello lacks the strings \"name\" and \"version\"")
            }
            lock.withLock { if identity == nil { identity = (name, version) } }
        } catch let error as GeneratorFailure {
            process.kill()
            throw error
        } catch {
            preconditionFailure("unreachable: \(error)")
        }
        return process
    }

    /// Closes every idle process's stdin and waits briefly for it to exit (then kills it).
    func shutdown() {
        let all = lock.withLock { () -> [GeneratorProcess] in
            defer { idle.removeAll() }
            return idle
        }
        for p in all { p.shutdown(grace: 1) }
    }
}

/// The run's external generators: one ``GeneratorPool`` per distinct generator, the
/// run's temporary folder for training and output files (one subfolder per process),
/// and the stop that kills every child process.
public enum ExternalGenerators {
    private static let pools = Mutex<[String: GeneratorPool]>([:])
    private static let stopFlag = Atomic<Bool>(false)
    private static let runFolder = Mutex<String?>(nil)

    /// True once ``stopAll()`` ran: no new process starts.
    static var stopping: Bool { stopFlag.load(ordering: .relaxed) }

    /// The pool of this generator (made on first use).
    static func pool(argv: [String], directory: String, hello: String, timeout: Double) -> GeneratorPool {
        let key = ([directory, hello, NumberFormat.double(timeout)] + argv).joined(separator: "\u{1}")
        return pools.withLock { pools in
            if let p = pools[key] { return p }
            let p = GeneratorPool(argv: argv, directory: directory, hello: hello, timeout: timeout)
            pools[key] = p
            return p
        }
    }

    /// Process `index`'s folder under the run's temporary folder (created on first use).
    static func folder(for index: Int) throws(GeneratorFailure) -> String {
        let base: String? = runFolder.withLock { folder in
            if let folder { return folder }
            removeAbandonedFolders()
            var template = Array((NSTemporaryDirectory() + "/\(folderPrefix)\(getpid())-XXXXXX").utf8CString)
            guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else { return nil }
            folder = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return folder
        }
        guard let base else {
            throw GeneratorFailure(kind: .startFailed, detail: "cannot create a temporary folder in \(NSTemporaryDirectory()): \(String(cString: strerror(errno)))", stderrTail: [])
        }
        let path = "\(base)/p\(ExternalGenerators.processCounter.wrappingAdd(1, ordering: .relaxed).oldValue)-\(index)"
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
            throw GeneratorFailure(kind: .startFailed, detail: "cannot create \(path): \(String(cString: strerror(errno)))", stderrTail: [])
        }
        return path
    }

    private static let processCounter = Atomic<Int>(0)

    /// The run's temporary folder is `$TMPDIR/collapse-external-<pid>-XXXXXX`.
    static let folderPrefix = "collapse-external-"

    /// Removes the temporary folders of runs that were killed (SIGKILL) before they
    /// could remove their own: those whose process id names no live process. A folder
    /// whose id a live process has since taken stays (it is only disk space).
    static func removeAbandonedFolders() {
        let tmp = NSTemporaryDirectory()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: tmp) else { return }
        for name in names where name.hasPrefix(folderPrefix) {
            let rest = name.dropFirst(folderPrefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]), pid > 0, pid != getpid() else {
                continue
            }
            if kill(pid, 0) == -1, errno == ESRCH { try? FileManager.default.removeItem(atPath: tmp + "/" + name) }
        }
    }

    /// Ctrl-C or SIGTERM: kills every running generator's process group at once and
    /// starts no new one (the chains they served are abandoned, to run again on resume).
    /// Safe to call from any thread.
    public static func stopAll() {
        stopFlag.store(true, ordering: .relaxed)
        GeneratorProcess.killAll()
    }

    /// The end of a run: every idle generator gets EOF on its stdin (and is killed if it
    /// does not exit within a second), the pools are forgotten and the temporary folder
    /// is removed (a later run starts afresh).
    public static func shutdown() {
        let all = pools.withLock { pools in
            defer { pools.removeAll() }
            return Array(pools.values)
        }
        for p in all { p.shutdown() }
        GeneratorProcess.killAll()
        let folder = runFolder.withLock { folder in
            defer { folder = nil }
            return folder
        }
        if let folder { try? FileManager.default.removeItem(atPath: folder) }
    }
}
