/// Layers applied one after another; the usual model type.
public final class Sequential: LayerContainer {
    public let kind = LayerKind.sequential
    public var name: String
    /// The layers in forward order.
    public private(set) var layers: [Layer]

    /// A chain of `layers`.
    public init(name: String = "model", _ layers: [Layer]) {
        self.name = name
        self.layers = layers
    }

    public var children: [Layer] { layers }
    public var parameters: [Parameter] { [] }
    public var output: Tensor { layers.last?.output ?? Tensor(shape: [0]) }
    public var spec: LayerSpec { .sequential(name: name, layers: layers.map(\.spec)) }

    /// Each layer on the previous one's output.
    @discardableResult
    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        var current = input
        for layer in layers { current = layer.forward(current, mode: mode) }
        return current
    }

    /// The input layer `index` saw in the last forward pass, given the chain's own input.
    public func input(ofLayer index: Int, chainInput: Tensor) -> Tensor {
        index == 0 ? chainInput : layers[index - 1].output
    }

    /// The layers' products in reverse order.
    public func backward(_ vector: Tensor, input: Tensor, needsInputVector: Bool) -> Tensor {
        var current = vector
        for index in layers.indices.reversed() {
            current = layers[index].backward(current, input: self.input(ofLayer: index, chainInput: input),
                                             needsInputVector: index > 0 || needsInputVector)
        }
        return current
    }
}
