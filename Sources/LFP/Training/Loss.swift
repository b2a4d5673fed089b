import Foundation

/// A differentiable objective for the gradient baseline: its value on a batch and its gradient
/// with respect to the outputs.
public protocol Loss {
    /// Identifier, e.g. `softmax-ce`.
    var id: String { get }
    /// The mean loss over the batch and `dL/do` written into `gradient` (shaped like `outputs`).
    func evaluate(outputs: Tensor, labels: [Int], gradient: inout Tensor) -> Double
}

/// Softmax cross-entropy `−log softmax(o)[y]`, averaged over the batch as PyTorch's
/// `CrossEntropyLoss` does. Its gradient is `(softmax(o) − onehot(y)) / N`.
public struct SoftmaxCrossEntropy: Loss {
    public let id = "softmax-ce"
    /// The loss.
    public init() {}

    public func evaluate(outputs: Tensor, labels: [Int], gradient: inout Tensor) -> Double {
        let n = outputs.rows, m = outputs.columns
        gradient.resize(to: outputs.shape)
        var total = 0.0
        outputs.scalars.withUnsafeBufferPointer { o in
            gradient.scalars.withUnsafeMutableBufferPointer { g in
                for b in 0..<n {
                    let row = o.baseAddress! + b * m, probabilities = g.baseAddress! + b * m
                    let logPartition = Kernels.softmax(row, count: m, into: probabilities)
                    total += Double(logPartition - row[labels[b]])
                    probabilities[labels[b]] -= 1
                    for c in 0..<m { probabilities[c] /= Float(n) }
                }
            }
        }
        return total / Double(max(n, 1))
    }
}

/// Binary cross-entropy on a sigmoid per output against one-hot targets, averaged over all
/// elements as PyTorch's `BCEWithLogitsLoss` does. Gradient `(σ(o) − y) / (N·C)`.
public struct SigmoidBinaryCrossEntropy: Loss {
    public let id = "sigmoid-bce"
    /// The loss.
    public init() {}

    public func evaluate(outputs: Tensor, labels: [Int], gradient: inout Tensor) -> Double {
        let n = outputs.rows, m = outputs.columns
        let count = Float(max(n * m, 1))
        gradient.resize(to: outputs.shape)
        var total = 0.0
        outputs.scalars.withUnsafeBufferPointer { o in
            gradient.scalars.withUnsafeMutableBufferPointer { g in
                for b in 0..<n {
                    for c in 0..<m {
                        let v = o[b * m + c]
                        let y: Float = c == labels[b] ? 1 : 0
                        // log(1 + e^v) − y·v, computed stably
                        total += Double(max(v, 0) - v * y + Foundation.log1p(Foundation.exp(-Swift.abs(v))))
                        g[b * m + c] = (1 / (1 + Foundation.exp(-v)) - y) / count
                    }
                }
            }
        }
        return total / Double(count)
    }
}
