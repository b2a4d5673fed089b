import Foundation
import RunLog

/// `lfp runs export ID… --format csv|json`: the metrics of runs in long format (one row per
/// logged value), for pandas, R or a spreadsheet.
enum RunsExportCommand {
    /// The text `--help` prints.
    static let help = """
    usage: lfp runs export ID... [--format csv|json] [--out FILE] [options]

    Export the metrics of one or more runs in long format: one row per logged value with
    run_id, key, step, epoch, value (runs in the order given, then by key and step).

    \(RunsDatabase.optionHelp)
      --format FORMAT   csv (default): a header line, then rows; epoch is empty when a value
                        belongs to no epoch; NaN is written as NaN and infinities as inf/-inf
                        (pandas reads all three as floats).
                        json: one JSON array of objects {run_id, key, step, epoch, value, is_nan};
                        epoch is null outside epochs; a NaN or infinite value is null, with
                        value_text "NaN", "Infinity" or "-Infinity" saying which.
      --key KEY         export only this metric (repeatable)
      --out FILE        write to FILE instead of standard output
      --force           replace FILE if it exists (otherwise an existing FILE is exit 73)
    """

    /// Runs the subcommand with the words after its name.
    static func run(_ words: [String]) throws {
        let args = try CommandLineArguments(words, options: [RunsDatabase.option, "format", "out"], flags: ["force"],
                                            repeatable: ["key"])
        let ids = try RunsDatabase.runIDs(args.positionals)
        guard !ids.isEmpty else { throw CLIError.usage("export needs at least one run id") }
        let format = try args.choice("format", from: ["csv", "json"]) ?? "csv"
        let keys = Set(args.all("key"))
        let store = try RunsDatabase.open(args)
        let rows = try RunsDatabase.translatingErrors {
            try ids.flatMap { id in
                try store.metrics(runID: id).filter { keys.isEmpty || keys.contains($0.key) }.map { (id, $0) }
            }
        }
        let data = format == "csv" ? Data(csv(rows).utf8) : try RunsJSON.data(rows.map(json)) + Data("\n".utf8)
        try RunsOutputFile.write(data, to: args.string("out"), force: args.has("force"))
    }

    /// The CSV text, header first, each line ending in a newline.
    static func csv(_ rows: [(Int64, MetricRecord)]) -> String {
        var text = "run_id,key,step,epoch,value\n"
        for (id, record) in rows {
            text += "\(id),\(csvField(record.key)),\(record.step),\(record.epoch.map(String.init) ?? ""),"
                + csvNumber(record.value) + "\n"
        }
        return text
    }

    /// A value as CSV: the shortest text that reads back exactly, or NaN / inf / -inf.
    static func csvNumber(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return String(value)
    }

    /// A text field, quoted (with doubled quotes) when it holds a comma, quote or line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One row of the JSON array.
    static func json(_ row: (Int64, MetricRecord)) -> [String: Any] {
        let (id, record) = row
        var object: [String: Any] = ["run_id": id, "key": record.key, "step": record.step,
                                     "epoch": RunsJSON.optional(record.epoch), "value": RunsJSON.number(record.value),
                                     "is_nan": record.value.isNaN]
        if record.value.isNaN {
            object["value_text"] = "NaN"
        } else if record.value.isInfinite {
            object["value_text"] = record.value > 0 ? "Infinity" : "-Infinity"
        }
        return object
    }
}
