/// One step of an edit-distance alignment between an emitted sequence and its target.
public enum EditOperation: Sendable, Equatable {
    /// Emitted symbol `emitted` equals target symbol `target` (indices into the sequences).
    case match(emitted: Int, target: Int)
    /// Emitted symbol `emitted` stands where target symbol `target` belongs, but differs.
    case substitution(emitted: Int, target: Int)
    /// Emitted symbol `emitted` has no counterpart in the target (it must go).
    case insertion(emitted: Int)
    /// Target symbol `target` was not emitted (it is missing).
    case deletion(target: Int)
}

/// Levenshtein distance and one optimal alignment, computed by the usual dynamic programme
/// (unit costs for substitution, insertion and deletion).
public enum EditAlignment {
    /// The edit distance between `a` and `b`.
    public static func distance(_ a: [Int], _ b: [Int]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let diagonal = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(diagonal, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// An optimal alignment of `emitted` against `target`, in sequence order. Ties prefer the
    /// diagonal (match or substitution), then an insertion, then a deletion, so the result is
    /// deterministic. The number of non-match operations equals `distance(emitted, target)`.
    public static func align(emitted: [Int], target: [Int]) -> [EditOperation] {
        let n = emitted.count, m = target.count, width = m + 1
        var cost = [Int](repeating: 0, count: (n + 1) * width)
        for j in 0...m { cost[j] = j }
        if n > 0 {
            for i in 1...n {
                cost[i * width] = i
                if m == 0 { continue }
                for j in 1...m {
                    let diagonal = cost[(i - 1) * width + j - 1] + (emitted[i - 1] == target[j - 1] ? 0 : 1)
                    cost[i * width + j] = min(diagonal, cost[(i - 1) * width + j] + 1, cost[i * width + j - 1] + 1)
                }
            }
        }
        var ops: [EditOperation] = []
        var i = n, j = m
        while i > 0 || j > 0 {
            let here = cost[i * width + j]
            if i > 0, j > 0 {
                let same = emitted[i - 1] == target[j - 1]
                if here == cost[(i - 1) * width + j - 1] + (same ? 0 : 1) {
                    ops.append(same ? .match(emitted: i - 1, target: j - 1) : .substitution(emitted: i - 1, target: j - 1))
                    i -= 1
                    j -= 1
                    continue
                }
            }
            if i > 0, here == cost[(i - 1) * width + j] + 1 {
                ops.append(.insertion(emitted: i - 1))
                i -= 1
            } else {
                ops.append(.deletion(target: j - 1))
                j -= 1
            }
        }
        return ops.reversed()
    }
}
