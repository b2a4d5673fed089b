import Foundation

/// The run log's time format: integer milliseconds since the Unix epoch, as MLflow stores
/// `start_time`, `end_time` and `timestamp`.
enum Timestamp {
    /// `date` as milliseconds since 1970-01-01T00:00:00Z.
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// The date `milliseconds` after the Unix epoch.
    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
