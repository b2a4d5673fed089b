import Foundation

/// Shows how far long work has come on standard error: a redrawn bar with rate and ETA when
/// stderr is a terminal, a plain line every few seconds otherwise. Standard output is left for
/// results.
final class ProgressReporter {
    private let label: String
    private let total: Int
    private let unit: String
    private let interactive = isatty(STDERR_FILENO) != 0
    private let enabled: Bool
    private let start = Date()
    private var lastDraw = Date.distantPast

    /// A reporter for `total` units of work (e.g. steps); `enabled: false` silences it.
    init(label: String, total: Int, unit: String, enabled: Bool) {
        self.label = label
        self.total = max(total, 1)
        self.unit = unit
        self.enabled = enabled
    }

    /// Reports that `done` units are complete and `samples` samples were processed.
    func update(done: Int, samples: Int, note: String = "") {
        guard enabled else { return }
        let now = Date()
        let interval = interactive ? 0.1 : 5.0
        guard now.timeIntervalSince(lastDraw) >= interval || done == total else { return }
        lastDraw = now
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(samples) / elapsed : 0
        let eta = done > 0 ? elapsed * Double(total - done) / Double(done) : 0
        let fraction = Double(done) / Double(total)
        let status = "\(done)/\(total) \(unit)  \(Self.format(rate)) samples/s  ETA \(Self.clock(eta))"
            + (note.isEmpty ? "" : "  \(note)")
        if interactive {
            let width = 24
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
            FileHandle.standardError.write(Data("\r\u{1B}[2K\(label) [\(bar)] \(status)".utf8))
            if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
        } else {
            FileHandle.standardError.write(Data("\(label) \(Int(fraction * 100))%  \(status)\n".utf8))
        }
    }

    static func format(_ rate: Double) -> String {
        rate >= 1000 ? String(format: "%.0f", rate) : String(format: "%.1f", rate)
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            : String(format: "%d:%02d", s / 60, s % 60)
    }
}
