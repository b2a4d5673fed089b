import Foundation

/// A plain-data description of a network, from which `build` makes the layers. Together with the
/// parameter values it is what a checkpoint stores.
public indirect enum LayerSpec: Codable, Equatable, Sendable {
    case dense(name: String, inputs: Int, outputs: Int, bias: Bool)
    case activation(name: String, kind: LayerKind, coefficient: Float)
    case dropout(name: String, probability: Float)
    case flatten(name: String)
    case sequential(name: String, layers: [LayerSpec])
    case residual(name: String, branch: LayerSpec)

    /// Makes the described layers with freshly initialised parameters drawn from `rng`.
    public func build(rng: inout SeededGenerator) -> Layer {
        switch self {
        case let .dense(name, inputs, outputs, bias):
            return Dense(name: name, inputSize: inputs, outputSize: outputs, bias: bias, rng: &rng)
        case let .activation(name, kind, coefficient):
            return Activation(kind, name: name, coefficient: coefficient)
        case let .dropout(name, probability):
            return Dropout(name: name, probability: probability, seed: rng.next())
        case let .flatten(name):
            return Flatten(name: name)
        case let .sequential(name, layers):
            return Sequential(name: name, layers.map { $0.build(rng: &rng) })
        case let .residual(name, branch):
            return Residual(name: name, branch: branch.build(rng: &rng))
        }
    }
}

/// A network's description and its parameter values: everything needed to rebuild it exactly.
public struct ModelSnapshot: Codable, Equatable, Sendable {
    /// The architecture.
    public var spec: LayerSpec
    /// Parameter values by name.
    public var parameters: [String: Tensor]

    /// A snapshot from its parts.
    public init(spec: LayerSpec, parameters: [String: Tensor]) {
        self.spec = spec
        self.parameters = parameters
    }

    /// The snapshot of `model`.
    public init(of model: Layer) {
        spec = model.spec
        parameters = Dictionary(uniqueKeysWithValues: model.allParameters.map { ($0.name, $0.value) })
    }

    /// Rebuilds the network with the stored values. Fails if a parameter is missing or has the
    /// wrong shape.
    public func restore() throws -> Layer {
        var rng = SeededGenerator(seed: 0)
        let model = spec.build(rng: &rng)
        for p in model.allParameters {
            guard let v = parameters[p.name] else { throw SnapshotError.missingParameter(p.name) }
            guard v.shape == p.value.shape else {
                throw SnapshotError.shapeMismatch(p.name, expected: p.value.shape, found: v.shape)
            }
            p.value = v
        }
        return model
    }
}

/// Why a snapshot could not be restored.
public enum SnapshotError: Error, CustomStringConvertible, Equatable {
    case missingParameter(String)
    case shapeMismatch(String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case .missingParameter(let n): return "snapshot has no value for parameter \(n)"
        case let .shapeMismatch(n, e, f): return "parameter \(n): expected shape \(e), snapshot has \(f)"
        }
    }
}

extension ModelSnapshot {
    /// The snapshot as a tensor archive (metadata: the layer spec).
    public func archived() throws -> Data {
        try TensorArchive(metadata: JSONEncoder().encode(spec),
                          tensors: parameters.keys.sorted().map { ($0, parameters[$0]!) }).encoded()
    }

    /// Reads a snapshot written by `archived()`.
    public init(archive data: Data) throws {
        let archive = try TensorArchive(decoding: data)
        self.init(spec: try JSONDecoder().decode(LayerSpec.self, from: archive.metadata),
                  parameters: Dictionary(uniqueKeysWithValues: archive.tensors.map { ($0.name, $0.tensor) }))
    }
}
