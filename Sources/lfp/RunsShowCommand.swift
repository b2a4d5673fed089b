import Foundation
import RunLog

/// `lfp runs show ID`: one run in full — its columns, configuration, reward, metrics per epoch,
/// per-layer statistics, accuracy sparklines and artifacts.
enum RunsShowCommand {
    /// The text `--help` prints.
    static let help = """
    usage: lfp runs show ID [options]

    Show one run: status (a running run without heartbeat for 60 s shows as interrupted),
    configuration, the reward definition it trained with (catalog id, version, hash, source,
    summary), a table of its metrics per epoch, sparklines of test and train accuracy, per-layer
    statistics (weight Gini, zero-weight fraction and update sparsity of the last epoch, with the
    first epoch's value → the last) and its stored artifacts.

    \(RunsDatabase.optionHelp)
      --json            print one JSON object: run, config, params, tags, metrics_by_epoch
                        ([{epoch, values: {key: value}}]), metrics_without_epoch, layer_stats,
                        reward, artifacts (metadata only); NaN and infinities as null
    """

    /// Runs the subcommand with the words after its name.
    static func run(_ words: [String]) throws {
        let args = try CommandLineArguments(words, options: [RunsDatabase.option], flags: ["json"])
        let id = try RunsDatabase.singleRunID(args, command: "show")
        let store = try RunsDatabase.open(args)
        let details = try RunsRunDetails(id: id, store: store)
        if args.has("json") {
            try RunsJSON.print(json(details))
        } else {
            print(text(details))
        }
    }

    /// The human-readable report.
    static func text(_ d: RunsRunDetails) -> String {
        var sections: [String] = [overview(d.run)]
        sections.append("configuration:\n" + indent(prettyConfig(d.run)))
        if !d.run.tags.isEmpty {
            sections.append("tags:\n" + indent(d.run.tags.sorted { $0.key < $1.key }
                .map { "\($0.key) = \($0.value)" }.joined(separator: "\n")))
        }
        sections.append(rewardText(d))
        sections.append(metricsText(d.metrics))
        if let charts = sparklines(d.metrics) { sections.append(charts) }
        if let layers = layersText(d.layerStats) { sections.append(layers) }
        if !d.artifacts.isEmpty { sections.append(artifactsText(d.artifacts)) }
        return sections.joined(separator: "\n\n")
    }

    /// The run's columns.
    static func overview(_ run: RunRecord) -> String {
        var lines = [
            "run \(run.id)  \(run.name)",
            "  status     \(RunsFormatting.status(run))",
            "  method     \(run.method)",
            "  model      \(run.model)",
            "  dataset    \(run.dataset)",
            "  seed       \(run.seed)",
            "  started    \(RunsFormatting.time(run.startTime))",
        ]
        if let end = run.endTime {
            lines.append("  ended      \(RunsFormatting.time(end)) (after "
                + RunsFormatting.duration(end.timeIntervalSince(run.startTime)) + ")")
        } else {
            lines.append("  heartbeat  \(RunsFormatting.time(run.heartbeatTime))")
        }
        lines.append("  host       \(run.host)")
        lines.append("  lfp        \(run.toolVersion)")
        return lines.joined(separator: "\n")
    }

    /// The configuration JSON, pretty-printed with sorted keys (as stored if it does not parse).
    static func prettyConfig(_ run: RunRecord) -> String {
        let object = RunsJSON.config(run)
        guard !(object is String),
              let data = try? JSONSerialization.data(withJSONObject: object,
                                                     options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return run.configJSON }
        return String(decoding: data, as: UTF8.self)
    }

    /// The reward section.
    static func rewardText(_ d: RunsRunDetails) -> String {
        guard let reward = d.reward else { return "reward: none recorded" }
        let record = reward.record
        let info = RunsRunDetails.info(reward)
        var lines = ["reward: \(record.rewardID) (catalog id \(reward.catalogID))",
                     "  version    \(record.version)",
                     "  hash       \(record.definitionHash)"]
        switch record.source {
        case .program(let command): lines.append("  source     program: \(command.joined(separator: " "))")
        default: lines.append("  source     \(RunsRunDetails.sourceType(record.source))")
        }
        if let name = info?["name"] as? String { lines.append("  name       \(name)") }
        if let summary = info?["summary"] as? String { lines.append("  summary    \(summary)") }
        return lines.joined(separator: "\n")
    }

