import Foundation
import Testing

@Suite("lfp train")
struct TrainCommandTests {
    @Test("the paper's toy settings reach 95 % test accuracy with LFP and with the gradient baseline",
          arguments: ["blobs", "circles", "swirl"], ["lfp", "gradient"])
    func toySetsReachNinetyFivePercent(dataset: String, method: String) throws {
        let result = try CLIRunner.run(["train", "--dataset", dataset, "--method", method, "--seed", "1", "--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let json = try result.lastJSONObject()
        let accuracy = try #require(json["test_accuracy"] as? Double)
        #expect(accuracy >= 0.95, "\(dataset) \(method): test accuracy \(accuracy)")
        for key in ["train_accuracy", "epochs", "seconds"] { #expect(json[key] != nil, "missing \(key)") }
    }

    @Test("the swirl acceptance command: 15 epochs, seed 1, LFP")
    func swirlAcceptanceCommand() throws {
        let result = try CLIRunner.run(["train", "--dataset", "swirl", "--method", "lfp", "--epochs", "15",
                                        "--seed", "1", "--json"])
        #expect(result.status == 0)
        let json = try result.lastJSONObject()
        #expect((json["test_accuracy"] as? Double ?? 0) >= 0.95)
        #expect(json["epochs"] as? Int == 15)
    }

    @Test("the same seed gives the same results; another seed does not")
    func seedDeterminesTheRun() throws {
        let args = ["train", "--dataset", "blobs", "--epochs", "2", "--json", "--quiet"]
        let a = try CLIRunner.run(args + ["--seed", "3"]).lastJSONObject()
        let b = try CLIRunner.run(args + ["--seed", "3"]).lastJSONObject()
        let c = try CLIRunner.run(args + ["--seed", "4"]).lastJSONObject()
        #expect(a["train_loss"] as? Double == b["train_loss"] as? Double)
        #expect(a["train_loss"] as? Double != c["train_loss"] as? Double)
    }

    @Test("results go to stdout, progress and epoch lines to stderr in JSON mode")
    func jsonModeKeepsStdoutForResults() throws {
        let result = try CLIRunner.run(["train", "--dataset", "blobs", "--epochs", "1", "--json"])
        #expect(result.stdout.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("epoch 1/1"))
    }

    @Test("a JSON config file supplies option values, and options override it")
    func configFileSuppliesOptions() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let config = dir.appendingPathComponent("run.json")
        try Data(#"{"dataset": "blobs", "epochs": 2, "lr": 0.002}"#.utf8).write(to: config)
        let json = try CLIRunner.run(["train", "--config", config.path, "--epochs", "1", "--json", "--quiet"])
            .lastJSONObject()
        #expect(json["dataset"] as? String == "blobs")
        #expect(json["epochs"] as? Int == 1)
        #expect(abs((json["learning_rate"] as? Double ?? 0) - 0.002) < 1e-9)
    }

    @Test("--dataset csv trains on a CSV file with a seeded held-out fifth, or on a given test file")
    func csvFilesTrain() throws {
        let dir = try CLIRunner.temporaryDirectory()
        var rows = ["x,y,label"]
        var rng = SystemRandomNumberGenerator()
        for i in 0..<400 {
            let c = i % 2
            rows.append("\(Double(c) * 2 + Double.random(in: -0.3...0.3, using: &rng)),\(Double.random(in: -1...1, using: &rng)),\(c)")
        }
        let train = dir.appendingPathComponent("train.csv")
        try Data(rows.joined(separator: "\n").utf8).write(to: train)
        let held = try CLIRunner.run(["train", "--dataset", "csv", "--data-file", train.path, "--no-log", "--json", "--quiet"])
        #expect(held.status == 0, "stderr: \(held.stderr)")
        #expect((try held.lastJSONObject()["test_accuracy"] as? Double ?? 0) >= 0.95)
        let test = dir.appendingPathComponent("test.csv")
        try Data((rows.prefix(1) + rows.suffix(50)).joined(separator: "\n").utf8).write(to: test)
        let given = try CLIRunner.run(["train", "--dataset", "csv", "--data-file", train.path, "--test-file", test.path,
                                       "--no-log", "--json", "--quiet"])
        #expect(given.status == 0, "stderr: \(given.stderr)")
        #expect((try given.lastJSONObject()["test_accuracy"] as? Double ?? 0) >= 0.95)
    }

    @Test("--help describes every command")
    func helpIsAvailable() throws {
        for command in [["--help"], ["train", "--help"], ["bench", "--help"]] {
            let result = try CLIRunner.run(command)
            #expect(result.status == 0)
            #expect(result.stdout.contains("usage: lfp"))
        }
    }
}
