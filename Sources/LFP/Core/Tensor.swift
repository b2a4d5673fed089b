/// A dense, row-major array of `Float` with a shape: the value type every layer, reward and
/// optimizer works on. Storage is a Swift array, so copies are copy-on-write and a tensor that is
/// only read is never duplicated. Images use NCHW.
public struct Tensor: Sendable, Equatable, Codable {
    /// Extent of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// The elements in row-major order (last index fastest).
    public var scalars: [Float]

    /// A tensor of the given shape filled with `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        self.shape = shape
        self.scalars = [Float](repeating: value, count: shape.reduce(1, *))
    }

    /// A tensor that takes ownership of `scalars`; their count must match the shape.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.reduce(1, *) == scalars.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// Number of elements.
    @inlinable public var count: Int { scalars.count }
    /// Extent of the first dimension (the batch for activations).
    @inlinable public var rows: Int { shape.first ?? 1 }
    /// Elements per first-dimension entry (features per sample for activations).
    @inlinable public var columns: Int { shape.isEmpty ? 1 : (rows == 0 ? 0 : count / rows) }

    /// The same elements under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, scalars: scalars)
    }

    /// Changes the shape in place; the element count must stay the same.
    public mutating func reshape(_ newShape: [Int]) {
        precondition(newShape.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        shape = newShape
    }

    /// Makes this tensor the given shape, reusing its storage when the count already matches,
    /// so that a buffer kept between training steps is not reallocated. Contents are unspecified
    /// when the count changes (zeros).
    public mutating func resize(to newShape: [Int]) {
        let n = newShape.reduce(1, *)
        if n != scalars.count { scalars = [Float](repeating: 0, count: n) }
        shape = newShape
    }

    /// Reads or writes the element at a multi-index (for tests and small tools, not hot loops).
    public subscript(_ index: Int...) -> Float {
        get { scalars[flatIndex(index)] }
        set { scalars[flatIndex(index)] = newValue }
    }

    private func flatIndex(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "index \(index) does not match shape \(shape)")
        var flat = 0
        for (i, d) in zip(index, shape) {
            precondition(i >= 0 && i < d, "index \(index) out of range for shape \(shape)")
            flat = flat * d + i
        }
        return flat
    }

    /// Sets every element to zero without reallocating.
    public mutating func zero() {
        scalars.withUnsafeMutableBufferPointer { p in
            guard let base = p.baseAddress else { return }
            base.update(repeating: 0, count: p.count)
        }
    }

    /// The index of the largest element in each row (ties go to the first), e.g. predicted classes.
    public func argmaxRows() -> [Int] {
        let n = rows, m = columns
        var result = [Int](repeating: 0, count: n)
        scalars.withUnsafeBufferPointer { p in
            for r in 0..<n {
                var best = 0
                var bestValue = p[r * m]
                for c in 1..<max(m, 1) where p[r * m + c] > bestValue {
                    best = c
                    bestValue = p[r * m + c]
                }
                result[r] = best
            }
        }
        return result
    }

    /// Sum of all elements, accumulated in `Double`.
    public func sum() -> Double {
        scalars.withUnsafeBufferPointer { p in
            var s = 0.0
            for v in p { s += Double(v) }
            return s
        }
    }

    /// Largest absolute value (0 for an empty tensor).
    public func maxAbs() -> Float {
        scalars.withUnsafeBufferPointer { p in
            var m: Float = 0
            for v in p { m = Swift.max(m, Swift.abs(v)) }
            return m
        }
    }

    /// True when every element is finite (no NaN or infinity).
    public var isFinite: Bool {
        scalars.withUnsafeBufferPointer { p in
            for v in p where !v.isFinite { return false }
            return true
        }
    }

    /// Copies the first-dimension entries at `indices`, in that order, into `destination`
    /// (reshaped to `[indices.count, ...]`, its storage reused when the size matches): a batch
    /// gathered from a dataset without allocating.
    public func gatherRows(_ indices: ArraySlice<Int>, into destination: inout Tensor) {
        let m = columns
        destination.resize(to: [indices.count] + shape.dropFirst())
        scalars.withUnsafeBufferPointer { src in
            destination.scalars.withUnsafeMutableBufferPointer { dst in
                for (row, index) in indices.enumerated() {
                    (dst.baseAddress! + row * m).update(from: src.baseAddress! + index * m, count: m)
                }
            }
        }
    }

    /// Rows `range` of the first dimension, as a new tensor.
    public func rows(_ range: Range<Int>) -> Tensor {
        let m = columns
        var newShape = shape
        newShape[0] = range.count
        return Tensor(shape: newShape, scalars: Array(scalars[(range.lowerBound * m)..<(range.upperBound * m)]))
    }
}
