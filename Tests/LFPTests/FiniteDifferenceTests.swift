import Foundation
import Testing
@testable import LFP

/// The gradient baseline against central finite differences. The differences are taken on an
/// independent Double-precision forward pass written here from the layers' definitions (so there
/// is no Float rounding in the quotient and no tolerance to tune): `h = 1e-6`, truncation error
/// ~h², rounding ~1e-16/h. The engine's Float gradient must agree to 1e-3 of the tensor's scale.
@Suite struct FiniteDifferenceTests {
    // MARK: Double reference

    /// A batch `[rows, cols]` in Double.
    struct Batch {
        var rows: Int
        var cols: Int
        var v: [Double]
    }

    enum LossKind: String, CaseIterable, Sendable { case softmaxCE, sigmoidBCE }

    /// The scalar activation in Double.
    static func activate(_ kind: LayerKind, _ x: Double, _ a: Double) -> Double {
        switch kind {
        case .relu: return x > 0 ? x : 0
        case .leakyReLU: return x > 0 ? x : a * x
        case .silu: return x / (1 + exp(-x))
        case .elu: return x > 0 ? x : a * (exp(x) - 1)
        case .tanh: return Foundation.tanh(x)
        case .sigmoid: return 1 / (1 + exp(-x))
        case .heaviside: return x > 0 ? 1 : 0
        case .identity: return x
        default: fatalError("not an activation: \(kind)")
        }
    }

    /// Forward pass of `layer` in Double, in eval mode, reading parameter values from `values`
    /// (by parameter name) instead of the layer.
    static func forward(_ layer: Layer, _ x: Batch, _ values: [String: [Double]]) -> Batch {
        switch layer {
        case let s as Sequential:
            return s.layers.reduce(x) { forward($1, $0, values) }
        case let r as Residual:
            let f = forward(r.branch, x, values)
            return Batch(rows: x.rows, cols: x.cols, v: zip(f.v, x.v).map(+))
        case let d as Dense:
            let w = values[d.weight.name]!
            let b = d.bias.map { values[$0.name]! }
            var out = [Double](repeating: 0, count: x.rows * d.outputSize)
            for n in 0..<x.rows {
                for j in 0..<d.outputSize {
                    var z = b?[j] ?? 0
                    for i in 0..<d.inputSize { z += w[j * d.inputSize + i] * x.v[n * d.inputSize + i] }
                    out[n * d.outputSize + j] = z
                }
            }
            return Batch(rows: x.rows, cols: d.outputSize, v: out)
        case let a as Activation:
            let c = Double(a.coefficient)
            return Batch(rows: x.rows, cols: x.cols, v: x.v.map { activate(a.kind, $0, c) })
        case is Dropout, is Flatten:
            return x  // eval-mode dropout is the identity; inputs here are already [N, features]
        default:
            fatalError("no Double reference for \(type(of: layer))")
        }
    }

    /// Mean softmax cross-entropy or mean (over all elements) sigmoid BCE, in Double.
    static func loss(_ kind: LossKind, _ o: Batch, _ labels: [Int]) -> Double {
        var total = 0.0
        for n in 0..<o.rows {
            let row = Array(o.v[(n * o.cols)..<((n + 1) * o.cols)])
            switch kind {
            case .softmaxCE:
                let peak = row.max()!
                let lse = log(row.map { exp($0 - peak) }.reduce(0, +)) + peak
                total += lse - row[labels[n]]
            case .sigmoidBCE:
                for c in 0..<o.cols {
                    let y: Double = c == labels[n] ? 1 : 0
                    let v = row[c]
                    total += max(v, 0) - v * y + log1p(exp(-Swift.abs(v)))
                }
            }
        }
        return kind == .softmaxCE ? total / Double(o.rows) : total / Double(o.rows * o.cols)
    }

    // MARK: The check

