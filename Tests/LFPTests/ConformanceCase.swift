import Foundation
import Testing
@testable import LFP

// MARK: - JSON

/// A parsed JSON value. Numbers are kept as `Double`: the conformance files write every float32
/// as the exact decimal of its value, so `Float(double)` gives back the exact bits.
enum ConformanceJSON: Decodable, Sendable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case array([ConformanceJSON])
    case object([String: ConformanceJSON])
    case null

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([ConformanceJSON].self) { self = .array(a) }
        else { self = .object(try c.decode([String: ConformanceJSON].self)) }
    }

    subscript(_ key: String) -> ConformanceJSON? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    var object: [String: ConformanceJSON]? { if case .object(let o) = self { return o } else { return nil } }
    var array: [ConformanceJSON]? { if case .array(let a) = self { return a } else { return nil } }
    var string: String? { if case .string(let s) = self { return s } else { return nil } }
    var double: Double? { if case .number(let d) = self { return d } else { return nil } }
    var int: Int? { double.flatMap { $0 == $0.rounded() ? Int($0) : nil } }
    var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
}

/// A malformed conformance file.
struct ConformanceFormatError: Error, CustomStringConvertible, Sendable {
    var file: String
    var reason: String
    var description: String { "\(file): \(reason)" }
}

// MARK: - One case

/// One conformance vector (`conformance/README.md`): a network, an input batch and the results of
/// one LFP-ε backward pass of the reference implementation.
struct ConformanceCase: Sendable {
    /// One node of `architecture.nodes`.
    struct Node: Sendable {
        var name: String
        var op: String
        var inputs: [String]
        var inFeatures: Int?
        var outFeatures: Int?
        var bias: Bool
        var alpha: Float?
        /// Role (`weight`, `bias`) → key in `parameters` / `feedback` / `ce_grad`.
        var params: [String: String]
    }

    /// One SGD step of the reference optimizer.
    struct SGDStep: Sendable {
        var learningRate: Float
        var momentum: Float
        var clipMaxNorm: Float
        var totalNormBeforeClip: Double
        var paramsAfter: [String: Tensor]
    }

    /// Ops the engine has layers for (the node graph must still be a chain with residual sums).
    static let supportedOps: Set<String> = ["linear", "relu", "tanh", "silu", "elu", "step", "sum", "flatten"]
    /// Table 2 numbers of the rewards reimplemented in `ConformanceRewards`.
    static let supportedRewards: Set<Int> = [1, 2, 3, 4]

    var file: String
    var name: String
    var epsilon: Float
    var rewardName: String
    var rewardNumber: Int?
    var rewardFormula: String
    var nodes: [Node]
    var outputNode: String
    var parameters: [String: Tensor]
    var input: Tensor?
    var labels: [Int]
    var logits: Tensor?
    var rewardTensor: Tensor?
    var inputReward: Tensor?
    var feedback: [String: Tensor]
    var nodeOutputs: [String: Tensor]
    var nodeOutputRewards: [String: Tensor]
    var ceLoss: Double?
    var ceGrad: [String: Tensor]
    var sgdStep: SGDStep?

    /// Ops of this case the engine cannot run.
    var unsupportedOps: [String] {
        var seen: [String] = []
        for n in nodes where !Self.supportedOps.contains(n.op) && !seen.contains(n.op) { seen.append(n.op) }
        return seen
    }

    /// Why this case cannot be run, or nil when it can.
    var unsupportedReason: String? {
        if !unsupportedOps.isEmpty { return "unsupported ops \(unsupportedOps)" }
        guard let n = rewardNumber, Self.supportedRewards.contains(n) else {
            return "unsupported reward \(rewardName)"
        }
        return nil
    }

