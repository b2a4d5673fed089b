import Foundation
import LFP
import RunLog

/// `lfp runs weights ID --out FILE`: writes a run's final weights — or, for a run that never
/// finished, its latest checkpoint's weights — to a file.
enum RunsWeightsCommand {
    /// The text `--help` prints.
    static let help = """
    usage: lfp runs weights ID --out FILE [--format json|npz] [--force] [options]

    Write the weights of a run: its final 'weights' artifact, or, when it has none (it was
    interrupted or failed), the weights in its latest checkpoint.

    \(RunsDatabase.optionHelp)
      --out FILE        the file to write (required)
      --format FORMAT   json (default):
                          {"format": "lfp-weights", "format_version": 1, "run_id": ID,
                           "source": {"artifact_id", "name", "kind", "epoch"},
                           "spec": the model's layer description (as the trainer stores it),
                           "parameters": {"fc1.weight": {"shape": [out, in], "data": [...]}, ...}}
                        data is row-major (last index fastest) float32; NaN and infinities are
                        the strings "NaN", "Infinity", "-Infinity".
                        npz: a NumPy archive with one float32 array per parameter, named as in
                        JSON (numpy.load(FILE)["fc1.weight"]); it holds no spec.
      --force           replace FILE if it exists (otherwise an existing FILE is exit 73)

    A run with neither weights nor a checkpoint is exit 66.
    """

    /// Runs the subcommand with the words after its name.
    static func run(_ words: [String]) throws {
        let args = try CommandLineArguments(words, options: [RunsDatabase.option, "out", "format"], flags: ["force"])
        let id = try RunsDatabase.singleRunID(args, command: "weights")
        guard let out = args.string("out") else { throw CLIError.usage("weights needs --out FILE") }
        let format = try args.choice("format", from: ["json", "npz"]) ?? "json"
        let store = try RunsDatabase.open(args)
        let found = try RunsDatabase.translatingErrors {
            try store.latestArtifact(runID: id, kind: .weights) ?? store.latestArtifact(runID: id, kind: .checkpoint)
        }
        guard let artifact = found else {
            throw CLIError.noInput("run \(id) has no stored weights or checkpoint")
        }
        let snapshot = try RunsWeightsFile.snapshot(from: artifact)
        let data: Data
        if format == "npz" {
            data = try RunsNPZWriter.archive(snapshot.parameters.mapValues { ($0.shape, $0.scalars) })
        } else {
            data = try RunsWeightsFile(runID: id, artifact: artifact.record, snapshot: snapshot).encoded()
        }
        try RunsOutputFile.write(data, to: out, force: args.has("force"))
        let source = artifact.record.kind == .checkpoint
            ? "checkpoint '\(artifact.record.name)'" : "final weights"
        printError("wrote \(snapshot.parameters.count) parameters (\(snapshot.parameters.values.map(\.count).reduce(0, +)) "
            + "values) of run \(id) from its \(source) to \(out)")
    }
}
