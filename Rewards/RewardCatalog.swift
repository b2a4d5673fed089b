import LFP

/// The built-in rewards, by id: what `lfp rewards list` shows and `--reward ID` selects.
public enum RewardCatalog {
    /// Every built-in reward with default parameters, in catalog order.
    public static var all: [Reward] {
        [CorrectClassReward(), FalsePositivePenaltyReward(), SoftmaxCrossEntropyReward(),
         SigmoidCrossEntropyReward()]
    }

    /// The id of the default reward (Table 2 #3).
    public static let defaultID = "softmax-ce"

    /// The reward with `id`, or an error listing the known ids.
    public static func reward(id: String) throws -> Reward {
        guard let found = all.first(where: { $0.info.id == id }) else {
            throw RewardCatalogError.unknown(id: id, known: all.map(\.info.id))
        }
        return found
    }
}

/// A reward lookup that failed.
public enum RewardCatalogError: Error, CustomStringConvertible, Equatable {
    /// No reward has this id.
    case unknown(id: String, known: [String])

    public var description: String {
        switch self {
        case let .unknown(id, known): return "unknown reward '\(id)' (known: \(known.joined(separator: ", ")))"
        }
    }
}
