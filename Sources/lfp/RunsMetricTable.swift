import RunLog

/// A run's metrics arranged by epoch, as `show`, `list` and `compare` need them: for each
/// epoch the value of each metric (the one at the largest step within the epoch), plus the
/// values logged outside any epoch.
struct RunsMetricTable {
    /// The metrics shown first, in this order, when present; others follow alphabetically.
    static let preferredKeys = ["train_loss", "train_accuracy", "test_loss", "test_accuracy"]

    /// The epochs that have at least one metric, ascending.
    let epochs: [Int]
    /// The metric names logged per epoch, in display order.
    let keys: [String]
    /// `values[epoch][key]`.
    let values: [Int: [String: Double]]
    /// Values without an epoch, by key then step.
    let unattached: [MetricRecord]

    /// Arranges `records` (any order).
    init(_ records: [MetricRecord]) {
        var values: [Int: [String: (step: Int, value: Double)]] = [:]
        var unattached: [MetricRecord] = []
        for record in records {
            guard let epoch = record.epoch else {
                unattached.append(record)
                continue
            }
            if let existing = values[epoch]?[record.key], existing.step > record.step { continue }
            values[epoch, default: [:]][record.key] = (record.step, record.value)
        }
        self.values = values.mapValues { $0.mapValues(\.value) }
        self.epochs = values.keys.sorted()
        self.keys = RunsMetricTable.ordered(Set(values.values.flatMap(\.keys)))
        self.unattached = unattached.sorted { ($0.key, $0.step) < ($1.key, $1.step) }
    }

    /// `keys` in display order: the preferred metrics first, then the rest alphabetically.
    static func ordered(_ keys: Set<String>) -> [String] {
        preferredKeys.filter(keys.contains) + keys.subtracting(preferredKeys).sorted()
    }

    /// The series of `key` over the epochs (NaN where an epoch lacks it).
    func series(_ key: String) -> [Double] {
        epochs.map { values[$0]?[key] ?? .nan }
    }

    /// The epoch with the largest finite value of `key` (the earliest on ties), with that value.
    func best(_ key: String) -> (epoch: Int, value: Double)? {
        var best: (epoch: Int, value: Double)?
        for epoch in epochs {
            guard let value = values[epoch]?[key], value.isFinite else { continue }
            if best == nil || value > best!.value { best = (epoch, value) }
        }
        return best
    }
}
