import Foundation
import RunLog

/// Everything `lfp runs show` and `lfp runs compare` read about one run, fetched in one go.
struct RunsRunDetails {
    /// The run with its params and tags.
    let run: RunRecord
    /// Its metrics by epoch.
    let metrics: RunsMetricTable
    /// The latest value of each metric.
    let latest: [String: MetricRecord]
    /// Its per-layer statistics by epoch.
    let layerStats: [EpochLayerStats]
    /// Its artifacts' metadata.
    let artifacts: [ArtifactRecord]
    /// The reward catalog row that trained it, if any.
    let reward: StoredReward?

    /// Reads run `id` from `store`; a missing id is exit 66.
    init(id: Int64, store: RunLogStore) throws {
        (run, metrics, latest, layerStats, artifacts, reward) = try RunsDatabase.translatingErrors {
            let run = try store.run(id: id)
            return (run, RunsMetricTable(try store.metrics(runID: id)), try store.latestMetrics(runID: id),
                    try store.layerStats(runID: id), try store.artifacts(runID: id),
                    try run.rewardCatalogID.map { try store.rewardRecord(id: $0) })
        }
    }

    /// The stored source type name of a reward (`builtin`, `swift_plugin`, `program`).
    static func sourceType(_ source: RewardSource) -> String {
        switch source {
        case .builtIn: return "builtin"
        case .swiftPlugin: return "swift_plugin"
        case .program: return "program"
        }
    }

    /// The reward's description (`RewardInfo`) as a JSON object, when it parses as one.
    static func info(_ reward: StoredReward) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(reward.record.infoJSON.utf8))) as? [String: Any]
    }

    /// The reward catalog row as JSON.
    static func rewardJSON(_ reward: StoredReward) -> [String: Any] {
        var command: Any = NSNull()
        if case .program(let words) = reward.record.source { command = words }
        return ["catalog_id": reward.catalogID, "reward_id": reward.record.rewardID,
                "version": reward.record.version, "definition_hash": reward.record.definitionHash,
                "source_type": sourceType(reward.record.source), "source_command": command,
                "info": info(reward) ?? reward.record.infoJSON,
                "created_time": RunsFormatting.isoTime(reward.createdTime)]
    }
}
