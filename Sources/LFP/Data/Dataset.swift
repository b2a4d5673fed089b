/// A labelled set of samples held in memory: `inputs` is `[N, ...sampleShape]`, `labels` holds
/// one class per sample. Toy generators, IDX and CSV readers all produce this.
public struct Dataset: Sendable {
    /// Short name, e.g. `swirl` or `mnist-train`.
    public var name: String
    /// All samples stacked along the first dimension.
    public var inputs: Tensor
    /// Class index of each sample, in `0..<classCount`.
    public var labels: [Int]
    /// Number of classes.
    public var classCount: Int

    /// A dataset; `labels.count` must equal the first dimension of `inputs`.
    public init(name: String, inputs: Tensor, labels: [Int], classCount: Int) {
        precondition(inputs.rows == labels.count, "\(inputs.rows) samples but \(labels.count) labels")
        self.name = name
        self.inputs = inputs
        self.labels = labels
        self.classCount = classCount
    }

    /// Number of samples.
    public var count: Int { labels.count }
    /// Shape of one sample (e.g. `[2]` or `[1, 28, 28]`).
    public var sampleShape: [Int] { Array(inputs.shape.dropFirst()) }
    /// Elements per sample.
    public var featureCount: Int { inputs.columns }

    /// Copies the samples at `indices` into `batch` (reshaped to `[indices.count, ...sampleShape]`,
    /// storage reused when the size matches) and their labels into `batchLabels`.
    public func gather(_ indices: ArraySlice<Int>, into batch: inout Tensor, labels batchLabels: inout [Int]) {
        inputs.gatherRows(indices, into: &batch)
        batchLabels.removeAll(keepingCapacity: true)
        for index in indices { batchLabels.append(labels[index]) }
    }

    /// The first `n` samples (or all, if fewer).
    public func prefix(_ n: Int) -> Dataset {
        let k = min(n, count)
        return Dataset(name: name, inputs: inputs.rows(0..<k), labels: Array(labels[0..<k]), classCount: classCount)
    }
}

/// A training set and the test set it is evaluated on.
public struct DataSplit: Sendable {
    /// Samples the model trains on.
    public var train: Dataset
    /// Held-out samples for evaluation.
    public var test: Dataset

    /// A split.
    public init(train: Dataset, test: Dataset) {
        self.train = train
        self.test = test
    }
}

/// Why a data file could not be read.
public enum DataError: Error, CustomStringConvertible, Equatable {
    /// The file does not exist or cannot be opened.
    case missing(path: String)
    /// The file exists but its content is not what the format requires.
    case malformed(path: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let p): return "cannot open \(p): no such file or not readable"
        case .malformed(let p, let r): return "\(p): \(r)"
        }
    }
}

extension Dataset {
    /// The samples at `indices`, in that order, as a new dataset.
    public func subset(_ indices: ArraySlice<Int>, name: String) -> Dataset {
        var inputs = Tensor(shape: [0]), picked: [Int] = []
        gather(indices, into: &inputs, labels: &picked)
        return Dataset(name: name, inputs: inputs, labels: picked, classCount: classCount)
    }

    /// A seeded random split into training and test samples; `testFraction` of the samples (at
    /// least one, when there are two or more) go to the test set.
    public func split(testFraction: Double, seed: UInt64) -> DataSplit {
        var rng = SeededGenerator(seed: seed ^ 0x5B11_7DA7_A5E7_0001)
        let order = rng.permutation(count)
        let testCount = count < 2 ? 0 : min(count - 1, max(1, Int((Double(count) * testFraction).rounded())))
        return DataSplit(train: subset(order[testCount...], name: name + "-train"),
                         test: subset(order[..<testCount], name: name + "-test"))
    }
}
