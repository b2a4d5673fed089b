/// A compact, user-facing description of a network, as given on the command line:
/// `mlp:32,16` (dense layers of 32 and 16 units, then the output layer) or
/// `resmlp:64x3` (a dense layer of 64 units, then three residual blocks `z = f(h) + h` with
/// `f` = dense–activation–dense, then the output layer). The activation is applied after every
/// hidden dense layer; the output layer is linear (footnote 4 of the paper).
public struct ModelDescription: Sendable, Equatable, CustomStringConvertible {
    /// The architecture family.
    public enum Family: String, Sendable { case mlp, resmlp }
    /// MLP or residual MLP.
    public var family: Family
    /// Hidden widths (MLP) or `[width]` (residual MLP).
    public var hidden: [Int]
    /// Residual blocks (residual MLP only).
    public var blocks: Int

    /// Parses `mlp:W1,W2,...` (also `mlp:` for a linear model) or `resmlp:WxB`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard let family = Family(rawValue: parts.first ?? "") else {
            throw ModelDescriptionError(text: text, reason: "unknown family '\(parts.first ?? "")' (use mlp or resmlp)")
        }
        self.family = family
        let body = parts.count > 1 ? parts[1] : ""
        switch family {
        case .mlp:
            let widths = body.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard widths.allSatisfy({ ($0 ?? 0) > 0 }) else {
                throw ModelDescriptionError(text: text, reason: "hidden widths must be positive integers")
            }
            hidden = widths.map { $0! }
            blocks = 0
        case .resmlp:
            let pieces = body.split(separator: "x").map { Int($0) }
            guard pieces.count == 2, let w = pieces[0], let b = pieces[1], w > 0, b > 0 else {
                throw ModelDescriptionError(text: text, reason: "expected resmlp:WIDTHxBLOCKS, e.g. resmlp:64x2")
            }
            hidden = [w]
            blocks = b
        }
    }

    /// A plain MLP with the given hidden widths.
    public init(hiddenWidths: [Int]) {
        family = .mlp
        hidden = hiddenWidths
        blocks = 0
    }

    public var description: String {
        switch family {
        case .mlp: return "mlp:" + hidden.map(String.init).joined(separator: ",")
        case .resmlp: return "resmlp:\(hidden[0])x\(blocks)"
        }
    }

    /// The layer description for inputs shaped `sampleShape` and `classes` outputs. Images are
    /// flattened first. Layers are named `fc1`, `act1`, … in forward order.
    public func spec(sampleShape: [Int], classes: Int, activation: LayerKind, dropout: Float = 0) -> LayerSpec {
        var layers: [LayerSpec] = []
        if sampleShape.count > 1 { layers.append(.flatten(name: "flatten")) }
        var width = sampleShape.reduce(1, *)
        var index = 0
        func dense(_ out: Int) -> LayerSpec {
            index += 1
            defer { width = out }
            return .dense(name: "fc\(index)", inputs: width, outputs: out, bias: true)
        }
        func act() -> LayerSpec {
            .activation(name: "act\(index)", kind: activation, coefficient: activation == .leakyReLU ? 0.01 : 1)
        }
        for h in hidden {
            layers.append(dense(h))
            layers.append(act())
            if dropout > 0 { layers.append(.dropout(name: "drop\(index)", probability: dropout)) }
        }
        if family == .resmlp {
            for b in 1...blocks {
                let first = dense(width)
                let innerAct = act()
                let second = dense(width)
                layers.append(.residual(name: "res\(b)", branch: .sequential(name: "res\(b).branch",
                                                                             layers: [first, innerAct, second])))
                layers.append(.activation(name: "res\(b).act", kind: activation,
                                          coefficient: activation == .leakyReLU ? 0.01 : 1))
            }
        }
        layers.append(dense(classes))
        return .sequential(name: "model", layers: layers)
    }
}

/// A model description that could not be parsed.
public struct ModelDescriptionError: Error, CustomStringConvertible {
    /// The text given.
    public var text: String
    /// What is wrong with it.
    public var reason: String
    public var description: String { "invalid model '\(text)': \(reason)" }
}

import Foundation
