import Foundation

/// Runs the built `lfp` executable (next to the test bundle) and captures what it printed.
struct CLIRunner {
    /// Exit status, standard output and standard error of one run.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        /// The last non-empty line of standard output, parsed as a JSON object.
        func lastJSONObject() throws -> [String: Any] {
            let line = stdout.split(separator: "\n").last.map(String.init) ?? ""
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw CLIRunnerError.notJSON(line)
            }
            return object
        }
    }

    /// The `lfp` binary built with the tests.
    static var executable: URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("lfp"),
            Bundle.main.bundleURL.appendingPathComponent("lfp"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("lfp"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// The package root (for paths such as `../shared`).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Runs `lfp` with `arguments` in `directory` (by default a fresh temporary folder, removed
    /// afterwards, so that a default `runs.sqlite` never outlives the test), without `$LFP_DB`
    /// unless `environment` sets it.
    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let scratch = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        process.currentDirectoryURL = directory ?? scratch
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "LFP_DB")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// A new empty temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lfp-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

enum CLIRunnerError: Error {
    case notJSON(String)
}
