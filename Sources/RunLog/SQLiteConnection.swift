import CSQLite
import Foundation

/// One open SQLite database connection. It is closed when the object is released.
///
/// A connection is not safe to use from several threads at once; `RunLogStore` serialises its
/// use with a lock. Values reach SQL only as bound parameters (see `Statement`).
final class Connection {
    /// How to open a database file, mirroring SQLite's `SQLITE_OPEN_*` flags.
    struct OpenFlags: OptionSet, Sendable {
        let rawValue: Int32

        /// Open for reading only; every write fails with `SQLITE_READONLY`.
        static let readOnly = OpenFlags(rawValue: SQLITE_OPEN_READONLY)
        /// Open for reading and writing.
        static let readWrite = OpenFlags(rawValue: SQLITE_OPEN_READWRITE)
        /// Create the file when it does not exist (only together with `readWrite`).
        static let create = OpenFlags(rawValue: SQLITE_OPEN_CREATE)
        /// Let SQLite serialise calls on this connection itself.
        static let fullMutex = OpenFlags(rawValue: SQLITE_OPEN_FULLMUTEX)
    }

    /// The file this connection opened.
    let path: String
    /// The SQLite handle; valid for the connection's whole life.
    let handle: OpaquePointer
    /// How long a `BEGIN IMMEDIATE` keeps retrying on `SQLITE_BUSY` after SQLite's own busy
    /// timeout ran out, before the busy error is thrown.
    var busyRetryLimit: TimeInterval

    /// Opens `path` with `flags`. `busyTimeout` is how long SQLite waits for another connection's
    /// lock before answering `SQLITE_BUSY`; `busyRetryLimit` bounds the extra retries of
    /// `transaction`. Extended result codes are switched on.
    init(path: String, flags: OpenFlags = [.readWrite, .create, .fullMutex],
         busyTimeout: TimeInterval = 10, busyRetryLimit: TimeInterval = 30) throws {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags.rawValue, nil)
        guard rc == SQLITE_OK, let db else {
            let error = SQLiteError(handle: db, resultCode: rc)
            sqlite3_close_v2(db)
            throw error
        }
        self.path = path
        self.handle = db
        self.busyRetryLimit = busyRetryLimit
        sqlite3_extended_result_codes(db, 1)
        let millis = Int32(clamping: Int64((max(0, busyTimeout) * 1000).rounded()))
        sqlite3_busy_timeout(db, millis)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Compiles one SQL statement. Text after the first statement is refused, so that a script
    /// is never half-run by mistake.
    func prepare(_ sql: String) throws -> Statement {
        try Statement(connection: self, sql: sql)
    }

    /// Runs one statement with bound values, discarding any rows it returns.
    func execute(_ sql: String, _ bindings: [SQLiteValue] = []) throws {
        let statement = try prepare(sql)
        try statement.bind(bindings)
        while try statement.step() {}
    }

    /// Runs a script of several statements without parameters (schema definitions).
    func executeScript(_ script: String) throws {
        var utf8 = Array(script.utf8CString)
        try utf8.withUnsafeMutableBufferPointer { buffer in
            guard var cursor = UnsafePointer(buffer.baseAddress) else { return }
            while cursor.pointee != 0 {
                var statement: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                let rc = sqlite3_prepare_v2(handle, cursor, -1, &statement, &tail)
                guard rc == SQLITE_OK else {
                    throw SQLiteError(handle: handle, resultCode: rc, sql: String(cString: cursor))
                }
                defer { sqlite3_finalize(statement) }
                if let statement {
                    var step = sqlite3_step(statement)
                    while step == SQLITE_ROW { step = sqlite3_step(statement) }
                    guard step == SQLITE_DONE else {
                        let text = sqlite3_sql(statement).map { String(cString: $0) }
                        throw SQLiteError(handle: handle, resultCode: step, sql: text)
                    }
                }
                guard let tail, tail != cursor else { break }
                cursor = tail
            }
        }
    }

    /// Runs a query and turns each row into a value with `transform`.
    func query<T>(_ sql: String, _ bindings: [SQLiteValue] = [],
                  _ transform: (Row) throws -> T) throws -> [T] {
        let statement = try prepare(sql)
        try statement.bind(bindings)
        var results: [T] = []
        while try statement.step() {
            results.append(try transform(statement.row))
        }
        return results
    }

    /// The first row of a query turned into a value, or `nil` when there is none.
    func queryFirst<T>(_ sql: String, _ bindings: [SQLiteValue] = [],
                       _ transform: (Row) throws -> T) throws -> T? {
        let statement = try prepare(sql)
        try statement.bind(bindings)
        guard try statement.step() else { return nil }
        return try transform(statement.row)
    }

    /// The integer in the first column of the first row (`PRAGMA user_version`, `count(*)`).
    func scalarInteger(_ sql: String, _ bindings: [SQLiteValue] = []) throws -> Int64 {
        guard let value = try queryFirst(sql, bindings, { try $0.int64(0) }) else {
            throw SQLiteError(code: SQLITE_MISMATCH, message: "query returned no row", sql: sql)
        }
        return value
    }

    /// The rowid of the last row inserted on this connection.
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// The number of rows the last INSERT, UPDATE or DELETE changed.
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// Whether the connection is outside any explicit transaction.
    var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    /// Whether the connection was opened read-only (or the file could only be opened so).
    var isReadOnly: Bool { sqlite3_db_readonly(handle, "main") == 1 }
}
