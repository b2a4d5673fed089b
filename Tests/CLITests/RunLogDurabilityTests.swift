import CSQLite
import Foundation
import RunLog
import Testing

@Suite("lfp train and the run log under kills and concurrency")
struct RunLogDurabilityTests {
    /// `PRAGMA integrity_check` of the database at `path`.
    func integrityCheck(_ path: String) -> String {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else { return "cannot open" }
        defer { sqlite3_close(db) }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nil) == SQLITE_OK else { return "cannot prepare" }
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW, let text = sqlite3_column_text(statement, 0) else { return "no row" }
        return String(cString: text)
    }

    /// Epochs of `runID` that have a committed test accuracy.
    func committedEpochs(_ path: String, runID: Int64) throws -> [Int] {
        let store = try RunLogStore(path: path, readOnly: true)
        return try store.metrics(runID: runID, key: "test_accuracy").compactMap(\.epoch).sorted()
    }

    @Test("SIGKILL mid-training loses no committed epoch, shows the run interrupted, and --resume finishes it")
    func killedRunIsIntactAndResumable() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let db = dir.appendingPathComponent("runs.sqlite").path
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = ["train", "--dataset", "circles", "--epochs", "400", "--db", db, "--quiet", "--json"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        var epochs: [Int] = []
        while Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            if FileManager.default.fileExists(atPath: db), let seen = try? committedEpochs(db, runID: 1), seen.count >= 3 {
                epochs = seen
                break
            }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(epochs.count >= 3, "training never committed three epochs")

        #expect(integrityCheck(db) == "ok")
        let after = try committedEpochs(db, runID: 1)
        #expect(after.count >= epochs.count)
        #expect(after == Array(1...(after.last ?? 0)), "epochs must be contiguous from 1: \(after)")
        let run = try RunLogStore(path: db, readOnly: true).run(id: 1)
        #expect(run.status == .interrupted)

        let resumed = try CLIRunner.run(["train", "--resume", "1", "--db", db, "--json", "--quiet"])
        #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
        let json = try resumed.lastJSONObject()
        #expect(json["epochs"] as? Int == 400)
        #expect(json["run_id"] as? Int == 1)
        let finished = try RunLogStore(path: db, readOnly: true)
        #expect(try finished.run(id: 1).status == .finished)
        #expect(try committedEpochs(db, runID: 1) == Array(1...400))
    }

    @Test("SIGTERM and SIGUSR1 finish the current step, mark the run interrupted and exit 130", arguments: [SIGTERM, SIGUSR1, SIGINT])
    func stopSignalsInterruptCleanly(signal: Int32) throws {
        let dir = try CLIRunner.temporaryDirectory()
        let db = dir.appendingPathComponent("runs.sqlite").path
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = ["train", "--dataset", "circles", "--epochs", "400", "--db", db, "--quiet"]
        let errURL = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            if FileManager.default.fileExists(atPath: db), let seen = try? committedEpochs(db, runID: 1), seen.count >= 2 { break }
        }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        let stderr = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        #expect(process.terminationStatus == 130, "stderr: \(stderr)")
        #expect(stderr.contains("--resume 1"))
        let store = try RunLogStore(path: db, readOnly: true)
        let run = try store.run(id: 1)
        #expect(run.status == .interrupted)
        #expect(run.storedStatus == .interrupted)
        let epochs = try committedEpochs(db, runID: 1)
        #expect(epochs.count >= 2 && epochs == Array(1...epochs.count))
        #expect(integrityCheck(db) == "ok")
    }

    @Test("four trainings writing one database at once all finish with every row present")
    func concurrentWritersAllFinish() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let db = dir.appendingPathComponent("shared.sqlite").path
        let processes = try (1...4).map { seed -> (Process, URL) in
            let process = Process()
            process.executableURL = CLIRunner.executable
            process.arguments = ["train", "--dataset", "blobs", "--epochs", "6", "--seed", "\(seed)", "--db", db,
                                 "--json", "--quiet"]
            let errURL = dir.appendingPathComponent("stderr-\(seed)")
            _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: errURL)
            try process.run()
            return (process, errURL)
        }
        var results: [CLIRunner.Result] = []
        for (process, errURL) in processes {
            process.waitUntilExit()
            results.append(CLIRunner.Result(status: process.terminationStatus, stdout: "",
                                            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self)))
        }
        #expect(results.count == 4)
        for result in results {
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(!result.stderr.contains("locked"))
        }
        let store = try RunLogStore(path: db, readOnly: true)
        let runs = try store.listRuns()
        #expect(runs.count == 4)
        for run in runs {
            #expect(run.status == .finished)
            #expect(try committedEpochs(db, runID: run.id) == Array(1...6))
            #expect(try store.layerStats(runID: run.id).count == 6)
            #expect(try store.artifacts(runID: run.id).contains { $0.kind == .weights })
        }
        #expect(integrityCheck(db) == "ok")
    }

    @Test("sequence-task runs are logged too: edit-distance metrics per epoch, layer statistics, final weights")
    func sequenceRunsAreLogged() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let db = dir.appendingPathComponent("runs.sqlite").path
        let result = try CLIRunner.run(["train", "--task", "sequence", "--epochs", "2", "--db", db, "--json", "--quiet"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let store = try RunLogStore(path: db, readOnly: true)
        let run = try store.run(id: 1)
        #expect(run.status == .finished)
        #expect(run.rewardID == "levenshtein")
        #expect(try store.metrics(runID: 1, key: "test_edit_distance").compactMap(\.epoch) == [1, 2])
        #expect(try store.layerStats(runID: 1).count == 2)
        #expect(try store.artifacts(runID: 1).contains { $0.kind == .weights })
    }

    @Test("--no-log writes no database; a database that is not SQLite is refused untouched")
    func loggingCanBeOffAndBadFilesAreRefused() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let result = try CLIRunner.run(["train", "--dataset", "blobs", "--epochs", "1", "--no-log", "--quiet"], in: dir)
        #expect(result.status == 0)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs.sqlite").path))
        let bogus = dir.appendingPathComponent("notes.sqlite")
        let content = Data("these are my notes, not a database\n".utf8)
        try content.write(to: bogus)
        let refused = try CLIRunner.run(["train", "--dataset", "blobs", "--epochs", "1", "--db", bogus.path])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("notes.sqlite"))
        #expect(try Data(contentsOf: bogus) == content)
    }
}
