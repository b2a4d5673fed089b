import Foundation

/// The state of a run, stored in `runs.status`.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    /// The run is being written (and its heartbeat is recent).
    case running
    /// The run completed.
    case finished
    /// The run stopped on an error.
    case failed
    /// The run was stopped before it completed: marked so by its process (a signal), or shown so
    /// because it is still `running` in the file but its heartbeat is stale (the process died).
    case interrupted
}

/// What a trainer records when it starts a run (`RunLogStore.startRun`).
public struct NewRun: Sendable, Equatable {
    /// A human-readable name (need not be unique).
    public var name: String
    /// The training method, e.g. `lfp` or `gradient`.
    public var method: String
    /// The model's name or architecture description.
    public var model: String
    /// The dataset's name.
    public var dataset: String
    /// The random seed the run used.
    public var seed: UInt64
    /// The run's complete configuration as a JSON document.
    public var configJSON: String
    /// The reward catalog row (`RunLogStore.registerReward`) of the reward that trains the run,
    /// or `nil` when it uses none (a plain loss).
    public var rewardCatalogID: Int64?
    /// The version of the tool that runs it.
    public var toolVersion: String
    /// The machine it runs on.
    public var host: String
    /// Flat key/value settings for filtering (`lr=0.1`, `epochs=10`); kept as text.
    public var params: [String: String]
    /// Free annotations (`note=...`); unlike params they may change later (`setTag`).
    public var tags: [String: String]

    /// A run description; `host` defaults to this machine's name.
    public init(name: String, method: String, model: String, dataset: String, seed: UInt64,
                configJSON: String, rewardCatalogID: Int64? = nil, toolVersion: String,
                host: String = ProcessInfo.processInfo.hostName,
                params: [String: String] = [:], tags: [String: String] = [:]) {
        self.name = name
        self.method = method
        self.model = model
        self.dataset = dataset
        self.seed = seed
        self.configJSON = configJSON
        self.rewardCatalogID = rewardCatalogID
        self.toolVersion = toolVersion
        self.host = host
        self.params = params
        self.tags = tags
    }
}

/// A logged run as read back: the `runs` row, its reward's id, its params and tags.
public struct RunRecord: Sendable, Equatable, Codable {
    /// The run id (`runs.run_id`).
    public var id: Int64
    /// Its name.
    public var name: String
    /// The status to show: the stored status, except that a `running` run whose heartbeat is
    /// older than the store's `staleAfter` shows as `interrupted`.
    public var status: RunStatus
    /// The status exactly as stored in the file.
    public var storedStatus: RunStatus
    /// The training method.
    public var method: String
    /// The model.
    public var model: String
    /// The dataset.
    public var dataset: String
    /// The random seed.
    public var seed: UInt64
    /// The complete configuration JSON.
    public var configJSON: String
    /// The reward catalog row it references, if any.
    public var rewardCatalogID: Int64?
    /// That reward's identifier (e.g. `softmax-ce`), if any.
    public var rewardID: String?
    /// The tool version that started it.
    public var toolVersion: String
    /// The machine it ran on.
    public var host: String
    /// When it started.
    public var startTime: Date
    /// When it ended, if it has.
    public var endTime: Date?
    /// When its process last reported that it was alive.
    public var heartbeatTime: Date
    /// Its params.
    public var params: [String: String]
    /// Its tags.
    public var tags: [String: String]
}

/// Where a resumed run continues from (`RunLogStore.resumeRun`).
public struct ResumePoint: Sendable, Equatable {
    /// The run, now `running` again.
    public var run: RunRecord
    /// The last epoch whose metrics were committed, if any.
    public var lastEpoch: Int?
    /// The largest step with a committed metric, if any.
    public var lastStep: Int?
    /// The most recent checkpoint artifact with its bytes, if any.
    public var checkpoint: Artifact?
}
