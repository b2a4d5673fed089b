import LFP

// Trains the paper's toy MLP (2-32-16-2) on the blob data with LFP and the custom reward.
let data = ToyData.blobs(seed: 1, centres: [SIMD2(-1, -1), SIMD2(1, 1)])
var rng = SeededGenerator(seed: 1)
let model = ModelDescription(hiddenWidths: [32, 16])
    .spec(sampleShape: data.train.sampleShape, classes: data.train.classCount, activation: .relu)
    .build(rng: &rng)
let configuration = TrainingConfiguration(method: .lfp, learningRate: 0.001, schedule: .oneCycle,
                                          optimizer: SGD(momentum: 0.9), batchSize: 32, epochs: 5, seed: 1)
let trainer = Trainer(model: model, configuration: configuration, reward: HingeMarginReward(margin: 1))

print("training with reward '\(trainer.reward.info.id)': \(trainer.reward.info.summary)")
for _ in 0..<configuration.epochs {
    let summary = try trainer.trainEpoch(on: data.train)
    let test = trainer.evaluate(data.test)
    print("epoch \(summary.epoch): train accuracy \(summary.trainAccuracy), test accuracy \(test.accuracy)")
}
