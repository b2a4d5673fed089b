import Foundation

extension RunLogStore {
    /// Records a new run as `running`, with its start time and first heartbeat set to now, and
    /// its params and tags, in one transaction. Returns the run id.
    ///
    /// - Throws: `.invalidInput` for an empty name or method or a config that is not JSON;
    ///   `.rewardNotFound` when `rewardCatalogID` names no catalog row.
    public func startRun(_ run: NewRun) throws -> Int64 {
        guard !run.name.isEmpty else { throw RunLogError.invalidInput("a run needs a name") }
        guard !run.method.isEmpty else { throw RunLogError.invalidInput("a run needs a method") }
        try JSONValidation.require(run.configJSON, field: "the run's configJSON")
        for key in run.params.keys where key.isEmpty { throw RunLogError.invalidInput("empty param key") }
        for key in run.tags.keys where key.isEmpty { throw RunLogError.invalidInput("empty tag key") }
        return try write { db, now in
            if let rewardID = run.rewardCatalogID {
                let exists = try db.scalarInteger(
                    "SELECT count(*) FROM reward_catalog WHERE reward_catalog_id = ?", [.integer(rewardID)])
                guard exists > 0 else { throw RunLogError.rewardNotFound(rewardID) }
            }
            try db.execute("""
                INSERT INTO runs (name, status, method, model, dataset, seed, config_json, reward_catalog_id,
                                  tool_version, host, start_time, end_time, heartbeat_time)
                VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)
                """,
                [.text(run.name), .text(run.method), .text(run.model), .text(run.dataset),
                 .integer(Int64(bitPattern: run.seed)), .text(run.configJSON), .integer(run.rewardCatalogID),
                 .text(run.toolVersion), .text(run.host), .integer(now), .integer(now)])
            let id = db.lastInsertRowID
            try insertPairs(run.params, into: .params, runID: id, in: db)
            try insertPairs(run.tags, into: .tags, runID: id, in: db)
            return id
        }
    }

    /// Sets (or replaces) a tag of run `runID`; allowed whatever the run's status.
    public func setTag(runID: Int64, key: String, value: String) throws {
        guard !key.isEmpty else { throw RunLogError.invalidInput("empty tag key") }
        try write { db, _ in
            _ = try storedStatus(of: runID, in: db)
            try insertPairs([key: value], into: .tags, runID: runID, in: db)
        }
    }

    /// Records that run `runID`'s process is alive now. Call it more often than `staleAfter`
    /// during long epochs (`startHeartbeat` does so from a background timer).
    ///
    /// - Throws: `.runNotFound`; `.runNotActive` unless the run is stored as running.
    public func heartbeat(runID: Int64) throws {
        try write { db, now in
            try requireRunning(runID, in: db)
            try db.execute("UPDATE runs SET heartbeat_time = ? WHERE run_id = ?", [.integer(now), .integer(runID)])
        }
    }

    /// Ends run `runID` with `status` (finished, failed or interrupted) and the end time now; when
    /// `finalWeights` is given it is saved as the `weights` artifact in the same transaction.
    ///
    /// - Throws: `.invalidInput` for `status == .running`; `.runNotFound`; `.runNotActive` when
    ///   the run has already ended.
    public func finishRun(runID: Int64, status: RunStatus, finalWeights: Data? = nil) throws {
        guard status != .running else {
            throw RunLogError.invalidInput("finishRun needs an end status, not running")
        }
        try write { db, now in
            try requireRunning(runID, in: db)
            try db.execute("UPDATE runs SET status = ?, end_time = ?, heartbeat_time = ? WHERE run_id = ?",
                           [.text(status.rawValue), .integer(now), .integer(now), .integer(runID)])
            if let finalWeights {
                try upsertArtifact(runID: runID, name: "weights", kind: .weights, epoch: nil, data: finalWeights,
                                   now: now, in: db)
            }
        }
    }

    /// Marks run `runID` as interrupted (e.g. on SIGINT) with the end time now. Does nothing
    /// when it already is interrupted.
    ///
    /// - Throws: `.runNotFound`; `.runNotActive` when it finished or failed.
    public func markInterrupted(runID: Int64) throws {
        try write { db, now in
            let status = try storedStatus(of: runID, in: db)
            switch status {
            case .interrupted:
                return
            case .finished, .failed:
                throw RunLogError.runNotActive(id: runID, status: status)
            case .running:
                try db.execute("UPDATE runs SET status = 'interrupted', end_time = ? WHERE run_id = ?",
                               [.integer(now), .integer(runID)])
            }
        }
    }

