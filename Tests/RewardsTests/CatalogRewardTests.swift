import Foundation
import LFP
import Testing
@testable import Rewards

/// Hand-computed values of the classification rewards and the catalog's selection syntax.
struct CatalogRewardTests {
    let outputs = Tensor(shape: [3, 3], scalars: [2, -1, 0.5,   // sample 0: label 0, correct
                                                  1, 3, -2,     // sample 1: label 0, predicted 1
                                                  -1, -3, -2])  // sample 2: label 0 (o = -1 is the max)
    let labels = [0, 0, 0]

    @Test func correctClassRewardsOnlyTheLabelOfCorrectSamplesBySign() throws {
        let r = try CorrectClassReward()(outputs: outputs, targets: .classes(labels))
        #expect(r.scalars == [1, 0, 0,  0, 0, 0,  -1, 0, 0])
    }

    @Test func falsePositivePenaltyPunishesEveryOutputAboveTheTrueClass() throws {
        let r = try FalsePositivePenaltyReward()(outputs: outputs, targets: .classes([1, 0, 2]))
        // sample 0 label 1 (o=-1): 2 and 0.5 beat it -> -sign = -1, -1.
        // sample 1 label 0 (o=1): 3 beats it -> -1. sample 2 label 2 (o=-2): -1 beats it -> -sign(-1) = +1.
        #expect(r.scalars == [-1, 0, -1,  0, -1, 0,  1, 0, 0])
    }

    @Test func boundedSoftmaxClipsTheSoftmaxAndCanUseSignsOnly() throws {
        let o = Tensor(shape: [1, 2], scalars: [0, Float(log(3.0))])   // softmax = [0.25, 0.75]
        let plain = try BoundedSoftmaxReward(lower: 0.3, upper: 0.6)(outputs: o, targets: .classes([1]))
        #expect(abs(plain.scalars[0] - 0) < 1e-6)                                  // o = 0
        #expect(abs(plain.scalars[1] - Float(log(3.0)) * (1 - 0.6)) < 1e-6)         // clipped to 0.6
        let signs = try BoundedSoftmaxReward(lower: 0.3, upper: 0.6, signOnly: true)(outputs: o, targets: .classes([1]))
        #expect(abs(signs.scalars[0] - (-0.3)) < 1e-6)                              // sign(0) = +1, clipped to 0.3
        #expect(abs(signs.scalars[1] - 0.4) < 1e-6)
    }

    @Test func boundedSoftmaxWithDefaultBoundsEqualsTableTwoNumberThree() throws {
        let o = Support.randomOutputs(rows: 16, columns: 5, seed: 3)
        let y = Support.randomLabels(count: 16, classes: 5, seed: 4)
        let a = try BoundedSoftmaxReward()(outputs: o, targets: .classes(y))
        let b = try SoftmaxCrossEntropyReward()(outputs: o, targets: .classes(y))
        #expect(zip(a.scalars, b.scalars).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test func catalogIdsAreUniqueAndIncludeEveryIssuedReward() {
        let ids = RewardCatalog.all.map(\.info.id)
        #expect(Set(ids).count == ids.count)
        for id in ["correct-class", "false-positive-penalty", "softmax-ce", "sigmoid-ce", "bounded-softmax", "f1", "levenshtein"] {
            #expect(ids.contains(id))
        }
        #expect(ids.contains(RewardCatalog.defaultID))
    }

    @Test func selectionWithParametersBuildsAConfiguredReward() throws {
        let reward = try RewardCatalog.reward(id: "bounded-softmax:lower=0.1,upper=0.9,signOnly=1")
        let bounded = try #require(reward as? BoundedSoftmaxReward)
        #expect(bounded.lower == 0.1 && bounded.upper == 0.9 && bounded.signOnly)
        let f1 = try #require(try RewardCatalog.reward(id: "f1:magnitude=0") as? F1Reward)
        #expect(f1.convergence && !f1.magnitude)
    }

    @Test func selectionRejectsUnknownIdsParametersAndBadValues() {
        #expect(throws: RewardCatalogError.self) { try RewardCatalog.reward(id: "nope") }
        #expect(throws: RewardCatalogError.self) { try RewardCatalog.reward(id: "f1:speed=2") }
        #expect(throws: RewardCatalogError.self) { try RewardCatalog.reward(id: "softmax-ce:x=1") }
        #expect(throws: RewardCatalogError.self) { try RewardCatalog.reward(id: "bounded-softmax:lower=0.8,upper=0.2") }
        #expect(throws: RewardCatalogError.self) { try RewardCatalog.reward(id: "f1:convergence=yes") }
    }
}
