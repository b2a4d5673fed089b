import Foundation
import RunLog

/// The JSON shapes `lfp runs … --json` prints. Every command prints exactly one JSON document
/// (keys sorted); numbers that JSON cannot hold (NaN, ±infinity) are written as `null`, and times
/// as ISO 8601 strings in UTC.
enum RunsJSON {
    /// `value` as a JSON number, or `null` when it is NaN or infinite.
    static func number(_ value: Double) -> Any {
        value.isFinite ? value : NSNull()
    }

    /// An optional value, or `null`.
    static func optional(_ value: Any?) -> Any {
        value ?? NSNull()
    }

    /// A seed as a JSON number (seeds above `Int64.max` as a decimal string, so that no digit is
    /// lost).
    static func seed(_ seed: UInt64) -> Any {
        seed <= UInt64(Int64.max) ? Int64(seed) : String(seed)
    }

    /// The `runs` row of `run` (without params, tags and config, which callers add where needed).
    static func run(_ run: RunRecord) -> [String: Any] {
        [
            "id": run.id, "name": run.name, "status": run.status.rawValue,
            "stored_status": run.storedStatus.rawValue, "method": run.method, "model": run.model,
            "dataset": run.dataset, "seed": seed(run.seed), "tool_version": run.toolVersion, "host": run.host,
            "start_time": RunsFormatting.isoTime(run.startTime),
            "end_time": optional(run.endTime.map(RunsFormatting.isoTime)),
            "heartbeat_time": RunsFormatting.isoTime(run.heartbeatTime),
            "reward_catalog_id": optional(run.rewardCatalogID), "reward_id": optional(run.rewardID),
        ]
    }

    /// The run's configuration JSON as an object (or as the stored text if it does not parse).
    static func config(_ run: RunRecord) -> Any {
        (try? JSONSerialization.jsonObject(with: Data(run.configJSON.utf8), options: [.fragmentsAllowed]))
            ?? run.configJSON
    }

    /// One artifact's metadata.
    static func artifact(_ artifact: ArtifactRecord) -> [String: Any] {
        ["id": artifact.id, "name": artifact.name, "kind": artifact.kind.rawValue,
         "epoch": optional(artifact.epoch), "size_bytes": artifact.sizeBytes,
         "created_time": RunsFormatting.isoTime(artifact.createdTime)]
    }

    /// `object` serialised as one compact JSON document with sorted keys.
    static func data(_ object: Any) throws -> Data {
        do {
            return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        } catch {
            throw CLIError.software("could not write JSON: \(error)")
        }
    }

    /// Prints `object` as one JSON document on standard output.
    static func print(_ object: Any) throws {
        Swift.print(String(decoding: try data(object), as: UTF8.self))
    }
}
