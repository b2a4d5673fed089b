import Foundation
import RunLog

/// `lfp runs delete ID…`: removes runs with their params, tags, metrics, layer statistics and
/// artifacts, after confirmation.
enum RunsDeleteCommand {
    /// The text `--help` prints.
    static let help = """
    usage: lfp runs delete ID... [--yes] [options]

    Delete runs with their params, tags, metrics, layer statistics and artifacts (reward catalog
    rows stay). Every id is checked before anything is deleted. Run ids are never reused.

    \(RunsDatabase.optionHelp)
      --yes             delete without asking; without it lfp asks on the terminal, and refuses
                        (exit 64) when standard input is not a terminal
      --force           also delete runs that are still running (a fresh heartbeat)

    Exit codes: 66 no such run log or run id, 73 the run log cannot be written.
    """

    /// Runs the subcommand with the words after its name.
    static func run(_ words: [String]) throws {
        let args = try CommandLineArguments(words, options: [RunsDatabase.option], flags: ["yes", "force"])
        let ids = try RunsDatabase.runIDs(args.positionals)
        guard !ids.isEmpty else { throw CLIError.usage("delete needs at least one run id") }
        let unique = ids.reduce(into: [Int64]()) { if !$0.contains($1) { $0.append($1) } }
        let reader = try RunsDatabase.open(args)
        let runs = try RunsDatabase.translatingErrors { try unique.map { try reader.run(id: $0) } }
        if !args.has("force"), let active = runs.first(where: { $0.status == .running }) {
            throw CLIError.usage("run \(active.id) is still running (heartbeat "
                + "\(RunsFormatting.time(active.heartbeatTime))); stop it first or pass --force")
        }
        if !args.has("yes") {
            guard isatty(STDIN_FILENO) != 0 else {
                throw CLIError.usage("refusing to delete without --yes when standard input is not a terminal")
            }
            guard confirm(runs) else {
                printError("nothing deleted")
                return
            }
        }
        let writer = try RunsDatabase.open(args, forWriting: true)
        try RunsDatabase.translatingErrors(writing: true) {
            for run in runs { try writer.deleteRun(id: run.id) }
        }
        printError("deleted \(runs.count == 1 ? "run" : "runs") \(runs.map { String($0.id) }.joined(separator: ", "))")
    }

    /// Asks on the terminal whether to delete `runs`; true only for an answer starting with y.
    static func confirm(_ runs: [RunRecord]) -> Bool {
        for run in runs {
            printError("  run \(run.id)  \(run.name)  \(run.status.rawValue)  \(run.method) \(run.model) "
                + "on \(run.dataset), started \(RunsFormatting.time(run.startTime))")
        }
        FileHandle.standardError.write(Data("delete \(runs.count == 1 ? "this run" : "these \(runs.count) runs")? [y/N] ".utf8))
        guard let answer = readLine(strippingNewline: true) else { return false }
        return answer.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("y")
    }
}
