import Foundation
import LFP
import Rewards

/// `lfp rewards list [--json]` and `lfp rewards show ID [--json]`: the reward catalog.
enum RewardsCommand {
    static let help = """
    usage: lfp rewards list [--json]
           lfp rewards show ID [--json]

    The reward catalog: the initial rewards LFP can train with (--reward ID on 'lfp train';
    parameters as --reward ID:name=value,name=value). 'list' prints one line per reward, or with
    --json one JSON array of their descriptions; 'show' explains one reward.

    Any program can be a reward too: 'lfp train --reward-command "CMD ARGS"' (protocol in
    Rewards/Examples/README.md).

    exit codes: 0 success, 64 bad arguments or unknown reward
    """

    static func run(_ words: [String]) throws {
        if words.contains("--help") || words.contains("-h") {
            print(help)
            return
        }
        let args = try CommandLineArguments(words, options: [], flags: ["json"])
        guard let action = args.positionals.first else { throw CLIError.usage("missing 'list' or 'show ID'\n\n\(help)") }
        switch action {
        case "list":
            guard args.positionals.count == 1 else { throw CLIError.usage("'list' takes no arguments") }
            if args.has("json") {
                try printJSON(RewardCatalog.all.map { try jsonObject($0.info) })
            } else {
                let width = RewardCatalog.all.map(\.info.id.count).max() ?? 0
                for info in RewardCatalog.all.map(\.info) {
                    let marker = info.id == RewardCatalog.defaultID ? " (default)" : ""
                    print(info.id.padding(toLength: width + 2, withPad: " ", startingAt: 0) + info.summary + marker)
                }
            }
        case "show":
            guard args.positionals.count == 2 else { throw CLIError.usage("usage: lfp rewards show ID") }
            let reward: Reward
            do { reward = try RewardCatalog.reward(id: args.positionals[1]) } catch {
                throw CLIError.usage("\(error)")
            }
            if args.has("json") { try printJSON(try jsonObject(reward.info)) } else { print(describe(reward.info)) }
        default:
            throw CLIError.usage("unknown action '\(action)' (use list or show)")
        }
    }

    /// A reward's description as readable text.
    static func describe(_ info: RewardInfo) -> String {
        var lines = ["\(info.id) (version \(info.version)): \(info.name)", "", info.summary, "", info.description, ""]
        lines.append("differentiable:           \(info.differentiable ? "yes" : "no")")
        lines.append("gradient-equivalent loss: \(info.gradientEquivalentLoss ?? "none") (Theorem 1)")
        lines.append("batch-coupled:            \(info.batchCoupled ? "yes" : "no")")
        lines.append("paper:                    \(info.paperReference ?? "-")")
        if info.parameters.isEmpty {
            lines.append("parameters:               none")
        } else {
            lines.append("parameters (--reward \(info.id):name=value,...):")
            for p in info.parameters {
                lines.append("  \(p.name) = \(format(p.defaultValue))  \(p.summary)")
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// A reward description as a JSON object with every `RewardInfo` field (null when absent).
    static func jsonObject(_ info: RewardInfo) throws -> [String: Any] {
        var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(info)) as? [String: Any] ?? [:]
        for key in ["gradientEquivalentLoss", "paperReference"] where object[key] == nil { object[key] = NSNull() }
        return object
    }

    private static func printJSON(_ value: Any) throws {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
