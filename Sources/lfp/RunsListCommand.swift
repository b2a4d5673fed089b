import Foundation
import RunLog

/// `lfp runs list`: the runs of the run log as an aligned table (or a JSON array), filtered by
/// params, status, method, dataset and model, and sorted by start time, id or a metric.
enum RunsListCommand {
    /// The text `--help` prints.
    static let help = """
    usage: lfp runs list [options]

    List the runs of the run log, newest first.

    \(RunsDatabase.optionHelp)
      --where KEY=VALUE keep runs whose param KEY is exactly VALUE (repeatable; all must hold)
      --tag KEY=VALUE   keep runs whose tag KEY is exactly VALUE (repeatable)
      --status LIST     keep runs with one of these statuses (comma-separated: running, finished,
                        failed, interrupted; a running run without heartbeat for 60 s is interrupted)
      --method NAME     keep runs trained with this method (lfp, gradient)
      --dataset NAME    keep runs on this dataset
      --model NAME      keep runs of this model
      --sort KEY        start (default), id, or a metric name such as test_accuracy (its latest
                        value; runs without it come last)
      --desc, --asc     largest/newest first (default) or smallest/oldest first
      --limit N         show at most N runs
      --json            print one JSON array: one object per run with its columns, params, tags,
                        epochs_done and final_metrics (latest value of each metric; NaN as null)

    Columns: id, name, status, method, model, dataset, epochs done, final test_accuracy, started.
    """

    /// The options that take a value.
    static let options: Set<String> = [RunsDatabase.option, "status", "method", "dataset", "model", "sort", "limit"]

    /// Runs the subcommand with the words after its name.
    static func run(_ words: [String]) throws {
        let args = try CommandLineArguments(words, options: options, flags: ["json", "desc", "asc"],
                                            repeatable: ["where", "tag"])
        guard args.positionals.isEmpty else {
            throw CLIError.usage("list takes no positional arguments, got '\(args.positionals[0])'")
        }
        let filter = try makeFilter(args)
        let store = try RunsDatabase.open(args)
        let runs = try RunsDatabase.translatingErrors { try store.listRuns(filter: filter) }
        let summaries = try runs.map { run in (run, try finalMetrics(of: run.id, in: store)) }
        if args.has("json") {
            try RunsJSON.print(summaries.map { json($0.0, latest: $0.1) })
        } else if summaries.isEmpty {
            print("no runs in '\(store.path)'\(filter == RunFilter() ? "" : " match the filters")")
        } else {
            print(table(summaries).render())
        }
    }

    /// The `RunFilter` the options describe.
    static func makeFilter(_ args: CommandLineArguments) throws -> RunFilter {
        var filter = RunFilter()
        filter.params = try pairs(args.all("where"), option: "where")
        filter.tags = try pairs(args.all("tag"), option: "tag")
        if let statuses = args.string("status") {
            filter.statuses = Set(try statuses.split(separator: ",").map { word in
                guard let status = RunStatus(rawValue: word.trimmingCharacters(in: .whitespaces)) else {
                    throw CLIError.usage("unknown status '\(word)' for --status (use "
                        + RunStatus.allCases.map(\.rawValue).joined(separator: ", ") + ")")
                }
                return status
            })
        }
        filter.method = args.string("method")
        filter.dataset = args.string("dataset")
        filter.model = args.string("model")
        switch args.string("sort") {
        case nil, "start", "start_time": filter.sortBy = .startTime
        case "id": filter.sortBy = .id
        case let metric?:
            guard !metric.isEmpty else { throw CLIError.usage("--sort needs a key") }
            filter.sortBy = .metric(metric)
        }
        if args.has("asc") && args.has("desc") { throw CLIError.usage("give either --asc or --desc, not both") }
        filter.descending = !args.has("asc")
        filter.limit = try args.int("limit", min: 1)
        return filter
    }

    /// `KEY=VALUE` words as a dictionary; a word without `=` or with an empty key is a usage error.
    static func pairs(_ words: [String], option: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for word in words {
            guard let equals = word.firstIndex(of: "="), equals != word.startIndex else {
                throw CLIError.usage("--\(option) expects KEY=VALUE, got '\(word)'")
            }
            let key = String(word[..<equals])
            let value = String(word[word.index(after: equals)...])
            if let earlier = result[key], earlier != value {
                throw CLIError.usage("--\(option) gives \(key) twice ('\(earlier)' and '\(value)')")
            }
            result[key] = value
        }
        return result
    }

    /// The latest value of each metric of a run (empty if the run vanished meanwhile).
    static func finalMetrics(of id: Int64, in store: RunLogStore) throws -> [String: MetricRecord] {
        do {
            return try store.latestMetrics(runID: id)
        } catch RunLogError.runNotFound {
            return [:]
        } catch let error as RunLogError {
            throw RunsDatabase.cliError(error, writing: false)
        }
    }

    /// The number of epochs with logged metrics: the largest epoch among the latest values.
    static func epochsDone(_ latest: [String: MetricRecord]) -> Int? {
        latest.values.compactMap(\.epoch).max()
    }

    /// The human table.
    static func table(_ summaries: [(RunRecord, [String: MetricRecord])]) -> RunsTextTable {
        var table = RunsTextTable(header: ["id", "name", "status", "method", "model", "dataset", "epochs",
                                           "test_accuracy", "started"], rightAligned: [0, 6, 7])
        for (run, latest) in summaries {
            table.append([String(run.id), run.name, run.status.rawValue, run.method, run.model, run.dataset,
                          epochsDone(latest).map(String.init) ?? "-",
                          latest["test_accuracy"].map { RunsFormatting.number($0.value) } ?? "-",
                          RunsFormatting.time(run.startTime)])
        }
        return table
    }

    /// One run of the JSON array.
    static func json(_ run: RunRecord, latest: [String: MetricRecord]) -> [String: Any] {
        var object = RunsJSON.run(run)
        object["params"] = run.params
        object["tags"] = run.tags
        object["epochs_done"] = RunsJSON.optional(epochsDone(latest))
        object["final_metrics"] = latest.mapValues { RunsJSON.number($0.value) }
        return object
    }
}
