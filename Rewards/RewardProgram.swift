import Foundation
import LFP
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A reward computed by an external program speaking the line protocol of
/// `Rewards/Examples/README.md`: the program is started once (`/bin/sh -c "exec COMMAND"`),
/// and for every batch it gets one JSON line on stdin (`batch`, `shape`, `outputs`, `targets`)
/// and must answer one JSON line on stdout (`{"rewards": [[...], ...]}`, the shape of the outputs)
/// within `timeout` seconds. A program that exits, hangs, answers garbage, the wrong shape or
/// non-finite numbers ends training with a `RewardError.failed` naming the command and the batch,
/// with the tail of the program's stderr.
public final class RewardProgram: Reward {
    /// The command line, run by `/bin/sh`.
    public let command: String
    /// Seconds the program may take to answer one batch.
    public let timeout: Double
    /// Batches sent so far (the next request is batch `batchesSent + 1`).
    public private(set) var batchesSent = 0

    private var process: Process?
    private var input: Int32 = -1
    private var output: Int32 = -1
    private var errors: Int32 = -1
    private var pending: [UInt8] = []
    private var stderrTail: [UInt8] = []
    private static let stderrLimit = 4000

    /// A reward that runs `command` with a per-batch `timeout` in seconds.
    public init(command: String, timeout: Double = 30) {
        self.command = command
        self.timeout = timeout
    }

    deinit { stop() }

    public var info: RewardInfo {
        RewardInfo(id: "program", name: "Reward program",
                   summary: "rewards computed per batch by: \(command)",
                   description: "An external program speaking the JSON line protocol (Rewards/Examples/README.md).",
                   differentiable: false, batchCoupled: true)
    }

    public func callAsFunction(outputs: Tensor, targets: Targets) throws -> Tensor {
        batchesSent += 1
        let batch = batchesSent
        guard outputs.rows == targets.count else {
            throw fail(batch, "\(outputs.rows) outputs but \(targets.count) targets")
        }
        guard outputs.isFinite else { throw fail(batch, "the outputs contain NaN or infinity") }
        if process == nil { try start(batch) }
        let request = Array(Self.request(batch: batch, outputs: outputs, targets: targets).utf8)
        let line = try exchange(request, batch: batch)
        return try parse(line, shape: outputs.shape, batch: batch)
    }

