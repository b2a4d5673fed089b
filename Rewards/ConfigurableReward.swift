import Foundation
import LFP

/// A catalog reward that can be built with parameter values other than its defaults, as
/// selected by `--reward id:name=value,name=value` (names from its `info.parameters`).
public protocol ConfigurableReward: Reward {
    /// The reward with `values` for some of its parameters (the others keep their defaults).
    /// Throws `RewardError.failed` for a value out of range.
    init(parameterValues values: [String: Double]) throws
}

/// A parsed reward selection: an id and parameter values, written `id` or `id:a=1,b=0.5`.
public struct RewardSelection: Sendable, Equatable {
    /// The catalog id.
    public var id: String
    /// Parameter values by name.
    public var values: [String: Double]

    /// Parses `text`; throws `RewardCatalogError.malformed` when a parameter is not `name=number`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        id = parts.first ?? ""
        values = [:]
        guard parts.count > 1 else { return }
        for item in parts[1].split(separator: ",") {
            let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, !pair[0].isEmpty, let value = Double(pair[1]), value.isFinite else {
                throw RewardCatalogError.malformed(text: text, reason: "'\(item)' is not name=number")
            }
            values[pair[0]] = value
        }
    }
}

extension Dictionary where Key == String, Value == Double {
    /// The value of `name`, or `fallback` when not given.
    func value(_ name: String, or fallback: Double) -> Double { self[name] ?? fallback }

    /// The value of `name` as a switch (non-zero is on), or `fallback` when not given.
    func flag(_ name: String, or fallback: Bool) -> Bool { self[name].map { $0 != 0 } ?? fallback }
}
