import Foundation
import LFP
import Rewards

/// `lfp bench`: measures, in one run, the time of an LFP step and of a gradient step on the same
/// model and batch, their ratio, and the sgemm FLOP rate OpenBLAS reaches on the step's matrix
/// shapes, so that the engine's overhead over pure matrix work is visible.
enum BenchCommand {
    static let help = """
    usage: lfp bench [options]

    Time LFP and gradient training steps (release builds give meaningful numbers).
    Models: mlp = 784-1000-1000-10 ReLU MLP, toy = 2-32-16-3 ReLU MLP; batch 128, synthetic data.

      --models LIST     comma-separated subset of mlp,toy (default both)
      --steps N         timed steps per method (default 30 for mlp, 2000 for toy)
      --threads N       OpenBLAS threads (default 1)
      --json            print one JSON object
      --help            this text
    """

    /// One benchmarked model.
    struct Case {
        let name: String
        let widths: [Int]
        let steps: Int
    }

    static func run(_ words: [String]) throws {
        if words.contains("--help") || words.contains("-h") {
            print(help)
            return
        }
        let args = try CommandLineArguments(words, options: ["models", "steps", "threads"], flags: ["json"])
        let threads = try args.int("threads", min: 1) ?? 1
        Kernels.setThreadCount(threads)
        let chosen = (args.string("models") ?? "mlp,toy").split(separator: ",").map(String.init)
        let known = [Case(name: "mlp", widths: [784, 1000, 1000, 10], steps: 30),
                     Case(name: "toy", widths: [2, 32, 16, 3], steps: 2000)]
        for name in chosen where !known.contains(where: { $0.name == name }) {
            throw CLIError.usage("unknown model '\(name)' for --models (use mlp, toy)")
        }
        let steps = try args.int("steps", min: 1)
        var report: [String: Any] = ["threads": threads, "batch_size": 128]
        for c in known where chosen.contains(c.name) {
            let result = measure(c, steps: steps ?? c.steps)
            report[c.name] = result
            if !args.has("json") { printHuman(c, result) }
        }
        if args.has("json") {
            let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    static func printHuman(_ c: Case, _ r: [String: Any]) {
        func d(_ k: String) -> Double { r[k] as? Double ?? 0 }
        print("\(c.name) (\(c.widths.map(String.init).joined(separator: "-")), batch 128)")
        print(String(format: "  LFP step       %8.3f ms  %10.0f samples/s  %6.1f GFLOP/s", d("lfp_ms"),
                     d("lfp_samples_per_s"), d("lfp_gflops")))
        print(String(format: "  gradient step  %8.3f ms  %10.0f samples/s  %6.1f GFLOP/s", d("gradient_ms"),
                     d("gradient_samples_per_s"), d("gradient_gflops")))
        print(String(format: "  LFP / gradient %8.3f", d("lfp_over_gradient")))
        print(String(format: "  sgemm alone    %8.3f ms  %6.1f GFLOP/s  (LFP reaches %.0f %%)", d("sgemm_ms"),
                     d("sgemm_gflops"), 100 * d("sgemm_fraction")))
    }

    /// Times both methods and the bare matrix products for one model.
    static func measure(_ c: Case, steps: Int) -> [String: Any] {
        let batch = 128
        var rng = SeededGenerator(seed: 7)
        var input = Tensor(shape: [batch, c.widths[0]])
        for i in 0..<input.count { input.scalars[i] = rng.uniform(0, 1) }
        let labels = (0..<batch).map { $0 % c.widths.last! }
        let lfp = time(c, method: .lfp, input: input, labels: labels, steps: steps)
        let gradient = time(c, method: .gradient, input: input, labels: labels, steps: steps)
        let flops = stepFlops(c.widths, batch: batch)
        let sgemm = sgemmSeconds(c.widths, batch: batch, repeats: steps)
        let sgemmRate = flops / sgemm / 1e9
        let lfpRate = flops / lfp / 1e9
        return [
            "lfp_ms": lfp * 1e3, "gradient_ms": gradient * 1e3, "lfp_over_gradient": lfp / gradient,
            "lfp_samples_per_s": Double(batch) / lfp, "gradient_samples_per_s": Double(batch) / gradient,
            "sgemm_ms": sgemm * 1e3, "sgemm_gflops": sgemmRate, "lfp_gflops": lfpRate,
            "gradient_gflops": flops / gradient / 1e9, "sgemm_fraction": lfpRate / sgemmRate,
            "flops_per_step": flops, "steps": steps,
        ]
    }

    /// Median seconds per training step (after warm-up), measured in blocks of steps.
    static func time(_ c: Case, method: TrainingMethod, input: Tensor, labels: [Int], steps: Int) -> Double {
        let spec = ModelDescription(hiddenWidths: Array(c.widths.dropFirst().dropLast()))
            .spec(sampleShape: [c.widths[0]], classes: c.widths.last!, activation: .relu)
        var rng = SeededGenerator(seed: 1)
        let model = spec.build(rng: &rng)
        let configuration = TrainingConfiguration(method: method, learningRate: method == .lfp ? 1e-6 : 1e-4,
                                                  optimizer: SGD(momentum: 0.9))
        let trainer = Trainer(model: model, configuration: configuration, reward: SoftmaxCrossEntropyReward())
        for _ in 0..<max(3, steps / 10) { _ = try? trainer.trainStep(input: input, labels: labels, learningRate: 1e-6) }
        let blocks = 5
        let perBlock = max(1, steps / blocks)
        var samples: [Double] = []
        for _ in 0..<blocks {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<perBlock { _ = try? trainer.trainStep(input: input, labels: labels, learningRate: 1e-6) }
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(perBlock))
        }
        return samples.sorted()[blocks / 2]
    }

    /// FLOPs of the matrix products in one training step: forward, parameter-side and input-side
    /// products (the first layer needs no input-side product).
    static func stepFlops(_ widths: [Int], batch: Int) -> Double {
        var flops = 0.0
        for l in 0..<(widths.count - 1) {
            let mac = Double(batch * widths[l] * widths[l + 1])
            flops += 2 * mac * (l == 0 ? 2 : 3)
        }
        return flops
    }

    /// Median seconds for exactly the step's sgemm calls on the same shapes, nothing else.
    static func sgemmSeconds(_ widths: [Int], batch: Int, repeats: Int) -> Double {
        var rng = SeededGenerator(seed: 3)
        func random(_ n: Int) -> [Float] { (0..<n).map { _ in rng.uniform(-1, 1) } }
        let layers = (0..<(widths.count - 1)).map { l in
            (x: random(batch * widths[l]), w: random(widths[l] * widths[l + 1]), z: random(batch * widths[l + 1]),
             gw: random(widths[l] * widths[l + 1]), gx: random(batch * widths[l]), n: widths[l + 1], k: widths[l])
        }
        var buffers = layers
        func once() {
            for i in buffers.indices {
                let (n, k) = (buffers[i].n, buffers[i].k)
                buffers[i].x.withUnsafeBufferPointer { x in
                    buffers[i].w.withUnsafeBufferPointer { w in
                        buffers[i].z.withUnsafeMutableBufferPointer { z in
                            Kernels.gemm(x.baseAddress!, transposeA: false, w.baseAddress!, transposeB: true,
                                         z.baseAddress!, m: batch, n: n, k: k)
                        }
                    }
                }
            }
            for i in buffers.indices.reversed() {
                let (n, k) = (buffers[i].n, buffers[i].k)
                buffers[i].z.withUnsafeBufferPointer { g in
                    buffers[i].x.withUnsafeBufferPointer { x in
                        buffers[i].gw.withUnsafeMutableBufferPointer { gw in
                            Kernels.gemm(g.baseAddress!, transposeA: true, x.baseAddress!, transposeB: false,
                                         gw.baseAddress!, m: n, n: k, k: batch)
                        }
                    }
                    if i > 0 {
                        buffers[i].w.withUnsafeBufferPointer { w in
                            buffers[i].gx.withUnsafeMutableBufferPointer { gx in
                                Kernels.gemm(g.baseAddress!, transposeA: false, w.baseAddress!, transposeB: false,
                                             gx.baseAddress!, m: batch, n: k, k: n)
                            }
                        }
                    }
                }
            }
        }
        for _ in 0..<max(3, repeats / 10) { once() }
        var samples: [Double] = []
        for _ in 0..<5 {
            let perBlock = max(1, repeats / 5)
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<perBlock { once() }
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(perBlock))
        }
        return samples.sorted()[2]
    }
}
