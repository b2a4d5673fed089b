import Foundation

/// The run log: one SQLite file holding runs, their params, tags, metrics, per-layer statistics,
/// artifacts (weights, checkpoints) and the reward catalog. What the trainer writes and the CLI
/// reads.
///
/// The file is in WAL mode with foreign keys on and a busy timeout; every write is one
/// `BEGIN IMMEDIATE` transaction retried while other writers hold the lock, so many processes
/// may write one file at once and a killed process loses no committed write. A store may be
/// shared between threads (calls are serialised); each process opens its own.
///
/// Times are stored as integer milliseconds since the Unix epoch (MLflow's choice). A `running`
/// run whose heartbeat is older than `staleAfter` is shown as `interrupted`.
public final class RunLogStore: @unchecked Sendable {
    /// The file's path.
    public let path: String
    /// Whether the store was opened read-only (every write then throws `RunLogError.readOnly`).
    public let isReadOnly: Bool
    /// How old a running run's heartbeat may be before the run is shown as interrupted.
    public let staleAfter: TimeInterval

    /// The open connection; used only while holding `lock`.
    let connection: Connection
    /// The source of "now" (replaceable in tests).
    let clock: @Sendable () -> Date
    private let lock = NSLock()

    /// Opens the run log at `path`, creating and migrating it unless `readOnly`.
    ///
    /// - Parameters:
    ///   - readOnly: open for reading only; the file must exist and have the current schema.
    ///   - staleAfter: seconds after which a silent running run counts as interrupted (60).
    ///   - busyTimeout: seconds SQLite waits for another writer's lock per attempt (10); a write
    ///     transaction keeps retrying for at least 30 s in all.
    /// - Throws: `RunLogError` — `.cannotOpen` (missing directory, unwritable location),
    ///   `.notADatabase`, `.notARunLog`, `.corrupt`, `.newerSchema`, `.olderSchema` (read-only),
    ///   `.readOnly`. The file is never modified when opening fails.
    public convenience init(path: String, readOnly: Bool = false, staleAfter: TimeInterval = 60,
                            busyTimeout: TimeInterval = 10) throws {
        try self.init(path: path, readOnly: readOnly, staleAfter: staleAfter, busyTimeout: busyTimeout,
                      clock: { Date() })
    }

    /// Opens the run log with an explicit clock.
    init(path: String, readOnly: Bool, staleAfter: TimeInterval, busyTimeout: TimeInterval,
         clock: @escaping @Sendable () -> Date) throws {
        self.path = path
        self.isReadOnly = readOnly
        self.staleAfter = staleAfter
        self.clock = clock
        self.connection = try RunLogOpener.open(path: path, readOnly: readOnly, busyTimeout: busyTimeout)
    }

    /// The schema version of the open file (always the latest after a successful open).
    public var schemaVersion: Int {
        get throws { try withConnection { try Migrations.userVersion(of: $0) } }
    }

    /// The schema version this code writes.
    public static var currentSchemaVersion: Int { Migrations.latestVersion }

    /// Runs `body` with exclusive use of the connection and turns SQLite failures into
    /// `RunLogError`s naming the file.
    func withConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        do {
            return try body(connection)
        } catch let error as SQLiteError {
            throw RunLogError(error, path: path)
        }
    }

    /// Runs `body` in one write transaction (`BEGIN IMMEDIATE`, retried while busy), passing the
    /// current time in milliseconds.
    func write<T>(_ body: (Connection, Int64) throws -> T) throws -> T {
        guard !isReadOnly else {
            throw RunLogError.readOnly(path: path, reason: "the run log was opened read-only")
        }
        return try withConnection { db in
            try db.transaction(.immediate) { try body(db, Timestamp.milliseconds(clock())) }
        }
    }

    /// Runs `body` in one read transaction, so that it sees a single consistent snapshot.
    func read<T>(_ body: (Connection) throws -> T) throws -> T {
        try withConnection { db in try db.transaction(.deferred) { try body(db) } }
    }

    /// Heartbeats older than this many milliseconds since the epoch are stale.
    func staleCutoff() -> Int64 {
        Timestamp.milliseconds(clock().addingTimeInterval(-staleAfter))
    }

    /// The stored status of run `id`; throws `.runNotFound` when there is none.
    func storedStatus(of id: Int64, in db: Connection) throws -> RunStatus {
        guard let text = try db.queryFirst("SELECT status FROM runs WHERE run_id = ?", [.integer(id)], {
            try $0.string(0)
        }) else {
            throw RunLogError.runNotFound(id)
        }
        guard let status = RunStatus(rawValue: text) else {
            throw RunLogError.corrupt(path: path, reason: "run \(id) has unknown status '\(text)'")
        }
        return status
    }

    /// Throws unless run `id` exists and is stored as `running`.
    func requireRunning(_ id: Int64, in db: Connection) throws {
        let status = try storedStatus(of: id, in: db)
        guard status == .running else { throw RunLogError.runNotActive(id: id, status: status) }
    }
}