    /// Reads and decodes one file.
    init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url)
        let json = try JSONDecoder().decode(ConformanceJSON.self, from: data)
        let file = url.lastPathComponent
        self.file = file
        func fail(_ reason: String) -> ConformanceFormatError { ConformanceFormatError(file: file, reason: reason) }
        guard json["format"]?.string == "lfp-conformance/1" else { throw fail("format is not lfp-conformance/1") }
        name = json["case"]?.string ?? url.deletingPathExtension().lastPathComponent
        epsilon = Float(json["lfp"]?["epsilon"]?.double ?? 1e-6)
        rewardName = json["reward"]?["name"]?.string ?? "?"
        rewardNumber = json["reward"]?["paper_table2_number"]?.int
        rewardFormula = json["reward"]?["formula"]?.string ?? ""
        guard let arch = json["architecture"], let nodeList = arch["nodes"]?.array else {
            throw fail("no architecture.nodes")
        }
        nodes = try nodeList.map { n in
            guard let name = n["name"]?.string, let op = n["op"]?.string else { throw fail("node without name/op") }
            var params: [String: String] = [:]
            for (role, key) in n["params"]?.object ?? [:] { if let k = key.string { params[role] = k } }
            return Node(name: name, op: op, inputs: (n["inputs"]?.array ?? []).compactMap(\.string),
                        inFeatures: n["in_features"]?.int, outFeatures: n["out_features"]?.int,
                        bias: n["bias"]?.bool ?? false, alpha: n["alpha"]?.double.map(Float.init), params: params)
        }
        outputNode = arch["output"]?.string ?? nodes.last?.name ?? ""
        func tensors(_ key: String) throws -> [String: Tensor] {
            var out: [String: Tensor] = [:]
            for (k, v) in json[key]?.object ?? [:] { out[k] = try Self.tensor(v, file: file, what: "\(key).\(k)") }
            return out
        }
        func tensor(_ key: String) throws -> Tensor? {
            try json[key].map { try Self.tensor($0, file: file, what: key) }
        }
        parameters = try tensors("parameters")
        input = try tensor("input")
        labels = (json["labels"]?.array ?? []).compactMap(\.int)
        logits = try tensor("logits")
        rewardTensor = try tensor("reward_tensor")
        inputReward = try tensor("input_reward")
        feedback = try tensors("feedback")
        nodeOutputs = try tensors("node_outputs")
        nodeOutputRewards = try tensors("node_output_rewards")
        ceLoss = json["ce_loss"]?["value"]?.double
        ceGrad = try tensors("ce_grad")
        if let s = json["sgd_step"], let lr = s["lr"]?.double {
            var after: [String: Tensor] = [:]
            for (k, v) in s["params_after"]?.object ?? [:] {
                after[k] = try Self.tensor(v, file: file, what: "sgd_step.params_after.\(k)")
            }
            sgdStep = SGDStep(learningRate: Float(lr), momentum: Float(s["momentum"]?.double ?? 0),
                              clipMaxNorm: Float(s["clip_max_norm"]?.double ?? .infinity),
                              totalNormBeforeClip: s["total_norm_before_clip"]?.double ?? .nan,
                              paramsAfter: after)
        } else {
            sgdStep = nil
        }
    }

    /// `{"shape": [...], "data": nested lists}` → Tensor (numbers parsed as Double, then Float).
    static func tensor(_ json: ConformanceJSON, file: String, what: String) throws -> Tensor {
        guard let shape = json["shape"]?.array?.compactMap(\.int), let data = json["data"] else {
            throw ConformanceFormatError(file: file, reason: "\(what) is not a {shape, data} tensor")
        }
        var scalars: [Float] = []
        scalars.reserveCapacity(shape.reduce(1, *))
        func flatten(_ v: ConformanceJSON) throws {
            switch v {
            case .number(let d): scalars.append(Float(d))
            case .array(let a): for e in a { try flatten(e) }
            default: throw ConformanceFormatError(file: file, reason: "\(what) holds a non-number")
            }
        }
        try flatten(data)
        guard scalars.count == shape.reduce(1, *) else {
            throw ConformanceFormatError(file: file, reason: "\(what): shape \(shape) but \(scalars.count) values")
        }
        return Tensor(shape: shape, scalars: scalars)
    }

    // MARK: Building the network

    /// The engine network the node graph describes, with the case's parameter values loaded, and
    /// every layer by node name. Linear chains become a `Sequential`; a `sum` node whose inputs are
    /// the end of a branch and an earlier node `h` becomes `Residual(branch: layers after h)`.
    func buildModel() throws -> (model: Sequential, layers: [String: Layer]) {
        func fail(_ reason: String) -> ConformanceFormatError { ConformanceFormatError(file: file, reason: reason) }
        var chain: [(node: String, layer: Layer)] = []
        var byName: [String: Layer] = [:]
        var last = "x"
        var rng = SeededGenerator(seed: 0)
        for node in nodes {
            let layer: Layer
            if node.op == "sum" {
                guard node.inputs.count == 2 else { throw fail("sum \(node.name) needs two inputs") }
                let skip: String
                if node.inputs[0] == last { skip = node.inputs[1] }
                else if node.inputs[1] == last { skip = node.inputs[0] }
                else { throw fail("sum \(node.name): neither input is the preceding node \(last)") }
                let start: Int
                if skip == "x" { start = 0 }
                else if let i = chain.firstIndex(where: { $0.node == skip }) { start = i + 1 }
                else { throw fail("sum \(node.name): skip input \(skip) is not on the main chain") }
                guard start < chain.count else { throw fail("sum \(node.name) has an empty branch") }
                let branch = chain[start...].map(\.layer)
                chain.removeSubrange(start...)
                layer = Residual(name: node.name, branch: Sequential(name: "\(node.name).branch", branch))
            } else {
                guard node.inputs == [last] else {
                    throw fail("node \(node.name) reads \(node.inputs), not the preceding node \(last)")
                }
                switch node.op {
                case "linear":
                    guard let i = node.inFeatures, let o = node.outFeatures else { throw fail("\(node.name): no sizes") }
                    let dense = Dense(name: node.name, inputSize: i, outputSize: o, bias: node.bias, rng: &rng)
                    for p in dense.parameters {
                        let role = p === dense.weight ? "weight" : "bias"
                        guard let key = node.params[role], let v = parameters[key] else {
                            throw fail("\(node.name): no value for its \(role)")
                        }
                        guard v.count == p.value.count else {
                            throw fail("\(key): shape \(v.shape), layer needs \(p.value.shape)")
                        }
                        p.value = v.reshaped(p.value.shape)
                        p.name = key
                    }
                    layer = dense
                case "relu": layer = Activation(.relu, name: node.name)
                case "tanh": layer = Activation(.tanh, name: node.name)
                case "silu": layer = Activation(.silu, name: node.name)
                case "elu": layer = Activation(.elu, name: node.name, coefficient: node.alpha ?? 1)
                case "step": layer = Activation(.heaviside, name: node.name)
                case "flatten": layer = Flatten(name: node.name)
                default: throw fail("unsupported op \(node.op)")
                }
            }
            chain.append((node.name, layer))
            byName[node.name] = layer
            last = node.name
        }
        guard last == outputNode else { throw fail("output \(outputNode) is not the last node \(last)") }
        return (Sequential(name: "model", chain.map(\.layer)), byName)
    }

    // MARK: Finding the files

    /// The package root, from this file's path (`<root>/Tests/LFPTests/ConformanceCase.swift`).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// Whether the directory comes from `LFP_CONFORMANCE_DIR` rather than the default.
    static var usesCustomDirectory: Bool {
        !(ProcessInfo.processInfo.environment["LFP_CONFORMANCE_DIR"] ?? "").isEmpty
    }

    /// `$LFP_CONFORMANCE_DIR`, else `<package root>/../shared/conformance`.
    static var directory: URL {
        if let d = ProcessInfo.processInfo.environment["LFP_CONFORMANCE_DIR"], !d.isEmpty {
            return URL(fileURLWithPath: d, isDirectory: true)
        }
        return packageRoot.appendingPathComponent("../shared/conformance", isDirectory: true).standardizedFileURL
    }

    /// File names of every `*.json` in the directory, sorted.
    static var fileNames: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }

    /// Every file of the directory, parsed once per test process.
    private static let loaded: [String: Result<ConformanceCase, ConformanceFormatError>] = {
        var out: [String: Result<ConformanceCase, ConformanceFormatError>] = [:]
        for name in fileNames {
            do { out[name] = .success(try ConformanceCase(contentsOf: directory.appendingPathComponent(name))) }
            catch let e as ConformanceFormatError { out[name] = .failure(e) }
            catch { out[name] = .failure(ConformanceFormatError(file: name, reason: "\(error)")) }
        }
        return out
    }()

    /// The case stored in `fileName`.
    static func load(_ fileName: String) throws -> ConformanceCase {
        guard let result = loaded[fileName] else {
            return try ConformanceCase(contentsOf: directory.appendingPathComponent(fileName))
        }
        return try result.get()
    }

    /// File names of the cases the engine can run (decided from ops and reward); files that do
    /// not parse are included so that they fail loudly.
    static var supportedFileNames: [String] {
        fileNames.filter { name in
            guard let c = try? load(name) else { return true }
            return c.unsupportedReason == nil
        }
    }

    /// File name → case name and reason for every case the engine cannot run.
    static var unsupportedCases: [(file: String, name: String, reason: String)] {
        fileNames.compactMap { name in
            guard let c = try? load(name), let reason = c.unsupportedReason else { return nil }
            return (name, c.name, reason)
        }
    }
}

