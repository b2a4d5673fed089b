/// How a sequence model's output row is laid out: `positions` output positions, each with one
/// score per symbol of an `alphabet`-sized alphabet followed by one score for *blank*.
///
/// A batch of outputs is `[N, T·(A+1)]`; sample `b`, position `t`, symbol `k` sits at column
/// `t·(A+1) + k`, and `k == A` is blank (nothing emitted there). Greedy decoding takes each
/// position's highest score and reads the non-blank symbols left to right; repeats are *not*
/// merged (unlike CTC), so adjacent equal symbols need no blank between them.
public struct SequenceLayout: Sendable, Equatable, Codable {
    /// Output positions `T` (the longest sequence the head can emit).
    public var positions: Int
    /// Symbols `A`, labelled `0..<A`.
    public var alphabet: Int

    /// A layout of `positions` positions over `alphabet` symbols plus blank.
    public init(positions: Int, alphabet: Int) {
        precondition(positions > 0 && alphabet > 0, "a sequence head needs positions and symbols")
        self.positions = positions
        self.alphabet = alphabet
    }

    /// Scores per position, `A + 1`.
    public var scoresPerPosition: Int { alphabet + 1 }
    /// The index of blank within a position, `A`.
    public var blank: Int { alphabet }
    /// Output columns of the head, `T·(A+1)`.
    public var width: Int { positions * scoresPerPosition }

    /// Greedy decoding of one sample's output row (`width` scores from `row`): the emitted
    /// symbols and the position each was emitted at.
    public func decode(_ row: UnsafePointer<Float>) -> (symbols: [Int], positions: [Int]) {
        var symbols: [Int] = [], at: [Int] = []
        let k = scoresPerPosition
        for t in 0..<positions {
            let base = row + t * k
            var best = 0
            for c in 1..<k where base[c] > base[best] { best = c }
            if best != blank {
                symbols.append(best)
                at.append(t)
            }
        }
        return (symbols, at)
    }

    /// Greedy decoding of every sample of `outputs` (`[N, width]`): the emitted symbols per sample.
    public func decodeBatch(_ outputs: Tensor) -> [[Int]] {
        precondition(outputs.columns == width, "outputs have \(outputs.columns) columns, layout needs \(width)")
        return outputs.scalars.withUnsafeBufferPointer { o in
            (0..<outputs.rows).map { decode(o.baseAddress! + $0 * width).symbols }
        }
    }
}
