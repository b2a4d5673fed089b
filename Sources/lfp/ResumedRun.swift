import Foundation
import LFP
import Rewards
import RunLog

/// Reopens an interrupted run of the log for `lfp train --resume`: its stored settings and the
/// checkpoint of its last committed epoch.
struct ResumedRun {
    let settings: TrainSettings
    let checkpoint: TrainingCheckpoint

    /// Marks the run running again and loads what training continues from (a run whose process
    /// was killed may be resumed at once; the log sees that its process is gone).
    static func reopen(store: RunLogStore, runID: Int64) throws -> ResumedRun {
        do {
            let point = try store.resumeRun(runID: runID)
            guard let settings = try? JSONDecoder().decode(TrainSettings.self, from: Data(point.run.configJSON.utf8)) else {
                throw CLIError.data("run \(runID) has a configuration this version cannot read")
            }
            guard let artifact = point.checkpoint else {
                throw CLIError.data("run \(runID) has no checkpoint to resume from (no epoch was committed, or it is a sequence run); start it again")
            }
            let checkpoint: TrainingCheckpoint
            do { checkpoint = try TrainingCheckpoint(archive: artifact.data) } catch {
                throw CLIError.data("run \(runID): checkpoint '\(artifact.record.name)' is unreadable: \(error)")
            }
            return ResumedRun(settings: settings, checkpoint: checkpoint)
        } catch let error as RunLogError {
            throw RunRecorder.cliError(error)
        }
    }
}
