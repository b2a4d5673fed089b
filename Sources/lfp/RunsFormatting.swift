import Foundation
import RunLog

/// How `lfp runs` writes numbers, times and small charts for people (JSON output does not use
/// these).
enum RunsFormatting {
    /// A metric or statistic value: up to 4 significant decimals, with `nan`, `inf` and `-inf`
    /// for the non-finite values and scientific notation for very small or large magnitudes.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        let magnitude = abs(value)
        if magnitude != 0 && (magnitude < 1e-3 || magnitude >= 1e6) { return String(format: "%.3e", value) }
        if value == value.rounded() && magnitude < 1e6 { return String(Int(value)) }
        return String(format: "%.4f", value)
    }

    /// A time in the local time zone, to the minute (`2025-01-31 14:05`).
    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// A time as ISO 8601 in UTC with milliseconds, as the JSON outputs write it.
    static func isoTime(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// A duration as `1h 02m 03s`, `2m 03s` or `4.2s`.
    static func duration(_ seconds: TimeInterval) -> String {
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let total = Int(seconds.rounded())
        let (hours, minutes, secs) = (total / 3600, total % 3600 / 60, total % 60)
        return hours > 0 ? String(format: "%dh %02dm %02ds", hours, minutes, secs)
            : String(format: "%dm %02ds", minutes, secs)
    }

    /// A byte count as `512 B`, `3.4 KiB`, `1.2 MiB`.
    static func bytes(_ count: Int) -> String {
        if count < 1024 { return "\(count) B" }
        if count < 1024 * 1024 { return String(format: "%.1f KiB", Double(count) / 1024) }
        return String(format: "%.1f MiB", Double(count) / 1024 / 1024)
    }

    /// The eight bar characters of a sparkline, lowest first.
    static let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// A one-line chart of `values` scaled between their minimum and maximum (all equal values
    /// give a flat middle line); a NaN or infinite value is a blank.
    static func sparkline(_ values: [Double]) -> String {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else {
            return String(repeating: " ", count: values.count)
        }
        return String(values.map { value -> Character in
            guard value.isFinite else { return " " }
            guard high > low else { return bars[bars.count / 2] }
            let position = Int(((value - low) / (high - low) * Double(bars.count - 1)).rounded())
            return bars[min(max(position, 0), bars.count - 1)]
        })
    }

    /// The status word shown for a run, noting when a stored `running` status is stale.
    static func status(_ run: RunRecord) -> String {
        run.status == .interrupted && run.storedStatus == .running
            ? "interrupted (no heartbeat since \(time(run.heartbeatTime)))" : run.status.rawValue
    }
}
