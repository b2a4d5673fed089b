/// Walks a network backwards from its output, handing each layer the signal at its output and
/// applying that layer's rule from a `RuleMap`. With `RuleMap.gradient` and a loss gradient this
/// is backpropagation; with an LFP composite and an initial reward it is LFP, and afterwards every
/// parameter's `grad` holds `J_θ(s)` so that `feedback = |θ| ⊙ grad` (Eq. 7).
public final class Propagator {
    /// The rules applied, by layer.
    public var rules: RuleMap
    /// When true, `layerSignals` records the signal reaching every layer's output (the agent
    /// view: each neuron's local reward).
    public var recordsLayerSignals = false
    /// Signal at each layer's output from the last pass, by layer name, in backward order.
    public private(set) var layerSignals: [(layer: String, signal: Tensor)] = []
    private var normalized: [ObjectIdentifier: Tensor] = [:]
    private var toInput: [ObjectIdentifier: Tensor] = [:]

    /// A propagator applying `rules`.
    public init(rules: RuleMap) { self.rules = rules }

    /// Propagates `signal` (shaped like the model's output) back through `model`, whose last
    /// forward pass saw `input`. Parameter-side products land in each parameter's `grad`
    /// (overwritten on first use in the pass). Returns the signal at the input when
    /// `needsInputSignal` is true, else an empty tensor.
    @discardableResult
    public func propagate(_ signal: Tensor, through model: Layer, input: Tensor,
                          needsInputSignal: Bool = false) -> Tensor {
        layerSignals.removeAll(keepingCapacity: true)
        for p in model.allParameters { p.accumulates = false }
        return visit(model, signal: signal, input: input, needsInput: needsInputSignal)
    }

    private func visit(_ layer: Layer, signal: Tensor, input: Tensor, needsInput: Bool) -> Tensor {
        if recordsLayerSignals, !(layer is Sequential) { layerSignals.append((layer.name, signal)) }
        if let chain = layer as? Sequential {
            var current = signal
            for index in chain.layers.indices.reversed() {
                current = visit(chain.layers[index], signal: current,
                                input: chain.input(ofLayer: index, chainInput: input),
                                needsInput: index > 0 || needsInput)
            }
            return current
        }
        if let block = layer as? Residual {
            return visitResidual(block, signal: signal, input: input, needsInput: needsInput)
        }
        switch rules.rule(for: layer) {
        case .passThrough:
            return signal
        case .vectorJacobian:
            return layer.backward(signal, input: input, needsInputVector: needsInput)
        case .epsilon(let epsilon):
            let s = normalize(signal, by: layer.output, epsilon: epsilon, key: ObjectIdentifier(layer))
            let j = layer.backward(s, input: input, needsInputVector: needsInput)
            guard needsInput else { return j }
            return multiply(input, j, key: ObjectIdentifier(layer))
        }
    }

    /// Eq. 11 for `z = f(h) + h`: the branch gets `f ⊙ r/stab(z)`, the skip `h ⊙ r/stab(z)`;
    /// the two rewards reaching `h` add up. Under the vector-Jacobian rule, plain backprop.
    private func visitResidual(_ block: Residual, signal: Tensor, input: Tensor, needsInput: Bool) -> Tensor {
        let key = ObjectIdentifier(block)
        let branchSignal: Tensor
        let skipSignal: Tensor
        switch rules.rule(for: block) {
        case .epsilon(let epsilon):
            let s = normalize(signal, by: block.output, epsilon: epsilon, key: key)
            branchSignal = Tensor.product(block.branch.output, s)
            skipSignal = Tensor.product(input, s)
        case .passThrough, .vectorJacobian:
            branchSignal = signal
            skipSignal = signal
        }
        let throughBranch = visit(block.branch, signal: branchSignal, input: input, needsInput: needsInput)
        guard needsInput else { return throughBranch }
        var sum = toInput.removeValue(forKey: key) ?? Tensor(shape: [0])
        sum.resize(to: input.shape)
        throughBranch.scalars.withUnsafeBufferPointer { a in
            skipSignal.scalars.withUnsafeBufferPointer { b in
                sum.scalars.withUnsafeMutableBufferPointer { o in
                    for i in 0..<o.count { o[i] = a[i] + b[i] }
                }
            }
        }
        toInput[key] = sum
        return sum
    }

    /// `r / stab(z)` into a buffer kept for this layer; 0 where `stab(z)` is 0 (LFP-0 on an
    /// output that is exactly zero: the neuron contributed nothing, so it passes nothing on).
    private func normalize(_ r: Tensor, by z: Tensor, epsilon: Float, key: ObjectIdentifier) -> Tensor {
        precondition(r.count == z.count, "reward \(r.shape) does not match layer output \(z.shape)")
        var s = normalized.removeValue(forKey: key) ?? Tensor(shape: [0])
        s.resize(to: z.shape)
        r.scalars.withUnsafeBufferPointer { rp in
            z.scalars.withUnsafeBufferPointer { zp in
                s.scalars.withUnsafeMutableBufferPointer { sp in
                    if epsilon > 0 {
                        // |stab(z)| ≥ ε: no zero denominators, and a branch-free loop that vectorises.
                        for i in 0..<sp.count { sp[i] = rp[i] / Kernels.stabilize(zp[i], epsilon: epsilon) }
                    } else {
                        for i in 0..<sp.count { sp[i] = zp[i] == 0 ? 0 : rp[i] / zp[i] }
                    }
                }
            }
        }
        normalized[key] = s
        return s
    }

    /// `x ⊙ j` into a buffer kept for this layer.
    private func multiply(_ x: Tensor, _ j: Tensor, key: ObjectIdentifier) -> Tensor {
        var out = toInput.removeValue(forKey: key) ?? Tensor(shape: [0])
        out.resize(to: x.shape)
        x.scalars.withUnsafeBufferPointer { xp in
            j.scalars.withUnsafeBufferPointer { jp in
                out.scalars.withUnsafeMutableBufferPointer { o in
                    for i in 0..<o.count { o[i] = xp[i] * jp[i] }
                }
            }
        }
        toInput[key] = out
        return out
    }
}

extension Tensor {
    /// Element-wise product of two tensors with the same element count, shaped like `a`.
    static func product(_ a: Tensor, _ b: Tensor) -> Tensor {
        precondition(a.count == b.count, "element-wise product of \(a.shape) and \(b.shape)")
        var out = Tensor(shape: a.shape)
        a.scalars.withUnsafeBufferPointer { x in
            b.scalars.withUnsafeBufferPointer { y in
                out.scalars.withUnsafeMutableBufferPointer { o in
                    for i in 0..<o.count { o[i] = x[i] * y[i] }
                }
            }
        }
        return out
    }
}
