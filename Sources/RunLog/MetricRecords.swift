import Foundation

/// One logged metric value (`metrics` row). `value` may be NaN: it is stored as NULL with
/// `is_nan = 1` and comes back as NaN.
public struct MetricRecord: Sendable, Equatable, Codable {
    /// The metric's name, e.g. `train_loss`, `test_accuracy`.
    public var key: String
    /// The global step (optimizer updates so far, or the epoch for per-epoch metrics).
    public var step: Int
    /// The epoch, when the value belongs to one.
    public var epoch: Int?
    /// The value; NaN and infinities are kept.
    public var value: Double
    /// When it was logged.
    public var timestamp: Date

    /// A metric value.
    public init(key: String, step: Int, epoch: Int?, value: Double, timestamp: Date) {
        self.key = key
        self.step = step
        self.epoch = epoch
        self.value = value
        self.timestamp = timestamp
    }
}

/// Per-layer statistics of one epoch (`layer_stats` row). The statistics are always written, so
/// a NULL in the file means NaN and comes back as NaN.
public struct LayerStatRecord: Sendable, Equatable, Codable {
    /// The layer's position in the model (0-based).
    public var layerIndex: Int
    /// The layer's name, e.g. `dense1` or `Conv2d(1→8, 3×3)`.
    public var layerName: String
    /// Gini coefficient of the absolute weights (0 = all equal, → 1 = concentrated in few).
    public var weightGini: Double
    /// Fraction of weights that are exactly zero.
    public var zeroWeightFraction: Double
    /// Fraction of the layer's connections that received no update in the epoch.
    public var updateSparsity: Double

    /// One layer's statistics.
    public init(layerIndex: Int, layerName: String, weightGini: Double, zeroWeightFraction: Double,
                updateSparsity: Double) {
        self.layerIndex = layerIndex
        self.layerName = layerName
        self.weightGini = weightGini
        self.zeroWeightFraction = zeroWeightFraction
        self.updateSparsity = updateSparsity
    }
}

/// The layer statistics logged for one epoch, in layer order.
public struct EpochLayerStats: Sendable, Equatable, Codable {
    /// The epoch.
    public var epoch: Int
    /// One record per layer.
    public var layers: [LayerStatRecord]
}