    /// Engine gradients (parameters and input) against central differences of the Double loss.
    static func checkGradients(_ model: Layer, inputs: Int, classes: Int, loss kind: LossKind, seed: UInt64,
                               what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        var rng = SeededGenerator(seed: seed)
        let xf = TestNets.normal([4, inputs], rng: &rng)
        let labels = TestNets.labels(4, classes: classes, rng: &rng)

        let outputs = model.forward(xf, mode: .eval)
        var g = Tensor(shape: [0])
        let engineLoss: Double
        switch kind {
        case .softmaxCE: engineLoss = SoftmaxCrossEntropy().evaluate(outputs: outputs, labels: labels, gradient: &g)
        case .sigmoidBCE: engineLoss = SigmoidBinaryCrossEntropy().evaluate(outputs: outputs, labels: labels, gradient: &g)
        }
        let inputGrad = Propagator(rules: .gradient).propagate(g, through: model, input: xf, needsInputSignal: true)

        var values: [String: [Double]] = [:]
        for p in model.allParameters { values[p.name] = p.value.scalars.map(Double.init) }
        let x = Batch(rows: 4, cols: inputs, v: xf.scalars.map(Double.init))
        let reference = loss(kind, forward(model, x, values), labels)
        #expect(Swift.abs(engineLoss - reference) <= 1e-5 * max(1, Swift.abs(reference)),
                "\(what): engine loss \(engineLoss) vs Double \(reference)", sourceLocation: sourceLocation)

