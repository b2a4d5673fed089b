import Foundation

/// A training run frozen between epochs: model, optimizer momentum, shuffling and dropout
/// generators, counters and configuration. Codable plain data; the run log stores it as a
/// compact tensor archive (`archived()`).
public struct TrainingCheckpoint: Codable, Sendable, Equatable {
    /// Architecture and weights.
    public var model: ModelSnapshot
    /// Momentum buffers by parameter name.
    public var velocities: [String: Tensor]
    /// Shuffling generator state.
    public var rng: SeededGenerator
    /// Steps taken.
    public var step: Int
    /// Epochs completed.
    public var epoch: Int
    /// The run's settings.
    public var configuration: TrainingConfiguration
    /// Mask generators of the dropout layers, by layer name.
    public var dropoutGenerators: [String: SeededGenerator] = [:]
}

extension TrainingCheckpoint {
    private struct Metadata: Codable {
        var spec: LayerSpec
        var rng: SeededGenerator
        var step: Int
        var epoch: Int
        var configuration: TrainingConfiguration
        var dropoutGenerators: [String: SeededGenerator]?
    }

    /// The checkpoint as a tensor archive: parameters as `param/NAME`, momentum as `velocity/NAME`.
    public func archived() throws -> Data {
        let meta = Metadata(spec: model.spec, rng: rng, step: step, epoch: epoch, configuration: configuration,
                            dropoutGenerators: dropoutGenerators)
        let params = model.parameters.keys.sorted().map { (name: "param/" + $0, tensor: model.parameters[$0]!) }
        let velocity = velocities.keys.sorted().map { (name: "velocity/" + $0, tensor: velocities[$0]!) }
        return try TensorArchive(metadata: JSONEncoder().encode(meta), tensors: params + velocity).encoded()
    }

    /// Reads a checkpoint written by `archived()`.
    public init(archive data: Data) throws {
        let archive = try TensorArchive(decoding: data)
        let meta = try JSONDecoder().decode(Metadata.self, from: archive.metadata)
        var params: [String: Tensor] = [:], velocity: [String: Tensor] = [:]
        for (name, tensor) in archive.tensors {
            if name.hasPrefix("param/") { params[String(name.dropFirst(6))] = tensor }
            if name.hasPrefix("velocity/") { velocity[String(name.dropFirst(9))] = tensor }
        }
        self.init(model: ModelSnapshot(spec: meta.spec, parameters: params), velocities: velocity, rng: meta.rng,
                  step: meta.step, epoch: meta.epoch, configuration: meta.configuration,
                  dropoutGenerators: meta.dropoutGenerators ?? [:])
    }
}
