import Foundation
import LFP

/// Where a reward's code comes from (`reward_catalog.source_type`, `source_command`).
public enum RewardSource: Sendable, Equatable, Codable {
    /// Shipped with the tool.
    case builtIn
    /// A Swift type conforming to `Reward` in the user's package.
    case swiftPlugin
    /// An external program speaking the line protocol, started with this command line
    /// (program and arguments, not shell-quoted).
    case program(command: [String])

    /// The stored `source_type`.
    var typeName: String {
        switch self {
        case .builtIn: return "builtin"
        case .swiftPlugin: return "swift_plugin"
        case .program: return "program"
        }
    }
}

/// A reward as the catalog records it: identity, version, a hash of its definition, its source
/// and its `RewardInfo` as JSON. (reward id, version, definition hash) identifies a row.
public struct RewardRecord: Sendable, Equatable {
    /// The reward's identifier, e.g. `softmax-ce`.
    public var rewardID: String
    /// Its definition version.
    public var version: Int
    /// A hash of its definition (source text, program, parameters) chosen by the caller; a
    /// changed definition gets a new catalog row.
    public var definitionHash: String
    /// Where its code comes from.
    public var source: RewardSource
    /// Its `RewardInfo` (or any description) as a JSON object.
    public var infoJSON: String

    /// A catalog record from its parts.
    public init(rewardID: String, version: Int, definitionHash: String, source: RewardSource, infoJSON: String) {
        self.rewardID = rewardID
        self.version = version
        self.definitionHash = definitionHash
        self.source = source
        self.infoJSON = infoJSON
    }

    /// A catalog record for a reward described by `info` (its id and version are taken from it;
    /// the info is stored as JSON with sorted keys).
    public init(info: RewardInfo, definitionHash: String, source: RewardSource) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(info), as: UTF8.self)
        self.init(rewardID: info.id, version: info.version, definitionHash: definitionHash, source: source,
                  infoJSON: json)
    }

    /// The stored JSON decoded as a `RewardInfo`.
    public func decodedInfo() throws -> RewardInfo {
        try JSONDecoder().decode(RewardInfo.self, from: Data(infoJSON.utf8))
    }
}

/// A reward catalog row as read back.
public struct StoredReward: Sendable, Equatable {
    /// The catalog row id (`reward_catalog.reward_catalog_id`), which runs reference.
    public var catalogID: Int64
    /// The reward's record.
    public var record: RewardRecord
    /// When the row was first written.
    public var createdTime: Date
}
