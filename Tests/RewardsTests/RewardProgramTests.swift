import Foundation
import LFP
import Testing
@testable import Rewards

/// The reward-program line protocol, end to end with real processes.
@Suite(.serialized)
struct RewardProgramTests {
    let outputs = Support.randomOutputs(rows: 6, columns: 4, seed: 21)
    let labels = Support.randomLabels(count: 6, classes: 4, seed: 22)
    static let example = "python3 " + Support.packageRoot.appendingPathComponent("Rewards/Examples/softmax_reward.py").path

    func expectFailure(_ command: String, timeout: Double = 10, containing parts: [String]) {
        let program = RewardProgram(command: command, timeout: timeout)
        do {
            _ = try program(outputs: outputs, targets: .classes(labels))
            Issue.record("program '\(command)' was accepted")
        } catch {
            let text = "\(error)"
            #expect(text.contains(command), "message should name the program: \(text)")
            #expect(text.contains("batch 1"), "message should name the batch: \(text)")
            for part in parts { #expect(text.contains(part), "expected '\(part)' in: \(text)") }
        }
    }

    @Test func pythonExampleReproducesTheBuiltInSoftmaxRewardOverSeveralBatches() throws {
        let program = RewardProgram(command: Self.example, timeout: 20)
        for batch in 0..<3 {
            let o = Support.randomOutputs(rows: 5 + batch, columns: 3, seed: UInt64(batch))
            let y = Support.randomLabels(count: 5 + batch, classes: 3, seed: UInt64(batch + 9))
            let fromProgram = try program(outputs: o, targets: .classes(y))
            let builtIn = try SoftmaxCrossEntropyReward()(outputs: o, targets: .classes(y))
            #expect(fromProgram.shape == o.shape)
            #expect(zip(fromProgram.scalars, builtIn.scalars).allSatisfy { abs($0 - $1) < 1e-5 })
        }
        #expect(program.batchesSent == 3)
    }

    @Test func requestLineCarriesBatchShapeOutputsAndTargets() throws {
        let o = Tensor(shape: [2, 2], scalars: [0.5, -1, 2, 0])
        let line = RewardProgram.request(batch: 7, outputs: o, targets: .sequences([[1, 2], []]))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["batch"] as? Int == 7)
        #expect(object["shape"] as? [Int] == [2, 2])
        #expect((object["outputs"] as? [[Double]]) == [[0.5, -1], [2, 0]])
        let targets = try #require(object["targets"] as? [String: Any])
        #expect(targets["kind"] as? String == "sequences")
        #expect(targets["sequences"] as? [[Int]] == [[1, 2], []])
        #expect(line.hasSuffix("}\n") && line.filter { $0 == "\n" }.count == 1)
    }

    @Test func integerRewardsAreAccepted() throws {
        let command = try Support.pythonProgram("""
        import sys, json
        for line in sys.stdin:
            n, m = json.loads(line)["shape"]
            print(json.dumps({"rewards": [[1] * m for _ in range(n)]}), flush=True)
        """)
        let r = try RewardProgram(command: command)(outputs: outputs, targets: .classes(labels))
        #expect(r.scalars.allSatisfy { $0 == 1 })
    }

    @Test func crashingProgramEndsWithItsExitStatusAndStderr() throws {
        let command = try Support.pythonProgram("""
        import sys
        sys.stdin.readline()
        print("reward blew up: division by zero", file=sys.stderr)
        sys.exit(3)
        """)
        expectFailure(command, containing: ["exited with status 3", "reward blew up"])
    }

    @Test func missingProgramIsReportedWithTheShellsMessage() {
        expectFailure("/nonexistent/reward-program --flag", containing: ["exited with status 127", "not found"])
    }

    @Test func hangingProgramIsKilledAfterTheTimeout() throws {
        let command = try Support.pythonProgram("""
        import sys, time
        sys.stdin.readline()
        print("thinking...", file=sys.stderr, flush=True)
        time.sleep(60)
        """)
        let started = Date()
        expectFailure(command, timeout: 1, containing: ["no answer within 1 s", "thinking..."])
        #expect(Date().timeIntervalSince(started) < 10)
    }

    /// Each case is a Python expression for the line the program prints, and a part of the error.
    @Test func garbageWrongShapesAndNonFiniteAnswersAreRejected() throws {
        let cases: [(String, String)] = [
            ("'hello there'", "not a JSON object"),
            ("'[1, 2]'", "not a JSON object"),
            ("json.dumps({'reward': []})", "no \"rewards\" array"),
            ("json.dumps({'rewards': [[1, 2]]})", "wrong shape: 1 reward rows for 6 samples"),
            ("json.dumps({'rewards': [[1, 2, 3, 4]] * 5 + [[1, 2, 3]]})", "reward row 5 must be an array of 4 numbers"),
            ("json.dumps({'rewards': [[1, 'x', 3, 4]] * 6})", "non-number"),
            ("json.dumps({'rewards': [[1, True, 3, 4]] * 6})", "non-number"),
            ("json.dumps({'rewards': [[1, float('nan'), 3, 4]] * 6})", "not a JSON object"),
            ("json.dumps({'rewards': [[1, 1e39, 3, 4]] * 6})", "non-finite"),
            ("json.dumps({'error': 'labels unknown'})", "the program reported an error: labels unknown"),
        ]
        for (expression, part) in cases {
            let command = try Support.pythonProgram("""
            import sys, json
            sys.stdin.readline()
            print(\(expression), flush=True)
            """)
            expectFailure(command, containing: [part])
        }
    }
}
