import Foundation

extension RunLogStore {
    /// Adds a reward to the catalog, or finds the row it already has: (reward id, version,
    /// definition hash) identifies a row, and a repeated registration returns the existing id
    /// and keeps the first registration's source and info. Returns the catalog id that
    /// `NewRun.rewardCatalogID` references.
    ///
    /// - Throws: `.invalidInput` for an empty id or hash, info that is not JSON, or a program
    ///   source without a command.
    @discardableResult
    public func registerReward(_ record: RewardRecord) throws -> Int64 {
        guard !record.rewardID.isEmpty else { throw RunLogError.invalidInput("a reward needs an id") }
        guard !record.definitionHash.isEmpty else { throw RunLogError.invalidInput("a reward needs a definition hash") }
        try JSONValidation.require(record.infoJSON, field: "the reward's infoJSON")
        let command: String?
        if case .program(let arguments) = record.source {
            guard let program = arguments.first, !program.isEmpty else {
                throw RunLogError.invalidInput("a program reward needs a command line")
            }
            command = String(decoding: try JSONEncoder().encode(arguments), as: UTF8.self)
        } else {
            command = nil
        }
        return try write { db, now in
            let key: [SQLiteValue] = [.text(record.rewardID), .int(record.version), .text(record.definitionHash)]
            try db.execute("""
                INSERT INTO reward_catalog (reward_id, version, definition_hash, source_type, source_command,
                                            info_json, created_time)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (reward_id, version, definition_hash) DO NOTHING
                """, key + [.text(record.source.typeName), .text(command), .text(record.infoJSON), .integer(now)])
            return try db.scalarInteger("""
                SELECT reward_catalog_id FROM reward_catalog WHERE reward_id = ? AND version = ? AND definition_hash = ?
                """, key)
        }
    }

    /// The catalog row `id`.
    ///
    /// - Throws: `.rewardNotFound`.
    public func rewardRecord(id: Int64) throws -> StoredReward {
        try read { db in
            guard let reward = try db.queryFirst("SELECT \(rewardColumns) FROM reward_catalog WHERE reward_catalog_id = ?",
                                                 [.integer(id)], { try storedReward($0, path: path) })
            else {
                throw RunLogError.rewardNotFound(id)
            }
            return reward
        }
    }

    /// The whole reward catalog, by reward id, then version, then catalog id.
    public func rewards() throws -> [StoredReward] {
        try read { db in
            try db.query("SELECT \(rewardColumns) FROM reward_catalog ORDER BY reward_id, version, reward_catalog_id") {
                try storedReward($0, path: path)
            }
        }
    }
}

/// The columns of `reward_catalog`, in the order `storedReward` reads them.
private let rewardColumns =
    "reward_catalog_id, reward_id, version, definition_hash, source_type, source_command, info_json, created_time"

/// A `StoredReward` from a row of `rewardColumns`.
private func storedReward(_ row: Row, path: String) throws -> StoredReward {
    let sourceType = try row.string(4)
    let source: RewardSource
    switch sourceType {
    case "builtin":
        source = .builtIn
    case "swift_plugin":
        source = .swiftPlugin
    case "program":
        let text = try row.string(5)
        guard let command = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
            throw RunLogError.corrupt(path: path, reason: "reward source_command is not a JSON array of strings")
        }
        source = .program(command: command)
    default:
        throw RunLogError.corrupt(path: path, reason: "unknown reward source_type '\(sourceType)'")
    }
    let record = RewardRecord(rewardID: try row.string(1), version: try row.int(2), definitionHash: try row.string(3),
                              source: source, infoJSON: try row.string(6))
    return StoredReward(catalogID: try row.int64(0), record: record, createdTime: Timestamp.date(try row.int64(7)))
}
