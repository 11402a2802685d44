/// A problem with a config: which field, what it held, and what is allowed.
public struct ConfigError: Error, Equatable, CustomStringConvertible, Sendable {
    public var field: String
    public var value: String
    public var allowed: String

    public init(field: String, value: String, allowed: String) {
        self.field = field
        self.value = value
        self.allowed = allowed
    }

    public var description: String { "\(field): got \(value); allowed: \(allowed)" }
}

/// Every problem found in one config (validation goes on after the first).
public struct ConfigErrors: Error, CustomStringConvertible, Sendable {
    public var errors: [ConfigError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
