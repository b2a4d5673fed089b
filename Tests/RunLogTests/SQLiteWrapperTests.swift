import CSQLite
import Foundation
import Testing
@testable import RunLog

@Suite("SQLite wrapper")
struct SQLiteWrapperTests {
    @Test func bindsAndReadsEveryStorageClass() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n)")
        let text = "Grüße \u{0} with a NUL"
        try db.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)",
                       [.integer(Int64.min), .real(-2.5), .text(text), .blob(Data([0, 1, 2, 255])), .null])
        try db.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", [0, .real(.infinity), "", .blob(Data()), nil])
        let rows = try db.query("SELECT i, r, s, b, n FROM t ORDER BY rowid") { row in
            (0..<row.count).map { row.value($0) }
        }
        #expect(rows[0] == [.integer(Int64.min), .real(-2.5), .text(text), .blob(Data([0, 1, 2, 255])), .null])
        #expect(rows[1] == [.integer(0), .real(.infinity), .text(""), .blob(Data()), .null])
    }

    @Test func nanIsStoredAsNull() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (r REAL)")
        try db.execute("INSERT INTO t VALUES (?)", [.real(.nan)])
        #expect(try db.queryFirst("SELECT r IS NULL FROM t") { try $0.int64(0) } == 1)
    }

    @Test func refusesMultipleStatementsAndWrongParameterCounts() throws {
        let db = try Connection(path: ":memory:")
        let multiple = #expect(throws: SQLiteError.self) { try db.prepare("SELECT 1; SELECT 2") }
        #expect(multiple?.code == SQLITE_MISUSE)
        let count = #expect(throws: SQLiteError.self) { try db.execute("SELECT ?", []) }
        #expect(count?.code == SQLITE_RANGE)
        let syntax = #expect(throws: SQLiteError.self) { try db.execute("SELEKT 1") }
        #expect(syntax?.code == SQLITE_ERROR)
        #expect(syntax?.message.contains("syntax error") == true)
        #expect(syntax?.description.contains("SELEKT 1") == true)
    }

    @Test func typedColumnAccessReportsMismatch() throws {
        let db = try Connection(path: ":memory:")
        let error = #expect(throws: SQLiteError.self) {
            _ = try db.queryFirst("SELECT NULL AS missing") { try $0.int64(0) }
        }
        #expect(error?.code == SQLITE_MISMATCH)
        #expect(error?.message.contains("missing") == true)
    }

    @Test func transactionCommitsOrRollsBack() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (x INTEGER)")
        try db.transaction { try db.execute("INSERT INTO t VALUES (1)") }
        struct Failure: Error {}
        #expect(throws: Failure.self) {
            try db.transaction {
                try db.execute("INSERT INTO t VALUES (2)")
                throw Failure()
            }
        }
        #expect(try db.scalarInteger("SELECT count(*) FROM t") == 1)
        #expect(db.isAutocommit)
        let nested = #expect(throws: SQLiteError.self) {
            try db.transaction { try db.transaction { } }
        }
        #expect(nested?.code == SQLITE_MISUSE)
    }

    @Test func busyBeginIsRetriedUntilTheOtherWriterCommits() throws {
        /// Hands a connection to another thread; only that thread uses it meanwhile.
        final class Handoff: @unchecked Sendable {
            let connection: Connection
            init(_ connection: Connection) { self.connection = connection }
        }
        try withTemporaryDirectory { directory in
            let path = file("busy.sqlite", in: directory)
            let first = try Connection(path: path, busyTimeout: 0.01)
            try first.execute("PRAGMA journal_mode = WAL")
            try first.execute("CREATE TABLE t (x INTEGER)")
            let second = try Connection(path: path, busyTimeout: 0.01, busyRetryLimit: 0.1)
            try first.execute("BEGIN IMMEDIATE")
            try first.execute("INSERT INTO t VALUES (1)")
            // While `first` holds the write lock, `second` gives up after its retry limit.
            let busy = #expect(throws: SQLiteError.self) {
                try second.transaction { try second.execute("INSERT INTO t VALUES (2)") }
            }
            #expect(busy?.isBusy == true)
            #expect(second.isAutocommit)
            // With a longer limit it keeps retrying until `first` commits on another thread.
            second.busyRetryLimit = 10
            let handoff = Handoff(first)
            let committed = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                Thread.sleep(forTimeInterval: 0.2)
                try? handoff.connection.execute("COMMIT")
                committed.signal()
            }
            try second.transaction { try second.execute("INSERT INTO t VALUES (2)") }
            committed.wait()
            #expect(try second.scalarInteger("SELECT count(*) FROM t") == 2)
        }
    }
}
