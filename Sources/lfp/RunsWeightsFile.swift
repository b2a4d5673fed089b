import Foundation
import LFP
import RunLog

/// The weights file `lfp runs weights` writes in JSON format (`format_version` 1):
///
/// ```json
/// {"format": "lfp-weights", "format_version": 1, "run_id": 3,
///  "source": {"artifact_id": 9, "name": "weights", "kind": "weights", "epoch": null},
///  "spec": {…the model's LayerSpec as the trainer stores it…},
///  "parameters": {"fc1.weight": {"shape": [16, 2], "data": [0.12, …]}, …}}
/// ```
///
/// `data` holds the parameter's float32 values in row-major order (last index fastest); a NaN or
/// infinite value is the string "NaN", "Infinity" or "-Infinity". Keys are sorted.
struct RunsWeightsFile: Encodable {
    /// Where the weights came from.
    struct Source: Encodable {
        /// The artifact's id.
        let artifactID: Int64
        /// Its name (`weights`, `checkpoint-epoch-3`).
        let name: String
        /// Its kind (`weights` or `checkpoint`).
        let kind: String
        /// The epoch it was saved after (checkpoints), else `nil`.
        let epoch: Int?

        /// The JSON keys.
        enum CodingKeys: String, CodingKey {
            case artifactID = "artifact_id", name, kind, epoch
        }

        /// Encodes every key, writing `null` for a missing epoch.
        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(artifactID, forKey: .artifactID)
            try container.encode(name, forKey: .name)
            try container.encode(kind, forKey: .kind)
            try container.encode(epoch, forKey: .epoch)
        }
    }

    /// One parameter tensor.
    struct Parameter: Encodable {
        /// Extent of each dimension, outermost first.
        let shape: [Int]
        /// The values, row-major.
        let data: [Float]
    }

    /// Names the file format.
    let format = "lfp-weights"
    /// The version of this layout.
    let formatVersion = 1
    /// The run the weights belong to.
    let runID: Int64
    /// The artifact they were read from.
    let source: Source
    /// The model's architecture.
    let spec: LayerSpec
    /// The parameter tensors by name.
    let parameters: [String: Parameter]

    /// The JSON keys.
    enum CodingKeys: String, CodingKey {
        case format, formatVersion = "format_version", runID = "run_id", source, spec, parameters
    }

    /// The file for `snapshot`, taken from `artifact` of run `runID`.
    init(runID: Int64, artifact: ArtifactRecord, snapshot: ModelSnapshot) {
        self.runID = runID
        self.source = Source(artifactID: artifact.id, name: artifact.name, kind: artifact.kind.rawValue,
                             epoch: artifact.epoch)
        self.spec = snapshot.spec
        self.parameters = snapshot.parameters.mapValues { Parameter(shape: $0.shape, data: $0.scalars) }
    }

    /// The encoded JSON document, followed by a newline.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity",
                                                                      negativeInfinity: "-Infinity", nan: "NaN")
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// The model snapshot held by a `weights` artifact (a `ModelSnapshot`) or a `checkpoint`
    /// artifact (a `TrainingCheckpoint`), stored as a tensor archive (`LFPA…`, what `lfp train`
    /// writes) or as JSON; undecodable bytes are exit 65.
    static func snapshot(from artifact: Artifact) throws -> ModelSnapshot {
        let isCheckpoint = artifact.record.kind == .checkpoint
        do {
            if artifact.data.starts(with: Array("LFPA".utf8)) {
                return isCheckpoint ? try TrainingCheckpoint(archive: artifact.data).model
                    : try ModelSnapshot(archive: artifact.data)
            }
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity",
                                                                            negativeInfinity: "-Infinity", nan: "NaN")
            return isCheckpoint ? try decoder.decode(TrainingCheckpoint.self, from: artifact.data).model
                : try decoder.decode(ModelSnapshot.self, from: artifact.data)
        } catch {
            throw CLIError.data("artifact \(artifact.record.id) ('\(artifact.record.name)') of run "
                + "\(artifact.record.runID) does not hold readable \(artifact.record.kind) data: \(error)")
        }
    }
}
