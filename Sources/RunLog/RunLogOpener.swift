import Foundation

/// Opens a run-log file without ever damaging what is there: before SQLite writes anything it
/// checks that the file is an SQLite database (by its header), that it is a run log or empty
/// (by `application_id` and its schema), and that its schema version is not newer than this
/// code's; only then does it switch the file to WAL mode and migrate it.
enum RunLogOpener {
    /// What a database says about itself before anything is written.
    struct FileState {
        /// `PRAGMA application_id`.
        var applicationID: Int32
        /// `PRAGMA user_version`.
        var userVersion: Int
        /// The number of tables, indexes, views and triggers in it.
        var schemaObjects: Int64

        /// A database nothing has been written to yet.
        var isEmpty: Bool { applicationID == 0 && userVersion == 0 && schemaObjects == 0 }
    }

    /// The first 16 bytes of every SQLite database file.
    static let sqliteMagic = Data("SQLite format 3\u{0}".utf8)

    /// Opens (and, unless `readOnly`, creates and migrates) the run log at `path`.
    static func open(path: String, readOnly: Bool, busyTimeout: TimeInterval) throws -> Connection {
        try checkFile(at: path, readOnly: readOnly)
        let connection: Connection
        do {
            connection = try Connection(path: path,
                                        flags: readOnly ? [.readOnly, .fullMutex] : [.readWrite, .create, .fullMutex],
                                        busyTimeout: busyTimeout, busyRetryLimit: max(30, 3 * busyTimeout))
        } catch let error as SQLiteError {
            throw RunLogError.cannotOpen(path: path, reason: openFailureReason(error, path: path, readOnly: readOnly))
        }
        do {
            if !readOnly && connection.isReadOnly {
                throw RunLogError.readOnly(path: path, reason: "the file or its directory is not writable")
            }
            try connection.execute("PRAGMA foreign_keys = ON")
            let state = try connection.transaction(.deferred) { try inspect(connection) }
            try validate(state, path: path, readOnly: readOnly)
            if !readOnly {
                try enableWAL(connection, path: path)
                // WAL with NORMAL: a commit reaches the OS before it returns, so a killed process
                // loses no committed epoch; only a power cut can drop the last commits (never
                // corrupting the file), and commits skip an fsync each (see `lfp bench`).
                try connection.execute("PRAGMA synchronous = NORMAL")
                if state.userVersion < Migrations.latestVersion {
                    try Migrations.migrate(connection)
                }
            }
        } catch let error as SQLiteError {
            throw RunLogError(error, path: path)
        }
        return connection
    }

    /// Refuses a directory, a file that does not start with SQLite's header, a missing file
    /// when opening read-only, and a missing parent directory — all before SQLite opens it.
    static func checkFile(at path: String, readOnly: Bool) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            if readOnly {
                throw RunLogError.cannotOpen(path: path, reason: "no such file")
            }
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty && !manager.fileExists(atPath: directory) {
                throw RunLogError.cannotOpen(path: path, reason: "directory '\(directory)' does not exist")
            }
            return
        }
        guard !isDirectory.boolValue else {
            throw RunLogError.cannotOpen(path: path, reason: "it is a directory")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw RunLogError.cannotOpen(path: path, reason: "the file cannot be read")
        }
        defer { try? handle.close() }
        let header: Data
        do {
            header = try handle.read(upToCount: 100) ?? Data()
        } catch {
            throw RunLogError.cannotOpen(path: path, reason: "the file cannot be read: \(error)")
        }
        guard !header.isEmpty else { return }
        guard header.starts(with: sqliteMagic) else {
            throw RunLogError.notADatabase(path: path, reason: "it does not start with the SQLite header")
        }
        guard header.count == 100 else {
            throw RunLogError.corrupt(path: path, reason: "the file is shorter than an SQLite header (\(header.count) bytes)")
        }
    }

    /// Reads the application id, schema version and schema size (the first read, which is where
    /// SQLite reports a damaged file).
    static func inspect(_ connection: Connection) throws -> FileState {
        FileState(applicationID: Int32(truncatingIfNeeded: try connection.scalarInteger("PRAGMA application_id")),
                  userVersion: try Migrations.userVersion(of: connection),
                  schemaObjects: try connection.scalarInteger("SELECT count(*) FROM sqlite_schema"))
    }

    /// Refuses a database of another program, one of a newer schema, and (read-only) one that
    /// would need creating or migrating.
    static func validate(_ state: FileState, path: String, readOnly: Bool) throws {
        if state.applicationID != Schema.applicationID {
            guard state.isEmpty else {
                let id = String(UInt32(bitPattern: state.applicationID), radix: 16)
                throw RunLogError.notARunLog(path: path, reason: "application_id 0x\(id), schema version "
                                             + "\(state.userVersion), \(state.schemaObjects) schema objects")
            }
            if readOnly {
                throw RunLogError.notARunLog(path: path, reason: "the database is empty")
            }
            return
        }
        if state.userVersion > Migrations.latestVersion {
            throw RunLogError.newerSchema(path: path, found: state.userVersion, supported: Migrations.latestVersion)
        }
        if readOnly && state.userVersion < Migrations.latestVersion {
            throw RunLogError.olderSchema(path: path, found: state.userVersion, current: Migrations.latestVersion)
        }
    }

    /// Switches the database to write-ahead logging (kept in the file once set), so that readers
    /// never block the writer and many processes can share the file.
    static func enableWAL(_ connection: Connection, path: String) throws {
        let mode = try connection.retryingBusy {
            try connection.queryFirst("PRAGMA journal_mode = WAL") { try $0.string(0) }
        }
        guard mode?.lowercased() == "wal" else {
            throw RunLogError.cannotOpen(path: path, reason: "the file system does not support WAL journal mode "
                                         + "(journal mode stays '\(mode ?? "unknown")')")
        }
    }

    /// A message for a failed `sqlite3_open_v2`.
    static func openFailureReason(_ error: SQLiteError, path: String, readOnly: Bool) -> String {
        if !readOnly && !FileManager.default.fileExists(atPath: path) {
            return "the file cannot be created here (\(error.message))"
        }
        return error.message
    }
}
