/// What a reward is told about the samples it scores: the desired outcome of each sample.
public enum Targets: Sendable, Equatable {
    /// One class index per sample (classification).
    case classes([Int])
    /// One label sequence per sample (sequence outputs, e.g. the Levenshtein reward).
    case sequences([[Int]])
    /// One class per sample for a network whose outputs are spikes over `timeSteps` steps
    /// (`outputs` shaped `[T, N, C]`).
    case spikeClasses([Int], timeSteps: Int)

    /// Number of samples described.
    public var count: Int {
        switch self {
        case .classes(let c): return c.count
        case .sequences(let s): return s.count
        case .spikeClasses(let c, _): return c.count
        }
    }

    /// The class labels, for the cases that have them.
    public var classLabels: [Int]? {
        switch self {
        case .classes(let c), .spikeClasses(let c, _): return c
        case .sequences: return nil
        }
    }
}

/// A named parameter of a reward with its default, as shown in the catalog.
public struct RewardParameter: Sendable, Codable, Equatable {
    /// The parameter's name as given on the command line (`--reward id:name=value`).
    public var name: String
    /// Its default value.
    public var defaultValue: Double
    /// What it changes.
    public var summary: String

    /// A described parameter.
    public init(name: String, defaultValue: Double, summary: String) {
        self.name = name
        self.defaultValue = defaultValue
        self.summary = summary
    }
}

/// The description of a reward the catalog lists and the run log stores.
public struct RewardInfo: Sendable, Codable, Equatable {
    /// Stable identifier used on the command line and in the run log, e.g. `softmax-ce`.
    public var id: String
    /// Version of the reward's definition; bump it when its values change.
    public var version: Int
    /// Human-readable name.
    public var name: String
    /// One line saying what it rewards.
    public var summary: String
    /// A longer explanation (formula, when to use it).
    public var description: String
    /// Whether the reward is a differentiable function of the outputs.
    public var differentiable: Bool
    /// The loss whose gradient descent LFP-0 with this reward equals (Theorem 1), if any.
    public var gradientEquivalentLoss: String?
    /// Where it comes from in the paper (e.g. "Table 2 #3").
    public var paperReference: String?
    /// Its tunable parameters with defaults.
    public var parameters: [RewardParameter]
    /// Whether a sample's reward depends on the other samples of the batch (F1 does).
    public var batchCoupled: Bool

    /// A reward description.
    public init(id: String, version: Int = 1, name: String, summary: String, description: String = "",
                differentiable: Bool, gradientEquivalentLoss: String? = nil, paperReference: String? = nil,
                parameters: [RewardParameter] = [], batchCoupled: Bool = false) {
        self.id = id
        self.version = version
        self.name = name
        self.summary = summary
        self.description = description
        self.differentiable = differentiable
        self.gradientEquivalentLoss = gradientEquivalentLoss
        self.paperReference = paperReference
        self.parameters = parameters
        self.batchCoupled = batchCoupled
    }
}

/// An objective for LFP: maps a batch of network outputs and their targets to the initial reward
/// `r_c` of every output neuron (Section 3.2, Eq. 12–13). Positive reward reinforces what an
/// output neuron did, negative reward punishes it.
public protocol Reward {
    /// The catalog entry describing this reward.
    var info: RewardInfo { get }
    /// The initial reward, the same shape as `outputs`.
    func callAsFunction(outputs: Tensor, targets: Targets) throws -> Tensor
}

/// Why a reward could not score a batch.
public enum RewardError: Error, CustomStringConvertible, Equatable {
    /// Outputs and targets disagree (batch size, class count, label range).
    case shapeMismatch(reward: String, detail: String)
    /// The outputs or the computed rewards contain NaN or infinity.
    case nonFinite(reward: String, detail: String)
    /// The targets are of a kind the reward does not handle.
    case unsupportedTargets(reward: String, detail: String)
    /// Anything else, with a message.
    case failed(reward: String, detail: String)

    public var description: String {
        switch self {
        case .shapeMismatch(let r, let d): return "reward '\(r)': shape mismatch: \(d)"
        case .nonFinite(let r, let d): return "reward '\(r)': non-finite values: \(d)"
        case .unsupportedTargets(let r, let d): return "reward '\(r)': unsupported targets: \(d)"
        case .failed(let r, let d): return "reward '\(r)': \(d)"
        }
    }
}

extension Reward {
    /// Checks that `outputs` is `[N, C]` with finite values and that `targets` holds `N` class
    /// labels in `0..<C`; returns the labels. Shared by the classification rewards.
    public func validatedClassLabels(outputs: Tensor, targets: Targets) throws -> [Int] {
        guard outputs.shape.count == 2 else {
            throw RewardError.shapeMismatch(reward: info.id, detail: "outputs must be [N, C], got \(outputs.shape)")
        }
        guard case .classes(let labels) = targets else {
            throw RewardError.unsupportedTargets(reward: info.id, detail: "needs class labels")
        }
        guard labels.count == outputs.rows else {
            throw RewardError.shapeMismatch(reward: info.id, detail: "\(outputs.rows) outputs but \(labels.count) labels")
        }
        let classes = outputs.columns
        if let bad = labels.first(where: { $0 < 0 || $0 >= classes }) {
            throw RewardError.shapeMismatch(reward: info.id, detail: "label \(bad) outside 0..<\(classes)")
        }
        guard outputs.isFinite else {
            throw RewardError.nonFinite(reward: info.id, detail: "outputs contain NaN or infinity")
        }
        return labels
    }

    /// Throws when `rewards` holds NaN or infinity, naming this reward.
    public func checkFinite(_ rewards: Tensor) throws {
        guard rewards.isFinite else {
            throw RewardError.nonFinite(reward: info.id, detail: "computed rewards contain NaN or infinity")
        }
    }
}
