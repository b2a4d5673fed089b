import Foundation

/// One value bound to a statement parameter or read from a result column: SQLite's five storage
/// classes. Values always travel as bound parameters, never spliced into SQL text.
public enum SQLiteValue: Sendable, Equatable {
    /// A 64-bit signed integer.
    case integer(Int64)
    /// A double. SQLite stores NaN as NULL; callers that need NaN back must record it separately.
    case real(Double)
    /// UTF-8 text.
    case text(String)
    /// Bytes.
    case blob(Data)
    /// SQL NULL.
    case null

    /// An integer value from a Swift `Int`.
    public static func int(_ value: Int) -> SQLiteValue { .integer(Int64(value)) }

    /// `.integer` for a value, `.null` for `nil`.
    public static func int(_ value: Int?) -> SQLiteValue { value.map { .integer(Int64($0)) } ?? .null }

    /// `.integer` for a value, `.null` for `nil`.
    public static func integer(_ value: Int64?) -> SQLiteValue { value.map { .integer($0) } ?? .null }

    /// `.text` for a value, `.null` for `nil`.
    public static func text(_ value: String?) -> SQLiteValue { value.map { .text($0) } ?? .null }
}

extension SQLiteValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByNilLiteral
{
    /// An integer literal binds as `.integer`.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// A float literal binds as `.real`.
    public init(floatLiteral value: Double) { self = .real(value) }
    /// A string literal binds as `.text`.
    public init(stringLiteral value: String) { self = .text(value) }
    /// `nil` binds as `.null`.
    public init(nilLiteral: ()) { self = .null }
}
