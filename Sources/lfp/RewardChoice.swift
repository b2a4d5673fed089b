import Foundation
import LFP
import Rewards

extension TrainSettings {
    /// The reward a run trains with: the program given by `--reward-command` (with
    /// `--reward-timeout`), else the catalog reward selected by `--reward ID[:name=value,...]`.
    func makeReward() throws -> Reward {
        if let command = rewardCommand {
            guard !command.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw CLIError.usage("--reward-command needs a command line")
            }
            return RewardProgram(command: command, timeout: rewardTimeout)
        }
        do { return try RewardCatalog.reward(id: reward) } catch { throw CLIError.usage("\(error)") }
    }
}
