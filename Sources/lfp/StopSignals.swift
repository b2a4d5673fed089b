import Dispatch
import Foundation

/// Turns SIGINT (Ctrl-C), SIGTERM and SIGUSR1 (what SLURM sends before it kills a job) into a
/// request to stop after the current training step, so the run can record what it has and be
/// marked interrupted. A second signal ends the process at once.
final class StopSignals: @unchecked Sendable {
    private let lock = NSLock()
    private var received: Int32?
    private var sources: [DispatchSourceSignal] = []

    /// Starts listening for the three signals.
    init() {
        for number in [SIGINT, SIGTERM, SIGUSR1] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.receive(number) }
            source.resume()
            sources.append(source)
        }
    }

    private func receive(_ number: Int32) {
        lock.lock()
        let second = received != nil
        received = number
        lock.unlock()
        if second { exit(128 + number) }
        FileHandle.standardError.write(Data("\nlfp: received \(Self.name(number)); stopping after this step (send again to quit now)\n".utf8))
    }

    /// The signal that asked to stop, if any.
    var receivedSignal: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    static func name(_ number: Int32) -> String {
        switch number {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGUSR1: return "SIGUSR1"
        default: return "signal \(number)"
        }
    }
}
