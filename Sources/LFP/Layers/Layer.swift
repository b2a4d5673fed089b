/// Whether a forward pass is for training (dropout active, batch statistics) or evaluation.
public enum Mode: Sendable {
    case train
    case eval
}

/// The kinds of layer the engine knows; propagation rules are attached to kinds.
public enum LayerKind: String, Sendable, Codable, CaseIterable {
    case dense, relu, leakyReLU, silu, elu, tanh, sigmoid, heaviside, identity
    case dropout, flatten, sequential, residual

    /// Whether the layer is an element-wise activation function.
    public var isActivation: Bool {
        switch self {
        case .relu, .leakyReLU, .silu, .elu, .tanh, .sigmoid, .heaviside, .identity: return true
        default: return false
        }
    }
}

/// One layer of a network. It computes its forward pass (keeping the output for the backward
/// passes) and exactly one vector-Jacobian product, `backward`: an output-side vector in, the
/// input-side vector out, and the parameter-side products written to each parameter's `grad`.
/// Both the gradient baseline and every LFP rule are built on that one product.
public protocol Layer: AnyObject {
    /// What kind of layer this is (selects its propagation rule).
    var kind: LayerKind { get }
    /// Name used for parameters, statistics and rule overrides, e.g. `fc1`.
    var name: String { get set }
    /// The layer's own trainable parameters (not those of nested layers).
    var parameters: [Parameter] { get }
    /// The output of the last forward pass.
    var output: Tensor { get }
    /// Computes the output for `input`, stores it in `output` and returns it.
    @discardableResult
    func forward(_ input: Tensor, mode: Mode) -> Tensor
    /// The vector-Jacobian product at the last forward pass: given `vector` at the output and the
    /// `input` that pass saw, accumulates the parameter-side products into each parameter's
    /// `grad` and returns the input-side product (skipped, returning an empty tensor, when
    /// `needsInputVector` is false).
    func backward(_ vector: Tensor, input: Tensor, needsInputVector: Bool) -> Tensor
    /// The plain-data description the layer can be rebuilt from.
    var spec: LayerSpec { get }
}

extension Layer {
    /// All parameters of this layer and its nested layers, in forward order.
    public var allParameters: [Parameter] {
        if let container = self as? LayerContainer {
            return container.children.flatMap { $0.allParameters }
        }
        return parameters
    }
}

/// A layer built from other layers (Sequential, Residual); propagation walks into its children.
public protocol LayerContainer: Layer {
    /// The nested layers in forward order.
    var children: [Layer] { get }
}
