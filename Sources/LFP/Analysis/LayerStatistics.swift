/// Per-layer numbers that show what training did to a layer's weights: how unequal their
/// magnitudes are (the Gini coefficient, the paper's sparsity measure in Section 4.1), how many
/// are exactly zero, and how many connections the last update touched (update sparsity, from the
/// agent view: a connection whose feedback or gradient is zero got no update).
public struct LayerStatistics: Sendable, Equatable, Codable {
    /// The parameter the numbers describe, e.g. `fc1.weight`.
    public var parameter: String
    /// Gini coefficient of `|w|` (0 = all equal, → 1 = all mass in few weights).
    public var gini: Double
    /// Fraction of weights that are exactly zero.
    public var zeroFraction: Double
    /// Fraction of weights whose last update direction was non-zero.
    public var updatedFraction: Double

    /// Statistics of every weight matrix (parameters of rank ≥ 2) of `model`; `direction`
    /// picks whether the last update followed `feedback` (LFP) or `grad`.
    public static func of(_ model: Layer, direction: UpdateDirection) -> [LayerStatistics] {
        model.allParameters.filter { $0.value.shape.count >= 2 }.map { p in
            let source = direction == .feedback ? p.feedback : p.grad
            return LayerStatistics(parameter: p.name, gini: giniCoefficient(p.value),
                                   zeroFraction: fraction(of: p.value) { $0 == 0 },
                                   updatedFraction: fraction(of: source) { $0 != 0 })
        }
    }

    /// The Gini coefficient of the absolute values: `Σ (2i − n − 1)·x_i / (n·Σ x_i)` over the
    /// ascending sorted magnitudes; 0 for an all-zero tensor.
    public static func giniCoefficient(_ tensor: Tensor) -> Double {
        var magnitudes = tensor.scalars.map { Double(Swift.abs($0)) }
        magnitudes.sort()
        let n = Double(magnitudes.count)
        var weighted = 0.0, total = 0.0
        for (i, x) in magnitudes.enumerated() {
            weighted += (2 * Double(i + 1) - n - 1) * x
            total += x
        }
        return total > 0 ? weighted / (n * total) : 0
    }

    private static func fraction(of tensor: Tensor, where predicate: (Float) -> Bool) -> Double {
        guard tensor.count > 0 else { return 0 }
        var hits = 0
        for v in tensor.scalars where predicate(v) { hits += 1 }
        return Double(hits) / Double(tensor.count)
    }
}
