import Dispatch
import Foundation

/// A background timer that calls `RunLogStore.heartbeat(runID:)` at a fixed interval, so that a
/// run whose epochs are longer than the store's `staleAfter` is not mistaken for a dead one.
/// It stops when `stop()` is called or the object is released, and after the first failed
/// heartbeat (e.g. once the run has ended), keeping that failure in `lastError`.
public final class RunHeartbeat: @unchecked Sendable {
    /// The run it keeps alive.
    public let runID: Int64
    private let timer: DispatchSourceTimer
    private let lock = NSLock()
    private var failure: RunLogError?
    private var stopped = false

    /// Starts beating every `interval` seconds (the first beat after one interval).
    init(store: RunLogStore, runID: Int64, interval: TimeInterval) {
        self.runID = runID
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "lfp.runlog.heartbeat.\(runID)"))
        let nanoseconds = Int(max(0.001, interval) * 1_000_000_000)
        timer.schedule(deadline: .now() + .nanoseconds(nanoseconds), repeating: .nanoseconds(nanoseconds))
        timer.setEventHandler { [weak self] in
            do {
                try store.heartbeat(runID: runID)
            } catch {
                self?.fail(error as? RunLogError ?? .invalidInput("\(error)"))
            }
        }
        timer.resume()
    }

    deinit {
        stop()
    }

    /// The error of the heartbeat that failed, if one did (the timer has then stopped).
    public var lastError: RunLogError? {
        lock.lock()
        defer { lock.unlock() }
        return failure
    }

    /// Stops the timer; safe to call more than once.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        timer.cancel()
    }

    private func fail(_ error: RunLogError) {
        lock.lock()
        failure = error
        lock.unlock()
        stop()
    }
}

extension RunLogStore {
    /// Starts a background heartbeat for run `runID` every `interval` seconds (10 by default,
    /// well under the default `staleAfter` of 60). Keep the returned object for as long as the
    /// run trains; release it or call `stop()` before finishing the run.
    public func startHeartbeat(runID: Int64, every interval: TimeInterval = 10) -> RunHeartbeat {
        RunHeartbeat(store: self, runID: runID, interval: interval)
    }
}
