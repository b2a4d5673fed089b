import LFP

/// The built-in rewards, by id: what `lfp rewards list` shows and `--reward ID` selects.
public enum RewardCatalog {
    /// Every built-in reward with default parameters, in catalog order.
    public static var all: [Reward] {
        [CorrectClassReward(), FalsePositivePenaltyReward(), SoftmaxCrossEntropyReward(),
         SigmoidCrossEntropyReward(), BoundedSoftmaxReward(), F1Reward(), LevenshteinReward(),
         SpikeRateReward()]
    }

    /// The id of the default reward (Table 2 #3).
    public static let defaultID = "softmax-ce"

    /// The reward selected by `text`: a catalog id, optionally with parameter values
    /// (`f1:convergence=1`). Unknown ids, unknown parameter names and bad values throw.
    public static func reward(id text: String) throws -> Reward {
        let selection = try RewardSelection(parsing: text)
        guard let found = all.first(where: { $0.info.id == selection.id }) else {
            throw RewardCatalogError.unknown(id: selection.id, known: all.map(\.info.id))
        }
        guard !selection.values.isEmpty else { return found }
        let known = Set(found.info.parameters.map(\.name))
        if let bad = selection.values.keys.sorted().first(where: { !known.contains($0) }) {
            throw RewardCatalogError.malformed(
                text: text, reason: "'\(selection.id)' has no parameter '\(bad)'"
                    + (known.isEmpty ? " (it takes none)" : " (it takes \(known.sorted().joined(separator: ", ")))"))
        }
        guard let configurable = found as? ConfigurableReward else {
            throw RewardCatalogError.malformed(text: text, reason: "'\(selection.id)' takes no parameters")
        }
        do {
            return try type(of: configurable).init(parameterValues: selection.values)
        } catch let error as RewardError {
            throw RewardCatalogError.malformed(text: text, reason: error.description)
        }
    }
}

/// A reward lookup that failed.
public enum RewardCatalogError: Error, CustomStringConvertible, Equatable {
    /// No reward has this id.
    case unknown(id: String, known: [String])
    /// The selection's parameters are malformed, unknown or out of range.
    case malformed(text: String, reason: String)

    public var description: String {
        switch self {
        case let .unknown(id, known): return "unknown reward '\(id)' (known: \(known.joined(separator: ", ")))"
        case let .malformed(text, reason): return "bad reward selection '\(text)': \(reason)"
        }
    }
}
