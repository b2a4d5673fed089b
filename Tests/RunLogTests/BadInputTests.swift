import Foundation
import Testing
@testable import RunLog

/// Bad files and arguments: each gets its typed error with a message, and no file is changed.
@Suite("Bad input")
struct BadInputTests {
    @Test func aTextFileIsNotADatabase() throws {
        try withTemporaryDirectory { directory in
            let path = file("notes.sqlite", in: directory)
            let text = Data(String(repeating: "these are my notes, not a database\n", count: 40).utf8)
            try text.write(to: URL(fileURLWithPath: path))
            for readOnly in [false, true] {
                let error = expectRunLogError { _ = try RunLogStore(path: path, readOnly: readOnly) }
                guard case .notADatabase(let errorPath, _) = error else {
                    Issue.record("expected notADatabase, got \(String(describing: error))")
                    return
                }
                #expect(errorPath == path)
                #expect(error?.description.contains("not an SQLite database") == true)
            }
            #expect(bytes(of: path) == text)
            #expect(try listing(of: directory) == ["notes.sqlite"])
        }
    }

    @Test func aShortFileIsNotADatabase() throws {
        try withTemporaryDirectory { directory in
            let path = file("short.sqlite", in: directory)
            let content = Data("{}\n".utf8)
            try content.write(to: URL(fileURLWithPath: path))
            let error = expectRunLogError { _ = try RunLogStore(path: path) }
            guard case .notADatabase = error else {
                Issue.record("expected notADatabase, got \(String(describing: error))")
                return
            }
            #expect(bytes(of: path) == content)
        }
    }

    @Test func aValidHeaderFollowedByGarbageIsRefused() throws {
        try withTemporaryDirectory { directory in
            let path = file("garbage.sqlite", in: directory)
            var content = RunLogOpener.sqliteMagic
            content.append(blob(8192 - content.count, seed: 99))
            try content.write(to: URL(fileURLWithPath: path))
            let error = expectRunLogError { _ = try RunLogStore(path: path) }
            guard case .notADatabase = error else {
                Issue.record("expected notADatabase, got \(String(describing: error))")
                return
            }
            #expect(bytes(of: path) == content)
        }
    }

    @Test func aTruncatedRunLogIsCorrupt() throws {
        try withTemporaryDirectory { directory in
            let path = file("truncated.sqlite", in: directory)
            try populate(path, weightsSize: 200_000)
            let whole = bytes(of: path)
            let truncated = whole.prefix(whole.count / 2)
            try truncated.write(to: URL(fileURLWithPath: path))
            for readOnly in [false, true] {
                let error = expectRunLogError { _ = try RunLogStore(path: path, readOnly: readOnly) }
                guard case .corrupt(let errorPath, let reason) = error else {
                    Issue.record("expected corrupt, got \(String(describing: error))")
                    return
                }
                #expect(errorPath == path && !reason.isEmpty)
            }
            #expect(bytes(of: path) == truncated)
        }
    }

    @Test func overwrittenPagesAreReportedAsCorrupt() throws {
        try withTemporaryDirectory { directory in
            let path = file("damaged.sqlite", in: directory)
            try populate(path)
            var content = bytes(of: path)
            let pageSize = Int(content[16]) << 8 | Int(content[17])
            // Keep page 1 (header and schema), overwrite every other page with garbage.
            content.replaceSubrange(pageSize..<content.count, with: blob(content.count - pageSize, seed: 1))
            try content.write(to: URL(fileURLWithPath: path))
            let error = expectRunLogError {
                let store = try RunLogStore(path: path)
                _ = try store.listRuns()
            }
            guard case .corrupt = error else {
                Issue.record("expected corrupt, got \(String(describing: error))")
                return
            }
            let write = expectRunLogError {
                let store = try RunLogStore(path: path)
                _ = try store.startRun(sampleRun())
            }
            guard case .corrupt = write else {
                Issue.record("expected corrupt on write, got \(String(describing: write))")
                return
            }
            #expect(bytes(of: path) == content)
        }
    }

    @Test func anotherProgramsDatabaseIsNotARunLog() throws {
        try withTemporaryDirectory { directory in
            let path = file("app.sqlite", in: directory)
            do {
                let db = try Connection(path: path)
                try db.execute("CREATE TABLE contacts (name TEXT)")
                try db.execute("INSERT INTO contacts VALUES ('Ada')")
            }
            let before = bytes(of: path)
            let error = expectRunLogError { _ = try RunLogStore(path: path) }
            guard case .notARunLog = error else {
                Issue.record("expected notARunLog, got \(String(describing: error))")
                return
            }
            #expect(error?.description.contains("not an LFP run log") == true)
            #expect(bytes(of: path) == before)
        }
    }

    @Test func aMissingDirectoryCannotBeOpened() throws {
        let path = "/nonexistent-\(UUID().uuidString)/runs.sqlite"
        let error = expectRunLogError { _ = try RunLogStore(path: path) }
        #expect(error == .cannotOpen(path: path, reason: "directory '\((path as NSString).deletingLastPathComponent)' does not exist"))
        #expect(!FileManager.default.fileExists(atPath: (path as NSString).deletingLastPathComponent))
    }

