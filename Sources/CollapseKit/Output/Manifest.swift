import Foundation

/// Facts about a run that only the caller knows (the CLI fills these in).
public struct RunFacts: Sendable {
    public var toolVersion: String
    /// `git_commit`: the commit the caller was built from (the CLI writes "unknown"
    /// when it was built outside git); nil writes null.
    public var gitCommit: String?
    public var startedAt: Date
    public var finishedAt: Date
    public var jobs: Int
    public var command: [String]
    /// `generators`, when known from elsewhere (``ShardMerge`` copies the shards'
    /// entries, whose programs said their name and version); nil: each cell's family's
    /// ``FamilyDescriptor/manifestEntry(_:)``.
    public var generators: [JSONValue]?

    public init(toolVersion: String, gitCommit: String?, startedAt: Date, finishedAt: Date,
                jobs: Int, command: [String]) {
        self.toolVersion = toolVersion
        self.gitCommit = gitCommit
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.jobs = jobs
        self.command = command
    }
}

/// `manifest.json`: what produced the results and how each cell went.
public enum Manifest {
    /// The `cells[]` entry of one cell.
    public static func cellEntry(_ cell: CellSummary) -> JSONValue {
        let counts = cell.statusCounts
        let events = cell.events.map { e -> JSONValue in
            var entry: [String: JSONValue] = ["replicate": .int(e.replicate), "generation": .int(e.generation),
                                              "event": .string(e.kind.rawValue)]
            if let message = e.message { entry["message"] = .string(message) }
            return .map(entry)
        }
        return .map([
            "cell": .string(cell.cell.id),
            "parameters": .map(cell.cell.parameters),
            "status": .string(cell.status.rawValue),
            "chains": .int(cell.chains),
            "chains_ok": .int(counts[.ok] ?? 0),
            "chains_degenerate": .int(counts[.degenerate] ?? 0),
            "chains_failed": .int(counts[.failed] ?? 0),
            "events": .list(events),
        ])
    }

    /// The manifest of a complete run (`shard` nil) or of one shard (no files, `cells`
    /// empty: a shard's chains are summarised only after the merge).
    public static func build(experiment: Experiment, cells: [JSONValue], files: [String],
                             facts: RunFacts, shard: Shard? = nil) -> JSONValue {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let config = experiment.base
        var map: [String: JSONValue] = [
            "tool": .map(["name": .string("collapse"), "version": .string(facts.toolVersion)]),
            "git_commit": facts.gitCommit.map(JSONValue.string) ?? .null,
            "gsl_version": .string(gslVersion),
            "config": experiment.jsonValue,
            "config_hash": .string(experiment.hash),
            "config_directory": .string(experiment.source.directory),
            "seed": .int(Int(config.seed)),
            "rng": .string(config.rng.rawValue),
            "started_at": .string(iso.string(from: facts.startedAt)),
            "finished_at": .string(iso.string(from: facts.finishedAt)),
            "wall_seconds": .double((facts.finishedAt.timeIntervalSince(facts.startedAt) * 1000).rounded() / 1000),
            "jobs": .int(facts.jobs),
            "command": .list(facts.command.map(JSONValue.string)),
            "files": .list(files.map(JSONValue.string)),
            "cells": .list(cells),
        ]
        if let shard { map["shard"] = .string(shard.description) }
        // Each real-data file the cells read, once (path, SHA-256, rows kept and dropped).
        var realFiles: [JSONValue] = []
        for cell in experiment.cells {
            if let entry = cell.config.real.spec.manifestEntry, !realFiles.contains(entry) { realFiles.append(entry) }
        }
        if !realFiles.isEmpty { map["real_data"] = .list(realFiles) }
        // Each external generator the cells ran, once (command, name, version).
        var generators: [JSONValue] = facts.generators ?? []
        for cell in experiment.cells where facts.generators == nil {
            if let entry = cell.config.model.descriptor.manifestEntry(cell.config), !generators.contains(entry) {
                generators.append(entry)
            }
        }
        if !generators.isEmpty { map["generators"] = .list(generators) }
        return .map(map)
    }
}
