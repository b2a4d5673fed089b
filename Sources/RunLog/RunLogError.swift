import CSQLite

/// Why the run log refused or failed an operation. Every case carries enough to print a clear
/// message (`description`); none of them is raised after the file was changed by a failed open.
public enum RunLogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file or its directory cannot be opened or created (missing directory, a read-only
    /// location, a directory where a file was expected, no such file when opening read-only).
    case cannotOpen(path: String, reason: String)
    /// The file exists but is not an SQLite database.
    case notADatabase(path: String, reason: String)
    /// The file is an SQLite database written by some other program, not a run log.
    case notARunLog(path: String, reason: String)
    /// The database is damaged (truncated, overwritten pages).
    case corrupt(path: String, reason: String)
    /// The database was written by a newer version of this tool (its schema version is above
    /// the one this code knows), so it is neither read nor migrated.
    case newerSchema(path: String, found: Int, supported: Int)
    /// The database has an older schema and was opened read-only, so it cannot be migrated.
    case olderSchema(path: String, found: Int, current: Int)
    /// A write was attempted on a database opened read-only or stored where it cannot be written.
    case readOnly(path: String, reason: String)
    /// Other writers held the database locked for longer than the store was willing to wait.
    case busy(path: String, reason: String)
    /// No run has this id.
    case runNotFound(Int64)
    /// No reward catalog row has this id.
    case rewardNotFound(Int64)
    /// No artifact has this id.
    case artifactNotFound(Int64)
    /// The run has ended (finished or failed), so it takes no more epochs or heartbeats.
    case runNotActive(id: Int64, status: RunStatus)
    /// The run cannot be resumed (it finished, or another process is still writing it).
    case cannotResume(id: Int64, reason: String)
    /// An argument is invalid (malformed JSON, an empty name, an impossible status change).
    case invalidInput(String)
    /// Any other SQLite failure, with SQLite's code and message.
    case sqlite(path: String, SQLiteError)

    /// A sentence naming the file or id and what is wrong.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open run log '\(path)': \(reason)"
        case .notADatabase(let path, let reason):
            return "'\(path)' is not an SQLite database (\(reason)); it was left untouched"
        case .notARunLog(let path, let reason):
            return "'\(path)' is an SQLite database but not an LFP run log (\(reason)); it was left untouched"
        case .corrupt(let path, let reason):
            return "run log '\(path)' is corrupt (\(reason)); it was left untouched — restore it from a backup"
        case .newerSchema(let path, let found, let supported):
            return "run log '\(path)' has schema version \(found), newer than this tool's \(supported); "
                + "upgrade the tool to read it (the file was left untouched)"
        case .olderSchema(let path, let found, let current):
            return "run log '\(path)' has schema version \(found) but this tool reads version \(current); "
                + "open it once for writing to migrate it"
        case .readOnly(let path, let reason):
            return "run log '\(path)' cannot be written: \(reason)"
        case .busy(let path, let reason):
            return "run log '\(path)' stayed locked by other writers: \(reason)"
        case .runNotFound(let id):
            return "no run with id \(id)"
        case .rewardNotFound(let id):
            return "no reward catalog entry with id \(id)"
        case .artifactNotFound(let id):
            return "no artifact with id \(id)"
        case .runNotActive(let id, let status):
            return "run \(id) is \(status.rawValue) and takes no more writes"
        case .cannotResume(let id, let reason):
            return "run \(id) cannot be resumed: \(reason)"
        case .invalidInput(let message):
            return "invalid input: \(message)"
        case .sqlite(let path, let error):
            return "run log '\(path)': \(error)"
        }
    }

    /// Classifies an SQLite failure on the file at `path`.
    init(_ error: SQLiteError, path: String) {
        switch error.code {
        case SQLITE_NOTADB: self = .notADatabase(path: path, reason: error.message)
        case SQLITE_CORRUPT: self = .corrupt(path: path, reason: error.message)
        case SQLITE_READONLY: self = .readOnly(path: path, reason: error.message)
        case SQLITE_CANTOPEN: self = .cannotOpen(path: path, reason: error.message)
        case SQLITE_BUSY, SQLITE_LOCKED: self = .busy(path: path, reason: error.message)
        default: self = .sqlite(path: path, error)
        }
    }
}
