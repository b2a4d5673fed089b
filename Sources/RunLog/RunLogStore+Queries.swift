import Foundation

extension RunLogStore {
    /// Run `id` with its params and tags; its status is `interrupted` when it is stored as running
    /// but its heartbeat is older than `staleAfter`.
    ///
    /// - Throws: `.runNotFound`.
    public func run(id: Int64) throws -> RunRecord {
        let cutoff = staleCutoff()
        return try read { db in
            guard let run = try fetchRuns(RunQuery(runID: id), cutoff: cutoff, in: db).first else {
                throw RunLogError.runNotFound(id)
            }
            return run
        }
    }

    /// The runs `filter` keeps, in its order, with params and tags.
    public func listRuns(filter: RunFilter = RunFilter()) throws -> [RunRecord] {
        let cutoff = staleCutoff()
        return try read { db in try fetchRuns(RunQuery(filter: filter), cutoff: cutoff, in: db) }
    }

    /// Every metric value of run `runID` (only those named `key` when given), by key, then step.
    /// NaN values come back as NaN.
    ///
    /// - Throws: `.runNotFound`.
    public func metrics(runID: Int64, key: String? = nil) throws -> [MetricRecord] {
        try read { db in
            _ = try storedStatus(of: runID, in: db)
            return try db.query("""
                SELECT key, step, epoch, value, is_nan, timestamp FROM metrics
                WHERE run_id = ?1 AND (?2 IS NULL OR key = ?2) ORDER BY key, step
                """, [.integer(runID), .text(key)], metricRecord)
        }
    }

    /// The value at the largest step of each metric of run `runID` (MLflow's latest metrics).
    ///
    /// - Throws: `.runNotFound`.
    public func latestMetrics(runID: Int64) throws -> [String: MetricRecord] {
        try read { db in
            _ = try storedStatus(of: runID, in: db)
            let rows = try db.query("""
                SELECT m.key, m.step, m.epoch, m.value, m.is_nan, m.timestamp FROM metrics m
                WHERE m.run_id = ?1 AND m.step = (SELECT max(step) FROM metrics WHERE run_id = ?1 AND key = m.key)
                """, [.integer(runID)], metricRecord)
            return Dictionary(rows.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// The layer statistics of run `runID`, one entry per logged epoch in epoch order, layers in
    /// layer order. NaN statistics come back as NaN.
    ///
    /// - Throws: `.runNotFound`.
    public func layerStats(runID: Int64) throws -> [EpochLayerStats] {
        try read { db in
            _ = try storedStatus(of: runID, in: db)
            let rows = try db.query("""
                SELECT epoch, layer_index, layer_name, weight_gini, zero_weight_fraction, update_sparsity
                FROM layer_stats WHERE run_id = ? ORDER BY epoch, layer_index
                """, [.integer(runID)]) { row in
                (try row.int(0), LayerStatRecord(layerIndex: try row.int(1), layerName: try row.string(2),
                                                 weightGini: try row.optionalDouble(3) ?? .nan,
                                                 zeroWeightFraction: try row.optionalDouble(4) ?? .nan,
                                                 updateSparsity: try row.optionalDouble(5) ?? .nan))
            }
            var result: [EpochLayerStats] = []
            for (epoch, record) in rows {
                if result.last?.epoch == epoch {
                    result[result.count - 1].layers.append(record)
                } else {
                    result.append(EpochLayerStats(epoch: epoch, layers: [record]))
                }
            }
            return result
        }
    }

    /// Runs selected by `query`, with params and tags, inside an open transaction.
    func fetchRuns(_ query: RunQuery, cutoff: Int64, in db: Connection) throws -> [RunRecord] {
        var runs = try db.query(query.sql, query.bindings(cutoff: cutoff)) { try runRecord($0) }
        for index in runs.indices {
            runs[index].params = try pairs(of: runs[index].id, from: .params, in: db)
            runs[index].tags = try pairs(of: runs[index].id, from: .tags, in: db)
            if runs[index].status == .running && Self.processIsGone(of: runs[index]) {
                runs[index].status = .interrupted
            }
        }
        return runs
    }

    /// Whether `run` was started on this machine by a process (tag `pid`) that no longer exists:
    /// a killed run, shown as interrupted without waiting for its heartbeat to go stale.
    static func processIsGone(of run: RunRecord) -> Bool {
        guard run.host == ProcessInfo.processInfo.hostName, let text = run.tags["pid"], let pid = Int32(text),
              pid > 0, pid != getpid() else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    private func pairs(of runID: Int64, from table: PairTable, in db: Connection) throws -> [String: String] {
        let rows = try db.query("SELECT key, value FROM \(table.rawValue) WHERE run_id = ?", [.integer(runID)]) {
            (try $0.string(0), try $0.string(1))
        }
        return Dictionary(rows, uniquingKeysWith: { first, _ in first })
    }

    /// A `RunRecord` (without params and tags) from a row of `RunQuery.columns`.
    private func runRecord(_ row: Row) throws -> RunRecord {
        func status(_ index: Int) throws -> RunStatus {
            let text = try row.string(index)
            guard let status = RunStatus(rawValue: text) else {
                throw RunLogError.corrupt(path: path, reason: "unknown run status '\(text)'")
            }
            return status
        }
        return RunRecord(
            id: try row.int64(0), name: try row.string(1), status: try status(3), storedStatus: try status(2),
            method: try row.string(4), model: try row.string(5), dataset: try row.string(6),
            seed: UInt64(bitPattern: try row.int64(7)), configJSON: try row.string(8),
            rewardCatalogID: try row.optionalInt64(9), rewardID: try row.optionalString(10),
            toolVersion: try row.string(11), host: try row.string(12),
            startTime: Timestamp.date(try row.int64(13)), endTime: try row.optionalInt64(14).map(Timestamp.date),
            heartbeatTime: Timestamp.date(try row.int64(15)), params: [:], tags: [:])
    }
}

/// A `MetricRecord` from a row (key, step, epoch, value, is_nan, timestamp).
private func metricRecord(_ row: Row) throws -> MetricRecord {
    let isNaN = try row.int64(4) != 0
    return MetricRecord(key: try row.string(0), step: try row.int(1), epoch: try row.optionalInt64(2).map { Int($0) },
                        value: isNaN ? .nan : (try row.optionalDouble(3) ?? .nan),
                        timestamp: Timestamp.date(try row.int64(5)))
}
