import Foundation
import Testing

/// Builds run logs for the `lfp runs` tests by running `lfp train --db` (the CLI tests link only
/// `LFP`, so the run log is written the way users write it).
enum RunsFixture {
    /// A fresh folder holding `runs.sqlite` with two finished two-epoch runs on blobs:
    /// run 1 LFP (lr 0.001), run 2 the gradient baseline (lr 0.01).
    static func twoRuns() throws -> (directory: URL, database: String) {
        let directory = try CLIRunner.temporaryDirectory()
        let database = directory.appendingPathComponent("runs.sqlite").path
        try train(database, ["--method", "lfp", "--lr", "0.001", "--name", "first"])
        try train(database, ["--method", "gradient", "--lr", "0.01", "--name", "second"])
        return (directory, database)
    }

    /// Trains one small run into `database`.
    static func train(_ database: String, _ extra: [String]) throws {
        let result = try CLIRunner.run(["train", "--dataset", "blobs", "--epochs", "2", "--db", database,
                                        "--json", "--quiet"] + extra)
        guard result.status == 0 else { throw RunsFixtureError.trainFailed(result.stderr) }
    }

    /// Standard output parsed as exactly one JSON document (anything else fails to parse).
    static func document(_ result: CLIRunner.Result) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8), options: [.fragmentsAllowed])
    }

    /// The bytes of a file.
    static func bytes(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }
}

/// Why a fixture could not be made.
enum RunsFixtureError: Error {
    /// `lfp train` exited with an error (its standard error).
    case trainFailed(String)
}

@Suite("lfp runs")
struct RunsCommandTests {
    @Test("list prints an aligned table of every run, newest first")
    func listTable() throws {
        let (_, db) = try RunsFixture.twoRuns()
        let result = try CLIRunner.run(["runs", "list", "--db", db])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        for column in ["id", "name", "status", "method", "model", "dataset", "epochs", "test_accuracy", "started"] {
            #expect(lines[0].contains(column), "missing column \(column)")
        }
        #expect(lines[2].contains("second") && lines[2].contains("gradient") && lines[2].contains("finished"))
        #expect(lines[3].contains("first") && lines[3].contains("lfp"))
        #expect(lines[2].range(of: "finished")?.lowerBound == lines[3].range(of: "finished")?.lowerBound)
    }

    @Test("list --json is one array with columns, params, epochs done and final metrics")
    func listJSON() throws {
        let (_, db) = try RunsFixture.twoRuns()
        let result = try CLIRunner.run(["runs", "list", "--db", db, "--json"])
        #expect(result.status == 0)
        let runs = try #require(try RunsFixture.document(result) as? [[String: Any]])
        #expect(runs.map { $0["id"] as? Int } == [2, 1])
        #expect(runs[0]["epochs_done"] as? Int == 2)
        #expect((runs[0]["params"] as? [String: String])?["lr"] == "0.01")
        let accuracy = try #require((runs[0]["final_metrics"] as? [String: Any])?["test_accuracy"] as? Double)
        #expect((0...1).contains(accuracy))
    }

    @Test("list filters by param, status, method and dataset, sorts and limits")
    func listFilters() throws {
        let (_, db) = try RunsFixture.twoRuns()
        func ids(_ extra: [String]) throws -> [Int] {
            let result = try CLIRunner.run(["runs", "list", "--db", db, "--json"] + extra)
            #expect(result.status == 0, "stderr: \(result.stderr)")
            return try #require(try RunsFixture.document(result) as? [[String: Any]]).compactMap { $0["id"] as? Int }
        }
        #expect(try ids(["--where", "lr=0.01"]) == [2])
        #expect(try ids(["--where", "lr=0.01", "--where", "method=lfp"]) == [])
        #expect(try ids(["--method", "lfp"]) == [1])
        #expect(try ids(["--dataset", "blobs", "--status", "finished"]) == [2, 1])
        #expect(try ids(["--status", "running,interrupted"]) == [])
        #expect(try ids(["--dataset", "circles"]) == [])
        #expect(try ids(["--sort", "id", "--asc"]) == [1, 2])
        #expect(try ids(["--sort", "id", "--limit", "1"]) == [2])
        #expect(try ids(["--sort", "test_accuracy"]).count == 2)
        #expect(try CLIRunner.run(["runs", "list", "--db", db, "--where", "lr"]).status == 64)
        #expect(try CLIRunner.run(["runs", "list", "--db", db, "--status", "sleeping"]).status == 64)
        #expect(try CLIRunner.run(["runs", "list", "--db", db, "--asc", "--desc"]).status == 64)
    }

