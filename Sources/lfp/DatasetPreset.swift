import LFP

/// The paper's settings for each dataset the CLI knows, so that a bare `lfp train --dataset X`
/// trains the way the paper did (Appendix A.6.1 for the toy sets).
struct DatasetPreset {
    let name: String
    let model: String
    let epochs: Int
    let batchSize: Int
    let momentum: Float
    let lfpLearningRate: Float
    let gradientLearningRate: Float
    /// Learning-rate schedule: one-cycle on the toy sets, where a constant rate keeps LFP
    /// oscillating at the end of training (the paper uses one-cycle for its larger runs, A.6.2).
    let schedule: String
    /// Whether the data comes from files (`--data-dir`).
    let needsFiles: Bool

    static let all: [DatasetPreset] = [
        DatasetPreset(name: "blobs", model: "mlp:32,16", epochs: 10, batchSize: 128, momentum: 0.95,
                      lfpLearningRate: 0.001, gradientLearningRate: 0.1, schedule: "one-cycle", needsFiles: false),
        DatasetPreset(name: "circles", model: "mlp:32,16", epochs: 10, batchSize: 128, momentum: 0.95,
                      lfpLearningRate: 0.001, gradientLearningRate: 0.1, schedule: "one-cycle", needsFiles: false),
        DatasetPreset(name: "swirl", model: "mlp:32,16", epochs: 15, batchSize: 128, momentum: 0.95,
                      lfpLearningRate: 0.001, gradientLearningRate: 0.1, schedule: "one-cycle", needsFiles: false),
        DatasetPreset(name: "digit-strings", model: "mlp:128", epochs: 15, batchSize: 64, momentum: 0.9,
                      lfpLearningRate: 0.01, gradientLearningRate: 0.1, schedule: "one-cycle", needsFiles: false),
        DatasetPreset(name: "csv", model: "mlp:32,16", epochs: 10, batchSize: 128, momentum: 0.95,
                      lfpLearningRate: 0.001, gradientLearningRate: 0.1, schedule: "one-cycle", needsFiles: true),
        DatasetPreset(name: "mnist", model: "mlp:1000,1000", epochs: 1, batchSize: 128, momentum: 0.9,
                      lfpLearningRate: 0.024, gradientLearningRate: 0.05, schedule: "constant", needsFiles: true),
        DatasetPreset(name: "fashion-mnist", model: "mlp:1000,1000", epochs: 1, batchSize: 128, momentum: 0.9,
                      lfpLearningRate: 0.024, gradientLearningRate: 0.05, schedule: "constant", needsFiles: true),
    ]

    static func named(_ name: String) -> DatasetPreset? { all.first { $0.name == name } }

    /// Loads the dataset: toy sets from `seed`, IDX sets from `dataDirectory`, CSV from `files`.
    func load(dataDirectory: String?, files: CSVFiles, seed: UInt64) throws -> DataSplit {
        if name == "csv" { return try files.load(seed: seed) }
        if needsFiles {
            guard let dataDirectory else {
                throw CLIError.usage("--dataset \(name) needs --data-dir DIR (a folder with the IDX files)")
            }
            do {
                return try MNISTLoader.load(directory: dataDirectory, name: name)
            } catch let error as DataError {
                switch error {
                case .missing: throw CLIError.noInput(error.description)
                case .malformed: throw CLIError.data(error.description)
                }
            }
        }
        guard let split = ToyData.named(name, seed: seed) else {
            throw CLIError.usage("unknown dataset '\(name)'")
        }
        return split
    }
}

/// The CSV files of `--dataset csv`: numeric feature columns and the class label in the last
/// column (a header row is detected). Without a test file, a seeded fifth of the training file is
/// held out for testing.
struct CSVFiles {
    let train: String?
    let test: String?

    func load(seed: UInt64) throws -> DataSplit {
        guard let train else {
            throw CLIError.usage("--dataset csv needs --data-file FILE (numeric columns, class label last)")
        }
        do {
            let data = try CSVReader.read(at: train, name: "csv")
            guard let test else { return data.split(testFraction: 0.2, seed: seed) }
            var testData = try CSVReader.read(at: test, name: "csv-test",
                                              options: CSVReader.Options(classCount: data.classCount))
            guard testData.featureCount == data.featureCount else {
                throw CLIError.data("\(test) has \(testData.featureCount) feature columns, \(train) has \(data.featureCount)")
            }
            testData.name = "csv-test"
            return DataSplit(train: data, test: testData)
        } catch let error as DataError {
            switch error {
            case .missing: throw CLIError.noInput(error.description)
            case .malformed: throw CLIError.data(error.description)
            }
        }
    }
}
