import Foundation
import RunLog

/// `lfp runs compare ID ID…`: runs side by side — their columns, the params that differ (and how
/// many are equal), the final value of each metric and the best epoch by test accuracy.
enum RunsCompareCommand {
    /// The text `--help` prints.
    static let help = """
    usage: lfp runs compare ID ID... [options]

    Compare two or more runs side by side: method, model, dataset, seed and status; the params
    whose values differ (a param a run lacks shows as '-') and the number of equal ones; the
    final (latest) value of every metric; and the best epoch by test_accuracy with its value.

    \(RunsDatabase.optionHelp)
      --json            print one JSON object: runs (ids and columns), differing_params
                        ({key: [value or null per run]}), equal_params ({key: value}),
                        equal_param_count, final_metrics ({key: [value or null per run]}),
                        best_test_accuracy ([{epoch, value} or null per run]); NaN as null
    """

    /// Runs the subcommand with the words after its name.
    static func run(_ words: [String]) throws {
        let args = try CommandLineArguments(words, options: [RunsDatabase.option], flags: ["json"])
        let ids = try RunsDatabase.runIDs(args.positionals)
        guard ids.count >= 2 else { throw CLIError.usage("compare needs at least two run ids") }
        guard Set(ids).count == ids.count else { throw CLIError.usage("compare got a run id twice") }
        let store = try RunsDatabase.open(args)
        let runs = try ids.map { try RunsRunDetails(id: $0, store: store) }
        let comparison = Comparison(runs)
        if args.has("json") {
            try RunsJSON.print(comparison.json())
        } else {
            print(comparison.text())
        }
    }

    /// The computed comparison.
    struct Comparison {
        /// The runs, in the order given.
        let runs: [RunsRunDetails]
        /// Param keys whose values are not the same in every run (missing counts as different).
        let differing: [String]
        /// Params with the same value in every run.
        let equal: [String: String]
        /// Every metric key any run has, in display order.
        let metricKeys: [String]

        /// Compares `runs`.
        init(_ runs: [RunsRunDetails]) {
            self.runs = runs
            let keys = Set(runs.flatMap { $0.run.params.keys })
            var differing: [String] = []
            var equal: [String: String] = [:]
            for key in keys.sorted() {
                let values = runs.map { $0.run.params[key] }
                if let first = values[0], values.allSatisfy({ $0 == first }) {
                    equal[key] = first
                } else {
                    differing.append(key)
                }
            }
            self.differing = differing
            self.equal = equal
            self.metricKeys = RunsMetricTable.ordered(Set(runs.flatMap { $0.latest.keys }))
        }

        /// The side-by-side text.
        func text() -> String {
            let header = [""] + runs.map { "run \($0.run.id)" }
            var top = RunsTextTable(header: header)
            let fields: [(String, (RunRecord) -> String)] = [
                ("name", \.name), ("status", { $0.status.rawValue }), ("method", \.method), ("model", \.model),
                ("dataset", \.dataset), ("seed", { String($0.seed) }),
                ("started", { RunsFormatting.time($0.startTime) }),
            ]
            for (title, value) in fields { top.append([title] + runs.map { value($0.run) }) }
            var sections = [top.render()]

            if differing.isEmpty {
                sections.append("params: all \(equal.count) equal")
            } else {
                var params = RunsTextTable(header: ["param"] + runs.map { "run \($0.run.id)" })
                for key in differing { params.append([key] + runs.map { $0.run.params[key] ?? "-" }) }
                sections.append("params that differ (\(differing.count); \(equal.count) equal):\n"
                    + RunsShowCommand.indent(params.render()))
            }

            let numeric = Set(1...runs.count)
            if !metricKeys.isEmpty {
                var metrics = RunsTextTable(header: ["final metric"] + runs.map { "run \($0.run.id)" },
                                            rightAligned: numeric)
                for key in metricKeys {
                    metrics.append([key] + runs.map { $0.latest[key].map { RunsFormatting.number($0.value) } ?? "-" })
                }
                sections.append(metrics.render())
            }

            var best = RunsTextTable(header: ["best test_accuracy"] + runs.map { "run \($0.run.id)" },
                                     rightAligned: numeric)
            let bests = runs.map { $0.metrics.best("test_accuracy") }
            best.append(["value"] + bests.map { $0.map { RunsFormatting.number($0.value) } ?? "-" })
            best.append(["epoch"] + bests.map { $0.map { String($0.epoch) } ?? "-" })
            sections.append(best.render())
            return sections.joined(separator: "\n\n")
        }

        /// The JSON document.
        func json() -> [String: Any] {
            [
                "runs": runs.map { RunsJSON.run($0.run) },
                "differing_params": Dictionary(uniqueKeysWithValues: differing.map { key in
                    (key, runs.map { RunsJSON.optional($0.run.params[key]) })
                }),
                "equal_params": equal,
                "equal_param_count": equal.count,
                "final_metrics": Dictionary(uniqueKeysWithValues: metricKeys.map { key in
                    (key, runs.map { $0.latest[key].map { RunsJSON.number($0.value) } ?? NSNull() })
                }),
                "best_test_accuracy": runs.map { details -> Any in
                    guard let best = details.metrics.best("test_accuracy") else { return NSNull() }
                    return ["epoch": best.epoch, "value": best.value] as [String: Any]
                },
            ]
        }
    }
}
