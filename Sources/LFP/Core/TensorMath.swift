import Foundation
import CBLAS

/// Matrix products and element-wise kernels the layers share. Every routine writes into a
/// caller-owned output so that training loops reuse their buffers; matrix work goes to OpenBLAS.
public enum Kernels {
    /// `C = alpha · op(A) · op(B) + beta · C` for row-major matrices, with `op` a transpose when
    /// the flag is set. `A` is `m×k` after `op`, `B` is `k×n` after `op`, `C` is `m×n`.
    @inlinable
    public static func gemm(_ a: UnsafePointer<Float>, transposeA: Bool,
                            _ b: UnsafePointer<Float>, transposeB: Bool,
                            _ c: UnsafeMutablePointer<Float>,
                            m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            if beta == 0 { c.update(repeating: 0, count: m * n) }
            else if beta != 1 { for i in 0..<(m * n) { c[i] *= beta } }
            return
        }
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(transposeA ? m : k),
                    b, Int32(transposeB ? k : n),
                    beta, c, Int32(n))
    }

    /// Fixes the number of threads OpenBLAS uses. Results are bit-for-bit reproducible for a given
    /// seed and thread count.
    public static func setThreadCount(_ n: Int) {
        openblas_set_num_threads(Int32(max(1, n)))
    }

    /// The number of threads OpenBLAS currently uses.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// The ε-stabilised denominator `stab(z) = z + ε·sign(z)` with `sign(0) = +1` (Eq. 6).
    @inlinable
    public static func stabilize(_ z: Float, epsilon: Float) -> Float {
        z >= 0 ? z + epsilon : z - epsilon
    }
}

extension Tensor {
    /// Row-major matrix product `self · other` of 2-D tensors (shape `[m,k]·[k,n]`).
    public func matmul(_ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false) -> Tensor {
        precondition(shape.count == 2 && other.shape.count == 2, "matmul needs 2-D tensors")
        let m = transposeSelf ? shape[1] : shape[0]
        let k = transposeSelf ? shape[0] : shape[1]
        let k2 = transposeOther ? other.shape[1] : other.shape[0]
        let n = transposeOther ? other.shape[0] : other.shape[1]
        precondition(k == k2, "matmul inner dimensions differ: \(shape) and \(other.shape)")
        var out = Tensor(shape: [m, n])
        scalars.withUnsafeBufferPointer { a in
            other.scalars.withUnsafeBufferPointer { b in
                out.scalars.withUnsafeMutableBufferPointer { c in
                    Kernels.gemm(a.baseAddress!, transposeA: transposeSelf, b.baseAddress!,
                                 transposeB: transposeOther, c.baseAddress!, m: m, n: n, k: k)
                }
            }
        }
        return out
    }

    /// Element-wise sum; shapes must agree.
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
        precondition(lhs.shape == rhs.shape, "shape mismatch \(lhs.shape) vs \(rhs.shape)")
        var out = lhs
        out.add(rhs)
        return out
    }

    /// Element-wise difference; shapes must agree.
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
        precondition(lhs.shape == rhs.shape, "shape mismatch \(lhs.shape) vs \(rhs.shape)")
        var out = lhs
        out.add(rhs, scale: -1)
        return out
    }

    /// Element-wise product; shapes must agree.
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
        precondition(lhs.shape == rhs.shape, "shape mismatch \(lhs.shape) vs \(rhs.shape)")
        var out = lhs
        out.scalars.withUnsafeMutableBufferPointer { o in
            rhs.scalars.withUnsafeBufferPointer { r in
                for i in 0..<o.count { o[i] *= r[i] }
            }
        }
        return out
    }

    /// Every element times a scalar.
    public static func * (lhs: Tensor, rhs: Float) -> Tensor {
        var out = lhs
        out.scale(by: rhs)
        return out
    }

    /// Adds `scale · other` in place (axpy); counts must agree.
    public mutating func add(_ other: Tensor, scale: Float = 1) {
        precondition(count == other.count, "count mismatch \(shape) vs \(other.shape)")
        scalars.withUnsafeMutableBufferPointer { o in
            other.scalars.withUnsafeBufferPointer { r in
                for i in 0..<o.count { o[i] += scale * r[i] }
            }
        }
    }

    /// Multiplies every element by `factor` in place.
    public mutating func scale(by factor: Float) {
        scalars.withUnsafeMutableBufferPointer { o in
            for i in 0..<o.count { o[i] *= factor }
        }
    }

    /// Sum of squares, accumulated in `Double`.
    public func squaredNorm() -> Double {
        scalars.withUnsafeBufferPointer { p in
            var s = 0.0
            for v in p { s += Double(v) * Double(v) }
            return s
        }
    }
}

extension Kernels {
    /// Writes `softmax(row)` into `probabilities` (both `count` long), shifted by the row's maximum
    /// so that large outputs do not overflow; returns `log Σ exp(row)` (the log-partition), which
    /// cross-entropy needs.
    @inlinable @discardableResult
    public static func softmax(_ row: UnsafePointer<Float>, count: Int,
                               into probabilities: UnsafeMutablePointer<Float>) -> Float {
        var peak = row[0]
        for c in 1..<max(count, 1) { peak = Swift.max(peak, row[c]) }
        var total: Float = 0
        for c in 0..<count {
            let e = Foundation.exp(row[c] - peak)
            probabilities[c] = e
            total += e
        }
        for c in 0..<count { probabilities[c] /= total }
        return peak + Foundation.log(total)
    }
}