    @Test("show prints configuration, reward, metrics per epoch, sparklines, layers and artifacts")
    func showText() throws {
        let (_, db) = try RunsFixture.twoRuns()
        let result = try CLIRunner.run(["runs", "show", "2", "--db", db])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        for part in ["run 2", "status     finished", "configuration:", "reward: softmax-ce", "hash",
                     "metrics per epoch:", "test_accuracy", "accuracy over epochs:", "layer statistics",
                     "weight gini", "update sparsity", "artifacts:", "weights"] {
            #expect(result.stdout.contains(part), "missing '\(part)'")
        }
        #expect(result.stdout.contains(where: { "▁▂▃▄▅▆▇█".contains($0) }))
    }

    @Test("show --json is one object with run, params, metrics by epoch, layer stats, reward, artifacts")
    func showJSON() throws {
        let (_, db) = try RunsFixture.twoRuns()
        let result = try CLIRunner.run(["runs", "show", "1", "--db", db, "--json"])
        #expect(result.status == 0)
        let json = try #require(try RunsFixture.document(result) as? [String: Any])
        #expect((json["run"] as? [String: Any])?["id"] as? Int == 1)
        #expect((json["run"] as? [String: Any])?["status"] as? String == "finished")
        #expect((json["params"] as? [String: String])?["method"] == "lfp")
        #expect(json["config"] is [String: Any])
        let epochs = try #require(json["metrics_by_epoch"] as? [[String: Any]])
        #expect(epochs.compactMap { $0["epoch"] as? Int } == [1, 2])
        #expect((epochs[1]["values"] as? [String: Any])?["test_accuracy"] is Double)
        let layers = try #require(json["layer_stats"] as? [[String: Any]])
        #expect(layers.count == 2)
        #expect(((layers[0]["layers"] as? [[String: Any]])?.first)?["weight_gini"] != nil)
        #expect((json["reward"] as? [String: Any])?["reward_id"] as? String == "softmax-ce")
        let artifacts = try #require(json["artifacts"] as? [[String: Any]])
        #expect(artifacts.contains { $0["kind"] as? String == "weights" })
        #expect(artifacts.allSatisfy { $0["data"] == nil })
    }

    @Test("compare shows differing params, the count of equal ones, final metrics and best epochs")
    func compare() throws {
        let (_, db) = try RunsFixture.twoRuns()
        let text = try CLIRunner.run(["runs", "compare", "1", "2", "--db", db])
        #expect(text.status == 0, "stderr: \(text.stderr)")
        for part in ["run 1", "run 2", "params that differ", "equal", "lr", "final metric", "best test_accuracy"] {
            #expect(text.stdout.contains(part), "missing '\(part)'")
        }
        let result = try CLIRunner.run(["runs", "compare", "1", "2", "--db", db, "--json"])
        let json = try #require(try RunsFixture.document(result) as? [String: Any])
        let differing = try #require(json["differing_params"] as? [String: [Any]])
        #expect(differing["lr"] as? [String] == ["0.001", "0.01"])
        #expect(differing["method"] as? [String] == ["lfp", "gradient"])
        #expect(differing["dataset"] == nil)
        #expect((json["equal_param_count"] as? Int ?? 0) > 0)
        let best = try #require(json["best_test_accuracy"] as? [[String: Any]])
        #expect(best.count == 2 && best.allSatisfy { (1...2).contains($0["epoch"] as? Int ?? 0) })
        #expect(((json["final_metrics"] as? [String: [Any]])?["test_accuracy"])?.count == 2)
        #expect(try CLIRunner.run(["runs", "compare", "1", "--db", db]).status == 64)
    }

