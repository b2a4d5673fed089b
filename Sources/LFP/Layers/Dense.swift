/// A fully connected layer `z = x·Wᵀ + b` with `W` shaped `[out, in]` (PyTorch's layout), the
/// linear map Eq. 1 describes. Inputs with more than two dimensions are read as `[N, in]`.
public final class Dense: Layer {
    public let kind = LayerKind.dense
    public var name: String
    /// Input features.
    public let inputSize: Int
    /// Output features.
    public let outputSize: Int
    /// The weight matrix `[out, in]`.
    public let weight: Parameter
    /// The bias `[out]`, if the layer has one.
    public let bias: Parameter?
    public private(set) var output = Tensor(shape: [0])
    private var inputVector = Tensor(shape: [0])

    /// A layer initialised as PyTorch's `nn.Linear` does: weights and bias uniform in
    /// `±1/√inputSize`, so that hyperparameters carry over.
    public init(name: String, inputSize: Int, outputSize: Int, bias hasBias: Bool = true,
                rng: inout SeededGenerator) {
        self.name = name
        self.inputSize = inputSize
        self.outputSize = outputSize
        let bound = 1 / Float(inputSize).squareRoot()
        var w = Tensor(shape: [outputSize, inputSize])
        for i in 0..<w.count { w.scalars[i] = rng.uniform(-bound, bound) }
        weight = Parameter(name: "\(name).weight", value: w)
        if hasBias {
            var b = Tensor(shape: [outputSize])
            for i in 0..<b.count { b.scalars[i] = rng.uniform(-bound, bound) }
            bias = Parameter(name: "\(name).bias", value: b)
        } else {
            bias = nil
        }
    }

    public var parameters: [Parameter] { bias.map { [weight, $0] } ?? [weight] }

    public var spec: LayerSpec { .dense(name: name, inputs: inputSize, outputs: outputSize, bias: bias != nil) }

    /// `z = x·Wᵀ + b` (Eq. 1 before the activation), into the layer's output buffer.
    @discardableResult
    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        precondition(input.columns == inputSize, "\(name): expected \(inputSize) input features, got \(input.shape)")
        let n = input.rows
        output.resize(to: [n, outputSize])
        let m = outputSize
        output.scalars.withUnsafeMutableBufferPointer { z in
            if let bias {
                bias.value.scalars.withUnsafeBufferPointer { b in
                    for r in 0..<n { (z.baseAddress! + r * m).update(from: b.baseAddress!, count: m) }
                }
            }
            input.scalars.withUnsafeBufferPointer { x in
                weight.value.scalars.withUnsafeBufferPointer { w in
                    Kernels.gemm(x.baseAddress!, transposeA: false, w.baseAddress!, transposeB: true,
                                 z.baseAddress!, m: n, n: m, k: inputSize, beta: bias == nil ? 0 : 1)
                }
            }
        }
        return output
    }

    /// `grad_W (+)= vᵀ·x`, `grad_b (+)= Σ_batch v`, and returns `v·W` (the input-side product).
    public func backward(_ vector: Tensor, input: Tensor, needsInputVector: Bool) -> Tensor {
        let n = input.rows, m = outputSize, k = inputSize
        vector.scalars.withUnsafeBufferPointer { g in
            input.scalars.withUnsafeBufferPointer { x in
                let beta = weight.takeGradientBeta()
                weight.grad.scalars.withUnsafeMutableBufferPointer { gw in
                    Kernels.gemm(g.baseAddress!, transposeA: true, x.baseAddress!, transposeB: false,
                                 gw.baseAddress!, m: m, n: k, k: n, beta: beta)
                }
            }
            if let bias {
                let accumulate = bias.takeGradientBeta() != 0
                bias.grad.scalars.withUnsafeMutableBufferPointer { gb in
                    if !accumulate { gb.baseAddress!.update(repeating: 0, count: m) }
                    for r in 0..<n {
                        let row = g.baseAddress! + r * m
                        for j in 0..<m { gb[j] += row[j] }
                    }
                }
            }
        }
        guard needsInputVector else { return Tensor(shape: [0]) }
        inputVector.resize(to: input.shape)
        vector.scalars.withUnsafeBufferPointer { g in
            weight.value.scalars.withUnsafeBufferPointer { w in
                inputVector.scalars.withUnsafeMutableBufferPointer { dx in
                    Kernels.gemm(g.baseAddress!, transposeA: false, w.baseAddress!, transposeB: false,
                                 dx.baseAddress!, m: n, n: k, k: m)
                }
            }
        }
        return inputVector
    }
}
