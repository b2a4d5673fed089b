import CSQLite

/// A failure reported by SQLite: its result codes and its own message, plus the SQL that failed.
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The primary result code (`SQLITE_BUSY`, `SQLITE_CORRUPT`, `SQLITE_NOTADB`, ...).
    public let code: Int32
    /// The extended result code, which refines `code` (for example `SQLITE_BUSY_SNAPSHOT`).
    public let extendedCode: Int32
    /// SQLite's message for the failure.
    public let message: String
    /// The SQL text being prepared or run when the failure happened, if any.
    public let sql: String?

    /// An error with the given (possibly extended) result code and message.
    public init(code extendedCode: Int32, message: String, sql: String? = nil) {
        self.code = extendedCode & 0xFF
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
    }

    /// The error SQLite last recorded on `handle` for a call that returned `resultCode`.
    init(handle: OpaquePointer?, resultCode: Int32, sql: String? = nil) {
        let message: String
        if let handle, let text = sqlite3_errmsg(handle) {
            message = String(cString: text)
        } else {
            message = String(cString: sqlite3_errstr(resultCode))
        }
        self.init(code: resultCode, message: message, sql: sql)
    }

    /// Whether another connection held a lock for longer than this one was willing to wait.
    public var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }

    /// SQLite's generic wording of the primary result code, e.g. "database is locked".
    public var codeDescription: String { String(cString: sqlite3_errstr(code)) }

    /// "SQLite error 5 (database is locked): <message>", followed by the SQL when known.
    public var description: String {
        var text = "SQLite error \(extendedCode) (\(codeDescription)): \(message)"
        if let sql { text += " [in: \(sql)]" }
        return text
    }
}