    @Test("export writes long-format CSV with a header, and JSON as one array")
    func export() throws {
        let (dir, db) = try RunsFixture.twoRuns()
        let csv = try CLIRunner.run(["runs", "export", "1", "2", "--db", db, "--format", "csv"])
        #expect(csv.status == 0, "stderr: \(csv.stderr)")
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "run_id,key,step,epoch,value")
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 5 })
        #expect(lines.contains { $0.hasPrefix("1,test_accuracy,") } && lines.contains { $0.hasPrefix("2,test_accuracy,") })

        let json = try CLIRunner.run(["runs", "export", "1", "2", "--db", db, "--format", "json"])
        let rows = try #require(try RunsFixture.document(json) as? [[String: Any]])
        #expect(rows.count == lines.count - 1)
        #expect(rows.allSatisfy { $0["run_id"] is Int && $0["key"] is String && $0["step"] is Int && $0["value"] != nil })

        let only = try CLIRunner.run(["runs", "export", "2", "--db", db, "--key", "test_accuracy"])
        #expect(only.stdout.split(separator: "\n").count == 3)

        let out = dir.appendingPathComponent("metrics.csv").path
        #expect(try CLIRunner.run(["runs", "export", "1", "--db", db, "--out", out]).status == 0)
        #expect(try String(contentsOfFile: out, encoding: .utf8).hasPrefix("run_id,key,step,epoch,value\n"))
        #expect(try CLIRunner.run(["runs", "export", "2", "--db", db, "--out", out]).status == 73)
        #expect(try CLIRunner.run(["runs", "export", "2", "--db", db, "--out", out, "--force"]).status == 0)
        #expect(try CLIRunner.run(["runs", "export", "1", "--db", db, "--format", "xml"]).status == 64)
    }

    @Test("weights writes the final weights as JSON (or npz) and never overwrites without --force")
    func weights() throws {
        let (dir, db) = try RunsFixture.twoRuns()
        let out = dir.appendingPathComponent("weights.json").path
        let result = try CLIRunner.run(["runs", "weights", "2", "--db", db, "--out", out])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: RunsFixture.bytes(out)) as? [String: Any])
        #expect(json["format"] as? String == "lfp-weights")
        #expect(json["run_id"] as? Int == 2)
        #expect((json["source"] as? [String: Any])?["kind"] as? String == "weights")
        #expect(json["spec"] is [String: Any])
        let parameters = try #require(json["parameters"] as? [String: [String: Any]])
        let weight = try #require(parameters["fc1.weight"])
        let shape = try #require(weight["shape"] as? [Int])
        #expect((weight["data"] as? [Double])?.count == shape.reduce(1, *))

        let before = try RunsFixture.bytes(out)
        #expect(try CLIRunner.run(["runs", "weights", "1", "--db", db, "--out", out]).status == 73)
        #expect(try RunsFixture.bytes(out) == before)
        #expect(try CLIRunner.run(["runs", "weights", "1", "--db", db, "--out", out, "--force"]).status == 0)
        #expect(try RunsFixture.bytes(out) != before)

        let npz = dir.appendingPathComponent("weights.npz").path
        #expect(try CLIRunner.run(["runs", "weights", "2", "--db", db, "--out", npz, "--format", "npz"]).status == 0)
        #expect(try RunsFixture.bytes(npz).prefix(4) == Data([0x50, 0x4B, 0x03, 0x04]))
        #expect(try CLIRunner.run(["runs", "weights", "2", "--db", db]).status == 64)
    }

    @Test("delete refuses without --yes when stdin is not a terminal, and deletes with it")
    func delete() throws {
        let (_, db) = try RunsFixture.twoRuns()
        let refused = try CLIRunner.run(["runs", "delete", "1", "--db", db])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("--yes"))
        #expect(try CLIRunner.run(["runs", "show", "1", "--db", db]).status == 0)

        let deleted = try CLIRunner.run(["runs", "delete", "1", "--db", db, "--yes"])
        #expect(deleted.status == 0, "stderr: \(deleted.stderr)")
        #expect(try CLIRunner.run(["runs", "show", "1", "--db", db]).status == 66)
        let list = try CLIRunner.run(["runs", "list", "--db", db, "--json"])
        #expect((try RunsFixture.document(list) as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [2])
        #expect(try CLIRunner.run(["runs", "export", "1", "--db", db]).status == 66)
    }

    @Test("--help works for runs and every subcommand")
    func help() throws {
        for words in [["runs", "--help"], ["runs", "list", "--help"], ["runs", "show", "--help"],
                      ["runs", "compare", "--help"], ["runs", "export", "--help"], ["runs", "weights", "--help"],
                      ["runs", "delete", "--help"]] {
            let result = try CLIRunner.run(words)
            #expect(result.status == 0, "\(words)")
            #expect(result.stdout.contains("usage: lfp runs"), "\(words)")
        }
        #expect(try CLIRunner.run(["--help"]).stdout.contains("runs"))
    }
}
