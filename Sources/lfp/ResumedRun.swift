import Foundation
import LFP
import Rewards
import RunLog

/// Reopens an interrupted run of the log for `lfp train --resume`: its stored settings and the
/// checkpoint of its last committed epoch.
struct ResumedRun {
    let settings: TrainSettings
    let checkpoint: TrainingCheckpoint

    /// Marks the run running again and loads what training continues from. A run still marked
    /// running whose process (on this host) is gone is first marked interrupted.
    static func reopen(store: RunLogStore, runID: Int64) throws -> ResumedRun {
        do {
            try RunLiveness.markDeadLocalRuns(store)
            let point = try store.resumeRun(runID: runID)
            guard let settings = try? JSONDecoder().decode(TrainSettings.self, from: Data(point.run.configJSON.utf8)) else {
                throw CLIError.data("run \(runID) has a configuration this version cannot read")
            }
            guard let artifact = point.checkpoint else {
                throw CLIError.data("run \(runID) has no checkpoint to resume from (no epoch was committed); start it again")
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

/// Finds runs stored as running whose process has died on this machine (killed, crashed) and
/// marks them interrupted, so they can be resumed without waiting for the heartbeat to go stale.
enum RunLiveness {
    /// Marks every dead local run interrupted; returns their ids.
    @discardableResult
    static func markDeadLocalRuns(_ store: RunLogStore) throws -> [Int64] {
        let host = ProcessInfo.processInfo.hostName
        var marked: [Int64] = []
        for run in try store.listRuns(filter: RunFilter(statuses: [.running])) where run.host == host {
            guard let pidText = run.tags["pid"], let pid = Int32(pidText), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try store.markInterrupted(runID: run.id)
                marked.append(run.id)
            }
        }
        return marked
    }
}
