import CSQLite
import Foundation

extension Connection {
    /// How a transaction takes its locks.
    enum TransactionKind {
        /// `BEGIN` — a read snapshot; becomes a writer on its first write.
        case deferred
        /// `BEGIN IMMEDIATE` — takes the write lock at once, so that it cannot fail later with a
        /// busy snapshot; what every writer here uses.
        case immediate
    }

    /// Runs `body` inside one transaction: commits when it returns, rolls back when it throws.
    ///
    /// `BEGIN` (and `COMMIT`) are retried on `SQLITE_BUSY` with a growing, jittered pause until
    /// `busyRetryLimit` has passed; SQLite's busy timeout already waits inside each attempt, but
    /// some WAL situations answer busy without waiting. Transactions do not nest.
    func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        guard isAutocommit else {
            throw SQLiteError(code: SQLITE_MISUSE, message: "a transaction is already open on this connection")
        }
        try retryingBusy { try execute(kind == .immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED") }
        let result: T
        do {
            result = try body()
            try retryingBusy { try execute("COMMIT") }
        } catch {
            if !isAutocommit {
                try? execute("ROLLBACK")
            }
            throw error
        }
        return result
    }

    /// Runs `attempt` (a statement that takes locks: `BEGIN`, `COMMIT`, a journal-mode change)
    /// again while it fails with `SQLITE_BUSY`, until `busyRetryLimit` has passed.
    func retryingBusy<T>(_ attempt: () throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(busyRetryLimit)
        var pause: TimeInterval = 0.005
        while true {
            do {
                return try attempt()
            } catch let error as SQLiteError where error.isBusy && Date() < deadline {
                Thread.sleep(forTimeInterval: pause * Double.random(in: 0.5...1.5))
                pause = min(pause * 2, 0.2)
            }
        }
    }
}
