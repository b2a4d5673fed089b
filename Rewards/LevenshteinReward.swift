import Foundation
import LFP

/// Edit distance as a reward for sequence heads (`SequenceLayout`: outputs `[N, T·(A+1)]`, blank
/// last). Each sample is decoded greedily, aligned with its target by edit distance
/// (`EditAlignment`), and every output position gets a *desired symbol*:
///
/// * a **match** keeps its symbol (reinforced);
/// * a **substitution** wants the target symbol instead of the emitted one;
/// * an **insertion** (emitted, not in the target) wants blank;
/// * a **deletion** (target symbol not emitted) wants its symbol at the blank position, between
///   its aligned neighbours, whose score for it is highest relative to blank;
/// * every other (blank) position keeps blank.
///
/// Per position, `r_c = w · g(o_c) · ρ_c · R_c` (Eq. 13): `R = +1` for the desired symbol; with
/// `convergence` on, `R = −1` for all others and `ρ` is Table 2 #3's softmax factor (so with
/// `magnitude` on a position's reward is #3 against its desired symbol); with it off, `ρ = 1` and
/// only symbols scoring at least the desired one get `R = −1` (as Eq. 14). `g = o_c` with
/// `magnitude`, else `sign(o_c)`; `w` is the weight of the position's operation.
public struct LevenshteinReward: ConfigurableReward {
    /// Symbols `A` (blank is the extra last score of each position); `T` follows from the width.
    public var alphabet: Int
    /// Whether to apply #3's softmax convergence factor and punish all undesired symbols.
    public var convergence: Bool
    /// Whether to scale by `o_c` instead of `sign(o_c)`.
    public var magnitude: Bool
    /// Weights of matched, substituted, inserted, deleted and blank positions.
    public var weights: (match: Float, substitution: Float, insertion: Float, deletion: Float, blank: Float)

    /// The reward for an alphabet of `alphabet` symbols.
    public init(alphabet: Int = 10, convergence: Bool = true, magnitude: Bool = true,
                weights: (match: Float, substitution: Float, insertion: Float, deletion: Float, blank: Float)
                    = (1, 1, 1, 1, 1)) {
        self.alphabet = alphabet
        self.convergence = convergence
        self.magnitude = magnitude
        self.weights = weights
    }

    public init(parameterValues values: [String: Double]) throws {
        let a = values.value("alphabet", or: 10)
        guard a >= 1, a == a.rounded() else {
            throw RewardError.failed(reward: "levenshtein", detail: "alphabet must be a positive integer")
        }
        self.init(alphabet: Int(a), convergence: values.flag("convergence", or: true),
                  magnitude: values.flag("magnitude", or: true),
                  weights: (Float(values.value("match", or: 1)), Float(values.value("substitution", or: 1)),
                            Float(values.value("insertion", or: 1)), Float(values.value("deletion", or: 1)),
                            Float(values.value("blank", or: 1))))
    }

    public var info: RewardInfo {
        RewardInfo(id: "levenshtein", name: "Levenshtein (edit distance) for sequences",
                   summary: "align the greedy decoding with the target; reward matches, fix substitutions, insertions, deletions",
                   description: """
                   Outputs are [N, T*(A+1)]: T positions of A symbol scores plus blank (last). Each \
                   position's arg-max is read, blanks dropped (repeats kept), and the result aligned \
                   with the target by edit distance. Desired symbol per position: a match keeps its \
                   symbol, a substitution wants the target symbol, an insertion wants blank, a \
                   deletion wants its symbol at the free position between its aligned neighbours \
                   that scores it highest against blank, other positions keep blank. Then per \
                   position r_c = w * g(o_c) * rho_c * R_c (Eq. 13) with R = +1 for the desired \
                   symbol; convergence = 1: R = -1 for the others and rho = Table 2 #3's softmax \
                   factor; convergence = 0: rho = 1 and R = -1 only for symbols scoring at least the \
                   desired one. g = o_c (magnitude = 1) or sign(o_c). w: the weight of the operation.
                   """,
                   differentiable: false, paperReference: "Eq. 12-13 (reward shaping); metric not in the paper",
                   parameters: [
                       RewardParameter(name: "alphabet", defaultValue: 10, summary: "symbols A (blank excluded)"),
                       RewardParameter(name: "convergence", defaultValue: 1, summary: "1: softmax convergence factor (Eq. 13)"),
                       RewardParameter(name: "magnitude", defaultValue: 1, summary: "1: scale by o_c instead of sign(o_c)"),
                       RewardParameter(name: "match", defaultValue: 1, summary: "weight of matched positions"),
                       RewardParameter(name: "substitution", defaultValue: 1, summary: "weight of substituted positions"),
                       RewardParameter(name: "insertion", defaultValue: 1, summary: "weight of inserted (extra) positions"),
                       RewardParameter(name: "deletion", defaultValue: 1, summary: "weight of positions given a missing symbol"),
                       RewardParameter(name: "blank", defaultValue: 1, summary: "weight of correctly blank positions"),
                   ])
    }

