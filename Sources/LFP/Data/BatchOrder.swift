/// The order in which one epoch visits a dataset, cut into mini-batches of sample indices for
/// `Dataset.gather(_:into:labels:)`. Shuffling draws a Fisher–Yates permutation from the caller's
/// `SeededGenerator`, so an epoch's order is fixed by the generator's state; without shuffling the
/// order is `0..<count` and the generator is not touched.
public struct BatchOrder: Sendable, Equatable {
    /// Every sample index once, in visiting order.
    public let order: [Int]
    /// Samples per batch (the last batch may be smaller unless it is dropped).
    public let batchSize: Int
    /// Whether a final batch smaller than `batchSize` is left out.
    public let dropsLast: Bool

    /// The order of one epoch over `count` samples in batches of `batchSize`. The last, partial
    /// batch is kept unless `dropLast` is set.
    public init(count: Int, batchSize: Int, shuffle: Bool, dropLast: Bool = false, rng: inout SeededGenerator) {
        precondition(count >= 0, "sample count must not be negative, got \(count)")
        precondition(batchSize > 0, "batch size must be positive, got \(batchSize)")
        self.order = shuffle ? rng.permutation(count) : Array(0..<count)
        self.batchSize = batchSize
        self.dropsLast = dropLast
    }

    /// Number of batches in the epoch.
    public var batchCount: Int {
        dropsLast ? order.count / batchSize : (order.count + batchSize - 1) / batchSize
    }

    /// The indices of batch `index` (`0..<batchCount`).
    public func batch(_ index: Int) -> ArraySlice<Int> {
        precondition(index >= 0 && index < batchCount, "batch \(index) out of range 0..<\(batchCount)")
        let start = index * batchSize
        return order[start..<min(start + batchSize, order.count)]
    }

    /// All batches in order.
    public var batches: [ArraySlice<Int>] {
        (0..<batchCount).map(batch)
    }
}
