import Foundation
import LFP
import Testing
@testable import Rewards

/// Every catalog reward rejects malformed input with an error naming itself.
struct RewardValidationTests {
    /// Well-formed outputs and targets for `reward`.
    func sample(for reward: Reward) -> (Tensor, Targets) {
        if reward.info.id == "levenshtein" {
            return (Support.randomOutputs(rows: 2, columns: 22, seed: 1), .sequences([[1, 2], [3]]))
        }
        if reward.info.id == "spike-rate" {
            return (Support.randomOutputs(rows: 6, columns: 3, seed: 1).reshaped([3, 2, 3]), .spikeClasses([0, 2], timeSteps: 3))
        }
        return (Support.randomOutputs(rows: 2, columns: 3, seed: 1), .classes([0, 2]))
    }

    func expectError(naming id: String, _ body: () throws -> Tensor) {
        do {
            _ = try body()
            Issue.record("reward \(id) accepted bad input")
        } catch let error as RewardError {
            #expect(error.description.contains("'\(id)'"), "\(error)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func wellFormedInputGivesFiniteRewardsOfTheOutputsShape() throws {
        for reward in RewardCatalog.all {
            let (o, t) = sample(for: reward)
            let r = try reward(outputs: o, targets: t)
            #expect(r.shape == o.shape && r.isFinite, "\(reward.info.id)")
        }
    }

    @Test func nanOrInfiniteOutputsAreRejectedNamingTheReward() {
        for reward in RewardCatalog.all {
            for bad in [Float.nan, Float.infinity] {
                var (o, t) = sample(for: reward)
                o.scalars[1] = bad
                expectError(naming: reward.info.id) { try reward(outputs: o, targets: t) }
            }
        }
    }

    @Test func targetCountMismatchIsRejectedNamingTheReward() {
        for reward in RewardCatalog.all {
            let (o, t) = sample(for: reward)
            let wrong: Targets = reward.info.id == "levenshtein" ? .sequences([[1]]) : .classes([0, 1, 2])
            #expect(wrong.count != t.count)
            expectError(naming: reward.info.id) { try reward(outputs: o, targets: wrong) }
        }
    }

    @Test func labelsOutOfRangeAndWrongTargetKindsAreRejected() {
        for reward in RewardCatalog.all {
            let (o, t) = sample(for: reward)
            let outOfRange: Targets = reward.info.id == "levenshtein" ? .sequences([[1], [10]]) : .classes([0, 3])
            expectError(naming: reward.info.id) { try reward(outputs: o, targets: outOfRange) }
            let otherKind: Targets = reward.info.id == "levenshtein" ? .classes([0, 1]) : .sequences([[0], [1]])
            #expect(otherKind.count == t.count)
            expectError(naming: reward.info.id) { try reward(outputs: o, targets: otherKind) }
        }
    }

    @Test func sequenceOutputsWhoseWidthIsNotPositionsTimesSymbolsAreRejected() {
        let o = Support.randomOutputs(rows: 1, columns: 23, seed: 2)
        expectError(naming: "levenshtein") { try LevenshteinReward()(outputs: o, targets: .sequences([[1]])) }
        let flat = Tensor(shape: [22], repeating: 0)
        expectError(naming: "levenshtein") { try LevenshteinReward()(outputs: flat, targets: .sequences([[1]])) }
    }
}