    /// Stores `interrupted` for every running run whose heartbeat is stale, with its last
    /// heartbeat as end time, so that readers of the raw table see it too. Returns their ids.
    @discardableResult
    public func markStaleRunsInterrupted() throws -> [Int64] {
        let cutoff = staleCutoff()
        return try write { db, _ in
            let ids = try db.query("SELECT run_id FROM runs WHERE status = 'running' AND heartbeat_time < ? "
                                   + "ORDER BY run_id", [.integer(cutoff)]) { try $0.int64(0) }
            try db.execute("UPDATE runs SET status = 'interrupted', end_time = heartbeat_time "
                           + "WHERE status = 'running' AND heartbeat_time < ?", [.integer(cutoff)])
            return ids
        }
    }

    /// Reopens run `runID` so that training continues under the same id: its status becomes
    /// running again, its end time is cleared and its heartbeat set to now. Returns the run with
    /// the last committed epoch and step and its latest checkpoint (with bytes), from which the
    /// trainer resumes; later `logEpoch` calls append to the same run.
    ///
    /// - Throws: `.runNotFound`; `.cannotResume` when the run finished, or is running with a
    ///   fresh heartbeat and its process is alive (another process is still writing it).
    public func resumeRun(runID: Int64) throws -> ResumePoint {
        let cutoff = staleCutoff()
        return try write { db, now in
            let status = try storedStatus(of: runID, in: db)
            if status == .finished {
                throw RunLogError.cannotResume(id: runID, reason: "it finished")
            }
            if status == .running,
               let current = try fetchRuns(RunQuery(runID: runID), cutoff: cutoff, in: db).first,
               current.status == .running {
                let seconds = max(0, now - Int64(current.heartbeatTime.timeIntervalSince1970 * 1000)) / 1000
                throw RunLogError.cannotResume(
                    id: runID, reason: "it is still running (last heartbeat \(seconds) s ago)")
            }
            try db.execute("UPDATE runs SET status = 'running', end_time = NULL, heartbeat_time = ? WHERE run_id = ?",
                           [.integer(now), .integer(runID)])
            let lastEpoch = try db.queryFirst("""
                SELECT max(e) FROM (SELECT max(epoch) AS e FROM metrics WHERE run_id = ?1
                                    UNION ALL SELECT max(epoch) FROM layer_stats WHERE run_id = ?1
                                    UNION ALL SELECT max(epoch) FROM artifacts WHERE run_id = ?1 AND kind = ?2)
                """, [.integer(runID), .text(ArtifactKind.checkpoint.rawValue)]) { try $0.optionalInt64(0) } ?? nil
            let lastStep = try db.queryFirst("SELECT max(step) FROM metrics WHERE run_id = ?",
                                             [.integer(runID)]) { try $0.optionalInt64(0) } ?? nil
            guard let run = try fetchRuns(RunQuery(runID: runID), cutoff: cutoff, in: db).first else {
                throw RunLogError.runNotFound(runID)
            }
            let checkpoint = try latestArtifact(runID: runID, kind: .checkpoint, in: db)
            return ResumePoint(run: run, lastEpoch: lastEpoch.map { Int($0) }, lastStep: lastStep.map { Int($0) },
                               checkpoint: checkpoint)
        }
    }

    /// Deletes run `runID` with its params, tags, metrics, layer statistics and artifacts (the
    /// reward catalog row stays).
    ///
    /// - Throws: `.runNotFound`.
    public func deleteRun(id runID: Int64) throws {
        try write { db, _ in
            try db.execute("DELETE FROM runs WHERE run_id = ?", [.integer(runID)])
            guard db.changes > 0 else { throw RunLogError.runNotFound(runID) }
        }
    }

    /// The two key/value tables of a run.
    enum PairTable: String {
        /// `params`.
        case params
        /// `tags`.
        case tags
    }

    /// Inserts or replaces key/value rows of `params` or `tags` for one run.
    func insertPairs(_ pairs: [String: String], into table: PairTable, runID: Int64, in db: Connection) throws {
        guard !pairs.isEmpty else { return }
        let statement = try db.prepare("""
            INSERT INTO \(table.rawValue) (run_id, key, value) VALUES (?, ?, ?)
            ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value
            """)
        for (key, value) in pairs.sorted(by: { $0.key < $1.key }) {
            try statement.run([.integer(runID), .text(key), .text(value)])
        }
    }
}
