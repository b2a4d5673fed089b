import CSQLite
import Foundation

/// SQLite's `SQLITE_TRANSIENT`: tells SQLite to copy bound text and blobs before the call returns.
private var transientDestructor: sqlite3_destructor_type {
    unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// A compiled SQL statement whose values are supplied only as bound parameters.
/// It is finalised when released.
final class Statement {
    /// The SQL text the statement was compiled from.
    let sql: String
    private let connection: Connection
    private let handle: OpaquePointer

    /// Compiles `sql`, which must hold exactly one statement.
    init(connection: Connection, sql: String) throws {
        var statement: OpaquePointer?
        var tailText = ""
        let rc = sql.withCString { text -> Int32 in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v2(connection.handle, text, -1, &statement, &tail)
            if let tail { tailText = String(cString: tail) }
            return rc
        }
        guard rc == SQLITE_OK else {
            sqlite3_finalize(statement)
            throw SQLiteError(handle: connection.handle, resultCode: rc, sql: sql)
        }
        guard let statement else {
            throw SQLiteError(code: SQLITE_MISUSE, message: "no SQL statement in the text", sql: sql)
        }
        guard tailText.allSatisfy({ $0.isWhitespace || $0 == ";" }) else {
            sqlite3_finalize(statement)
            throw SQLiteError(code: SQLITE_MISUSE, message: "more than one SQL statement in one prepare",
                              sql: sql)
        }
        self.sql = sql
        self.connection = connection
        self.handle = statement
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Resets the statement and binds `values` to its parameters `?1 ... ?n`, in order.
    /// The number of values must equal the number of parameters.
    func bind(_ values: [SQLiteValue]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard values.count == expected else {
            throw SQLiteError(code: SQLITE_RANGE,
                              message: "statement has \(expected) parameters but \(values.count) values were bound",
                              sql: sql)
        }
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    private func bind(_ value: SQLiteValue, at index: Int32) throws {
        let rc: Int32
        switch value {
        case .integer(let number):
            rc = sqlite3_bind_int64(handle, index, number)
        case .real(let number):
            rc = sqlite3_bind_double(handle, index, number)
        case .null:
            rc = sqlite3_bind_null(handle, index)
        case .text(let string):
            var string = string
            rc = string.withUTF8 { bytes -> Int32 in
                guard let base = bytes.baseAddress, bytes.count > 0 else {
                    return sqlite3_bind_text(handle, index, "", 0, transientDestructor)
                }
                guard bytes.count <= Int(Int32.max) else { return SQLITE_TOOBIG }
                return UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    sqlite3_bind_text(handle, index, $0, Int32(bytes.count), transientDestructor)
                }
            }
        case .blob(let data):
            rc = data.withUnsafeBytes { bytes -> Int32 in
                guard let base = bytes.baseAddress, bytes.count > 0 else {
                    return sqlite3_bind_zeroblob(handle, index, 0)
                }
                return sqlite3_bind_blob64(handle, index, base, sqlite3_uint64(bytes.count), transientDestructor)
            }
        }
        guard rc == SQLITE_OK else {
            throw SQLiteError(handle: connection.handle, resultCode: rc, sql: sql)
        }
    }

    /// Advances to the next row: `true` when a row is available through `row`, `false` when the
    /// statement has finished.
    func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW:
            return true
        case SQLITE_DONE:
            return false
        default:
            let error = SQLiteError(handle: connection.handle, resultCode: rc, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Binds `values` and runs the statement to completion, ignoring any rows (a write).
    func run(_ values: [SQLiteValue]) throws {
        try bind(values)
        while try step() {}
    }

    /// The current row; valid until the next `step`.
    var row: Row { Row(handle: handle, sql: sql) }
}

/// Read access to the columns of a statement's current row. Only valid until the statement
/// steps again.
struct Row {
    fileprivate let handle: OpaquePointer
    fileprivate let sql: String

    /// The number of columns in the row.
    var count: Int { Int(sqlite3_column_count(handle)) }

    /// Whether column `index` is NULL.
    func isNull(_ index: Int) -> Bool {
        sqlite3_column_type(handle, Int32(index)) == SQLITE_NULL
    }

    /// Column `index` as whatever storage class it has.
    func value(_ index: Int) -> SQLiteValue {
        let column = Int32(index)
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT: return .text(textValue(column))
        case SQLITE_BLOB: return .blob(blobValue(column))
        default: return .null
        }
    }

    /// Column `index` as an integer; NULL or a non-integer is an error.
    func int64(_ index: Int) throws -> Int64 {
        guard sqlite3_column_type(handle, Int32(index)) == SQLITE_INTEGER else { throw mismatch(index, "an integer") }
        return sqlite3_column_int64(handle, Int32(index))
    }

    /// Column `index` as a Swift `Int`.
    func int(_ index: Int) throws -> Int { Int(try int64(index)) }

    /// Column `index` as an integer, or `nil` when NULL.
    func optionalInt64(_ index: Int) throws -> Int64? {
        isNull(index) ? nil : try int64(index)
    }

    /// Column `index` as a double (integers are widened), or `nil` when NULL.
    func optionalDouble(_ index: Int) throws -> Double? {
        switch sqlite3_column_type(handle, Int32(index)) {
        case SQLITE_NULL: return nil
        case SQLITE_FLOAT, SQLITE_INTEGER: return sqlite3_column_double(handle, Int32(index))
        default: throw mismatch(index, "a number")
        }
    }

    /// Column `index` as text; NULL or a non-text value is an error.
    func string(_ index: Int) throws -> String {
        guard sqlite3_column_type(handle, Int32(index)) == SQLITE_TEXT else { throw mismatch(index, "text") }
        return textValue(Int32(index))
    }

    /// Column `index` as text, or `nil` when NULL.
    func optionalString(_ index: Int) throws -> String? {
        isNull(index) ? nil : try string(index)
    }

    /// Column `index` as bytes (a blob, or text's UTF-8); NULL is an error.
    func data(_ index: Int) throws -> Data {
        switch sqlite3_column_type(handle, Int32(index)) {
        case SQLITE_BLOB, SQLITE_TEXT: return blobValue(Int32(index))
        default: throw mismatch(index, "a blob")
        }
    }

    private func textValue(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        let length = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self)
    }

    private func blobValue(_ column: Int32) -> Data {
        guard let bytes = sqlite3_column_blob(handle, column) else { return Data() }
        return Data(bytes: bytes, count: Int(sqlite3_column_bytes(handle, column)))
    }

    private func mismatch(_ index: Int, _ expected: String) -> SQLiteError {
        let name = sqlite3_column_name(handle, Int32(index)).map { String(cString: $0) } ?? "#\(index)"
        let found: String
        switch sqlite3_column_type(handle, Int32(index)) {
        case SQLITE_NULL: found = "NULL"
        case SQLITE_INTEGER: found = "an integer"
        case SQLITE_FLOAT: found = "a real"
        case SQLITE_TEXT: found = "text"
        default: found = "a blob"
        }
        return SQLiteError(code: SQLITE_MISMATCH, message: "column \(name): expected \(expected), found \(found)",
                           sql: sql)
    }
}