// MARK: - Rewards (local reimplementations; LFPTests depends only on LFP)

/// The initial rewards of the paper's Table 2, written from the formulas in the conformance
/// files, so that LFPTests needs no dependency on the `Rewards` module.
enum ConformanceRewards {
    /// `torch.sign`: −1, 0 or +1.
    static func torchSign(_ v: Float) -> Float { v > 0 ? 1 : (v < 0 ? -1 : 0) }

    /// Row-wise softmax in Double.
    static func softmax(_ logits: Tensor) -> [Double] {
        let n = logits.rows, m = logits.columns
        var p = [Double](repeating: 0, count: n * m)
        for b in 0..<n {
            let row = (0..<m).map { Double(logits.scalars[b * m + $0]) }
            let peak = row.max() ?? 0
            let e = row.map { Foundation.exp($0 - peak) }
            let total = e.reduce(0, +)
            for c in 0..<m { p[b * m + c] = e[c] / total }
        }
        return p
    }

    /// #3: `r[b,c] = z[b,c]·(onehot[b,c] − softmax(z[b])[c])` = `z·(−∂L/∂z)` for the summed CE.
    static func softmaxLoss(_ z: Tensor, labels: [Int]) -> Tensor {
        let m = z.columns
        let p = softmax(z)
        var r = Tensor(shape: z.shape)
        for i in 0..<z.count {
            let y: Double = labels[i / m] == i % m ? 1 : 0
            r.scalars[i] = Float(Double(z.scalars[i]) * (y - p[i]))
        }
        return r
    }

