import Foundation
import Testing
@testable import LFP

/// The toy sets of Appendix A.6.1: sizes, determinism, balance, and that they are as learnable as
/// their documentation claims.
@Suite struct ToyDataTests {
    /// Counts of each label.
    private func histogram(_ set: Dataset) -> [Int] {
        var counts = [Int](repeating: 0, count: set.classCount)
        for label in set.labels { counts[label] += 1 }
        return counts
    }

    @Test(arguments: [("blobs", 1000, 100, 2), ("circles", 10_000, 500, 2), ("swirl", 10_000, 500, 3)])
    func sizesShapesAndBalance(name: String, trainCount: Int, testCount: Int, classes: Int) throws {
        let split = try #require(ToyData.named(name, seed: 1))
        for (set, count, suffix) in [(split.train, trainCount, "train"), (split.test, testCount, "test")] {
            #expect(set.name == "\(name)-\(suffix)")
            #expect(set.inputs.shape == [count, 2])
            #expect(set.count == count)
            #expect(set.classCount == classes)
            #expect(set.inputs.isFinite)
            let counts = histogram(set)
            #expect(counts.max()! - counts.min()! <= 1, "classes unbalanced: \(counts)")
        }
    }

    @Test(arguments: ToyData.names)
    func sameSeedSameData(name: String) throws {
        let a = try #require(ToyData.named(name, seed: 42))
        let b = try #require(ToyData.named(name, seed: 42))
        #expect(a.train.inputs == b.train.inputs)
        #expect(a.train.labels == b.train.labels)
        #expect(a.test.inputs == b.test.inputs)
        let c = try #require(ToyData.named(name, seed: 43))
        #expect(a.train.inputs != c.train.inputs)
        #expect(a.test.inputs != c.test.inputs)
    }

    @Test(arguments: ToyData.names)
    func trainAndTestAreDifferentDraws(name: String) throws {
        let split = try #require(ToyData.named(name, seed: 7))
        let testPoints = split.test.inputs.scalars
        #expect(Array(split.train.inputs.scalars.prefix(testPoints.count)) != testPoints)
        // The test set does not depend on the train set's size.
        let small = ToyData.blobs(seed: 7, trainCount: 10)
        #expect(small.test.inputs == ToyData.blobs(seed: 7).test.inputs)
    }

    @Test func namesAreCaseInsensitiveAndUnknownIsNil() {
        #expect(ToyData.named("Swirls", seed: 0)?.train.classCount == 3)
        #expect(ToyData.named("CIRCLES", seed: 0) != nil)
        #expect(ToyData.named("moons", seed: 0) == nil)
    }

    @Test func blobsMatchTheirCentresAndSpread() {
        let set = ToyData.blobs(seed: 3).train
        let centres: [[Double]] = [[1, 1], [2, 2]]
        var sum = [[Double]](repeating: [0, 0], count: 2)
        var squares = [[Double]](repeating: [0, 0], count: 2)
        let counts = histogram(set)
        for i in 0..<set.count {
            let c = set.labels[i]
            for d in 0..<2 {
                let v = Double(set.inputs[i, d])
                sum[c][d] += v
                squares[c][d] += v * v
            }
        }
        for c in 0..<2 {
            for d in 0..<2 {
                let mean = sum[c][d] / Double(counts[c])
                let deviation = (squares[c][d] / Double(counts[c]) - mean * mean).squareRoot()
                #expect(abs(mean - centres[c][d]) < 0.04)
                #expect(abs(deviation - 0.2) < 0.03)
            }
        }
    }

    @Test func circlesAreARingAroundADisc() {
        let set = ToyData.circles(seed: 5).test
        var correct = 0
        for i in 0..<set.count {
            let x = Double(set.inputs[i, 0]), y = Double(set.inputs[i, 1])
            let radius = (x * x + y * y).squareRoot()
            if (radius < 0.55 ? 1 : 0) == set.labels[i] { correct += 1 }
        }
        // A radius threshold is close to the Bayes-optimal rule (0.985).
        let accuracy = Double(correct) / Double(set.count)
        #expect(accuracy >= 0.95 && accuracy < 1, "radius-threshold accuracy \(accuracy)")
    }

    @Test func swirlIsSeparableByNeighbours() {
        let split = ToyData.swirl(seed: 11)
        let train = split.train, test = split.test
        var correct = 0
        train.inputs.scalars.withUnsafeBufferPointer { p in
            test.inputs.scalars.withUnsafeBufferPointer { q in
                for j in 0..<test.count {
                    let x = q[2 * j], y = q[2 * j + 1]
                    var best = Float.infinity, bestIndex = 0
                    for i in 0..<train.count {
                        let dx = p[2 * i] - x, dy = p[2 * i + 1] - y
                        let d = dx * dx + dy * dy
                        if d < best { best = d; bestIndex = i }
                    }
                    if train.labels[bestIndex] == test.labels[j] { correct += 1 }
                }
            }
        }
        let accuracy = Double(correct) / Double(test.count)
        #expect(accuracy >= 0.97, "1-nearest-neighbour accuracy \(accuracy)")
        // The arms stay within the unit disc up to noise.
        #expect(train.inputs.maxAbs() < 1.3)
    }
}
