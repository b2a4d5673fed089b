import Foundation
import LFP

/// A failure the command line reports with a message and a sysexits-style exit code.
enum CLIError: Error, CustomStringConvertible {
    /// Bad arguments (exit 64).
    case usage(String)
    /// Input data that is malformed (exit 65).
    case data(String)
    /// An input file that does not exist or cannot be opened (exit 66).
    case noInput(String)
    /// Anything that failed while running (exit 70).
    case software(String)
    /// Cannot create or write an output (exit 73).
    case cannotCreate(String)
    /// The run was interrupted by a signal (exit 130).
    case interrupted(String)

    var exitCode: Int32 {
        switch self {
        case .usage: return 64
        case .data: return 65
        case .noInput: return 66
        case .software: return 70
        case .cannotCreate: return 73
        case .interrupted: return 130
        }
    }

    var description: String {
        switch self {
        case .usage(let m), .data(let m), .noInput(let m), .software(let m), .cannotCreate(let m),
             .interrupted(let m):
            return m
        }
    }
}

extension CLIError {
    /// A failure inside training, with a hint when the model's outputs stopped being finite
    /// (divergence, almost always a learning rate that is too large).
    static func trainingFailed(epoch: Int, _ error: Error) -> CLIError {
        var message = "training failed in epoch \(epoch): \(error)"
        if case RewardError.nonFinite(_, let detail)? = error as? RewardError, detail.hasPrefix("outputs") {
            message += " (the model diverged; try a smaller --lr)"
        }
        return .software(message)
    }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
