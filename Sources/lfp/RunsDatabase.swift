import Foundation
import RunLog

/// Finds and opens the run log for `lfp runs`, and turns the run log's errors into `CLIError`s
/// with sysexits-style codes.
///
/// The file is `--db PATH`, else `$LFP_DB`, else `runs.sqlite` in the working directory. Reading
/// subcommands open it read-only and never create it; `delete` opens it for writing but also
/// requires it to exist.
enum RunsDatabase {
    /// The name of the option that picks the file.
    static let option = "db"

    /// The help lines describing `--db`.
    static let optionHelp = """
      --db PATH         the run log (default: $LFP_DB, else runs.sqlite in the working directory)
    """

    /// The path named by `--db`, `$LFP_DB` or the default.
    static func path(_ args: CommandLineArguments,
                     environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let given = args.string(option) {
            guard !given.isEmpty else { throw CLIError.usage("--db needs a non-empty path") }
            return given
        }
        if let fromEnvironment = environment["LFP_DB"], !fromEnvironment.isEmpty { return fromEnvironment }
        return "runs.sqlite"
    }

    /// Opens the chosen run log; it must already exist (a missing file is exit 66 and is not
    /// created).
    static func open(_ args: CommandLineArguments, forWriting: Bool = false) throws -> RunLogStore {
        let path = try path(args)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CLIError.noInput("no run log at '\(path)' (give --db PATH or set LFP_DB; 'lfp train' creates it)")
        }
        guard !isDirectory.boolValue else {
            throw CLIError.noInput("'\(path)' is a directory, not a run log")
        }
        return try translatingErrors(writing: forWriting) {
            try RunLogStore(path: path, readOnly: !forWriting)
        }
    }

    /// Runs `body`, turning a `RunLogError` into the matching `CLIError`.
    static func translatingErrors<T>(writing: Bool = false, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as RunLogError {
            throw cliError(error, writing: writing)
        }
    }

    /// The `CLIError` (and so the exit code) for a run log failure:
    /// damaged, foreign or too-new files → 65; a missing file or run id → 66; a location that
    /// cannot be written (for `delete`) → 73; bad input → 64; anything else → 70.
    static func cliError(_ error: RunLogError, writing: Bool) -> CLIError {
        let message = error.description
        switch error {
        case .notADatabase, .notARunLog, .corrupt, .newerSchema, .olderSchema, .rewardNotFound, .artifactNotFound:
            return .data(message)
        case .cannotOpen:
            return writing ? .cannotCreate(message) : .noInput(message)
        case .runNotFound:
            return .noInput(message)
        case .readOnly:
            return .cannotCreate(message)
        case .invalidInput:
            return .usage(message)
        case .busy, .runNotActive, .cannotResume, .sqlite:
            return .software(message)
        }
    }

    /// Parses run ids given as positional words; a word that is not a positive integer is a
    /// usage error.
    static func runIDs(_ words: [String]) throws -> [Int64] {
        try words.map { word in
            guard let id = Int64(word), id > 0 else {
                throw CLIError.usage("'\(word)' is not a run id (run ids are positive integers; see 'lfp runs list')")
            }
            return id
        }
    }

    /// The one run id a subcommand takes.
    static func singleRunID(_ args: CommandLineArguments, command: String) throws -> Int64 {
        guard args.positionals.count == 1 else {
            throw CLIError.usage(args.positionals.isEmpty
                ? "missing run id (usage: lfp runs \(command) ID; see 'lfp runs list')"
                : "\(command) takes one run id, got \(args.positionals.count)")
        }
        return try runIDs(args.positionals)[0]
    }
}