    /// The head layout of `outputs`, checking that its width is a multiple of `alphabet + 1`.
    func layout(of outputs: Tensor) throws -> SequenceLayout {
        let k = alphabet + 1
        guard outputs.shape.count == 2, outputs.columns >= k, outputs.columns % k == 0 else {
            throw RewardError.shapeMismatch(reward: info.id,
                                            detail: "outputs must be [N, T*(A+1)] with A+1 = \(k), got \(outputs.shape)")
        }
        return SequenceLayout(positions: outputs.columns / k, alphabet: alphabet)
    }

    /// The desired symbol and operation weight of every position of one sample (row `row`).
    func plan(_ row: UnsafePointer<Float>, target: [Int], layout: SequenceLayout) -> (symbols: [Int], weights: [Float]) {
        let decoded = layout.decode(row)
        var desired = [Int](repeating: layout.blank, count: layout.positions)
        var weight = [Float](repeating: weights.blank, count: layout.positions)
        let ops = EditAlignment.align(emitted: decoded.symbols, target: target)
        var nextEmitted = [Int](repeating: layout.positions, count: ops.count + 1)
        var pendingDeletions = [Int](repeating: 0, count: ops.count + 1)
        for index in stride(from: ops.count - 1, through: 0, by: -1) {
            switch ops[index] {
            case .match(let i, _), .substitution(let i, _), .insertion(let i):
                nextEmitted[index] = decoded.positions[i]
                pendingDeletions[index] = 0
            case .deletion:
                nextEmitted[index] = nextEmitted[index + 1]
                pendingDeletions[index] = pendingDeletions[index + 1] + 1
            }
        }
        var last = -1
        let k = layout.scoresPerPosition
        for (index, op) in ops.enumerated() {
            switch op {
            case let .match(i, _):
                last = decoded.positions[i]
                weight[last] = weights.match
                desired[last] = decoded.symbols[i]
            case let .substitution(i, j):
                last = decoded.positions[i]
                weight[last] = weights.substitution
                desired[last] = target[j]
            case let .insertion(i):
                last = decoded.positions[i]
                weight[last] = weights.insertion
            case let .deletion(j):
                let limit = nextEmitted[index] - (pendingDeletions[index] - 1)
                guard last + 1 < limit else { continue }
                var best = last + 1
                for t in (last + 1)..<limit
                where row[t * k + target[j]] - row[t * k + layout.blank] > row[best * k + target[j]] - row[best * k + layout.blank] {
                    best = t
                }
                desired[best] = target[j]
                weight[best] = weights.deletion
                last = best
            }
        }
        return (desired, weight)
    }

    public func callAsFunction(outputs: Tensor, targets: Targets) throws -> Tensor {
        let layout = try layout(of: outputs)
        guard case .sequences(let sequences) = targets else {
            throw RewardError.unsupportedTargets(reward: info.id, detail: "needs label sequences")
        }
        guard sequences.count == outputs.rows else {
            throw RewardError.shapeMismatch(reward: info.id, detail: "\(outputs.rows) outputs but \(sequences.count) sequences")
        }
        for (b, s) in sequences.enumerated() {
            if let bad = s.first(where: { $0 < 0 || $0 >= alphabet }) {
                throw RewardError.shapeMismatch(reward: info.id, detail: "sample \(b): symbol \(bad) outside 0..<\(alphabet)")
            }
        }
        guard outputs.isFinite else {
            throw RewardError.nonFinite(reward: info.id, detail: "outputs contain NaN or infinity")
        }
        var r = Tensor(shape: outputs.shape)
        let k = layout.scoresPerPosition, width = layout.width
        let converge = convergence, scaled = magnitude
        outputs.scalars.withUnsafeBufferPointer { o in
            r.scalars.withUnsafeMutableBufferPointer { rp in
                for (b, target) in sequences.enumerated() {
                    let row = o.baseAddress! + b * width
                    let plan = plan(row, target: target, layout: layout)
                    for t in 0..<layout.positions {
                        let scores = row + t * k, out = rp.baseAddress! + b * width + t * k
                        let want = plan.symbols[t], w = plan.weights[t]
                        var peak = scores[0], total: Float = 0
                        if converge {
                            for c in 1..<k { peak = max(peak, scores[c]) }
                            for c in 0..<k { total += Foundation.exp(scores[c] - peak) }
                        }
                        for c in 0..<k {
                            let g: Float = scaled ? scores[c] : (scores[c] >= 0 ? 1 : -1)
                            let value: Float
                            if converge {
                                let p = Foundation.exp(scores[c] - peak) / total
                                value = c == want ? 1 - p : -p
                            } else {
                                value = c == want ? 1 : (scores[c] >= scores[want] ? -1 : 0)
                            }
                            out[c] = w * g * value
                        }
                    }
                }
            }
        }
        try checkFinite(r)
        return r
    }
}