    /// The per-epoch metric table and the values logged outside epochs.
    static func metricsText(_ metrics: RunsMetricTable) -> String {
        guard !metrics.epochs.isEmpty || !metrics.unattached.isEmpty else { return "metrics: none logged" }
        var parts: [String] = []
        if !metrics.epochs.isEmpty {
            var table = RunsTextTable(header: ["epoch"] + metrics.keys, rightAligned: Set(0...metrics.keys.count))
            for epoch in metrics.epochs {
                table.append([String(epoch)] + metrics.keys.map { key in
                    metrics.values[epoch]?[key].map(RunsFormatting.number) ?? "-"
                })
            }
            parts.append("metrics per epoch:\n" + indent(table.render()))
        }
        if !metrics.unattached.isEmpty {
            var table = RunsTextTable(header: ["key", "step", "value"], rightAligned: [1, 2])
            for record in metrics.unattached {
                table.append([record.key, String(record.step), RunsFormatting.number(record.value)])
            }
            parts.append("metrics outside epochs:\n" + indent(table.render()))
        }
        return parts.joined(separator: "\n\n")
    }

    /// Sparklines of test and train accuracy over the epochs, when logged.
    static func sparklines(_ metrics: RunsMetricTable) -> String? {
        let lines = ["test_accuracy", "train_accuracy"].compactMap { key -> String? in
            guard metrics.keys.contains(key) else { return nil }
            let series = metrics.series(key)
            let finite = series.filter(\.isFinite)
            let range = finite.isEmpty ? "no finite values"
                : "\(RunsFormatting.number(series.first!)) → \(RunsFormatting.number(series.last!))"
                    + "  (min \(RunsFormatting.number(finite.min()!)), max \(RunsFormatting.number(finite.max()!)))"
            return "  " + key.padding(toLength: 15, withPad: " ", startingAt: 0)
                + RunsFormatting.sparkline(series) + "  " + range
        }
        return lines.isEmpty ? nil : "accuracy over epochs:\n" + lines.joined(separator: "\n")
    }

    /// Per-layer statistics of the last epoch, with first → last for Gini and zero fraction.
    static func layersText(_ stats: [EpochLayerStats]) -> String? {
        guard let first = stats.first, let last = stats.last else { return nil }
        var table = RunsTextTable(header: ["layer", "name", "weight gini", "zero fraction", "update sparsity"],
                                  rightAligned: [0, 2, 3, 4])
        func change(_ before: Double?, _ after: Double) -> String {
            guard let before, first.epoch != last.epoch else { return RunsFormatting.number(after) }
            return RunsFormatting.number(before) + " → " + RunsFormatting.number(after)
        }
        for layer in last.layers {
            let start = first.layers.first { $0.layerIndex == layer.layerIndex }
            table.append([String(layer.layerIndex), layer.layerName,
                          change(start?.weightGini, layer.weightGini),
                          change(start?.zeroWeightFraction, layer.zeroWeightFraction),
                          change(start?.updateSparsity, layer.updateSparsity)])
        }
        let span = first.epoch == last.epoch ? "epoch \(last.epoch)" : "epoch \(first.epoch) → \(last.epoch)"
        return "layer statistics (\(span)):\n" + indent(table.render())
    }

    /// The artifact list.
    static func artifactsText(_ artifacts: [ArtifactRecord]) -> String {
        var table = RunsTextTable(header: ["id", "name", "kind", "epoch", "size", "saved"], rightAligned: [0, 3, 4])
        for a in artifacts {
            table.append([String(a.id), a.name, a.kind.rawValue, a.epoch.map(String.init) ?? "-",
                          RunsFormatting.bytes(a.sizeBytes), RunsFormatting.time(a.createdTime)])
        }
        return "artifacts:\n" + indent(table.render())
    }

    /// `text` with every line indented by two spaces.
    static func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }

    /// The JSON document.
    static func json(_ d: RunsRunDetails) -> [String: Any] {
        [
            "run": RunsJSON.run(d.run),
            "config": RunsJSON.config(d.run),
            "params": d.run.params,
            "tags": d.run.tags,
            "metrics_by_epoch": d.metrics.epochs.map { epoch -> [String: Any] in
                ["epoch": epoch, "values": (d.metrics.values[epoch] ?? [:]).mapValues(RunsJSON.number)]
            },
            "metrics_without_epoch": d.metrics.unattached.map { record -> [String: Any] in
                ["key": record.key, "step": record.step, "value": RunsJSON.number(record.value)]
            },
            "final_metrics": d.latest.mapValues { RunsJSON.number($0.value) },
            "layer_stats": d.layerStats.map { epoch -> [String: Any] in
                ["epoch": epoch.epoch, "layers": epoch.layers.map { layer -> [String: Any] in
                    ["index": layer.layerIndex, "name": layer.layerName,
                     "weight_gini": RunsJSON.number(layer.weightGini),
                     "zero_weight_fraction": RunsJSON.number(layer.zeroWeightFraction),
                     "update_sparsity": RunsJSON.number(layer.updateSparsity)]
                }]
            },
            "reward": RunsJSON.optional(d.reward.map(RunsRunDetails.rewardJSON)),
            "artifacts": d.artifacts.map(RunsJSON.artifact),
        ]
    }
}
