import Testing
@testable import LFP

/// Seeded mini-batch order: coverage, determinism, the partial last batch, and gathering.
@Suite struct BatchOrderTests {
    @Test func unshuffledKeepsOrderAndLastPartialBatch() {
        var rng = SeededGenerator(seed: 1)
        let before = rng
        let order = BatchOrder(count: 10, batchSize: 4, shuffle: false, rng: &rng)
        #expect(rng == before, "an unshuffled order must not draw random numbers")
        #expect(order.batchCount == 3)
        #expect(order.batches.map(Array.init) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
    }

    @Test func dropLastLeavesOutThePartialBatch() {
        var rng = SeededGenerator(seed: 1)
        let order = BatchOrder(count: 10, batchSize: 4, shuffle: false, dropLast: true, rng: &rng)
        #expect(order.batchCount == 2)
        #expect(order.batches.map(\.count) == [4, 4])
        let exact = BatchOrder(count: 8, batchSize: 4, shuffle: true, dropLast: true, rng: &rng)
        #expect(exact.batchCount == 2)
    }

    @Test func shuffledIsASeededPermutation() {
        var a = SeededGenerator(seed: 9), b = SeededGenerator(seed: 9)
        let first = BatchOrder(count: 1000, batchSize: 128, shuffle: true, rng: &a)
        let same = BatchOrder(count: 1000, batchSize: 128, shuffle: true, rng: &b)
        #expect(first == same)
        #expect(first.order.sorted() == Array(0..<1000))
        #expect(first.order != Array(0..<1000))
        #expect(first.batches.map(\.count) == [128, 128, 128, 128, 128, 128, 128, 104])
        #expect(first.batches.flatMap { $0 } == first.order)
        // The next epoch, from the advanced generator, is a different order.
        let next = BatchOrder(count: 1000, batchSize: 128, shuffle: true, rng: &a)
        #expect(next.order != first.order)
    }

    @Test func emptyAndOversizedBatches() {
        var rng = SeededGenerator(seed: 2)
        #expect(BatchOrder(count: 0, batchSize: 8, shuffle: true, rng: &rng).batches.isEmpty)
        let one = BatchOrder(count: 5, batchSize: 100, shuffle: true, rng: &rng)
        #expect(one.batchCount == 1)
        #expect(one.batch(0).sorted() == [0, 1, 2, 3, 4])
    }

    @Test func batchesGatherTheirSamples() {
        let inputs = Tensor(shape: [6, 1, 1, 2], scalars: (0..<12).map(Float.init))
        let set = Dataset(name: "t", inputs: inputs, labels: [0, 1, 2, 0, 1, 2], classCount: 3)
        var rng = SeededGenerator(seed: 4)
        let order = BatchOrder(count: set.count, batchSize: 4, shuffle: true, rng: &rng)
        var batch = Tensor(shape: [0])
        var labels: [Int] = []
        for indices in order.batches {
            set.gather(indices, into: &batch, labels: &labels)
            #expect(batch.shape == [indices.count, 1, 1, 2])
            for (row, index) in indices.enumerated() {
                #expect(batch[row, 0, 0, 1] == Float(2 * index + 1))
                #expect(labels[row] == index % 3)
            }
        }
    }
}
