/// Which signal an optimizer step follows: descend the gradient, or ascend the LFP feedback
/// (Eq. 4–5). LFP hands `−feedback` to the same optimizer as its descent direction.
public enum UpdateDirection: String, Sendable, Codable {
    case gradient
    case feedback
}

/// How an update direction is clipped before the step.
public enum Clipping: Sendable, Codable, Equatable {
    /// Scale all directions together so their global L2 norm is at most `maxNorm` (PyTorch's
    /// `clip_grad_norm_`: factor `min(1, maxNorm / (norm + 1e-6))`).
    case globalNorm(maxNorm: Float)
    /// Adaptive clipping (Brock et al. 2021): per output unit (weight row), scale the direction
    /// so that `‖d_i‖ ≤ λ · max(‖w_i‖, 1e-3)`.
    case adaptive(lambda: Float)
}

/// Stochastic gradient descent with momentum and weight decay, PyTorch semantics:
/// `d ← d + wd·w`, `v ← μ·v + d`, `w ← w − η·v`. The momentum buffer lives in each
/// `Parameter.velocity`, so checkpoints carry it.
public struct SGD: Sendable, Codable, Equatable {
    /// Momentum `μ` (0 disables it).
    public var momentum: Float
    /// L2 weight decay coefficient.
    public var weightDecay: Float
    /// Optional clipping of the direction.
    public var clipping: Clipping?

    /// An optimizer.
    public init(momentum: Float = 0, weightDecay: Float = 0, clipping: Clipping? = nil) {
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.clipping = clipping
    }

    /// Updates `parameters` with step size `learningRate`, following `grad` (gradient) or
    /// `feedback` (LFP, ascended). Returns the global L2 norm of the direction before clipping.
    @discardableResult
    public func step(_ parameters: [Parameter], direction: UpdateDirection, learningRate: Float) -> Double {
        let sign: Float = direction == .gradient ? 1 : -1
        var squared = 0.0
        for p in parameters {
            squared += direction == .gradient ? p.grad.squaredNorm() : p.feedback.squaredNorm()
        }
        let norm = squared.squareRoot()
        var globalScale: Float = 1
        if case .globalNorm(let maxNorm) = clipping {
            globalScale = Float(min(1, Double(maxNorm) / (norm + 1e-6)))
        }
        for p in parameters {
            let rowLength = p.value.shape.count > 1 ? p.value.columns : p.value.count
            let rowScales = adaptiveScales(p, direction: direction, rowLength: rowLength)
            let mu = momentum, wd = weightDecay
            let source = direction == .gradient ? p.grad : p.feedback
            p.value.scalars.withUnsafeMutableBufferPointer { w in
                source.scalars.withUnsafeBufferPointer { g in
                    p.velocity.scalars.withUnsafeMutableBufferPointer { v in
                        for row in 0..<(w.count / rowLength) {
                            let scale = sign * globalScale * (rowScales?[row] ?? 1)
                            for i in (row * rowLength)..<((row + 1) * rowLength) {
                                let d = scale * g[i] + wd * w[i]
                                let update = mu * v[i] + d
                                v[i] = update
                                w[i] -= learningRate * update
                            }
                        }
                    }
                }
            }
        }
        return norm
    }

    /// Per-row factors of adaptive clipping, or nil when it is off.
    private func adaptiveScales(_ p: Parameter, direction: UpdateDirection, rowLength: Int) -> [Float]? {
        guard case .adaptive(let lambda) = clipping else { return nil }
        let source = direction == .gradient ? p.grad : p.feedback
        let rows = p.value.count / max(rowLength, 1)
        var scales = [Float](repeating: 1, count: rows)
        p.value.scalars.withUnsafeBufferPointer { w in
            source.scalars.withUnsafeBufferPointer { g in
                for r in 0..<rows {
                    var wn: Float = 0, gn: Float = 0
                    for i in (r * rowLength)..<((r + 1) * rowLength) {
                        wn += w[i] * w[i]
                        gn += g[i] * g[i]
                    }
                    let limit = lambda * max(wn.squareRoot(), 1e-3)
                    let gnorm = gn.squareRoot()
                    if gnorm > limit { scales[r] = limit / gnorm }
                }
            }
        }
        return scales
    }
}
