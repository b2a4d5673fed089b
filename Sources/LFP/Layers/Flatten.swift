/// Reshapes `[N, ...]` to `[N, features]`; its vector-Jacobian product reshapes back.
public final class Flatten: Layer {
    public let kind = LayerKind.flatten
    public var name: String
    public private(set) var output = Tensor(shape: [0])

    /// A flatten layer.
    public init(name: String) { self.name = name }

    public var parameters: [Parameter] { [] }
    public var spec: LayerSpec { .flatten(name: name) }

    /// `[N, …]` to `[N, features]`, sharing the storage.
    @discardableResult
    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        output = input.reshaped([input.rows, input.columns])
        return output
    }

    /// `v` reshaped back to the input's shape.
    public func backward(_ vector: Tensor, input: Tensor, needsInputVector: Bool) -> Tensor {
        needsInputVector ? vector.reshaped(input.shape) : Tensor(shape: [0])
    }
}
