/// A plain-text table with aligned columns, as `lfp runs` prints it: a header row, a rule, then
/// the rows. Columns holding numbers are right-aligned, others left-aligned.
struct RunsTextTable {
    /// How a column's cells line up.
    enum Alignment {
        /// Padded on the right.
        case left
        /// Padded on the left (numbers).
        case right
    }

    /// The column titles.
    let header: [String]
    /// One alignment per column.
    let alignments: [Alignment]
    /// The cells, one array per row (as many cells as columns).
    var rows: [[String]] = []

    /// A table with these column titles; `rightAligned` names the numeric columns by index.
    init(header: [String], rightAligned: Set<Int> = []) {
        self.header = header
        self.alignments = header.indices.map { rightAligned.contains($0) ? .right : .left }
    }

    /// Appends a row; missing cells are left blank.
    mutating func append(_ cells: [String]) {
        rows.append(header.indices.map { $0 < cells.count ? cells[$0] : "" })
    }

    /// The table as lines, columns separated by two spaces, trailing blanks removed.
    func render() -> String {
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.indices.map { column -> String in
                let pad = String(repeating: " ", count: widths[column] - cells[column].count)
                return alignments[column] == .right ? pad + cells[column] : cells[column] + pad
            }
            .joined(separator: "  ")
            .replacingTrailingBlanks()
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}

extension String {
    /// The string without trailing spaces.
    fileprivate func replacingTrailingBlanks() -> String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}
