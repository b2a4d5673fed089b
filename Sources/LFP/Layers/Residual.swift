/// A skip connection `z = f(h) + h` around a branch `f` (Section 3.1.4). Under LFP the reward at
/// `z` is split between the branch and the skip in proportion to their contributions (Eq. 11).
public final class Residual: LayerContainer {
    public let kind = LayerKind.residual
    public var name: String
    /// The branch `f`; its output must have the shape of its input.
    public let branch: Layer
    public private(set) var output = Tensor(shape: [0])
    private var inputVector = Tensor(shape: [0])

    /// A residual block around `branch`.
    public init(name: String, branch: Layer) {
        self.name = name
        self.branch = branch
    }

    public var children: [Layer] { [branch] }
    public var parameters: [Parameter] { [] }
    public var spec: LayerSpec { .residual(name: name, branch: branch.spec) }

    /// `z = f(h) + h`.
    @discardableResult
    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        let f = branch.forward(input, mode: mode)
        precondition(f.shape == input.shape, "\(name): branch output \(f.shape) differs from input \(input.shape)")
        output.resize(to: input.shape)
        f.scalars.withUnsafeBufferPointer { a in
            input.scalars.withUnsafeBufferPointer { b in
                output.scalars.withUnsafeMutableBufferPointer { z in
                    for i in 0..<z.count { z[i] = a[i] + b[i] }
                }
            }
        }
        return output
    }

    /// The branch's product plus the skip's: `J_f(v) + v`.
    public func backward(_ vector: Tensor, input: Tensor, needsInputVector: Bool) -> Tensor {
        let throughBranch = branch.backward(vector, input: input, needsInputVector: needsInputVector)
        guard needsInputVector else { return Tensor(shape: [0]) }
        inputVector.resize(to: input.shape)
        throughBranch.scalars.withUnsafeBufferPointer { a in
            vector.scalars.withUnsafeBufferPointer { g in
                inputVector.scalars.withUnsafeMutableBufferPointer { d in
                    for i in 0..<d.count { d[i] = a[i] + g[i] }
                }
            }
        }
        return inputVector
    }
}
