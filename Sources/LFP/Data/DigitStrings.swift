/// The digit-string task for sequence rewards (Levenshtein): each sample is a strip of `T`
/// glyph-sized slots; a string of 1…T digits is written into randomly chosen slots (in order,
/// the other slots left empty), and the target is the digit string without the gaps. A model
/// reads it with a `SequenceLayout(positions: T, alphabet: 10)` head, so the right output
/// position for each digit is not given by the target: the reward has to find it by aligning.
///
/// Glyphs are built-in 7×5 bitmaps with pixel noise (`synthetic`) or MNIST digit images
/// (`fromDigits`). Everything is drawn from a `SeededGenerator`, so a seed fixes the data.
public enum DigitStrings {
    /// Rows of a built-in glyph.
    public static let glyphRows = 7
    /// Columns of a built-in glyph.
    public static let glyphColumns = 5

    /// The built-in glyphs of digits 0–9, 7×5 row-major, 1 for ink and 0 for paper.
    public static let glyphs: [[Float]] = [
        "01110 10001 10011 10101 11001 10001 01110", "00100 01100 00100 00100 00100 00100 01110",
        "01110 10001 00001 00010 00100 01000 11111", "11110 00001 00001 01110 00001 00001 11110",
        "00010 00110 01010 10010 11111 00010 00010", "11111 10000 11110 00001 00001 10001 01110",
        "00110 01000 10000 11110 10001 10001 01110", "11111 00001 00010 00100 01000 01000 01000",
        "01110 10001 10001 01110 10001 10001 01110", "01110 10001 10001 01111 00001 00010 01100",
    ].map { text in text.compactMap { $0 == "1" ? 1 : ($0 == "0" ? 0 : nil) } }

    /// Strips of `positions` built-in glyph slots (`[N, 1, 7, 5·T]`) with Gaussian pixel noise
    /// of standard deviation `noise` and a random ink intensity in 0.6…1 per glyph.
    public static func synthetic(seed: UInt64, positions: Int = 4, trainCount: Int = 3000, testCount: Int = 500,
                                 noise: Double = 0.15) -> SequenceSplit {
        let source = GlyphSource.builtIn(noise: noise)
        return SequenceSplit(
            train: draw(name: "digit-strings-train", source: source, pool: nil, positions: positions,
                        count: trainCount, seed: seed),
            test: draw(name: "digit-strings-test", source: source, pool: nil, positions: positions,
                       count: testCount, seed: seed ^ 0x7E57_D161_7515_0001))
    }

    /// Strips of `positions` MNIST digits (`[N, 1, 28, 28·T]`): training strings use images of
    /// `digits.train`, test strings images of `digits.test`.
    public static func fromDigits(_ digits: DataSplit, seed: UInt64, positions: Int = 4, trainCount: Int = 10_000,
                                  testCount: Int = 1000) -> SequenceSplit {
        SequenceSplit(
            train: draw(name: "digit-strings-mnist-train", source: .images, pool: digits.train, positions: positions,
                        count: trainCount, seed: seed),
            test: draw(name: "digit-strings-mnist-test", source: .images, pool: digits.test, positions: positions,
                       count: testCount, seed: seed ^ 0x7E57_D161_7515_0001))
    }

    private enum GlyphSource {
        case builtIn(noise: Double)
        case images
    }

    private static func draw(name: String, source: GlyphSource, pool: Dataset?, positions: Int, count: Int,
                             seed: UInt64) -> SequenceDataset {
        precondition(positions > 0 && count >= 0, "need positions and a non-negative count")
        var rng = SeededGenerator(seed: seed)
        let rows: Int, columns: Int
        var byDigit: [[Int]] = Array(repeating: [], count: 10)
        if let pool {
            rows = pool.sampleShape.count >= 2 ? pool.sampleShape[pool.sampleShape.count - 2] : 1
            columns = pool.sampleShape.last ?? 1
            for (index, label) in pool.labels.enumerated() where (0..<10).contains(label) {
                byDigit[label].append(index)
            }
            precondition(byDigit.allSatisfy { !$0.isEmpty }, "every digit 0–9 needs at least one image")
        } else {
            rows = glyphRows
            columns = glyphColumns
        }
        let stripWidth = columns * positions, sampleSize = rows * stripWidth
        var pixels = [Float](repeating: 0, count: count * sampleSize)
        var sequences: [[Int]] = []
        sequences.reserveCapacity(count)
        for b in 0..<count {
            let length = 1 + rng.index(below: positions)
            let slots = rng.permutation(positions).prefix(length).sorted()
            var sequence: [Int] = []
            for slot in slots {
                let digit = rng.index(below: 10)
                sequence.append(digit)
                let origin = b * sampleSize + slot * columns
                switch source {
                case .builtIn(let noise):
                    let ink = Float(rng.uniform(0.6, 1))
                    let glyph = glyphs[digit]
                    for r in 0..<rows {
                        for c in 0..<columns {
                            pixels[origin + r * stripWidth + c] = ink * glyph[r * columns + c]
                                + Float(noise * rng.normal())
                        }
                    }
                case .images:
                    let image = byDigit[digit][rng.index(below: byDigit[digit].count)]
                    pool!.inputs.scalars.withUnsafeBufferPointer { src in
                        for r in 0..<rows {
                            for c in 0..<columns {
                                pixels[origin + r * stripWidth + c] = src[image * rows * columns + r * columns + c]
                            }
                        }
                    }
                }
            }
            if case .builtIn(let noise) = source {
                for slot in 0..<positions where !slots.contains(slot) {
                    for r in 0..<rows {
                        for c in 0..<columns {
                            pixels[b * sampleSize + r * stripWidth + slot * columns + c] = Float(noise * rng.normal())
                        }
                    }
                }
            }
            sequences.append(sequence)
        }
        return SequenceDataset(name: name, inputs: Tensor(shape: [count, 1, rows, stripWidth], scalars: pixels),
                               sequences: sequences, layout: SequenceLayout(positions: positions, alphabet: 10))
    }
}
