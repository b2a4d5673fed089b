/// A set of samples labelled with symbol sequences, for sequence heads (`SequenceLayout`):
/// `inputs` is `[N, ...sampleShape]` and `sequences[b]` holds sample `b`'s target symbols in
/// `0..<layout.alphabet`, at most `layout.positions` of them.
public struct SequenceDataset: Sendable {
    /// Short name, e.g. `digit-strings-train`.
    public var name: String
    /// All samples stacked along the first dimension.
    public var inputs: Tensor
    /// The target sequence of each sample.
    public var sequences: [[Int]]
    /// The head layout the targets fit.
    public var layout: SequenceLayout

    /// A dataset; `sequences.count` must equal the first dimension of `inputs`.
    public init(name: String, inputs: Tensor, sequences: [[Int]], layout: SequenceLayout) {
        precondition(inputs.rows == sequences.count, "\(inputs.rows) samples but \(sequences.count) sequences")
        self.name = name
        self.inputs = inputs
        self.sequences = sequences
        self.layout = layout
    }

    /// Number of samples.
    public var count: Int { sequences.count }
    /// Shape of one sample.
    public var sampleShape: [Int] { Array(inputs.shape.dropFirst()) }

    /// Copies the samples at `indices` into `batch` (storage reused when the size matches) and
    /// their target sequences into `batchSequences`.
    public func gather(_ indices: ArraySlice<Int>, into batch: inout Tensor, sequences batchSequences: inout [[Int]]) {
        inputs.gatherRows(indices, into: &batch)
        batchSequences.removeAll(keepingCapacity: true)
        for index in indices { batchSequences.append(sequences[index]) }
    }
}

/// A sequence training set and the test set it is evaluated on.
public struct SequenceSplit: Sendable {
    /// Samples the model trains on.
    public var train: SequenceDataset
    /// Held-out samples for evaluation.
    public var test: SequenceDataset

    /// A split.
    public init(train: SequenceDataset, test: SequenceDataset) {
        self.train = train
        self.test = test
    }
}
