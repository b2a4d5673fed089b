import Foundation

/// The learning rate as a function of the training step.
public enum LearningRateSchedule: Sendable, Codable, Equatable {
    /// The same rate throughout.
    case constant
    /// One-cycle (Smith & Topin 2019, PyTorch `OneCycleLR` defaults): cosine warm-up from
    /// `peak/25` to `peak` over the first 30 % of steps, then cosine annealing to `peak/25e4`.
    case oneCycle

    /// The rate at `step` of `totalSteps` for a peak (or constant) rate `peak`.
    public func rate(peak: Float, step: Int, totalSteps: Int) -> Float {
        switch self {
        case .constant:
            return peak
        case .oneCycle:
            let initial = Double(peak) / 25, final = initial / 1e4
            let warm = max(1.0, 0.3 * Double(totalSteps) - 1)
            let s = Double(step)
            if s <= warm {
                return Float(Self.cosine(from: initial, to: Double(peak), fraction: s / warm))
            }
            let rest = max(1.0, Double(totalSteps - 1) - warm)
            return Float(Self.cosine(from: Double(peak), to: final, fraction: min(1, (s - warm) / rest)))
        }
    }

    private static func cosine(from a: Double, to b: Double, fraction: Double) -> Double {
        b + (a - b) / 2 * (1 + cos(Double.pi * fraction))
    }
}
