import Foundation
import LFP
import Testing
@testable import Rewards

/// Small seeded training runs showing that the non-differentiable rewards train what they promise.
struct RewardLearningTests {
    /// Three Gaussian clusters in the plane with a 90/5/5 class split.
    static func imbalanced(count: Int, seed: UInt64) -> Dataset {
        var rng = SeededGenerator(seed: seed)
        let centres: [(Double, Double)] = [(0, 0), (2, 0), (0, 2)]
        var points: [Float] = [], labels: [Int] = []
        for i in 0..<count {
            let label = i % 20 == 0 ? 1 : (i % 20 == 10 ? 2 : 0)
            points.append(Float(centres[label].0 + 0.6 * rng.normal()))
            points.append(Float(centres[label].1 + 0.6 * rng.normal()))
            labels.append(label)
        }
        return Dataset(name: "imbalanced", inputs: Tensor(shape: [count, 2], scalars: points), labels: labels, classCount: 3)
    }

    static func model(inputs: [Int], outputs: Int, hidden: [Int], seed: UInt64) -> Layer {
        var rng = SeededGenerator(seed: seed)
        return ModelDescription(hiddenWidths: hidden).spec(sampleShape: inputs, classes: outputs, activation: .relu)
            .build(rng: &rng)
    }

    static func train(_ reward: Reward, on data: Dataset, learningRate: Float, epochs: Int, seed: UInt64) throws -> Trainer {
        let configuration = TrainingConfiguration(method: .lfp, learningRate: learningRate, schedule: .oneCycle,
                                                  optimizer: SGD(momentum: 0.9), batchSize: 64, epochs: epochs, seed: seed)
        let trainer = Trainer(model: model(inputs: data.sampleShape, outputs: data.classCount, hidden: [32, 16], seed: seed),
                              configuration: configuration, reward: reward)
        for _ in 0..<epochs { _ = try trainer.trainEpoch(on: data) }
        return trainer
    }

    @Test func f1RewardEndsWithHigherMacroF1ThanCorrectClassRewardOnImbalancedData() throws {
        let train = Self.imbalanced(count: 2000, seed: 1), test = Self.imbalanced(count: 1000, seed: 2)
        let f1 = try Self.train(F1Reward(), on: train, learningRate: 0.001, epochs: 10, seed: 3)
        let correct = try Self.train(CorrectClassReward(), on: train, learningRate: 0.001, epochs: 10, seed: 3)
        let f1Score = Support.macroF1(f1.model, test), correctScore = Support.macroF1(correct.model, test)
        print("imbalanced 90/5/5 macro-F1: f1 reward \(f1Score), correct-class reward \(correctScore)")
        #expect(f1Score > correctScore + 0.1)
        #expect(f1Score > 0.75)
    }

    @Test func falsePositivePenaltyLearnsASeparableToyTask() throws {
        let split = ToyData.blobs(seed: 4)
        let trainer = try Self.train(FalsePositivePenaltyReward(), on: split.train, learningRate: 0.001, epochs: 10, seed: 5)
        let accuracy = trainer.evaluate(split.test).accuracy
        print("blobs with false-positive penalty: test accuracy \(accuracy)")
        #expect(accuracy >= 0.95)
    }

    @Test func levenshteinRewardAtLeastHalvesTheEditDistanceOfAnUntrainedModel() throws {
        let split = DigitStrings.synthetic(seed: 6, positions: 4, trainCount: 2000, testCount: 400)
        let layout = split.train.layout
        let model = Self.model(inputs: split.train.sampleShape, outputs: layout.width, hidden: [128], seed: 7)
        let configuration = TrainingConfiguration(method: .lfp, learningRate: 0.01, schedule: .oneCycle,
                                                  optimizer: SGD(momentum: 0.9), batchSize: 64, epochs: 8, seed: 7)
        let trainer = SequenceTrainer(model: model, configuration: configuration, reward: LevenshteinReward(), layout: layout)
        let before = trainer.evaluate(split.test)
        for _ in 0..<configuration.epochs { _ = try trainer.trainEpoch(on: split.train) }
        let after = trainer.evaluate(split.test)
        print("digit strings: mean edit distance \(before.meanEditDistance) -> \(after.meanEditDistance), exact match \(after.exactMatchRate)")
        #expect(after.meanEditDistance <= before.meanEditDistance / 2)
        #expect(after.exactMatchRate > before.exactMatchRate)
    }
}