    /// #1: `sign(z[b,c])` if `c` is the label and the sample is classified correctly, else 0.
    static func correctClass(_ z: Tensor, labels: [Int]) -> Tensor {
        let m = z.columns
        var r = Tensor(shape: z.shape)
        for (b, label) in labels.enumerated() {
            let row = Array(z.scalars[(b * m)..<((b + 1) * m)])
            if row[label] == row.max() { r.scalars[b * m + label] = torchSign(row[label]) }
        }
        return r
    }

    /// #2: `−sign(z[b,c])` if `z[b,c] > z[b,label]` (strictly), else 0.
    static func misclassification(_ z: Tensor, labels: [Int]) -> Tensor {
        let m = z.columns
        var r = Tensor(shape: z.shape)
        for (b, label) in labels.enumerated() {
            for c in 0..<m where z.scalars[b * m + c] > z.scalars[b * m + label] {
                r.scalars[b * m + c] = -torchSign(z.scalars[b * m + c])
            }
        }
        return r
    }

    /// #4: `r[b,c] = z[b,c]·(onehot[b,c] − σ(z[b,c]))`.
    static func sigmoidLoss(_ z: Tensor, labels: [Int]) -> Tensor {
        let m = z.columns
        var r = Tensor(shape: z.shape)
        for i in 0..<z.count {
            let y: Double = labels[i / m] == i % m ? 1 : 0
            let v = Double(z.scalars[i])
            r.scalars[i] = Float(v * (y - 1 / (1 + Foundation.exp(-v))))
        }
        return r
    }

