import Foundation

/// `lfp runs`: reads the SQLite run log that `lfp train` writes — lists, shows, compares and
/// exports runs, extracts a run's weights and deletes runs. Each subcommand lives in its own
/// `Runs*Command` type; this one only dispatches and prints the overview.
enum RunsCommand {
    /// One `lfp runs` subcommand: its name, one line for the overview, its help and entry point.
    struct Action: Sendable {
        /// The word after `lfp runs`.
        let name: String
        /// One line for the overview.
        let summary: String
        /// Its `--help` text.
        let help: String
        /// Its entry point, given the words after its name.
        let run: @Sendable ([String]) throws -> Void
    }

    /// The subcommands, in the order the overview shows them.
    static let actions: [Action] = [
        Action(name: "list", summary: "list runs, filtered and sorted", help: RunsListCommand.help,
               run: RunsListCommand.run),
        Action(name: "show", summary: "one run: config, reward, metrics per epoch, layer statistics",
               help: RunsShowCommand.help, run: RunsShowCommand.run),
        Action(name: "compare", summary: "runs side by side: differing params, final and best metrics",
               help: RunsCompareCommand.help, run: RunsCompareCommand.run),
        Action(name: "export", summary: "metrics of runs in long format as CSV or JSON",
               help: RunsExportCommand.help, run: RunsExportCommand.run),
        Action(name: "weights", summary: "write a run's final weights (or latest checkpoint) to a file",
               help: RunsWeightsCommand.help, run: RunsWeightsCommand.run),
        Action(name: "delete", summary: "delete runs with their metrics and artifacts",
               help: RunsDeleteCommand.help, run: RunsDeleteCommand.run),
    ]

    /// The overview printed by `lfp runs --help`.
    static var help: String {
        """
        usage: lfp runs <list|show|compare|export|weights|delete> [options]

        Read the run log (SQLite) that 'lfp train' writes.

        subcommands:
        \(actions.map { "  " + $0.name.padding(toLength: 9, withPad: " ", startingAt: 0) + $0.summary }
            .joined(separator: "\n"))

        \(RunsDatabase.optionHelp)

        Exit codes: 0 ok, 64 bad arguments (or delete without --yes and no terminal), 65 the file is
        not a run log / is damaged / has a newer schema / holds unreadable artifacts, 66 no such
        run log or no such run id, 70 other failures, 73 an output (or the run log, for delete)
        cannot be written.
        Run 'lfp runs <subcommand> --help' for its options.
        """
    }

    /// Runs `lfp runs` with the words after `runs`.
    static func run(_ words: [String]) throws {
        guard let first = words.first else {
            throw CLIError.usage("missing subcommand\n\n\(help)")
        }
        if first == "--help" || first == "-h" || first == "help" {
            print(help)
            return
        }
        guard let action = actions.first(where: { $0.name == first }) else {
            throw CLIError.usage("unknown subcommand '\(first)' (use \(actions.map(\.name).joined(separator: ", ")))")
        }
        let rest = Array(words.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            print(action.help)
            return
        }
        try action.run(rest)
    }
}
