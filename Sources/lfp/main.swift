import Foundation

/// A subcommand of `lfp`: its name, one line for the overview, and its entry point.
struct Subcommand {
    let name: String
    let summary: String
    let run: ([String]) throws -> Void
}

let subcommands: [Subcommand] = [
    Subcommand(name: "train", summary: "train a model with LFP or the gradient baseline", run: TrainCommand.run),
    Subcommand(name: "bench", summary: "time LFP and gradient steps against bare sgemm", run: BenchCommand.run),
    Subcommand(name: "rewards", summary: "list and explain the reward catalog", run: RewardsCommand.run),
    Subcommand(name: "runs", summary: "list, show, compare, export and delete logged runs", run: RunsCommand.run),
]

let toolUsage = """
usage: lfp <command> [options]

LFP for Swift: train neural networks with Layer-wise Feedback Propagation.

commands:
\(subcommands.map { "  " + $0.name.padding(toLength: 9, withPad: " ", startingAt: 0) + $0.summary }.joined(separator: "\n"))

Run 'lfp <command> --help' for a command's options.
"""

let words = Array(CommandLine.arguments.dropFirst())
guard let first = words.first else {
    printError(toolUsage)
    exit(64)
}
if first == "--help" || first == "-h" || first == "help" {
    print(toolUsage)
    exit(0)
}
if first == "--version" {
    print(ToolVersion.current)
    exit(0)
}
guard let command = subcommands.first(where: { $0.name == first }) else {
    printError("lfp: unknown command '\(first)'\n\n\(toolUsage)")
    exit(64)
}
do {
    try command.run(Array(words.dropFirst()))
} catch let error as CLIError {
    printError("lfp \(command.name): \(error.description)")
    exit(error.exitCode)
} catch {
    printError("lfp \(command.name): \(error)")
    exit(70)
}
