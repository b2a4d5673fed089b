import Foundation
import LFP

/// The spike-count reward for spiking networks (Eq. A.4): outputs are spikes `s[t,b,c]` over `T`
/// steps (`[T, N, C]`). The labelled class is encouraged at every step with
/// `1 − σ(Σ_t s − ⌊T/2⌋)`, which fades once it spikes in more than half the steps; every spike of
/// another class is punished with `−(1 − σ(Σ_t |s − 1| − ⌊T/2⌋))`, which fades once that class is
/// silent in more than half the steps. Some spikes everywhere are tolerated, for a steadier signal.
public struct SpikeRateReward: Reward {
    /// The reward.
    public init() {}

    public var info: RewardInfo {
        RewardInfo(id: "spike-rate", name: "Spike-rate reward (Eq. A.4)",
                   summary: "encourages spikes of the true class and punishes others, fading past half the steps",
                   description: """
                   For spikes s[t,b,c] over T steps: pos = sum_t s, neg = sum_t |s - 1|; \
                   r[t,b,label] = 1 - sigmoid(pos - floor(T/2)); \
                   r[t,b,c != label] = -s[t,b,c] * (1 - sigmoid(neg - floor(T/2))). \
                   Outputs are [T, N, C]; targets are spike classes.
                   """,
                   differentiable: false, paperReference: "Eq. A.4, Appendix A.6.4")
    }

    public func callAsFunction(outputs: Tensor, targets: Targets) throws -> Tensor {
        guard case .spikeClasses(let labels, let steps) = targets else {
            throw RewardError.unsupportedTargets(reward: info.id, detail: "needs spike classes over time steps")
        }
        guard outputs.shape.count == 3, outputs.shape[0] == steps, outputs.shape[1] == labels.count else {
            throw RewardError.shapeMismatch(reward: info.id,
                                            detail: "outputs must be [T=\(steps), N=\(labels.count), C], got \(outputs.shape)")
        }
        let n = labels.count, classes = outputs.shape[2]
        if let bad = labels.first(where: { $0 < 0 || $0 >= classes }) {
            throw RewardError.shapeMismatch(reward: info.id, detail: "label \(bad) outside 0..<\(classes)")
        }
        guard outputs.isFinite else { throw RewardError.nonFinite(reward: info.id, detail: "outputs contain NaN or infinity") }
        let half = Float(steps / 2)
        var r = Tensor(shape: outputs.shape)
        outputs.scalars.withUnsafeBufferPointer { s in
            r.scalars.withUnsafeMutableBufferPointer { rp in
                for b in 0..<n {
                    for c in 0..<classes {
                        var positive: Float = 0, negative: Float = 0
                        for t in 0..<steps {
                            let v = s[(t * n + b) * classes + c]
                            positive += v
                            negative += Swift.abs(v - 1)
                        }
                        let encourage = 1 - 1 / (1 + Foundation.exp(-(positive - half)))
                        let discourage = 1 - 1 / (1 + Foundation.exp(-(negative - half)))
                        for t in 0..<steps {
                            let index = (t * n + b) * classes + c
                            rp[index] = c == labels[b] ? encourage : -s[index] * discourage
                        }
                    }
                }
            }
        }
        try checkFinite(r)
        return r
    }
}
