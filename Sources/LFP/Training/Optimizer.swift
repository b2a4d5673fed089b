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

    /// Updates `parameters` with step size `learningRate`. With `.gradient` it descends each
    /// parameter's `grad`; with `.feedback` it first sets `feedback = |value| ⊙ grad` (Eq. 7, the
    /// parameter side of the ε-rule) and ascends it — fused into the update loop when no clipping
    /// needs the whole direction first. Returns the global L2 norm of the direction before
    /// clipping when clipping is on, else nil.
    @discardableResult
    public func step(_ parameters: [Parameter], direction: UpdateDirection, learningRate: Float) -> Double? {
        guard let clipping else {
            for p in parameters {
                update(p, source: direction == .gradient ? .gradient : .feedback, scale: 1, rowScales: nil,
                       learningRate: learningRate)
            }
            return nil
        }
        var squared = 0.0
        for p in parameters {
            if direction == .feedback { p.computeFeedback() }
            squared += direction == .gradient ? p.grad.squaredNorm() : p.feedback.squaredNorm()
        }
        let norm = squared.squareRoot()
        var globalScale: Float = 1
        if case .globalNorm(let maxNorm) = clipping {
            globalScale = Float(min(1, Double(maxNorm) / (norm + 1e-6)))
        }
        for p in parameters {
            update(p, source: direction == .gradient ? .gradient : .precomputedFeedback, scale: globalScale,
                   rowScales: adaptiveScales(p, direction: direction), learningRate: learningRate)
        }
        return norm
    }

    /// Where the update loop reads its direction: the gradient, feedback it computes itself from
    /// `grad` (Eq. 7), or feedback computed before (for clipping).
    private enum Source { case gradient, feedback, precomputedFeedback }

    /// `v ← μv + d + wd·w; w ← w − ηv` with `d` the (scaled) descent direction of `source`.
    private func update(_ p: Parameter, source: Source, scale: Float, rowScales: [Float]?,
                        learningRate: Float) {
        let rowLength = Self.rowLength(of: p)
        let mu = momentum, wd = weightDecay
        p.value.scalars.withUnsafeMutableBufferPointer { w in
            p.grad.scalars.withUnsafeBufferPointer { g in
                p.feedback.scalars.withUnsafeMutableBufferPointer { f in
                    p.velocity.scalars.withUnsafeMutableBufferPointer { v in
                        for row in 0..<(w.count / rowLength) {
                            let s = scale * (rowScales?[row] ?? 1)
                            let range = (row * rowLength)..<((row + 1) * rowLength)
                            switch source {
                            case .gradient:
                                for i in range {
                                    let update = mu * v[i] + s * g[i] + wd * w[i]
                                    v[i] = update
                                    w[i] -= learningRate * update
                                }
                            case .feedback:
                                for i in range {
                                    let feedback = Swift.abs(w[i]) * g[i]
                                    f[i] = feedback
                                    let update = mu * v[i] - s * feedback + wd * w[i]
                                    v[i] = update
                                    w[i] -= learningRate * update
                                }
                            case .precomputedFeedback:
                                for i in range {
                                    let update = mu * v[i] - s * f[i] + wd * w[i]
                                    v[i] = update
                                    w[i] -= learningRate * update
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Elements per output unit: a weight matrix's row, or the whole of a vector.
    private static func rowLength(of p: Parameter) -> Int {
        max(1, p.value.shape.count > 1 ? p.value.columns : p.value.count)
    }

    /// Per-row factors of adaptive clipping, or nil when it is off.
    private func adaptiveScales(_ p: Parameter, direction: UpdateDirection) -> [Float]? {
        guard case .adaptive(let lambda) = clipping else { return nil }
        let rowLength = Self.rowLength(of: p)
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
