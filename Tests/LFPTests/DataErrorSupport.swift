@testable import LFP

/// The reason of the `DataError.malformed` that `body` throws, or a description of what happened
/// instead; shared by the data-reader tests.
func malformedReason<T>(_ body: () throws -> T) -> String {
    do {
        _ = try body()
        return "no error"
    } catch DataError.malformed(_, let reason) {
        return reason
    } catch {
        return "unexpected error \(error)"
    }
}