    /// The reward with Table 2 number `number`.
    static func reward(number: Int, logits: Tensor, labels: [Int]) -> Tensor? {
        switch number {
        case 1: return correctClass(logits, labels: labels)
        case 2: return misclassification(logits, labels: labels)
        case 3: return softmaxLoss(logits, labels: labels)
        case 4: return sigmoidLoss(logits, labels: labels)
        default: return nil
        }
    }
}

/// Reward #3 as an engine `Reward`, for trainers.
struct LocalSoftmaxCrossEntropyReward: Reward {
    var info: RewardInfo {
        RewardInfo(id: "test-softmax-ce", name: "softmax-CE equivalent (test copy of Table 2 #3)",
                   summary: "o_c (y_c - softmax(o)_c)", differentiable: true)
    }

    func callAsFunction(outputs: Tensor, targets: Targets) throws -> Tensor {
        let labels = try validatedClassLabels(outputs: outputs, targets: targets)
        return ConformanceRewards.softmaxLoss(outputs, labels: labels)
    }
}

// MARK: - Comparing tensors

/// Element-wise comparison with the conformance tolerance `|a − b| ≤ rel·max|b| + abs`.
struct TensorMismatch: CustomStringConvertible {
    var index: Int
    var actual: Float
    var expected: Float
    var allowed: Float
    var violations: Int
    var description: String {
        "\(violations) element(s) out of tolerance; worst at flat index \(index): got \(actual), expected \(expected) (allowed ±\(allowed))"
    }
}

enum TensorCheck {
    /// The worst element outside `|a − b| ≤ relative·max|b| + absolute`, or nil when all are
    /// inside. Counts that differ are reported as a mismatch at index −1.
    static func mismatch(_ actual: Tensor, _ expected: Tensor, relative: Float = 1e-4,
                         absolute: Float = 1e-6) -> TensorMismatch? {
        guard actual.count == expected.count else {
            return TensorMismatch(index: -1, actual: Float(actual.count), expected: Float(expected.count),
                                  allowed: 0, violations: max(actual.count, expected.count))
        }
        let allowed = relative * expected.maxAbs() + absolute
        var worst: TensorMismatch?
        var worstExcess: Float = 0
        var violations = 0
        for i in 0..<actual.count {
            let a = actual.scalars[i], b = expected.scalars[i]
            let d = Swift.abs(a - b)
            if !(d <= allowed) {
                violations += 1
                let excess = d.isNaN ? .infinity : d - allowed
                if worst == nil || excess > worstExcess {
                    worstExcess = excess
                    worst = TensorMismatch(index: i, actual: a, expected: b, allowed: allowed, violations: 0)
                }
            }
        }
        worst?.violations = violations
        return worst
    }

