/// Builds the SQL that selects runs: a fixed text made of constant fragments and numbered
/// parameters (`?1`, `?2`, ...) whose values are collected in `bindings`, so no value is ever
/// spliced into SQL.
struct RunQuery {
    /// The WHERE conditions, joined with AND.
    private(set) var conditions: [String] = []
    /// The ORDER BY clause.
    private(set) var order = "v.start_time DESC, v.run_id DESC"
    /// The value of the sort-metric key parameter.
    private(set) var sortMetric: String?
    /// The placeholder of the LIMIT value, if there is a limit.
    private(set) var limitPlaceholder: String?

    /// A query for one run.
    init(runID: Int64) {
        conditions = ["v.run_id = ?\(Self.firstFilterParameter)"]
        filterValues = [.integer(runID)]
    }

    /// A query for the runs `filter` keeps, in its order.
    init(filter: RunFilter) {
        if let statuses = filter.statuses {
            let placeholders = RunStatus.allCases.filter(statuses.contains).map { add(.text($0.rawValue)) }
            conditions.append(placeholders.isEmpty ? "0" : "v.shown_status IN (\(placeholders.joined(separator: ", ")))")
        }
        if let method = filter.method { conditions.append("v.method = \(add(.text(method)))") }
        if let dataset = filter.dataset { conditions.append("v.dataset = \(add(.text(dataset)))") }
        if let model = filter.model { conditions.append("v.model = \(add(.text(model)))") }
        for (key, value) in filter.params.sorted(by: { $0.key < $1.key }) {
            conditions.append("EXISTS (SELECT 1 FROM params p WHERE p.run_id = v.run_id AND p.key = "
                              + "\(add(.text(key))) AND p.value = \(add(.text(value))))")
        }
        for (key, value) in filter.tags.sorted(by: { $0.key < $1.key }) {
            conditions.append("EXISTS (SELECT 1 FROM tags t WHERE t.run_id = v.run_id AND t.key = "
                              + "\(add(.text(key))) AND t.value = \(add(.text(value))))")
        }
        let direction = filter.descending ? "DESC" : "ASC"
        switch filter.sortBy {
        case .startTime:
            order = "v.start_time \(direction), v.run_id \(direction)"
        case .id:
            order = "v.run_id \(direction)"
        case .metric(let key):
            sortMetric = key
            order = "v.sort_value IS NULL, v.sort_value \(direction), v.run_id \(direction)"
        }
        if let limit = filter.limit {
            limitPlaceholder = add(.int(max(0, limit)))
        }
    }

    /// Parameters ?1 (stale cutoff) and ?2 (sort metric key) are fixed; filters start at ?3.
    private static let firstFilterParameter = 3
    private var filterValues: [SQLiteValue] = []

    /// Appends a filter value and returns its placeholder.
    private mutating func add(_ value: SQLiteValue) -> String {
        filterValues.append(value)
        return "?\(Self.firstFilterParameter + filterValues.count - 1)"
    }

    /// The columns `runRecord` reads, in order.
    static let columns = """
        v.run_id, v.name, v.status, v.shown_status, v.method, v.model, v.dataset, v.seed, v.config_json,
        v.reward_catalog_id, c.reward_id, v.tool_version, v.host, v.start_time, v.end_time, v.heartbeat_time
        """

    /// The statement text.
    var sql: String {
        var text = """
            SELECT \(Self.columns) FROM (
                SELECT r.*,
                       CASE WHEN r.status = 'running' AND r.heartbeat_time < ?1 THEN 'interrupted'
                            ELSE r.status END AS shown_status,
                       (SELECT m.value FROM metrics m WHERE m.run_id = r.run_id AND m.key = ?2
                        ORDER BY m.step DESC LIMIT 1) AS sort_value
                FROM runs r
            ) AS v
            LEFT JOIN reward_catalog c ON c.reward_catalog_id = v.reward_catalog_id
            """
        if !conditions.isEmpty { text += "\nWHERE " + conditions.joined(separator: " AND ") }
        text += "\nORDER BY " + order
        if let limitPlaceholder { text += "\nLIMIT " + limitPlaceholder }
        return text
    }

    /// The values of all parameters, given the stale-heartbeat cutoff in milliseconds.
    func bindings(cutoff: Int64) -> [SQLiteValue] {
        [.integer(cutoff), .text(sortMetric)] + filterValues
    }
}
