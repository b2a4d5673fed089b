import Foundation

/// What an artifact holds (`artifacts.kind`). Open-ended: any string is a kind; the common ones
/// have names.
public struct ArtifactKind: RawRepresentable, Hashable, Sendable, Codable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    /// The stored text.
    public var rawValue: String

    /// A kind from its stored text.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// A kind from a string literal.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The final weights of a run.
    public static let weights: ArtifactKind = "weights"
    /// The state a run resumes from (weights, optimizer state, generator state), one per epoch.
    public static let checkpoint: ArtifactKind = "checkpoint"

    /// The stored text.
    public var description: String { rawValue }
}

/// An artifact's metadata (`artifacts` row without its bytes).
public struct ArtifactRecord: Sendable, Equatable, Codable {
    /// The artifact id.
    public var id: Int64
    /// The run it belongs to.
    public var runID: Int64
    /// Its name, unique within the run (saving the same name again replaces it).
    public var name: String
    /// What it holds.
    public var kind: ArtifactKind
    /// The epoch it was saved after, for checkpoints.
    public var epoch: Int?
    /// The size of its bytes.
    public var sizeBytes: Int
    /// When it was saved.
    public var createdTime: Date
}

/// An artifact's metadata together with its bytes.
public struct Artifact: Sendable, Equatable {
    /// The metadata.
    public var record: ArtifactRecord
    /// The bytes.
    public var data: Data
}
