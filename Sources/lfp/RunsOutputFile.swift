import Foundation

/// Where `lfp runs export` and `lfp runs weights` write: a file named by `--out`, which is never
/// replaced unless `--force` is given, or standard output.
enum RunsOutputFile {
    /// Writes `data` to `path` (standard output when `nil`). An existing file is an error
    /// (exit 73) unless `force`; the file is written whole or not at all.
    static func write(_ data: Data, to path: String?, force: Bool) throws {
        guard let path else {
            FileHandle.standardOutput.write(data)
            return
        }
        guard !path.isEmpty else { throw CLIError.usage("--out needs a non-empty path") }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw CLIError.cannotCreate("'\(path)' is a directory") }
            if !force { throw CLIError.cannotCreate("'\(path)' already exists; pass --force to replace it") }
        }
        do {
            try data.write(to: URL(fileURLWithPath: path), options: [.atomic])
        } catch {
            throw CLIError.cannotCreate("cannot write '\(path)': \(error.localizedDescription)")
        }
    }
}
