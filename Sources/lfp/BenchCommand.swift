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
      --no-logging      skip the run-log overhead measurement: 15 swirl epochs of the toy MLP
                        committed to a temporary database (logging.toy_log_fraction), and the
                        784-1000-1000-10 MLP's epoch commit against an MNIST epoch of its
                        measured LFP steps (logging.mlp_log_fraction)
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
        let args = try CommandLineArguments(words, options: ["models", "steps", "threads"], flags: ["json", "no-logging"])
        #if DEBUG
        printError("lfp bench: this is a debug build; time a release build (swift build -c release) for real figures")
        #endif
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
        if !args.has("no-logging") {
            let mlpStep = (report["mlp"] as? [String: Any])?["lfp_ms"] as? Double
            let logging = try BenchLogging.measure(epochs: 15, mlpStepSeconds: mlpStep.map { $0 / 1e3 })
            report["logging"] = logging
            if !args.has("json") {
                func d(_ key: String) -> Double { logging[key] as? Double ?? 0 }
                print(String(format: "run log, toy MLP on swirl: %.1f ms committing per %.0f ms of training (%.1f %%)",
                             1e3 * d("toy_log_seconds"), 1e3 * d("toy_train_seconds"), 100 * d("toy_log_fraction")))
                if mlpStep != nil {
                    print(String(format: "run log, 784-1000-1000-10 MLP: %.0f ms per epoch commit vs %.1f s per MNIST epoch (%.2f %%)",
                                 1e3 * d("mlp_commit_seconds"), d("mlp_epoch_seconds"), 100 * d("mlp_log_fraction")))
                }
            }
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

    /// Times both methods and the bare matrix products for one model. The three are measured in
    /// interleaved blocks (LFP, gradient, sgemm, LFP, …) and each reported as the median block,
    /// so that drifts of the machine's speed affect them alike.
    static func measure(_ c: Case, steps: Int) -> [String: Any] {
        let batch = 128
        var rng = SeededGenerator(seed: 7)
        var input = Tensor(shape: [batch, c.widths[0]])
        for i in 0..<input.count { input.scalars[i] = rng.uniform(0, 1) }
        let labels = (0..<batch).map { $0 % c.widths.last! }
        let lfp = trainer(c, method: .lfp)
        let gradient = trainer(c, method: .gradient)
        let sgemm = SgemmWorkload(c.widths, batch: batch)
        let blocks = 9
        let perBlock = max(1, steps / blocks)
        func seconds(_ body: () -> Void) -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<perBlock { body() }
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(perBlock)
        }
        let lfpStep = { _ = try? lfp.trainStep(input: input, labels: labels, learningRate: 1e-6) }
        let gradientStep = { _ = try? gradient.trainStep(input: input, labels: labels, learningRate: 1e-6) }
        for _ in 0..<2 {
            _ = seconds(lfpStep)
            _ = seconds(gradientStep)
            _ = seconds(sgemm.run)
        }
        var times: [[Double]] = [[], [], []]
        for _ in 0..<blocks {
            times[0].append(seconds(lfpStep))
            times[1].append(seconds(gradientStep))
            times[2].append(seconds(sgemm.run))
        }
        let (lfpTime, gradientTime, sgemmTime) = (median(times[0]), median(times[1]), median(times[2]))
        let flops = stepFlops(c.widths, batch: batch)
        let sgemmRate = flops / sgemmTime / 1e9
        let lfpRate = flops / lfpTime / 1e9
        return [
            "lfp_ms": lfpTime * 1e3, "gradient_ms": gradientTime * 1e3, "lfp_over_gradient": lfpTime / gradientTime,
            "lfp_samples_per_s": Double(batch) / lfpTime, "gradient_samples_per_s": Double(batch) / gradientTime,
            "sgemm_ms": sgemmTime * 1e3, "sgemm_gflops": sgemmRate, "lfp_gflops": lfpRate,
            "gradient_gflops": flops / gradientTime / 1e9, "sgemm_fraction": lfpRate / sgemmRate,
            "flops_per_step": flops, "steps": perBlock * blocks,
        ]
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    /// A trainer for the benchmark MLP with the given method (reward #3 / softmax CE, momentum 0.9).
    static func trainer(_ c: Case, method: TrainingMethod) -> Trainer {
        let spec = ModelDescription(hiddenWidths: Array(c.widths.dropFirst().dropLast()))
            .spec(sampleShape: [c.widths[0]], classes: c.widths.last!, activation: .relu)
        var rng = SeededGenerator(seed: 1)
        let configuration = TrainingConfiguration(method: method, learningRate: 1e-6, optimizer: SGD(momentum: 0.9))
        return Trainer(model: spec.build(rng: &rng), configuration: configuration, reward: SoftmaxCrossEntropyReward())
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
}

/// Exactly the sgemm calls of one training step of an MLP (forward, parameter-side and input-side
/// products) on buffers of the same shapes, and nothing else: the FLOP rate to compare with.
final class SgemmWorkload {
    private struct LayerBuffers {
        var x, w, z, gw, gx: [Float]
        let n, k: Int
    }
    private var layers: [LayerBuffers]
    private let batch: Int

    init(_ widths: [Int], batch: Int) {
        self.batch = batch
        var rng = SeededGenerator(seed: 3)
        func random(_ n: Int) -> [Float] { (0..<n).map { _ in rng.uniform(-1, 1) } }
        layers = (0..<(widths.count - 1)).map { l in
            LayerBuffers(x: random(batch * widths[l]), w: random(widths[l] * widths[l + 1]),
                         z: random(batch * widths[l + 1]), gw: random(widths[l] * widths[l + 1]),
                         gx: random(batch * widths[l]), n: widths[l + 1], k: widths[l])
        }
    }

    /// One step's worth of matrix products.
    func run() {
        let m = batch
        for i in layers.indices {
            let (n, k) = (layers[i].n, layers[i].k)
            layers[i].x.withUnsafeBufferPointer { x in
                layers[i].w.withUnsafeBufferPointer { w in
                    layers[i].z.withUnsafeMutableBufferPointer { z in
                        Kernels.gemm(x.baseAddress!, transposeA: false, w.baseAddress!, transposeB: true,
                                     z.baseAddress!, m: m, n: n, k: k)
                    }
                }
            }
        }
        for i in layers.indices.reversed() {
            let (n, k) = (layers[i].n, layers[i].k)
            layers[i].z.withUnsafeBufferPointer { g in
                layers[i].x.withUnsafeBufferPointer { x in
                    layers[i].gw.withUnsafeMutableBufferPointer { gw in
                        Kernels.gemm(g.baseAddress!, transposeA: true, x.baseAddress!, transposeB: false,
                                     gw.baseAddress!, m: n, n: k, k: m)
                    }
                }
                if i > 0 {
                    layers[i].w.withUnsafeBufferPointer { w in
                        layers[i].gx.withUnsafeMutableBufferPointer { gx in
                            Kernels.gemm(g.baseAddress!, transposeA: false, w.baseAddress!, transposeB: false,
                                         gx.baseAddress!, m: m, n: k, k: n)
                        }
                    }
                }
            }
        }
    }
}
