import Foundation
import LFP
import Testing
@testable import Rewards

/// `lfp rewards` and `lfp train --reward-command / --task sequence`, run as the built binary.
@Suite(.serialized)
struct RewardsCLITests {
    @Test func listJSONPrintsOneArrayOfTheCatalogWithEveryRewardInfoField() throws {
        let run = try Support.runLFP(["rewards", "list", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let array = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(array.map { $0["id"] as? String } == RewardCatalog.all.map(\.info.id))
        for entry in array {
            for key in ["id", "version", "name", "summary", "description", "differentiable", "gradientEquivalentLoss",
                        "paperReference", "parameters", "batchCoupled"] {
                #expect(entry.keys.contains(key), "\(entry["id"] ?? "?") lacks \(key)")
            }
        }
        let f1 = try #require(array.first { $0["id"] as? String == "f1" })
        #expect((f1["parameters"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["convergence", "magnitude"])
        #expect(f1["batchCoupled"] as? Bool == true)
    }

    @Test func listAndShowExplainRewardsAndUnknownIdsExitWithUsage() throws {
        let list = try Support.runLFP(["rewards", "list"])
        #expect(list.status == 0 && list.stdout.contains("softmax-ce") && list.stdout.contains("(default)"))
        let show = try Support.runLFP(["rewards", "show", "levenshtein"])
        #expect(show.status == 0 && show.stdout.contains("deletion") && show.stdout.contains("differentiable:"))
        let unknown = try Support.runLFP(["rewards", "show", "nope"])
        #expect(unknown.status == 64 && unknown.stderr.contains("unknown reward 'nope'"))
    }

    @Test func trainWithThePythonRewardProgramLearnsBlobs() throws {
        let run = try Support.runLFP(["train", "--dataset", "blobs", "--quiet", "--json", "--no-log",
                                      "--reward-command", RewardProgramTests.example])
        #expect(run.status == 0, "\(run.stderr)")
        let last = try #require(run.stdout.split(separator: "\n").last)
        let results = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        #expect((results["test_accuracy"] as? Double ?? 0) >= 0.95)
    }

    @Test func trainWithACrashingProgramFailsNamingTheProgramAndBatch() throws {
        let command = try Support.pythonProgram("""
        import sys, json
        for i, line in enumerate(sys.stdin):
            if i == 2:
                sys.exit("gave up on the third batch")
            n, m = json.loads(line)["shape"]
            print(json.dumps({"rewards": [[0] * m] * n}), flush=True)
        """)
        let run = try Support.runLFP(["train", "--dataset", "blobs", "--epochs", "1", "--quiet", "--no-log", "--reward-command", command])
        #expect(run.status == 70)
        #expect(run.stderr.contains(command) && run.stderr.contains("batch 3") && run.stderr.contains("gave up on the third batch"),
                "\(run.stderr)")
    }

    @Test func trainWithAHangingProgramStopsAfterTheRewardTimeout() throws {
        let command = try Support.pythonProgram("import time\ntime.sleep(60)\n")
        let started = Date()
        let run = try Support.runLFP(["train", "--dataset", "blobs", "--epochs", "1", "--quiet", "--no-log",
                                      "--reward-command", command, "--reward-timeout", "1"])
        #expect(run.status == 70 && run.stderr.contains("no answer within 1 s"), "\(run.stderr)")
        #expect(Date().timeIntervalSince(started) < 15)
    }

    @Test func sequenceTaskReportsEditDistanceAndExactMatch() throws {
        let run = try Support.runLFP(["train", "--task", "sequence", "--epochs", "3", "--quiet", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let last = try #require(run.stdout.split(separator: "\n").last)
        let results = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        let before = try #require(results["initial_test_edit_distance"] as? Double)
        let after = try #require(results["test_edit_distance"] as? Double)
        #expect(results["reward"] as? String == "levenshtein")
        #expect(results["test_exact_match"] is Double)
        #expect(after < before)
    }
}
