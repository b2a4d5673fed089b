import Testing
@testable import LFP

/// Seeded train/test splits of a dataset.
@Suite struct DatasetSplitTests {
    func numbered(_ n: Int) -> Dataset {
        Dataset(name: "d", inputs: Tensor(shape: [n, 1], scalars: (0..<n).map(Float.init)),
                labels: (0..<n).map { $0 % 3 }, classCount: 3)
    }

    @Test func splitPartitionsTheSamplesKeepingEachWithItsLabel() {
        let split = numbered(50).split(testFraction: 0.2, seed: 7)
        #expect(split.test.count == 10 && split.train.count == 40)
        let seen = (split.train.inputs.scalars + split.test.inputs.scalars).map(Int.init).sorted()
        #expect(seen == Array(0..<50))
        for part in [split.train, split.test] {
            for (value, label) in zip(part.inputs.scalars, part.labels) { #expect(Int(value) % 3 == label) }
        }
    }

    @Test func sameSeedSameSplitOtherSeedAnother() {
        let a = numbered(30).split(testFraction: 0.3, seed: 1)
        let b = numbered(30).split(testFraction: 0.3, seed: 1)
        let c = numbered(30).split(testFraction: 0.3, seed: 2)
        #expect(a.test.inputs == b.test.inputs)
        #expect(a.test.inputs != c.test.inputs)
    }

    @Test func tinySetsKeepAtLeastOneTrainingSample() {
        #expect(numbered(1).split(testFraction: 0.5, seed: 1).train.count == 1)
        let two = numbered(2).split(testFraction: 0.9, seed: 1)
        #expect(two.train.count == 1 && two.test.count == 1)
    }
}
