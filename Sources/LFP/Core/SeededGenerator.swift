/// A small, fast, seedable random number generator (xoshiro256**, seeded through SplitMix64)
/// whose whole state is four integers, so that a checkpoint can store it and a resumed run draws
/// the same numbers. Every random choice in the engine (initialisation, shuffling, dropout, toy
/// data) goes through one of these.
public struct SeededGenerator: RandomNumberGenerator, Codable, Sendable, Equatable {
    /// The generator's complete state.
    public private(set) var state: [UInt64]

    /// A generator whose stream is determined by `seed`.
    public init(seed: UInt64) {
        var s = seed
        func splitmix() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = [splitmix(), splitmix(), splitmix(), splitmix()]
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotl(state[1] &* 5, 7) &* 9
        let t = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = rotl(state[3], 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform `Float` in `[low, high)`.
    public mutating func uniform(_ low: Float, _ high: Float) -> Float {
        let unit = Float(next() >> 40) * (1.0 / Float(1 << 24))
        return low + (high - low) * unit
    }

    /// A uniform `Double` in `[0, 1)`.
    public mutating func unitDouble() -> Double {
        Double(next() >> 11) * (1.0 / Double(UInt64(1) << 53))
    }

    /// A standard normal sample (Box–Muller).
    public mutating func normal() -> Double {
        var u1 = unitDouble()
        while u1 <= 0 { u1 = unitDouble() }
        let u2 = unitDouble()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// A uniform integer in `0..<upperBound`.
    public mutating func index(below upperBound: Int) -> Int {
        Int(next(upperBound: UInt64(upperBound)))
    }

    /// A seeded Fisher–Yates permutation of `0..<n`.
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        if n > 1 {
            for i in stride(from: n - 1, to: 0, by: -1) {
                p.swapAt(i, index(below: i + 1))
            }
        }
        return p
    }
}

import Foundation

@inline(__always) private func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
