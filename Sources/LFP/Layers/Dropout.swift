/// Inverted dropout: in training, zeroes each element with probability `p` and scales the rest
/// by `1/(1−p)`; in evaluation, the identity. Its vector-Jacobian product applies the same mask
/// and scale, and LFP passes reward through that product (as the reference implementation does).
public final class Dropout: Layer {
    public let kind = LayerKind.dropout
    public var name: String
    /// Probability of dropping an element.
    public let probability: Float
    /// The generator drawing masks; part of the model state so runs reproduce.
    public var rng: SeededGenerator
    public private(set) var output = Tensor(shape: [0])
    private var mask = Tensor(shape: [0])
    private var inputVector = Tensor(shape: [0])
    private var lastModeWasTrain = false

    /// A dropout layer with drop probability `probability` in `[0, 1)`.
    public init(name: String, probability: Float, seed: UInt64) {
        precondition(probability >= 0 && probability < 1, "dropout probability must be in [0, 1)")
        self.name = name
        self.probability = probability
        self.rng = SeededGenerator(seed: seed)
    }

    public var parameters: [Parameter] { [] }
    public var spec: LayerSpec { .dropout(name: name, probability: probability) }

    /// In training, `x ⊙ mask` with a fresh mask of `0` and `1/(1−p)`; in evaluation, `x`.
    @discardableResult
    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        lastModeWasTrain = mode == .train && probability > 0
        guard lastModeWasTrain else {
            output = input
            return output
        }
        let keep = 1 / (1 - probability)
        mask.resize(to: input.shape)
        output.resize(to: input.shape)
        mask.scalars.withUnsafeMutableBufferPointer { m in
            for i in 0..<m.count { m[i] = rng.uniform(0, 1) < probability ? 0 : keep }
        }
        input.scalars.withUnsafeBufferPointer { x in
            mask.scalars.withUnsafeBufferPointer { m in
                output.scalars.withUnsafeMutableBufferPointer { y in
                    for i in 0..<y.count { y[i] = x[i] * m[i] }
                }
            }
        }
        return output
    }

    /// `v ⊙ mask` for the last training pass (identity in evaluation).
    public func backward(_ vector: Tensor, input: Tensor, needsInputVector: Bool) -> Tensor {
        guard needsInputVector else { return Tensor(shape: [0]) }
        guard lastModeWasTrain else { return vector }
        inputVector.resize(to: vector.shape)
        vector.scalars.withUnsafeBufferPointer { g in
            mask.scalars.withUnsafeBufferPointer { m in
                inputVector.scalars.withUnsafeMutableBufferPointer { d in
                    for i in 0..<d.count { d[i] = g[i] * m[i] }
                }
            }
        }
        return inputVector
    }
}
