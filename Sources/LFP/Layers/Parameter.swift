/// A trainable tensor of a layer together with everything a training step attaches to it: the
/// parameter-side vector-Jacobian product of the last backward pass (`grad`: the gradient for the
/// gradient baseline, `J_θ(s)` for LFP), the LFP feedback `|θ| ⊙ J_θ(s)` (Eq. 7) and the
/// optimizer's momentum buffer.
public final class Parameter {
    /// Name unique within the model, e.g. `fc1.weight`.
    public var name: String
    /// The current value.
    public var value: Tensor
    /// Parameter-side product of the last backward pass, summed over the batch and over every
    /// use of the parameter in the pass.
    public var grad: Tensor
    /// LFP feedback of the last LFP step (to be maximised): `|value| ⊙ grad`.
    public var feedback: Tensor
    /// The optimizer's momentum buffer.
    public var velocity: Tensor
    /// Whether the next backward write should add to `grad` (a later use in the same pass) or
    /// overwrite it (the first use in a pass); avoids zeroing every gradient each step.
    public var accumulates = false

    /// A parameter initialised to `value`, with zeroed side buffers of the same shape.
    public init(name: String, value: Tensor) {
        self.name = name
        self.value = value
        self.grad = Tensor(shape: value.shape)
        self.feedback = Tensor(shape: value.shape)
        self.velocity = Tensor(shape: value.shape)
    }

    /// The BLAS `beta` for the next write into `grad` (0 overwrite, 1 accumulate); marks the
    /// parameter as written.
    public func takeGradientBeta() -> Float {
        defer { accumulates = true }
        return accumulates ? 1 : 0
    }

    /// Sets `feedback = |value| ⊙ grad` (Eq. 7 from the parameter-side product of the ε-rule).
    public func computeFeedback() {
        let n = value.count
        value.scalars.withUnsafeBufferPointer { w in
            grad.scalars.withUnsafeBufferPointer { g in
                feedback.scalars.withUnsafeMutableBufferPointer { f in
                    for i in 0..<n { f[i] = Swift.abs(w[i]) * g[i] }
                }
            }
        }
    }
}
