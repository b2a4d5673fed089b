import Foundation
import Testing

@Suite("lfp runs: errors and database location")
struct RunsCommandErrorTests {
    @Test("a run id that does not exist is exit 66 for every command that takes one")
    func missingRunID() throws {
        let (dir, db) = try RunsFixture.twoRuns()
        let out = dir.appendingPathComponent("w.json").path
        for words in [["show", "42"], ["compare", "1", "42"], ["export", "42"], ["weights", "42", "--out", out],
                      ["delete", "42", "--yes"]] {
            let result = try CLIRunner.run(["runs"] + words + ["--db", db])
            #expect(result.status == 66, "\(words): \(result.stderr)")
            #expect(result.stderr.contains("42"), "\(words)")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try CLIRunner.run(["runs", "show", "--db", db]).status == 64)
        #expect(try CLIRunner.run(["runs", "show", "one", "--db", db]).status == 64)
        #expect(try CLIRunner.run(["runs", "frobnicate", "--db", db]).status == 64)
        #expect(try CLIRunner.run(["runs"]).status == 64)
    }

    @Test("a file that is not SQLite is exit 65 and stays unchanged")
    func notSQLite() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let path = dir.appendingPathComponent("notes.sqlite").path
        let content = Data(String(repeating: "these are notes, not a database\n", count: 64).utf8)
        try content.write(to: URL(fileURLWithPath: path))
        for words in [["list"], ["list", "--json"], ["show", "1"], ["delete", "1", "--yes"]] {
            let result = try CLIRunner.run(["runs"] + words + ["--db", path])
            #expect(result.status == 65, "\(words): \(result.stderr)")
            #expect(result.stderr.contains("not an SQLite database"), "\(words)")
            #expect(result.stdout.isEmpty, "\(words)")
        }
        #expect(try RunsFixture.bytes(path) == content)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["notes.sqlite"])
    }

    @Test("a missing run log is exit 66 and no file is created")
    func missingDatabase() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let path = dir.appendingPathComponent("absent.sqlite").path
        for words in [["list"], ["show", "1"], ["compare", "1", "2"], ["export", "1"], ["delete", "1", "--yes"]] {
            let result = try CLIRunner.run(["runs"] + words + ["--db", path])
            #expect(result.status == 66, "\(words): \(result.stderr)")
            #expect(result.stderr.contains("absent.sqlite"), "\(words)")
        }
        let defaulted = try CLIRunner.run(["runs", "list"], in: dir, environment: ["LFP_DB": ""])
        #expect(defaulted.status == 66)
        #expect(defaulted.stderr.contains("runs.sqlite"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test("the run log comes from --db, else LFP_DB, else runs.sqlite in the working directory")
    func databaseLocation() throws {
        let (dir, db) = try RunsFixture.twoRuns()
        let fromDefault = try CLIRunner.run(["runs", "list", "--json"], in: dir, environment: ["LFP_DB": ""])
        #expect((try RunsFixture.document(fromDefault) as? [Any])?.count == 2, "stderr: \(fromDefault.stderr)")
        let elsewhere = try CLIRunner.temporaryDirectory()
        let fromEnvironment = try CLIRunner.run(["runs", "list", "--json"], in: elsewhere, environment: ["LFP_DB": db])
        #expect((try RunsFixture.document(fromEnvironment) as? [Any])?.count == 2)
        let absent = elsewhere.appendingPathComponent("none.sqlite").path
        #expect(try CLIRunner.run(["runs", "list", "--db", absent], environment: ["LFP_DB": db]).status == 66)
    }
}
