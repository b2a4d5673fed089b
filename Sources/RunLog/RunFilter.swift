/// What `RunLogStore.listRuns` returns and in which order. Every condition given must hold.
public struct RunFilter: Sendable, Equatable {
    /// How runs are ordered.
    public enum SortKey: Sendable, Equatable {
        /// By start time.
        case startTime
        /// By run id.
        case id
        /// By the value of a metric at its largest step (MLflow's "latest metric"); runs without
        /// it, or whose latest value is NaN, come last whatever the direction.
        case metric(String)
    }

    /// Keep only runs whose shown status (stale runs count as `interrupted`) is one of these;
    /// `nil` keeps all.
    public var statuses: Set<RunStatus>?
    /// Keep only runs having every one of these params with exactly this value.
    public var params: [String: String]
    /// Keep only runs having every one of these tags with exactly this value.
    public var tags: [String: String]
    /// Keep only runs with this method.
    public var method: String?
    /// Keep only runs with this dataset.
    public var dataset: String?
    /// Keep only runs with this model.
    public var model: String?
    /// The order.
    public var sortBy: SortKey
    /// Largest first when `true`.
    public var descending: Bool
    /// At most this many runs, when given.
    public var limit: Int?

    /// A filter; the default lists every run, newest first.
    public init(statuses: Set<RunStatus>? = nil, params: [String: String] = [:], tags: [String: String] = [:],
                method: String? = nil, dataset: String? = nil, model: String? = nil,
                sortBy: SortKey = .startTime, descending: Bool = true, limit: Int? = nil) {
        self.statuses = statuses
        self.params = params
        self.tags = tags
        self.method = method
        self.dataset = dataset
        self.model = model
        self.sortBy = sortBy
        self.descending = descending
        self.limit = limit
    }
}
