/// How well greedy-decoded sequence outputs match their targets.
public struct SequenceEvaluation: Sendable, Equatable {
    /// Mean Levenshtein distance between decoded and target sequences.
    public var meanEditDistance: Double
    /// Fraction of samples decoded exactly right.
    public var exactMatchRate: Double
    /// Samples evaluated.
    public var count: Int

    /// An evaluation result.
    public init(meanEditDistance: Double, exactMatchRate: Double, count: Int) {
        self.meanEditDistance = meanEditDistance
        self.exactMatchRate = exactMatchRate
        self.count = count
    }

    /// Summed edit distance and exact matches of a batch of `outputs` (`[N, layout.width]`) against
    /// `targets`, decoded greedily with `layout`.
    public static func tally(outputs: Tensor, targets: [[Int]], layout: SequenceLayout) -> (distance: Int, exact: Int) {
        var distance = 0, exact = 0
        for (decoded, target) in zip(layout.decodeBatch(outputs), targets) {
            let d = EditAlignment.distance(decoded, target)
            distance += d
            exact += d == 0 ? 1 : 0
        }
        return (distance, exact)
    }
}