    /// Ends the program (closing its stdin first, so a well-behaved program exits by itself).
    public func stop() {
        for fd in [input, output, errors] where fd >= 0 { close(fd) }
        input = -1; output = -1; errors = -1
        if let process, process.isRunning {
            let limit = Date().addingTimeInterval(0.5)
            while process.isRunning, Date() < limit { usleep(5_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        process = nil
    }

    /// The request line for one batch (without the newline's absence: it ends in `\n`).
    static func request(batch: Int, outputs: Tensor, targets: Targets) -> String {
        var text = "{\"protocol\":1,\"batch\":\(batch),\"shape\":[\(outputs.shape.map(String.init).joined(separator: ","))],"
        text += "\"outputs\":["
        let m = outputs.columns
        text.reserveCapacity(outputs.count * 12)
        for b in 0..<outputs.rows {
            if b > 0 { text += "," }
            text += "["
            for c in 0..<m {
                if c > 0 { text += "," }
                text += "\(outputs.scalars[b * m + c])"
            }
            text += "]"
        }
        text += "],\"targets\":"
        switch targets {
        case .classes(let labels):
            text += "{\"kind\":\"classes\",\"classes\":[\(labels.map(String.init).joined(separator: ","))]}"
        case .sequences(let sequences):
            text += "{\"kind\":\"sequences\",\"sequences\":["
                + sequences.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }.joined(separator: ",") + "]}"
        case .spikeClasses(let labels, let steps):
            text += "{\"kind\":\"spike-classes\",\"classes\":[\(labels.map(String.init).joined(separator: ","))],"
                + "\"time_steps\":\(steps)}"
        }
        return text + "}\n"
    }

    private func start(_ batch: Int) throws {
        signal(SIGPIPE, SIG_IGN)
        let stdinPipe = Pipe(), stdoutPipe = Pipe(), stderrPipe = Pipe()
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sh")
        child.arguments = ["-c", "exec " + command]
        child.standardInput = stdinPipe
        child.standardOutput = stdoutPipe
        child.standardError = stderrPipe
        do { try child.run() } catch {
            throw fail(batch, "cannot start /bin/sh: \(error)")
        }
        process = child
        input = dup(stdinPipe.fileHandleForWriting.fileDescriptor)
        output = dup(stdoutPipe.fileHandleForReading.fileDescriptor)
        errors = dup(stderrPipe.fileHandleForReading.fileDescriptor)
        for handle in [stdinPipe.fileHandleForReading, stdinPipe.fileHandleForWriting, stdoutPipe.fileHandleForReading,
                       stdoutPipe.fileHandleForWriting, stderrPipe.fileHandleForReading, stderrPipe.fileHandleForWriting] {
            try? handle.close()
        }
        _ = fcntl(input, F_SETFL, fcntl(input, F_GETFL) | O_NONBLOCK)
    }

    /// Writes `request` and reads one answer line, watching stderr and the deadline.
    private func exchange(_ request: [UInt8], batch: Int) throws -> [UInt8] {
        let deadline = Date().addingTimeInterval(timeout)
        var written = 0
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                return line
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else {
                if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
                stop()
                throw fail(batch, "no answer within \(Self.seconds(timeout)) (--reward-timeout); the program was killed")
            }
            var fds = [pollfd(fd: output, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: errors, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: written < request.count ? input : -1, events: Int16(POLLOUT), revents: 0)]
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(remaining * 1000 + 1, 1000)))
            if ready < 0 {
                if errno == EINTR { continue }
                throw fail(batch, "poll failed (errno \(errno))")
            }
            if fds[1].revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(errors, $0.baseAddress, $0.count) }
                if n > 0 {
                    stderrTail.append(contentsOf: buffer[0..<n])
                    if stderrTail.count > Self.stderrLimit { stderrTail.removeFirst(stderrTail.count - Self.stderrLimit) }
                } else if n == 0 {
                    close(errors)
                    errors = -1
                }
            }
            if fds[0].revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
                if n > 0 { pending.append(contentsOf: buffer[0..<n]) }
                else if n == 0 { throw exited(batch, before: "answering") }
            }
            if fds[2].revents != 0 {
                let n = request.withUnsafeBytes { write(input, $0.baseAddress! + written, request.count - written) }
                if n > 0 { written += n }
                else if n < 0, errno != EAGAIN, errno != EINTR { throw exited(batch, before: "reading its input") }
            }
        }
    }

    private func parse(_ line: [UInt8], shape: [Int], batch: Int) throws -> Tensor {
        let rows = shape.first ?? 1, columns = shape.reduce(1, *) / max(rows, 1)
        let preview = String(decoding: line.prefix(200), as: UTF8.self)
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
            throw fail(batch, "the answer is not a JSON object: '\(preview)'")
        }
        if let message = object["error"] as? String {
            throw fail(batch, "the program reported an error: \(message)")
        }
        guard let list = object["rewards"] as? [Any] else {
            throw fail(batch, "the answer has no \"rewards\" array: '\(preview)'")
        }
        guard list.count == rows else {
            throw fail(batch, "wrong shape: \(list.count) reward rows for \(rows) samples (outputs \(shape))")
        }
        var scalars = [Float]()
        scalars.reserveCapacity(rows * columns)
        for (b, item) in list.enumerated() {
            guard let row = item as? [Any], row.count == columns else {
                throw fail(batch, "wrong shape: reward row \(b) must be an array of \(columns) numbers (outputs \(shape))")
            }
            for value in row {
                guard let number = value as? NSNumber, type(of: value) != Bool.self,
                      String(cString: number.objCType) != "c" else {
                    throw fail(batch, "reward row \(b) holds a non-number: \(value)")
                }
                let v = number.floatValue
                guard v.isFinite else { throw fail(batch, "reward row \(b) holds a non-finite value") }
                scalars.append(v)
            }
        }
        return Tensor(shape: shape, scalars: scalars)
    }

    private func exited(_ batch: Int, before what: String) -> RewardError {
        var status = "closed its output"
        if let process {
            let limit = Date().addingTimeInterval(1)
            while process.isRunning, Date() < limit { usleep(10_000) }
            if !process.isRunning {
                status = process.terminationReason == .uncaughtSignal
                    ? "was killed by signal \(process.terminationStatus)" : "exited with status \(process.terminationStatus)"
            }
        }
        drainStderr()
        stop()
        return fail(batch, "the program \(status) before \(what)")
    }

    private func drainStderr() {
        guard errors >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 65536)
        var fds = [pollfd(fd: errors, events: Int16(POLLIN), revents: 0)]
        while poll(&fds, 1, 200) > 0 {
            let n = buffer.withUnsafeMutableBytes { read(errors, $0.baseAddress, $0.count) }
            guard n > 0 else { break }
            stderrTail.append(contentsOf: buffer[0..<n])
        }
        if stderrTail.count > Self.stderrLimit { stderrTail.removeFirst(stderrTail.count - Self.stderrLimit) }
    }

    private func fail(_ batch: Int, _ detail: String) -> RewardError {
        let tail = String(decoding: stderrTail, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return RewardError.failed(reward: "program", detail: "reward program '\(command)', batch \(batch): \(detail)"
            + (tail.isEmpty ? "" : "\n--- its stderr (last lines) ---\n\(tail)"))
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
