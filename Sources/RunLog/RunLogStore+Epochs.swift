import Foundation

extension RunLogStore {
    /// Commits one epoch of run `runID` in a single transaction: its metrics (at `step`, tagged
    /// with `epoch`; NaN kept), its per-layer statistics, its checkpoint when given (artifact
    /// `checkpoint-epoch-<epoch>`, kind `checkpoint`), and a heartbeat. Either all of it is in
    /// the file afterwards or none of it. Logging the same epoch/step again replaces its rows.
    ///
    /// - Throws: `.runNotFound`; `.runNotActive` unless the run is stored as running;
    ///   `.invalidInput` for an empty metric key or a negative epoch or step.
    public func logEpoch(runID: Int64, epoch: Int, step: Int, metrics: [String: Double],
                         layerStats: [LayerStatRecord] = [], checkpoint: Data? = nil) throws {
        guard epoch >= 0, step >= 0 else { throw RunLogError.invalidInput("epoch and step must not be negative") }
        try validateKeys(metrics)
        try write { db, now in
            try requireRunning(runID, in: db)
            try insertMetrics(metrics, runID: runID, step: step, epoch: epoch, now: now, in: db)
            try insertLayerStats(layerStats, runID: runID, epoch: epoch, now: now, in: db)
            if let checkpoint {
                try upsertArtifact(runID: runID, name: "checkpoint-epoch-\(epoch)", kind: .checkpoint, epoch: epoch,
                                   data: checkpoint, now: now, in: db)
            }
            try db.execute("UPDATE runs SET heartbeat_time = ? WHERE run_id = ?", [.integer(now), .integer(runID)])
        }
    }

    /// Logs metrics at one step outside the per-epoch rhythm (e.g. a batch loss), in one
    /// transaction that also updates the heartbeat. NaN values are kept.
    ///
    /// - Throws: `.runNotFound`; `.runNotActive` unless the run is stored as running;
    ///   `.invalidInput` for an empty key or a negative step.
    public func logMetrics(runID: Int64, step: Int, epoch: Int? = nil, metrics: [String: Double]) throws {
        guard step >= 0 else { throw RunLogError.invalidInput("step must not be negative") }
        try validateKeys(metrics)
        try write { db, now in
            try requireRunning(runID, in: db)
            try insertMetrics(metrics, runID: runID, step: step, epoch: epoch, now: now, in: db)
            try db.execute("UPDATE runs SET heartbeat_time = ? WHERE run_id = ?", [.integer(now), .integer(runID)])
        }
    }

    private func validateKeys(_ metrics: [String: Double]) throws {
        if metrics.keys.contains("") { throw RunLogError.invalidInput("empty metric key") }
    }

    /// Writes metric rows; NaN becomes `value = NULL, is_nan = 1`.
    private func insertMetrics(_ metrics: [String: Double], runID: Int64, step: Int, epoch: Int?, now: Int64,
                               in db: Connection) throws {
        guard !metrics.isEmpty else { return }
        let statement = try db.prepare("""
            INSERT INTO metrics (run_id, key, step, epoch, value, is_nan, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (run_id, key, step) DO UPDATE SET
                epoch = excluded.epoch, value = excluded.value, is_nan = excluded.is_nan, timestamp = excluded.timestamp
            """)
        for (key, value) in metrics.sorted(by: { $0.key < $1.key }) {
            try statement.run([.integer(runID), .text(key), .int(step), .int(epoch),
                               value.isNaN ? .null : .real(value), .integer(value.isNaN ? 1 : 0), .integer(now)])
        }
    }

    /// Writes layer-statistics rows; NaN statistics become NULL.
    private func insertLayerStats(_ stats: [LayerStatRecord], runID: Int64, epoch: Int, now: Int64,
                                  in db: Connection) throws {
        guard !stats.isEmpty else { return }
        let statement = try db.prepare("""
            INSERT INTO layer_stats (run_id, epoch, layer_index, layer_name, weight_gini, zero_weight_fraction,
                                     update_sparsity, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (run_id, epoch, layer_index) DO UPDATE SET
                layer_name = excluded.layer_name, weight_gini = excluded.weight_gini,
                zero_weight_fraction = excluded.zero_weight_fraction, update_sparsity = excluded.update_sparsity,
                timestamp = excluded.timestamp
            """)
        for stat in stats {
            try statement.run([.integer(runID), .int(epoch), .int(stat.layerIndex), .text(stat.layerName),
                               .real(stat.weightGini), .real(stat.zeroWeightFraction), .real(stat.updateSparsity),
                               .integer(now)])
        }
    }
}
