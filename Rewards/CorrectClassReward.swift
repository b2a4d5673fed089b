import LFP

/// Table 2 #1: `r_c = sign(o_c)` for the labelled class of a correctly classified sample, 0
/// elsewhere. It reinforces what already works and ignores mistakes; not differentiable.
public struct CorrectClassReward: Reward {
    /// The reward.
    public init() {}

    public var info: RewardInfo {
        RewardInfo(id: "correct-class", name: "Correct class (Table 2 #1)",
                   summary: "sign(o_c) on the true class of correctly classified samples, 0 elsewhere",
                   description: """
                   r[b,c] = sign(o[b,c]) if c is the label of sample b and the sample is classified \
                   correctly (its label has the largest output), else 0. sign(0) = +1.
                   """,
                   differentiable: false, paperReference: "Table 2 #1")
    }

    public func callAsFunction(outputs: Tensor, targets: Targets) throws -> Tensor {
        let labels = try validatedClassLabels(outputs: outputs, targets: targets)
        let predicted = outputs.argmaxRows()
        var r = Tensor(shape: outputs.shape)
        let m = outputs.columns
        for (b, label) in labels.enumerated() where predicted[b] == label
            || outputs.scalars[b * m + label] == outputs.scalars[b * m + predicted[b]] {
            r.scalars[b * m + label] = outputs.scalars[b * m + label] >= 0 ? 1 : -1
        }
        return r
    }
}
