import Foundation
import LFP
import Rewards
import Testing

@Suite("spike-rate reward (Eq. A.4)")
struct SpikeRateRewardTests {
    /// Flattens nested JSON arrays of numbers in row-major order.
    func flatten(_ value: Any) -> [Float] {
        if let list = value as? [Any] { return list.flatMap(flatten) }
        return [Float((value as? NSNumber)?.doubleValue ?? .nan)]
    }

    @Test("reproduces the reference implementation's reward for the recorded output spikes")
    func matchesTheConformanceCase() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let directory = ProcessInfo.processInfo.environment["LFP_CONFORMANCE_DIR"].map { URL(fileURLWithPath: $0) }
            ?? root.deletingLastPathComponent().appendingPathComponent("shared/conformance")
        let data = try Data(contentsOf: directory.appendingPathComponent("snn_lif_mlp.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let spikes = try #require(json["output_spikes"] as? [String: Any])
        let expected = try #require(json["reward_tensor"] as? [String: Any])
        let shape = try #require(spikes["shape"] as? [Int])
        let labels = try #require(json["labels"] as? [Int])
        let outputs = Tensor(shape: shape, scalars: flatten(spikes["data"]!))
        let reward = try SpikeRateReward()(outputs: outputs, targets: .spikeClasses(labels, timeSteps: shape[0]))
        let want = flatten(expected["data"]!)
        let scale = want.map { abs($0) }.max() ?? 1
        for (got, ref) in zip(reward.scalars, want) {
            #expect(abs(got - ref) <= 1e-4 * scale + 1e-6, "got \(got), expected \(ref)")
        }
    }

    @Test("hand-computed: T = 2, the true class spiking once is encouraged, a spiking wrong class punished")
    func handComputedValues() throws {
        // T = 2, N = 1, C = 2, label 0. Class 0 spikes at t=0 only: pos = 1, floor(T/2) = 1,
        // 1 − σ(0) = 0.5 at both steps. Class 1 spikes at both steps: neg = 0,
        // 1 − σ(−1) = 0.7310586; r = −s·0.7310586 = −0.7310586 at both steps.
        let outputs = Tensor(shape: [2, 1, 2], scalars: [1, 1, 0, 1])
        let r = try SpikeRateReward()(outputs: outputs, targets: .spikeClasses([0], timeSteps: 2))
        let expected: [Float] = [0.5, -0.7310586, 0.5, -0.7310586]
        for (got, want) in zip(r.scalars, expected) { #expect(abs(got - want) < 1e-6) }
    }

    @Test("class labels or a wrong shape are refused naming the reward")
    func refusesWrongTargetsAndShapes() {
        let outputs = Tensor(shape: [2, 1, 2], scalars: [1, 1, 0, 1])
        #expect(throws: RewardError.self) { try SpikeRateReward()(outputs: outputs, targets: .classes([0])) }
        #expect(throws: RewardError.self) {
            try SpikeRateReward()(outputs: outputs, targets: .spikeClasses([0], timeSteps: 3))
        }
    }
}