    /// Records an issue naming `what` when `actual` is not within tolerance of `expected`.
    static func expectClose(_ actual: Tensor, _ expected: Tensor, _ what: String, relative: Float = 1e-4,
                            absolute: Float = 1e-6, sourceLocation: SourceLocation = #_sourceLocation) {
        if let m = mismatch(actual, expected, relative: relative, absolute: absolute) {
            Issue.record("\(what): \(m)", sourceLocation: sourceLocation)
        }
    }

    /// Largest |a − b| over all elements.
    static func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
        precondition(a.count == b.count)
        var m: Float = 0
        for i in 0..<a.count { m = max(m, Swift.abs(a.scalars[i] - b.scalars[i])) }
        return m
    }
}

// MARK: - Random networks and data for property tests

enum TestNets {
    /// A tensor of standard-normal entries.
    static func normal(_ shape: [Int], rng: inout SeededGenerator, scale: Float = 1) -> Tensor {
        var t = Tensor(shape: shape)
        for i in 0..<t.count { t.scalars[i] = scale * Float(rng.normal()) }
        return t
    }

    /// `sizes[0]`-…-`sizes.last` MLP: Dense (`fc1`…) with `activation` (`act1`…) after every hidden
    /// layer, linear output.
    static func mlp(_ sizes: [Int], activation: LayerKind, bias: Bool, seed: UInt64) -> Sequential {
        var rng = SeededGenerator(seed: seed)
        var layers: [Layer] = []
        for i in 0..<(sizes.count - 1) {
            layers.append(Dense(name: "fc\(i + 1)", inputSize: sizes[i], outputSize: sizes[i + 1], bias: bias, rng: &rng))
            if i < sizes.count - 2 { layers.append(Activation(activation, name: "act\(i + 1)")) }
        }
        return Sequential(name: "model", layers)
    }

    /// `in`-`width` Dense, activation, a residual block `z = f(h) + h` with
    /// `f = Dense–activation–Dense`, activation, Dense to `classes`.
    static func residualMLP(inputs: Int, width: Int, classes: Int, activation: LayerKind, bias: Bool,
                            seed: UInt64) -> Sequential {
        var rng = SeededGenerator(seed: seed)
        let branch = Sequential(name: "res.branch", [
            Dense(name: "res.fc1", inputSize: width, outputSize: width, bias: bias, rng: &rng),
            Activation(activation, name: "res.act"),
            Dense(name: "res.fc2", inputSize: width, outputSize: width, bias: bias, rng: &rng),
        ])
        return Sequential(name: "model", [
            Dense(name: "fc1", inputSize: inputs, outputSize: width, bias: bias, rng: &rng),
            Activation(activation, name: "act1"),
            Residual(name: "res", branch: branch),
            Activation(activation, name: "act2"),
            Dense(name: "fc2", inputSize: width, outputSize: classes, bias: bias, rng: &rng),
        ])
    }

    /// Random labels in `0..<classes`.
    static func labels(_ n: Int, classes: Int, rng: inout SeededGenerator) -> [Int] {
        (0..<n).map { _ in rng.index(below: classes) }
    }

    /// The gradient of the SUMMED softmax cross-entropy w.r.t. every parameter (runs the
    /// gradient propagator on the mean-loss gradient times N), by parameter name, and the input
    /// gradient. Expects the model's last forward pass to have seen `input`.
    static func summedCEGradients(_ model: Layer, input: Tensor, outputs: Tensor,
                                  labels: [Int]) -> (params: [String: Tensor], input: Tensor) {
        var g = Tensor(shape: [0])
        _ = SoftmaxCrossEntropy().evaluate(outputs: outputs, labels: labels, gradient: &g)
        g.scale(by: Float(outputs.rows))
        let inputGrad = Propagator(rules: .gradient).propagate(g, through: model, input: input, needsInputSignal: true)
        var out: [String: Tensor] = [:]
        for p in model.allParameters { out[p.name] = p.grad }
        return (out, inputGrad)
    }
}