    /// Even root cannot create a file in /proc.
    @Test func anUnwritableLocationCannotBeOpened() throws {
        let path = "/proc/runlog-test-\(UUID().uuidString).sqlite"
        let error = expectRunLogError { _ = try RunLogStore(path: path) }
        guard case .cannotOpen(let errorPath, let reason) = error else {
            Issue.record("expected cannotOpen, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path && reason.contains("cannot be created"))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aDirectoryIsNotARunLog() throws {
        try withTemporaryDirectory { directory in
            let error = expectRunLogError { _ = try RunLogStore(path: directory.path) }
            #expect(error == .cannotOpen(path: directory.path, reason: "it is a directory"))
        }
    }

    @Test func readOnlyOpeningNeverCreatesOrWrites() throws {
        try withTemporaryDirectory { directory in
            let missing = file("missing.sqlite", in: directory)
            #expect(expectRunLogError { _ = try RunLogStore(path: missing, readOnly: true) }
                    == .cannotOpen(path: missing, reason: "no such file"))
            #expect(!FileManager.default.fileExists(atPath: missing))

            let path = file("runs.sqlite", in: directory)
            let id = try populate(path)
            let before = bytes(of: path)
            do {
                let store = try RunLogStore(path: path, readOnly: true)
                #expect(store.isReadOnly)
                #expect(try store.run(id: id).status == .finished)
                let writes: [() throws -> Void] = [
                    { _ = try store.startRun(sampleRun()) },
                    { try store.setTag(runID: id, key: "k", value: "v") },
                    { try store.deleteRun(id: id) },
                    { try store.saveArtifact(runID: id, name: "x", kind: .weights, data: Data([1])) },
                    { _ = try store.registerReward(RewardRecord(rewardID: "r", version: 1, definitionHash: "h",
                                                                source: .builtIn, infoJSON: "{}")) },
                ]
                for write in writes {
                    let error = expectRunLogError(write)
                    guard case .readOnly(let errorPath, _) = error else {
                        Issue.record("expected readOnly, got \(String(describing: error))")
                        continue
                    }
                    #expect(errorPath == path)
                }
                // SQLite itself refuses writes on the read-only connection too.
                let direct = expectRunLogError {
                    try store.withConnection { try $0.execute("DELETE FROM runs") }
                }
                guard case .readOnly = direct else {
                    Issue.record("expected readOnly from SQLite, got \(String(describing: direct))")
                    return
                }
            }
            #expect(bytes(of: path) == before)
        }
    }

    @Test func aMissingRunIDIsReportedByEveryCall() throws {
        try withTemporaryDirectory { directory in
            let path = file("runs.sqlite", in: directory)
            let id = try populate(path)
            let before = bytes(of: path)
            do {
                let store = try RunLogStore(path: path)
                let missing: Int64 = id + 1000
                let calls: [(String, () throws -> Void)] = [
                    ("run", { _ = try store.run(id: missing) }),
                    ("metrics", { _ = try store.metrics(runID: missing) }),
                    ("latestMetrics", { _ = try store.latestMetrics(runID: missing) }),
                    ("layerStats", { _ = try store.layerStats(runID: missing) }),
                    ("artifacts", { _ = try store.artifacts(runID: missing) }),
                    ("latestArtifact", { _ = try store.latestArtifact(runID: missing, kind: .checkpoint) }),
                    ("logEpoch", { try store.logEpoch(runID: missing, epoch: 0, step: 0, metrics: ["a": 1]) }),
                    ("logMetrics", { try store.logMetrics(runID: missing, step: 0, metrics: ["a": 1]) }),
                    ("heartbeat", { try store.heartbeat(runID: missing) }),
                    ("finishRun", { try store.finishRun(runID: missing, status: .finished) }),
                    ("markInterrupted", { try store.markInterrupted(runID: missing) }),
                    ("resumeRun", { _ = try store.resumeRun(runID: missing) }),
                    ("deleteRun", { try store.deleteRun(id: missing) }),
                    ("setTag", { try store.setTag(runID: missing, key: "k", value: "v") }),
                    ("saveArtifact", { try store.saveArtifact(runID: missing, name: "w", kind: .weights, data: Data()) }),
                ]
                for (name, call) in calls {
                    #expect(expectRunLogError(call) == .runNotFound(missing), "\(name)")
                }
                #expect(RunLogError.runNotFound(missing).description == "no run with id \(missing)")
                #expect(expectRunLogError { _ = try store.rewardRecord(id: 999) } == .rewardNotFound(999))
                #expect(expectRunLogError { _ = try store.artifactData(id: 999) } == .artifactNotFound(999))
                #expect(expectRunLogError { _ = try store.artifact(id: 999) } == .artifactNotFound(999))
                #expect(expectRunLogError { _ = try store.startRun(sampleRun(rewardCatalogID: 999)) }
                        == .rewardNotFound(999))
            }
            #expect(bytes(of: path) == before)
        }
    }

    @Test func invalidArgumentsAreRefused() throws {
        try withTemporaryDirectory { directory in
            let store = try RunLogStore(path: file("runs.sqlite", in: directory))
            var run = sampleRun()
            run.configJSON = "{not json"
            #expect(expectRunLogError { _ = try store.startRun(run) } == .invalidInput("the run's configJSON is not valid JSON"))
            run = sampleRun()
            run.name = ""
            #expect(expectRunLogError { _ = try store.startRun(run) } == .invalidInput("a run needs a name"))
            let id = try store.startRun(sampleRun())
            #expect(expectRunLogError { try store.logEpoch(runID: id, epoch: -1, step: 0, metrics: [:]) }
                    == .invalidInput("epoch and step must not be negative"))
            #expect(expectRunLogError { try store.logMetrics(runID: id, step: 0, metrics: ["": 1]) }
                    == .invalidInput("empty metric key"))
            #expect(expectRunLogError { try store.finishRun(runID: id, status: .running) }
                    == .invalidInput("finishRun needs an end status, not running"))
            #expect(try store.listRuns().count == 1)
        }
    }
}
