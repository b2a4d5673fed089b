/// One step of the schema's history: the SQL that brings a database from `version - 1` to
/// `version`.
struct Migration: Sendable {
    /// The `user_version` the database has after this step.
    let version: Int
    /// What the step changes, for messages and documentation.
    let summary: String
    /// The statements to run, in one transaction.
    let sql: String
}

/// The ordered list of migrations and the code that applies them. A new schema version is a new
/// entry appended to `all`; a database at any earlier version is brought forward one step at a
/// time, each step in its own `BEGIN IMMEDIATE` transaction that re-reads `user_version`, so that
/// several processes opening one fresh file at once migrate it exactly once.
enum Migrations {
    /// Every migration, in version order starting at 1.
    static let all: [Migration] = [
        Migration(version: 1, summary: "the whole schema: runs, params, tags, metrics, layer_stats, "
                  + "artifacts, reward_catalog", sql: Schema.version1),
    ]

    /// The schema version this code writes and reads.
    static var latestVersion: Int { all.last?.version ?? 0 }

    /// The database's `PRAGMA user_version`.
    static func userVersion(of connection: Connection) throws -> Int {
        Int(try connection.scalarInteger("PRAGMA user_version"))
    }

    /// Brings `connection`'s database up to `target` (by default the latest version) by applying
    /// `steps` (by default `all`) in order. Versions already applied are skipped; a database above
    /// `target` is left alone; a failing step leaves the database at the previous version.
    static func migrate(_ connection: Connection, to target: Int = latestVersion,
                        steps: [Migration] = all) throws {
        precondition(target >= 0 && target <= (steps.last?.version ?? 0), "no schema version \(target)")
        for migration in steps where migration.version <= target {
            try connection.transaction(.immediate) {
                let current = try userVersion(of: connection)
                guard current < migration.version else { return }
                guard current == migration.version - 1 else {
                    throw SQLiteError(code: 1, message: "schema version \(current) cannot be migrated "
                                      + "to \(migration.version) (missing intermediate step)")
                }
                try connection.executeScript(migration.sql)
                try connection.execute("PRAGMA user_version = \(migration.version)")
            }
        }
    }
}
