import LFP

/// A custom LFP reward (Eq. 12): a sample whose true-class output does not beat every other
/// output by at least `margin` gets `+sign(o_label)` on its true class and `−sign(o_c)` on each
/// class `c` that comes within the margin. Samples already separated by the margin get nothing,
/// so training stops changing them (a hinge loss's behaviour, without its gradient).
struct HingeMarginReward: Reward {
    /// How far the true class must lead.
    var margin: Float = 1

    var info: RewardInfo {
        RewardInfo(id: "hinge-margin", name: "Hinge margin (example plugin)",
                   summary: "push the true class ahead of the others by a margin",
                   description: "r[b,label] = sign(o) and r[b,c] = -sign(o) for each c with o_c > o_label - margin.",
                   differentiable: false,
                   parameters: [RewardParameter(name: "margin", defaultValue: 1, summary: "required lead")])
    }

    func callAsFunction(outputs: Tensor, targets: Targets) throws -> Tensor {
        // The shared checks: [N, C] outputs, finite values, N labels in 0..<C (errors name this reward).
        let labels = try validatedClassLabels(outputs: outputs, targets: targets)
        let m = outputs.columns
        var rewards = Tensor(shape: outputs.shape)
        outputs.scalars.withUnsafeBufferPointer { o in
            rewards.scalars.withUnsafeMutableBufferPointer { r in
                for (b, label) in labels.enumerated() {
                    let target = o[b * m + label]
                    var violated = false
                    for c in 0..<m where c != label && o[b * m + c] > target - margin {
                        r[b * m + c] = o[b * m + c] >= 0 ? -1 : 1
                        violated = true
                    }
                    if violated { r[b * m + label] = target >= 0 ? 1 : -1 }
                }
            }
        }
        try checkFinite(rewards)
        return rewards
    }
}
