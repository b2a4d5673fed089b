import Foundation
import LFP
import Testing
@testable import Rewards

/// Edit alignment, greedy decoding and the Levenshtein reward's per-position targets.
struct LevenshteinRewardTests {
    @Test func editDistanceMatchesHandComputedCases() {
        #expect(EditAlignment.distance([], []) == 0)
        #expect(EditAlignment.distance([1, 2, 3], []) == 3)
        #expect(EditAlignment.distance([], [4, 4]) == 2)
        // "kitten" -> "sitting" is 3
        #expect(EditAlignment.distance([10, 8, 19, 19, 4, 13], [18, 8, 19, 19, 8, 13, 6]) == 3)
    }

    @Test func alignmentCountsAsManyEditsAsTheDistance() {
        for seed in UInt64(1)...20 {
            let a = Support.randomLabels(count: Int(seed % 6), classes: 3, seed: seed)
            let b = Support.randomLabels(count: Int((seed * 7) % 5), classes: 3, seed: seed + 50)
            let ops = EditAlignment.align(emitted: a, target: b)
            let edits = ops.filter { if case .match = $0 { return false } else { return true } }.count
            #expect(edits == EditAlignment.distance(a, b))
        }
    }

    @Test func alignmentNamesSubstitutionsInsertionsAndDeletions() {
        #expect(EditAlignment.align(emitted: [1, 2], target: [1, 3]) == [.match(emitted: 0, target: 0), .substitution(emitted: 1, target: 1)])
        #expect(EditAlignment.align(emitted: [1, 5, 2], target: [1, 2]) == [.match(emitted: 0, target: 0), .insertion(emitted: 1), .match(emitted: 2, target: 1)])
        #expect(EditAlignment.align(emitted: [2], target: [1, 2]) == [.deletion(target: 0), .match(emitted: 0, target: 1)])
    }

    @Test func greedyDecodingDropsBlanksAndKeepsRepeats() {
        let layout = SequenceLayout(positions: 4, alphabet: 2)   // per position: [sym0, sym1, blank]
        let row: [Float] = [1, 0, 0,  0, 0, 1,  1, 0, 0,  0, 2, 1]
        let decoded = row.withUnsafeBufferPointer { layout.decode($0.baseAddress!) }
        #expect(decoded.symbols == [0, 0, 1])
        #expect(decoded.positions == [0, 2, 3])
    }

    /// Positions: 0 emits 1 (target wants 0: substitution), 1 blank, 2 emits 1 (extra: insertion),
    /// 3 blank. Target [0, 1]: 1 at position 2 matches? Alignment of [1, 1] with [0, 1] is
    /// substitution then match, so position 0 wants 0 and position 2 keeps 1.
    @Test func planGivesEachPositionItsDesiredSymbol() {
        let layout = SequenceLayout(positions: 4, alphabet: 2)
        let reward = LevenshteinReward(alphabet: 2, weights: (1, 2, 3, 4, 5))
        let row: [Float] = [0, 1, 0,  0, 0, 1,  0, 1, 0,  0, 0, 1]
        let plan = row.withUnsafeBufferPointer { reward.plan($0.baseAddress!, target: [0, 1], layout: layout) }
        #expect(plan.symbols == [0, 2, 1, 2])
        #expect(plan.weights == [2, 5, 1, 5])
    }

    @Test func planPutsAMissingSymbolAtTheFreePositionThatScoresItHighest() {
        let layout = SequenceLayout(positions: 4, alphabet: 2)
        let reward = LevenshteinReward(alphabet: 2, weights: (1, 2, 3, 4, 5))
        // Emits only 0 at position 0; target [0, 1] misses the 1. Position 2 favours 1 most.
        let row: [Float] = [2, 0, 0,  0, 0.1, 1,  0, 0.8, 1,  0, 0.2, 1]
        let plan = row.withUnsafeBufferPointer { reward.plan($0.baseAddress!, target: [0, 1], layout: layout) }
        #expect(plan.symbols == [0, 2, 1, 2])
        #expect(plan.weights == [1, 5, 4, 5])
        // An extra symbol must go: target [1] against emitted [0] at position 0 and nothing else ->
        // substitution; target [] -> insertion (desired blank).
        let none = row.withUnsafeBufferPointer { reward.plan($0.baseAddress!, target: [], layout: layout) }
        #expect(none.symbols == [2, 2, 2, 2])
        #expect(none.weights == [3, 5, 5, 5])
    }

    @Test func rewardIsTableTwoNumberThreePerPositionAgainstTheDesiredSymbol() throws {
        let o = Tensor(shape: [1, 6], scalars: [0.5, 1.5, -0.3,  0.2, -1, 0.7])   // T = 2, A = 2
        let r = try LevenshteinReward(alphabet: 2)(outputs: o, targets: .sequences([[1]]))
        // position 0 emits 1 = target: desired 1; position 1 emits blank: desired blank (2).
        let expected = try SoftmaxCrossEntropyReward()(outputs: o.reshaped([2, 3]), targets: .classes([1, 2]))
        #expect(zip(r.scalars, expected.scalars).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test func withoutConvergenceOnlySymbolsOutrankingTheDesiredOneArePunishedBySign() throws {
        let o = Tensor(shape: [1, 3], scalars: [0.5, -1.5, 0.3])   // T = 1, A = 2; emits 0, target [1]
        let r = try LevenshteinReward(alphabet: 2, convergence: false, magnitude: false)(outputs: o, targets: .sequences([[1]]))
        #expect(r.scalars == [-1, -1, -1])   // 0 and blank outrank 1: -sign(+) ; desired 1: +sign(-1) = -1
    }
}
