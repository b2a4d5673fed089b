import Foundation
import Testing
@testable import LFP

/// CSV datasets: layouts that must read, and malformed files that must fail with the line.
@Suite struct CSVReaderTests {
    @Test func headerlessLabelLast() throws {
        let set = try CSVReader.parse("0.5,1,0\n-2,3e-1,2\n4,5,1\n")
        #expect(set.inputs.shape == [3, 2])
        #expect(set.inputs.scalars == [0.5, 1, -2, 0.3, 4, 5])
        #expect(set.labels == [0, 2, 1])
        #expect(set.classCount == 3)
    }

    @Test func headerWithNamedLabelColumn() throws {
        let text = "x, class ,y\n1,1,2\n3,0,4\n"
        let set = try CSVReader.parse(text, options: .init(labelColumn: .named("class"), classCount: 4))
        #expect(set.inputs.scalars == [1, 2, 3, 4])
        #expect(set.labels == [1, 0])
        #expect(set.classCount == 4)
    }

    @Test func labelFirstSemicolonsQuotesCRLFAndBlankLines() throws {
        let text = "\u{FEFF}\"label\";\"a;b\";c\r\n\r\n1; \"2.5\" ;3\r\n  \n0;4;\"5\"\r\n"
        let set = try CSVReader.parse(text, options: .init(delimiter: ";", labelColumn: .first))
        #expect(set.inputs.shape == [2, 2])
        #expect(set.inputs.scalars == [2.5, 3, 4, 5])
        #expect(set.labels == [1, 0])
    }

    @Test func readsAFileAndNamesTheDataset() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lfp-csv-\(UUID()).csv").path
        try "f,label\n1,0\n2,1\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let set = try CSVReader.read(at: path)
        #expect(set.name == ((path as NSString).lastPathComponent as NSString).deletingPathExtension)
        #expect(set.count == 2)
        #expect(try CSVReader.read(at: path, name: "mine").name == "mine")
    }

    @Test func missingFile() {
        #expect(throws: DataError.missing(path: "/nonexistent/lfp.csv")) {
            try CSVReader.read(at: "/nonexistent/lfp.csv")
        }
    }

    @Test func nonNumericCellNamesLineAndColumn() {
        #expect(throws: DataError.malformed(path: "d.csv", reason: "line 3: column 2: \"abc\" is not a number")) {
            try CSVReader.parse("a,b,label\n1,2,0\n3,abc,1\n", path: "d.csv")
        }
        #expect(malformedReason { try CSVReader.parse("1,,0\n") } == "line 1: column 2: an empty cell is not a number")
        #expect(malformedReason { try CSVReader.parse("1,2,0\n1,inf,0\n") } == "line 2: column 2: \"inf\" is not a finite number")
    }

    @Test func raggedRow() {
        #expect(malformedReason { try CSVReader.parse("1,2,0\n\n3,4,5,1\n") } == "line 3: 4 cells, expected 3 like line 1")
        #expect(malformedReason { try CSVReader.parse("x,y,label\n1,0\n") } == "line 2: 2 cells, expected 3 like line 1")
    }

    @Test func emptyFileAndHeaderOnly() {
        #expect(malformedReason { try CSVReader.parse("") } == "file is empty")
        #expect(malformedReason { try CSVReader.parse("\n  \n\r\n") } == "file is empty")
        #expect(malformedReason { try CSVReader.parse("x,label\n") } == "no data rows after the header on line 1")
    }

    @Test func badLabels() {
        #expect(malformedReason { try CSVReader.parse("1,0.5\n") } == "line 1: column 2: label \"0.5\" is not a non-negative integer")
        #expect(malformedReason { try CSVReader.parse("1,0\n2,-1\n") } == "line 2: column 2: label \"-1\" is not a non-negative integer")
        #expect(malformedReason { try CSVReader.parse("1,0\n2,cat\n") } == "line 2: column 2: label \"cat\" is not a non-negative integer")
        #expect(malformedReason { try CSVReader.parse("1,0\n2,3\n", options: .init(classCount: 3)) }
                == "line 2: column 2: label 3 is not below the class count 3")
    }

    @Test func badLabelColumnChoices() {
        #expect(malformedReason { try CSVReader.parse("x,y\n1,0\n", options: .init(labelColumn: .named("z"))) }
                == "line 1: the header has no column named \"z\" (columns: x, y)")
        #expect(malformedReason { try CSVReader.parse("1,0\n", options: .init(labelColumn: .named("y"))) }
                == "line 1: the label column is named \"y\" but the file has no header row")
        #expect(malformedReason { try CSVReader.parse("1,0\n", options: .init(labelColumn: .index(2))) }
                == "line 1: label column 2 does not exist in a row of 2 cells")
        #expect(malformedReason { try CSVReader.parse("0\n1\n") }
                == "line 1: a row needs at least one feature column besides the label, found 1 cell")
    }

    @Test func unclosedQuote() {
        #expect(malformedReason { try CSVReader.parse("1,0\n\"2,1\n") } == "line 2: quoted cell is never closed")
    }
}
