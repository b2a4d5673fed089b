import Foundation
import LFP

/// A variant of Table 2 #3 whose softmax is clipped to `[lower, upper]`:
/// `r_c = g(o_c) · (y_c − clip(SM(o)_c, lower, upper))` with `g(o) = o`, or `g(o) = sign(o)` when
/// `signOnly` is set (Eq. 12's sign with #3's convergence factor). With `lower = 0, upper = 1`
/// and `signOnly` off it equals #3. An upper bound below 1 keeps rewarding the true class of
/// confident samples; a lower bound above 0 keeps punishing the other classes.
public struct BoundedSoftmaxReward: ConfigurableReward {
    /// Lower bound of the clipped softmax, in `0...1`.
    public var lower: Float
    /// Upper bound of the clipped softmax, in `lower...1`.
    public var upper: Float
    /// Whether only the sign of each logit scales its reward.
    public var signOnly: Bool

    /// The reward with the given bounds.
    public init(lower: Float = 0, upper: Float = 1, signOnly: Bool = false) {
        self.lower = lower
        self.upper = upper
        self.signOnly = signOnly
    }

    public init(parameterValues values: [String: Double]) throws {
        let lower = values.value("lower", or: 0), upper = values.value("upper", or: 1)
        guard 0 <= lower, lower <= upper, upper <= 1 else {
            throw RewardError.failed(reward: "bounded-softmax", detail: "need 0 <= lower <= upper <= 1")
        }
        self.init(lower: Float(lower), upper: Float(upper), signOnly: values.flag("signOnly", or: false))
    }

    public var info: RewardInfo {
        RewardInfo(id: "bounded-softmax", name: "Bounded softmax (Table 2 #3 variant)",
                   summary: "g(o_c) * (y_c - clip(softmax(o)_c, lower, upper)), g = o or sign(o)",
                   description: """
                   r[b,c] = g(o[b,c]) * (onehot[b,c] - clip(softmax(o[b,:])[c], lower, upper)), with \
                   g(o) = o, or g(o) = sign(o) (sign(0) = +1) when signOnly = 1. lower = 0, upper = 1, \
                   signOnly = 0 is Table 2 #3. Bounds keep rewards from fading completely; sign-only \
                   logits make every output's reward independent of its magnitude.
                   """,
                   differentiable: !signOnly, gradientEquivalentLoss: lower == 0 && upper == 1 && !signOnly
                       ? "softmax cross-entropy" : nil,
                   paperReference: "Table 2 #3, Eq. 12-13",
                   parameters: [
                       RewardParameter(name: "lower", defaultValue: 0, summary: "lower bound of the softmax"),
                       RewardParameter(name: "upper", defaultValue: 1, summary: "upper bound of the softmax"),
                       RewardParameter(name: "signOnly", defaultValue: 0, summary: "1: scale by sign(o_c) instead of o_c"),
                   ])
    }

    public func callAsFunction(outputs: Tensor, targets: Targets) throws -> Tensor {
        let labels = try validatedClassLabels(outputs: outputs, targets: targets)
        var r = Tensor(shape: outputs.shape)
        let m = outputs.columns, low = lower, high = upper, signs = signOnly
        outputs.scalars.withUnsafeBufferPointer { o in
            r.scalars.withUnsafeMutableBufferPointer { rp in
                for (b, label) in labels.enumerated() {
                    let row = o.baseAddress! + b * m, out = rp.baseAddress! + b * m
                    Kernels.softmax(row, count: m, into: out)
                    for c in 0..<m {
                        let p = min(max(out[c], low), high)
                        let g: Float = signs ? (row[c] >= 0 ? 1 : -1) : row[c]
                        out[c] = g * ((c == label ? 1 : 0) - p)
                    }
                }
            }
        }
        try checkFinite(r)
        return r
    }
}
