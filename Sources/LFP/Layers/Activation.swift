import Foundation

/// An element-wise activation function. Under LFP its reward passes through unchanged
/// (post-activation reward = pre-activation reward); the gradient baseline multiplies by the
/// derivative. Heaviside's derivative is zero everywhere (the paper's plain "Grad" baseline).
public final class Activation: Layer {
    public let kind: LayerKind
    public var name: String
    /// Slope for negative inputs (LeakyReLU) or scale `α` (ELU).
    public let coefficient: Float
    public private(set) var output = Tensor(shape: [0])
    private var inputVector = Tensor(shape: [0])

    /// An activation of the given kind; `coefficient` is LeakyReLU's slope (default 0.01) or
    /// ELU's `α` (default 1) and is ignored by the others.
    public init(_ kind: LayerKind, name: String, coefficient: Float? = nil) {
        precondition(kind.isActivation, "\(kind) is not an activation")
        self.kind = kind
        self.name = name
        self.coefficient = coefficient ?? (kind == .leakyReLU ? 0.01 : 1)
    }

    public var parameters: [Parameter] { [] }

    public var spec: LayerSpec { .activation(name: name, kind: kind, coefficient: coefficient) }

    /// `φ(x)` element-wise.
    @discardableResult
    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        output.resize(to: input.shape)
        let a = coefficient
        input.scalars.withUnsafeBufferPointer { x in
            output.scalars.withUnsafeMutableBufferPointer { y in
                switch kind {
                case .relu: for i in 0..<x.count { y[i] = x[i] > 0 ? x[i] : 0 }
                case .leakyReLU: for i in 0..<x.count { y[i] = x[i] > 0 ? x[i] : a * x[i] }
                case .silu: for i in 0..<x.count { y[i] = x[i] / (1 + Foundation.exp(-x[i])) }
                case .elu: for i in 0..<x.count { y[i] = x[i] > 0 ? x[i] : a * (Foundation.exp(x[i]) - 1) }
                case .tanh: for i in 0..<x.count { y[i] = Foundation.tanh(x[i]) }
                case .sigmoid: for i in 0..<x.count { y[i] = 1 / (1 + Foundation.exp(-x[i])) }
                case .heaviside: for i in 0..<x.count { y[i] = x[i] > 0 ? 1 : 0 }
                default: for i in 0..<x.count { y[i] = x[i] }
                }
            }
        }
        return output
    }

    /// `v ⊙ φ′(x)` (zero everywhere for Heaviside).
    public func backward(_ vector: Tensor, input: Tensor, needsInputVector: Bool) -> Tensor {
        guard needsInputVector else { return Tensor(shape: [0]) }
        inputVector.resize(to: input.shape)
        let a = coefficient
        input.scalars.withUnsafeBufferPointer { x in
            output.scalars.withUnsafeBufferPointer { y in
                vector.scalars.withUnsafeBufferPointer { g in
                    inputVector.scalars.withUnsafeMutableBufferPointer { d in
                        switch kind {
                        case .relu: for i in 0..<d.count { d[i] = x[i] > 0 ? g[i] : 0 }
                        case .leakyReLU: for i in 0..<d.count { d[i] = x[i] > 0 ? g[i] : a * g[i] }
                        case .silu:
                            for i in 0..<d.count {
                                let s = 1 / (1 + Foundation.exp(-x[i]))
                                d[i] = g[i] * s * (1 + x[i] * (1 - s))
                            }
                        case .elu: for i in 0..<d.count { d[i] = x[i] > 0 ? g[i] : g[i] * (y[i] + a) }
                        case .tanh: for i in 0..<d.count { d[i] = g[i] * (1 - y[i] * y[i]) }
                        case .sigmoid: for i in 0..<d.count { d[i] = g[i] * y[i] * (1 - y[i]) }
                        case .heaviside: for i in 0..<d.count { d[i] = 0 }
                        default: for i in 0..<d.count { d[i] = g[i] }
                        }
                    }
                }
            }
        }
        return inputVector
    }
}
