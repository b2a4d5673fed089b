import Foundation

/// Reads a labelled dataset from a CSV file: one sample per row, numeric feature columns and one
/// integer class-label column (the last by default, or chosen by position or by its name in a
/// header row). Cells may be surrounded by spaces and may be double-quoted (`""` inside quotes is
/// a literal quote); blank lines are skipped; `\n` and `\r\n` line ends are both accepted.
///
/// Every problem throws `DataError.malformed` naming the line (1-based, as an editor counts) and,
/// for a cell, its column: a non-numeric or non-finite feature, a label that is not a
/// non-negative integer or not below the class count, a row with the wrong number of cells, an
/// empty file or one with a header but no data. A file that does not exist throws
/// `DataError.missing`.
public enum CSVReader {
    /// Which column holds the class label.
    public enum LabelColumn: Sendable, Equatable {
        /// The last column (the default).
        case last
        /// The first column.
        case first
        /// The column at a zero-based position.
        case index(Int)
        /// The column with this name in the header row (which must then exist).
        case named(String)
    }

    /// Whether the first non-blank row names the columns.
    public enum Header: Sendable, Equatable {
        /// A header exactly when no cell of the first row is a number (the default).
        case auto
        /// The first row is a header.
        case present
        /// Every row is data.
        case absent
    }

    /// How to read a file.
    public struct Options: Sendable, Equatable {
        /// Cell separator, an ASCII character (`,` by default; `;` and tab are common).
        public var delimiter: Character
        /// Whether there is a header row.
        public var header: Header
        /// Where the label is.
        public var labelColumn: LabelColumn
        /// Number of classes; `nil` takes the largest label plus one.
        public var classCount: Int?

        /// Options; the defaults read `f1,f2,…,label` with or without a header.
        public init(delimiter: Character = ",", header: Header = .auto, labelColumn: LabelColumn = .last,
                    classCount: Int? = nil) {
            self.delimiter = delimiter
            self.header = header
            self.labelColumn = labelColumn
            self.classCount = classCount
        }
    }

    /// The dataset in the CSV file at `path`, with inputs `[rows, featureColumns]` and the name
    /// `name` (the file name without its extension when `nil`).
    public static func read(at path: String, name: String? = nil, options: Options = Options()) throws -> Dataset {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: path) else {
            throw DataError.missing(path: path)
        }
        let datasetName = name ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return try data.withUnsafeBytes { bytes in
            try parse(bytes, path: path, name: datasetName, options: options)
        }
    }

    /// The dataset in CSV `text`; `path` only names the source in error messages.
    public static func parse(_ text: String, path: String = "<text>", name: String = "csv",
                             options: Options = Options()) throws -> Dataset {
        var text = text
        return try text.withUTF8 { bytes in
            try parse(UnsafeRawBufferPointer(bytes), path: path, name: name, options: options)
        }
    }

    private static func parse(_ bytes: UnsafeRawBufferPointer, path: String, name: String,
                              options: Options) throws -> Dataset {
        guard let delimiter = options.delimiter.asciiValue, delimiter != UInt8(ascii: "\"") else {
            throw DataError.malformed(path: path, reason: "delimiter \(options.delimiter.debugDescription) "
                + "must be an ASCII character other than a double quote")
        }
        func fail(_ line: Int, _ reason: String) -> DataError {
            DataError.malformed(path: path, reason: "line \(line): \(reason)")
        }

        var rows = CSVRows(bytes: bytes, delimiter: delimiter)
        var cells: [String] = []
        guard let firstLine = try rows.next(into: &cells, path: path) else {
            throw DataError.malformed(path: path, reason: "file is empty")
        }
        let width = cells.count

        let hasHeader: Bool
        switch options.header {
        case .present: hasHeader = true
        case .absent: hasHeader = false
        case .auto: hasHeader = cells.allSatisfy { Float($0) == nil }
        }
        let labelIndex: Int
        switch options.labelColumn {
        case .last: labelIndex = width - 1
        case .first: labelIndex = 0
        case .index(let i):
            guard i >= 0 && i < width else {
                throw fail(firstLine, "label column \(i) does not exist in a row of \(width) cells")
            }
            labelIndex = i
        case .named(let column):
            guard hasHeader else {
                throw fail(firstLine, "the label column is named \"\(column)\" but the file has no header row")
            }
            guard let i = cells.firstIndex(of: column) else {
                throw fail(firstLine, "the header has no column named \"\(column)\" (columns: "
                    + cells.joined(separator: ", ") + ")")
            }
            labelIndex = i
        }
        guard width >= 2 else {
            throw fail(firstLine, "a row needs at least one feature column besides the label, found \(width) cell")
        }

        var features: [Float] = []
        var labels: [Int] = []
        var line = firstLine
        var pending = !hasHeader
        while true {
            if !pending {
                guard let next = try rows.next(into: &cells, path: path) else { break }
                line = next
            }
            pending = false
            guard cells.count == width else {
                throw fail(line, "\(cells.count) cells, expected \(width) like line \(firstLine)")
            }
            for (column, cell) in cells.enumerated() {
                if column == labelIndex {
                    guard let value = Double(cell), value >= 0, value == value.rounded(), value < 1e15 else {
                        throw fail(line, "column \(column + 1): label \(quoted(cell)) is not a non-negative integer")
                    }
                    if let k = options.classCount, value >= Double(k) {
                        throw fail(line, "column \(column + 1): label \(Int(value)) is not below the class count \(k)")
                    }
                    labels.append(Int(value))
                } else {
                    guard let value = Float(cell) else {
                        throw fail(line, "column \(column + 1): \(quoted(cell)) is not a number")
                    }
                    guard value.isFinite else {
                        throw fail(line, "column \(column + 1): \(quoted(cell)) is not a finite number")
                    }
                    features.append(value)
                }
            }
        }
        guard !labels.isEmpty else {
            throw DataError.malformed(path: path, reason: "no data rows after the header on line \(firstLine)")
        }
        let classCount = options.classCount ?? labels.max()! + 1
        let inputs = Tensor(shape: [labels.count, width - 1], scalars: features)
        return Dataset(name: name, inputs: inputs, labels: labels, classCount: classCount)
    }

    private static func quoted(_ cell: String) -> String {
        cell.isEmpty ? "an empty cell" : "\"\(cell)\""
    }
}

