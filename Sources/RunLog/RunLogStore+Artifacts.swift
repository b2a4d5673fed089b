import Foundation

extension RunLogStore {
    /// Saves `data` as artifact `name` of run `runID` (replacing an artifact of the same name)
    /// and returns its id. Allowed whatever the run's status (e.g. pruned weights of a finished
    /// run).
    ///
    /// - Throws: `.runNotFound`; `.invalidInput` for an empty name.
    @discardableResult
    public func saveArtifact(runID: Int64, name: String, kind: ArtifactKind, data: Data, epoch: Int? = nil) throws -> Int64 {
        guard !name.isEmpty else { throw RunLogError.invalidInput("an artifact needs a name") }
        return try write { db, now in
            _ = try storedStatus(of: runID, in: db)
            return try upsertArtifact(runID: runID, name: name, kind: kind, epoch: epoch, data: data, now: now, in: db)
        }
    }

    /// The metadata of every artifact of run `runID`, oldest first.
    ///
    /// - Throws: `.runNotFound`.
    public func artifacts(runID: Int64) throws -> [ArtifactRecord] {
        try read { db in
            _ = try storedStatus(of: runID, in: db)
            return try db.query("SELECT \(artifactColumns) FROM artifacts WHERE run_id = ? ORDER BY artifact_id",
                                [.integer(runID)], artifactRecord)
        }
    }

    /// The bytes of artifact `id`.
    ///
    /// - Throws: `.artifactNotFound`.
    public func artifactData(id: Int64) throws -> Data {
        try read { db in
            guard let data = try db.queryFirst("SELECT data FROM artifacts WHERE artifact_id = ?", [.integer(id)], {
                try $0.data(0)
            }) else {
                throw RunLogError.artifactNotFound(id)
            }
            return data
        }
    }

    /// Artifact `id` with its bytes.
    ///
    /// - Throws: `.artifactNotFound`.
    public func artifact(id: Int64) throws -> Artifact {
        try read { db in
            guard let artifact = try db.queryFirst(
                "SELECT \(artifactColumns), data FROM artifacts WHERE artifact_id = ?", [.integer(id)], {
                    Artifact(record: try artifactRecord($0), data: try $0.data(7))
                })
            else {
                throw RunLogError.artifactNotFound(id)
            }
            return artifact
        }
    }

    /// The newest artifact of `kind` of run `runID` with its bytes (the highest epoch, then the
    /// most recently saved), or `nil` when it has none — e.g. the checkpoint to resume from.
    ///
    /// - Throws: `.runNotFound`.
    public func latestArtifact(runID: Int64, kind: ArtifactKind) throws -> Artifact? {
        try read { db in
            _ = try storedStatus(of: runID, in: db)
            return try latestArtifact(runID: runID, kind: kind, in: db)
        }
    }

    /// `latestArtifact` inside an open transaction.
    func latestArtifact(runID: Int64, kind: ArtifactKind, in db: Connection) throws -> Artifact? {
        try db.queryFirst("""
            SELECT \(artifactColumns), data FROM artifacts WHERE run_id = ? AND kind = ?
            ORDER BY epoch IS NULL, epoch DESC, created_time DESC, artifact_id DESC LIMIT 1
            """, [.integer(runID), .text(kind.rawValue)]) {
            Artifact(record: try artifactRecord($0), data: try $0.data(7))
        }
    }

    /// Inserts or replaces artifact `name` of a run and returns its id.
    @discardableResult
    func upsertArtifact(runID: Int64, name: String, kind: ArtifactKind, epoch: Int?, data: Data, now: Int64,
                        in db: Connection) throws -> Int64 {
        try db.execute("""
            INSERT INTO artifacts (run_id, name, kind, epoch, size_bytes, created_time, data)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (run_id, name) DO UPDATE SET kind = excluded.kind, epoch = excluded.epoch,
                size_bytes = excluded.size_bytes, created_time = excluded.created_time, data = excluded.data
            """, [.integer(runID), .text(name), .text(kind.rawValue), .int(epoch), .int(data.count), .integer(now),
                  .blob(data)])
        return try db.scalarInteger("SELECT artifact_id FROM artifacts WHERE run_id = ? AND name = ?",
                                    [.integer(runID), .text(name)])
    }
}

/// The metadata columns of `artifacts`, in the order `artifactRecord` reads them.
private let artifactColumns = "artifact_id, run_id, name, kind, epoch, size_bytes, created_time"

/// An `ArtifactRecord` from a row starting with `artifactColumns`.
private func artifactRecord(_ row: Row) throws -> ArtifactRecord {
    ArtifactRecord(id: try row.int64(0), runID: try row.int64(1), name: try row.string(2),
                   kind: ArtifactKind(rawValue: try row.string(3)), epoch: try row.optionalInt64(4).map { Int($0) },
                   sizeBytes: try row.int(5), createdTime: Timestamp.date(try row.int64(6)))
}