        let h = 1e-6
        func numeric(count: Int, perturb: (Int, Double) -> Double) -> Tensor {
            var t = Tensor(shape: [count])
            for i in 0..<count {
                t.scalars[i] = Float((perturb(i, h) - perturb(i, -h)) / (2 * h))
            }
            return t
        }
        for p in model.allParameters {
            let base = values[p.name]!
            let fd = numeric(count: base.count) { i, d in
                var v = values
                v[p.name]![i] = base[i] + d
                return loss(kind, forward(model, x, v), labels)
            }
            #expect(fd.maxAbs() > 0 || p.grad.maxAbs() == 0, sourceLocation: sourceLocation)
            TensorCheck.expectClose(p.grad.reshaped([p.grad.count]), fd, "\(what): ∂L/∂\(p.name)",
                                    relative: 1e-3, absolute: 1e-7, sourceLocation: sourceLocation)
        }
        let fdx = numeric(count: x.v.count) { i, d in
            var xv = x
            xv.v[i] += d
            return loss(kind, forward(model, xv, values), labels)
        }
        TensorCheck.expectClose(inputGrad.reshaped([inputGrad.count]), fdx, "\(what): ∂L/∂x",
                                relative: 1e-3, absolute: 1e-7, sourceLocation: sourceLocation)
    }

    static let differentiable: [LayerKind] = [.relu, .leakyReLU, .silu, .elu, .tanh, .sigmoid, .identity]

    /// Dense with and without bias, each activation, eval-mode Dropout, both losses.
    @Test(arguments: differentiable, LossKind.allCases)
    func mlpGradientsMatchFiniteDifferences(activation: LayerKind, loss: LossKind) {
        for seed: UInt64 in [1, 2] {
            var rng = SeededGenerator(seed: seed)
            let model = Sequential(name: "model", [
                Dense(name: "fc1", inputSize: 3, outputSize: 5, bias: true, rng: &rng),
                Activation(activation, name: "act1"),
                Dense(name: "fc2", inputSize: 5, outputSize: 4, bias: false, rng: &rng),
                Activation(activation, name: "act2"),
                Dropout(name: "drop", probability: 0.5, seed: seed),
                Dense(name: "fc3", inputSize: 4, outputSize: 3, bias: true, rng: &rng),
            ])
            Self.checkGradients(model, inputs: 3, classes: 3, loss: loss, seed: seed &+ 10,
                                what: "\(activation)/\(loss) seed \(seed)")
        }
    }

    @Test(arguments: [LayerKind.relu, .tanh, .silu], LossKind.allCases)
    func residualGradientsMatchFiniteDifferences(activation: LayerKind, loss: LossKind) {
        for bias in [true, false] {
            let model = TestNets.residualMLP(inputs: 3, width: 4, classes: 3, activation: activation, bias: bias, seed: 3)
            Self.checkGradients(model, inputs: 3, classes: 3, loss: loss, seed: 30,
                                what: "residual \(activation)/\(loss) bias \(bias)")
        }
    }

    /// ELU and LeakyReLU with non-default coefficients use them in the derivative too.
    @Test func activationCoefficientsEnterTheDerivative() {
        var rng = SeededGenerator(seed: 4)
        let model = Sequential(name: "model", [
            Dense(name: "fc1", inputSize: 3, outputSize: 5, bias: true, rng: &rng),
            Activation(.elu, name: "act1", coefficient: 0.5),
            Dense(name: "fc2", inputSize: 5, outputSize: 4, bias: true, rng: &rng),
            Activation(.leakyReLU, name: "act2", coefficient: 0.2),
            Dense(name: "fc3", inputSize: 4, outputSize: 3, bias: true, rng: &rng),
        ])
        Self.checkGradients(model, inputs: 3, classes: 3, loss: .softmaxCE, seed: 40, what: "elu(0.5)/leaky(0.2)")
    }

    /// Heaviside's derivative is zero everywhere (the plain "Grad" baseline of the paper):
    /// nothing reaches the layers below it, while the layer above still learns.
    @Test func heavisideGradientIsExactlyZero() {
        var rng = SeededGenerator(seed: 5)
        let model = Sequential(name: "model", [
            Dense(name: "fc1", inputSize: 3, outputSize: 5, bias: true, rng: &rng),
            Activation(.heaviside, name: "step"),
            Dense(name: "fc2", inputSize: 5, outputSize: 3, bias: true, rng: &rng),
        ])
        var data = SeededGenerator(seed: 50)
        let x = TestNets.normal([4, 3], rng: &data)
        let labels = TestNets.labels(4, classes: 3, rng: &data)
        let outputs = model.forward(x, mode: .train)
        var g = Tensor(shape: [0])
        _ = SoftmaxCrossEntropy().evaluate(outputs: outputs, labels: labels, gradient: &g)
        // Fill grads with garbage first: the pass must overwrite them with exact zeros.
        for p in model.allParameters { p.grad = Tensor(shape: p.value.shape, repeating: 7) }
        let inputGrad = Propagator(rules: .gradient).propagate(g, through: model, input: x, needsInputSignal: true)
        let params = model.allParameters
        #expect(params[0].grad.scalars.allSatisfy { $0 == 0 }, "fc1.weight grad \(params[0].grad.scalars)")
        #expect(params[1].grad.scalars.allSatisfy { $0 == 0 }, "fc1.bias grad \(params[1].grad.scalars)")
        #expect(inputGrad.scalars.allSatisfy { $0 == 0 })
        #expect(params[2].grad.maxAbs() > 0, "the output layer must still get a gradient")
        // And the Double reference agrees (central differences away from the jump are 0 too).
        Self.checkGradients(model, inputs: 3, classes: 3, loss: .softmaxCE, seed: 50, what: "heaviside")
    }

    /// The check itself rejects a wrong gradient (e.g. a sign error in an activation's derivative).
    @Test func finiteDifferenceCheckCanFail() {
        var rng = SeededGenerator(seed: 6)
        let dense = Dense(name: "fc", inputSize: 3, outputSize: 3, bias: true, rng: &rng)
        let model = Sequential(name: "model", [dense])
        var data = SeededGenerator(seed: 60)
        let x = TestNets.normal([4, 3], rng: &data)
        let labels = TestNets.labels(4, classes: 3, rng: &data)
        let outputs = model.forward(x, mode: .eval)
        var g = Tensor(shape: [0])
        _ = SoftmaxCrossEntropy().evaluate(outputs: outputs, labels: labels, gradient: &g)
        Propagator(rules: .gradient).propagate(g, through: model, input: x)
        var values: [String: [Double]] = [:]
        for p in model.allParameters { values[p.name] = p.value.scalars.map(Double.init) }
        let xb = Batch(rows: 4, cols: 3, v: x.scalars.map(Double.init))
        let h = 1e-6
        var fd = Tensor(shape: [dense.weight.value.count])
        for i in 0..<fd.count {
            var plus = values, minus = values
            plus[dense.weight.name]![i] += h
            minus[dense.weight.name]![i] -= h
            fd.scalars[i] = Float((Self.loss(.softmaxCE, Self.forward(model, xb, plus), labels)
                - Self.loss(.softmaxCE, Self.forward(model, xb, minus), labels)) / (2 * h))
        }
        #expect(TensorCheck.mismatch(dense.weight.grad, fd, relative: 1e-3, absolute: 1e-7) == nil)
        #expect(TensorCheck.mismatch(dense.weight.grad * -1, fd, relative: 1e-3, absolute: 1e-7) != nil)
        #expect(TensorCheck.mismatch(dense.weight.grad * 2, fd, relative: 1e-3, absolute: 1e-7) != nil)
    }
}
