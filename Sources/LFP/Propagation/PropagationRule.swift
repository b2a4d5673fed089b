/// How a layer passes an output-side signal (reward or gradient) to its input and parameters.
/// Every rule is built on the layer's own vector-Jacobian product (DESIGN.md §3).
public enum PropagationRule: Sendable, Equatable, CustomStringConvertible {
    /// LFP-ε (Eq. 6–7): `s = r / stab(z)`, feedback `|θ| ⊙ J_θ(s)`, reward to the input
    /// `x ⊙ J_x(s)`. `epsilon(0)` is LFP-0 (Eq. 2–4). On a residual block, Eq. 11.
    case epsilon(Float)
    /// The signal passes unchanged (activation functions under LFP).
    case passThrough
    /// The layer's plain vector-Jacobian product (the gradient; MaxPool, Flatten and Dropout
    /// under LFP).
    case vectorJacobian

    public var description: String {
        switch self {
        case .epsilon(let e): return e == 0 ? "lfp-0" : "lfp-epsilon(\(e))"
        case .passThrough: return "pass-through"
        case .vectorJacobian: return "vector-jacobian"
        }
    }
}

/// Which layers a rule applies to.
public enum LayerMatcher: Sendable, Equatable {
    /// Layers of one kind.
    case kind(LayerKind)
    /// All element-wise activation functions.
    case activations
    /// The layer with this name (for per-layer overrides).
    case name(String)
    /// Every layer.
    case any

    /// Whether `layer` is matched.
    public func matches(_ layer: Layer) -> Bool {
        switch self {
        case .kind(let k): return layer.kind == k
        case .activations: return layer.kind.isActivation
        case .name(let n): return layer.name == n
        case .any: return true
        }
    }
}

/// An ordered map from layer matchers to rules — the LRP "composite". The first entry whose
/// matcher accepts a layer decides its rule; layers no entry matches use the vector-Jacobian
/// product.
public struct RuleMap: Sendable, Equatable {
    /// The entries, first match wins.
    public var entries: [(LayerMatcher, PropagationRule)]

    /// A composite from explicit entries.
    public init(_ entries: [(LayerMatcher, PropagationRule)]) { self.entries = entries }

    /// The rule for `layer`.
    public func rule(for layer: Layer) -> PropagationRule {
        entries.first { $0.0.matches(layer) }?.1 ?? .vectorJacobian
    }

    /// Puts an override in front of the existing entries.
    public func overriding(_ matcher: LayerMatcher, with rule: PropagationRule) -> RuleMap {
        RuleMap([(matcher, rule)] + entries)
    }

    /// LFP-ε (the default, ε = 1e-6): ε-rule on linear layers and residual sums, rewards pass
    /// through activations, MaxPool/Flatten/Dropout by their vector-Jacobian product.
    public static func lfpEpsilon(_ epsilon: Float = 1e-6) -> RuleMap {
        RuleMap([
            (.kind(.dense), .epsilon(epsilon)),
            (.kind(.residual), .epsilon(epsilon)),
            (.activations, .passThrough),
        ])
    }

    /// LFP-0: the ε-rule with ε = 0 (Eq. 2–4).
    public static var lfpZero: RuleMap { lfpEpsilon(0) }

    /// Plain backpropagation: every layer by its vector-Jacobian product.
    public static var gradient: RuleMap { RuleMap([(.any, .vectorJacobian)]) }

    public static func == (lhs: RuleMap, rhs: RuleMap) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }
}
