import Foundation
import Testing
@testable import RunLog

/// Rows written with the SQL of a given schema version, and how to check they survived a
/// migration to the current version. Append an entry when a schema version is added.
private let fixtures: [Int: (write: String, check: @Sendable (RunLogStore) throws -> Void)] = [
    1: (write: """
        INSERT INTO reward_catalog (reward_catalog_id, reward_id, version, definition_hash, source_type,
                                    source_command, info_json, created_time)
        VALUES (1, 'f1', 1, 'abc', 'program', '["python3","f1.py"]', '{"id":"f1"}', 1700000000000);
        INSERT INTO runs (run_id, name, status, method, model, dataset, seed, config_json, reward_catalog_id,
                          tool_version, host, start_time, end_time, heartbeat_time)
        VALUES (7, 'old', 'finished', 'lfp', 'mlp', 'blobs', 3, '{}', 1, '0.0.9', 'h', 1700000000000,
                1700000060000, 1700000060000);
        INSERT INTO params VALUES (7, 'lr', '0.5');
        INSERT INTO metrics VALUES (7, 'loss', 1, 0, NULL, 1, 1700000001000);
        """,
        check: { store in
            let run = try store.run(id: 7)
            #expect(run.name == "old" && run.status == .finished && run.params == ["lr": "0.5"])
            #expect(run.rewardID == "f1")
            #expect(try store.metrics(runID: 7).first?.value.isNaN == true)
            #expect(try store.rewardRecord(id: 1).record.source == .program(command: ["python3", "f1.py"]))
        }),
]

/// The schema objects of the database at `path`: (type, name, SQL).
private func schema(of path: String) throws -> [[SQLiteValue]] {
    let db = try Connection(path: path, flags: [.readOnly])
    return try db.query("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name") { row in
        (0..<row.count).map { row.value($0) }
    }
}

@Suite("Schema migrations")
struct MigrationTests {
    @Test func everyVersionHasAFixture() {
        for version in 1...Migrations.latestVersion {
            #expect(fixtures[version] != nil, "no fixture rows for schema version \(version)")
        }
        #expect(Migrations.all.map(\.version) == Array(1...Migrations.latestVersion))
    }

    @Test func createsTheSchemaInANewFile() throws {
        try withTemporaryDirectory { directory in
            let path = file("new.sqlite", in: directory)
            let store = try RunLogStore(path: path)
            #expect(try store.schemaVersion == RunLogStore.currentSchemaVersion)
            let mode = try store.withConnection { try $0.queryFirst("PRAGMA journal_mode") { try $0.string(0) } }
            #expect(mode == "wal")
            let foreignKeys = try store.withConnection { try $0.scalarInteger("PRAGMA foreign_keys") }
            #expect(foreignKeys == 1)
            let appID = try store.withConnection { try $0.scalarInteger("PRAGMA application_id") }
            #expect(appID == Int64(Schema.applicationID))
            let tables = try schema(of: path).compactMap { row -> String? in
                guard row[0] == .text("table"), case .text(let name) = row[1] else { return nil }
                return name
            }
            for table in ["runs", "params", "tags", "metrics", "layer_stats", "artifacts", "reward_catalog"] {
                #expect(tables.contains(table))
            }
        }
    }

    @Test func migratesAnEmptyFile() throws {
        try withTemporaryDirectory { directory in
            let path = file("empty.sqlite", in: directory)
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
            let store = try RunLogStore(path: path)
            #expect(try store.schemaVersion == Migrations.latestVersion)
            #expect(try store.listRuns().isEmpty)
        }
    }

    /// Builds a database at each earlier version (0 = a file with nothing in it) with that
    /// version's rows, opens it, and checks the schema equals a fresh one and the rows survived.
    @Test(arguments: 0...Migrations.latestVersion)
    func migratesFromVersion(_ version: Int) throws {
        try withTemporaryDirectory { directory in
            let fresh = file("fresh.sqlite", in: directory)
            _ = try RunLogStore(path: fresh)

            let path = file("v\(version).sqlite", in: directory)
            do {
                let db = try Connection(path: path)
                if version > 0 {
                    try Migrations.migrate(db, to: version)
                    try db.executeScript(try #require(fixtures[version]).write)
                }
                #expect(try Migrations.userVersion(of: db) == version)
            }
            let store = try RunLogStore(path: path)
            #expect(try store.schemaVersion == Migrations.latestVersion)
            #expect(try schema(of: path) == schema(of: fresh))
            if version > 0 {
                try #require(fixtures[version]).check(store)
            }
        }
    }

    @Test func aFailingStepLeavesTheDatabaseAtItsVersion() throws {
        try withTemporaryDirectory { directory in
            let path = file("failing.sqlite", in: directory)
            let db = try Connection(path: path)
            try Migrations.migrate(db)
            let before = try schema(of: path)
            let broken = Migrations.all + [
                Migration(version: Migrations.latestVersion + 1, summary: "broken",
                          sql: "CREATE TABLE added (x INTEGER); INSERT INTO no_such_table VALUES (1);"),
            ]
            #expect(throws: SQLiteError.self) {
                try Migrations.migrate(db, to: Migrations.latestVersion + 1, steps: broken)
            }
            #expect(try Migrations.userVersion(of: db) == Migrations.latestVersion)
            #expect(try schema(of: path) == before)
        }
    }

    @Test func aNewerSchemaIsRefusedAndLeftUntouched() throws {
        try withTemporaryDirectory { directory in
            let path = file("newer.sqlite", in: directory)
            try populate(path)
            do {
                let db = try Connection(path: path)
                try db.execute("PRAGMA user_version = \(Migrations.latestVersion + 1)")
            }
            let before = bytes(of: path)
            for readOnly in [false, true] {
                let error = expectRunLogError { _ = try RunLogStore(path: path, readOnly: readOnly) }
                #expect(error == .newerSchema(path: path, found: Migrations.latestVersion + 1,
                                              supported: Migrations.latestVersion))
                #expect(error?.description.contains("newer") == true)
            }
            #expect(bytes(of: path) == before)
        }
    }

    @Test func readOnlyOpeningNeedsTheCurrentSchema() throws {
        try withTemporaryDirectory { directory in
            let path = file("empty.sqlite", in: directory)
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
            let error = expectRunLogError { _ = try RunLogStore(path: path, readOnly: true) }
            guard case .notARunLog = error else {
                Issue.record("expected notARunLog, got \(String(describing: error))")
                return
            }
            #expect(bytes(of: path).isEmpty)
        }
    }
}