/// Splits CSV bytes into rows of cell strings, tracking line numbers.
private struct CSVRows {
    let bytes: UnsafeRawBufferPointer
    let delimiter: UInt8
    var position = 0
    var line = 1

    init(bytes: UnsafeRawBufferPointer, delimiter: UInt8) {
        self.bytes = bytes
        self.delimiter = delimiter
        // A UTF-8 byte-order mark is not part of the first cell.
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
    }

    private static let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    private func isPadding(_ byte: UInt8) -> Bool {
        (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")) && byte != delimiter
    }

    /// Reads the next non-blank row into `cells` and returns the line it starts on, or `nil` at
    /// the end of the input.
    mutating func next(into cells: inout [String], path: String) throws -> Int? {
        while position < bytes.count {
            let start = line
            cells.removeAll(keepingCapacity: true)
            var blank = true
            while true {
                let (cell, wasQuoted, terminator) = try readCell(path: path, rowLine: start)
                if wasQuoted || !cell.isEmpty || terminator == delimiter { blank = false }
                cells.append(cell)
                if terminator != delimiter { break }
            }
            if !blank { return start }
        }
        return nil
    }

    /// Reads one cell; returns it, whether it was quoted, and the byte that ended it (the
    /// delimiter, a newline, or 0 at the end of input).
    private mutating func readCell(path: String, rowLine: Int) throws -> (String, Bool, UInt8) {
        while position < bytes.count && isPadding(bytes[position]) { position += 1 }
        var text: String
        var wasQuoted = false
        if position < bytes.count && bytes[position] == Self.quote {
            wasQuoted = true
            let openLine = line
            position += 1
            var content: [UInt8] = []
            while true {
                guard position < bytes.count else {
                    throw DataError.malformed(path: path, reason: "line \(openLine): quoted cell is never closed")
                }
                let byte = bytes[position]
                position += 1
                if byte == Self.quote {
                    if position < bytes.count && bytes[position] == Self.quote {
                        content.append(Self.quote)
                        position += 1
                    } else {
                        break
                    }
                } else {
                    if byte == Self.newline { line += 1 }
                    content.append(byte)
                }
            }
            text = String(decoding: content, as: UTF8.self)
            while position < bytes.count && isPadding(bytes[position]) { position += 1 }
            if position < bytes.count && bytes[position] == Self.cr { position += 1 }
            if position < bytes.count && bytes[position] != delimiter && bytes[position] != Self.newline {
                throw DataError.malformed(path: path, reason: "line \(line): unexpected text after a quoted cell")
            }
        } else {
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == delimiter || byte == Self.newline { break }
                position += 1
            }
            var end = position
            while end > start && (isPadding(bytes[end - 1]) || bytes[end - 1] == Self.cr) { end -= 1 }
            text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
        guard position < bytes.count else { return (text, wasQuoted, 0) }
        let terminator = bytes[position]
        position += 1
        if terminator == Self.newline { line += 1 }
        return (text, wasQuoted, terminator)
    }
}
