import Foundation

// build-stamp PACKAGE_DIR OUTPUT.swift
//
// Run by the BuildStamp plugin (Plugins/BuildStamp) before the `collapse` target
// compiles: writes OUTPUT.swift, which declares `BuildStamp.gitCommit`, the commit the
// package directory was built from (see GitStamp). OUTPUT is rewritten only when its
// text changes, so a rerun with the same commit recompiles nothing.

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: build-stamp PACKAGE_DIR OUTPUT.swift (got \(arguments.count - 1) arguments)\n".utf8))
    exit(64)
}
let package = URL(fileURLWithPath: arguments[1], isDirectory: true)
let output = URL(fileURLWithPath: arguments[2])
do {
    try GeneratedFile.update(output, to: GitStamp.swiftSource(commit: GitStamp.describe(package: package)))
} catch {
    FileHandle.standardError.write(Data("build-stamp: cannot write \(output.path): \(error.localizedDescription)\n".utf8))
    exit(1)
}
