import Foundation
import Testing

@Suite("lfp exit codes and messages")
struct ExitCodeTests {
    @Test("bad arguments exit 64 with a message naming the problem", arguments: [
        (["train", "--bogus"], "--bogus"),
        (["train", "--lr", "fast"], "--lr"),
        (["train", "--dataset", "imagenet"], "--dataset"),
        (["train", "--model", "cnn:3"], "model"),
        (["train", "--batch-size", "0"], "--batch-size"),
        (["train", "--reward", "nope"], "nope"),
        (["frobnicate"], "frobnicate"),
        (["train", "--dataset", "mnist"], "--data-dir"),
    ])
    func badArgumentsExit64(arguments: [String], mentions: String) throws {
        let result = try CLIRunner.run(arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains(mentions), "stderr: \(result.stderr)")
    }

    @Test("a missing data directory exits 66")
    func missingInputExits66() throws {
        let result = try CLIRunner.run(["train", "--dataset", "mnist", "--data-dir", "/nonexistent/mnist"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("/nonexistent/mnist"))
    }

    @Test("malformed IDX files exit 65")
    func malformedDataExits65() throws {
        let dir = try CLIRunner.temporaryDirectory()
        for name in ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                     "t10k-labels-idx1-ubyte"] {
            try Data("not an idx file".utf8).write(to: dir.appendingPathComponent(name))
        }
        let result = try CLIRunner.run(["train", "--dataset", "mnist", "--data-dir", dir.path])
        #expect(result.status == 65)
        #expect(result.stderr.contains("train-images-idx3-ubyte"))
    }

    @Test("a diverging run exits 70 with a hint and is logged as failed")
    func divergenceExits70WithAHint() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let result = try CLIRunner.run(["train", "--dataset", "blobs", "--lr", "1e9", "--epochs", "2", "--quiet"], in: dir)
        #expect(result.status == 70)
        #expect(result.stderr.contains("smaller --lr"), "stderr: \(result.stderr)")
        let list = try CLIRunner.run(["runs", "list", "--json"], in: dir)
        #expect(list.stdout.contains("\"failed\""))
    }

    @Test("a malformed CSV exits 65 naming the line, a missing one 66, none at all 64")
    func csvErrors() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let bad = dir.appendingPathComponent("bad.csv")
        try Data("a,b,label\n1,2,0\n3,oops,1\n".utf8).write(to: bad)
        let malformed = try CLIRunner.run(["train", "--dataset", "csv", "--data-file", bad.path, "--no-log"])
        #expect(malformed.status == 65)
        #expect(malformed.stderr.contains("line 3"))
        let missing = try CLIRunner.run(["train", "--dataset", "csv", "--data-file", dir.appendingPathComponent("none.csv").path,
                                         "--no-log"])
        #expect(missing.status == 66)
        #expect(try CLIRunner.run(["train", "--dataset", "csv", "--no-log"]).status == 64)
    }

    @Test("a config file that is not a JSON object exits 65; a missing one 66")
    func badConfigFiles() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let config = dir.appendingPathComponent("bad.json")
        try Data("[1, 2".utf8).write(to: config)
        #expect(try CLIRunner.run(["train", "--config", config.path]).status == 65)
        #expect(try CLIRunner.run(["train", "--config", dir.appendingPathComponent("none.json").path]).status == 66)
    }
}
