import LFP

/// Table 2 #2 / Eq. 14: every output that beats the true class's output is punished,
/// `r_c = −sign(o_c)` when `o_c > o_label`, 0 elsewhere. No loss has this as its gradient.
public struct FalsePositivePenaltyReward: Reward {
    /// The reward.
    public init() {}

    public var info: RewardInfo {
        RewardInfo(id: "false-positive-penalty", name: "False-positive penalty (Table 2 #2, Eq. 14)",
                   summary: "-sign(o_c) for every class whose output exceeds the true class's output",
                   description: """
                   r[b,c] = -sign(o[b,c]) if o[b,c] > o[b,label_b] (strictly), else 0. sign(0) = +1. \
                   Correct predictions get no reward at all, so training stops changing a sample \
                   once it is classified correctly.
                   """,
                   differentiable: false, paperReference: "Table 2 #2, Eq. 14, Appendix A.3")
    }

    public func callAsFunction(outputs: Tensor, targets: Targets) throws -> Tensor {
        let labels = try validatedClassLabels(outputs: outputs, targets: targets)
        var r = Tensor(shape: outputs.shape)
        let m = outputs.columns
        outputs.scalars.withUnsafeBufferPointer { o in
            r.scalars.withUnsafeMutableBufferPointer { rp in
                for (b, label) in labels.enumerated() {
                    let target = o[b * m + label]
                    for c in 0..<m where o[b * m + c] > target {
                        rp[b * m + c] = o[b * m + c] >= 0 ? -1 : 1
                    }
                }
            }
        }
        return r
    }
}
