/// The bookkeeping every trainer shares: the seeded shuffling stream, the step and epoch
/// counters, the learning-rate schedule, stop requests and progress callbacks. A trainer hands it
/// the body of one step; the loop cuts the data into shuffled batches and calls it with each
/// batch's indices and learning rate.
public final class TrainingLoop {
    /// Batch size, epochs, peak rate and schedule come from here.
    public let configuration: TrainingConfiguration
    /// Generator for shuffling; part of a checkpoint.
    public var rng: SeededGenerator
    /// Steps taken so far.
    public var step = 0
    /// Epochs completed so far.
    public var epoch = 0
    /// Asked between steps; returning true ends the epoch early (signal handling).
    public var stopRequested: () -> Bool = { false }
    /// Called after every step with (steps done this epoch, steps in this epoch).
    public var onStep: (Int, Int) -> Void = { _, _ in }

    /// A loop whose shuffling stream derives from the configuration's seed.
    public init(configuration: TrainingConfiguration) {
        self.configuration = configuration
        self.rng = SeededGenerator(seed: configuration.seed &+ 0x5EED)
    }

    /// Total steps of the run for a training set of `count` samples.
    public func totalSteps(trainingCount count: Int) -> Int {
        configuration.epochs * ((count + configuration.batchSize - 1) / configuration.batchSize)
    }

    /// One pass over `count` samples in shuffled batches, calling `step` with each batch's
    /// indices and learning rate. Returns whether a stop request ended it early (the epoch then
    /// does not count as completed).
    public func runEpoch(count: Int, _ body: (ArraySlice<Int>, Float) throws -> Void) rethrows -> Bool {
        let order = BatchOrder(count: count, batchSize: configuration.batchSize, shuffle: true, rng: &rng)
        let total = totalSteps(trainingCount: count)
        for (index, indices) in order.batches.enumerated() {
            if stopRequested() { return true }
            try body(indices, configuration.schedule.rate(peak: configuration.learningRate, step: step, totalSteps: total))
            step += 1
            onStep(index + 1, order.batches.count)
        }
        epoch += 1
        return false
    }
}

/// A trainer driven by a `TrainingLoop`: its counters, stop request and progress callback are
/// the loop's.
public protocol LoopDriven: AnyObject {
    /// The loop that drives it.
    var loop: TrainingLoop { get }
}

extension LoopDriven {
    /// Steps taken so far.
    public var step: Int { loop.step }
    /// Epochs completed so far.
    public var epoch: Int { loop.epoch }
    /// Asked between steps; returning true ends the epoch early (signal handling).
    public var stopRequested: () -> Bool {
        get { loop.stopRequested }
        set { loop.stopRequested = newValue }
    }
    /// Called after every step with (steps done this epoch, steps in this epoch).
    public var onStep: (Int, Int) -> Void {
        get { loop.onStep }
        set { loop.onStep = newValue }
    }
    /// Total steps of the run for a training set of `count` samples.
    public func totalSteps(trainingCount count: Int) -> Int { loop.totalSteps(trainingCount: count) }
}
