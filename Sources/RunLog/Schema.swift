/// The run log's schema: the identity stamped into the file and the SQL of each schema version.
///
/// Names follow MLflow's tracking store where it has an equivalent (`runs`, `params`, `tags`,
/// `metrics` with `step`, `timestamp` and `is_nan`, `artifacts`, `status`, `start_time`,
/// `end_time`); times are integer milliseconds since the Unix epoch, as in MLflow.
/// `docs/run-log-schema.md` describes every table and column.
enum Schema {
    /// `PRAGMA application_id` of a run log: the ASCII bytes "LFPR". A file with another non-zero
    /// application id belongs to some other program and is never touched.
    static let applicationID: Int32 = 0x4C46_5052

    /// Version 1: the whole schema.
    static let version1 = """
        CREATE TABLE reward_catalog (
            reward_catalog_id INTEGER PRIMARY KEY,
            reward_id         TEXT    NOT NULL,
            version           INTEGER NOT NULL,
            definition_hash   TEXT    NOT NULL,
            source_type       TEXT    NOT NULL
                              CHECK (source_type IN ('builtin', 'swift_plugin', 'program')),
            source_command    TEXT,
            info_json         TEXT    NOT NULL,
            created_time      INTEGER NOT NULL,
            UNIQUE (reward_id, version, definition_hash),
            CHECK ((source_type = 'program') = (source_command IS NOT NULL))
        );

        CREATE TABLE runs (
            run_id            INTEGER PRIMARY KEY AUTOINCREMENT,
            name              TEXT    NOT NULL,
            status            TEXT    NOT NULL
                              CHECK (status IN ('running', 'finished', 'failed', 'interrupted')),
            method            TEXT    NOT NULL,
            model             TEXT    NOT NULL,
            dataset           TEXT    NOT NULL,
            seed              INTEGER NOT NULL,
            config_json       TEXT    NOT NULL,
            reward_catalog_id INTEGER REFERENCES reward_catalog (reward_catalog_id) ON DELETE RESTRICT,
            tool_version      TEXT    NOT NULL,
            host              TEXT    NOT NULL,
            start_time        INTEGER NOT NULL,
            end_time          INTEGER,
            heartbeat_time    INTEGER NOT NULL
        );
        CREATE INDEX runs_start_time ON runs (start_time);
        CREATE INDEX runs_reward_catalog_id ON runs (reward_catalog_id);

        CREATE TABLE params (
            run_id INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            key    TEXT    NOT NULL,
            value  TEXT    NOT NULL,
            PRIMARY KEY (run_id, key)
        );
        CREATE INDEX params_key_value ON params (key, value);

        CREATE TABLE tags (
            run_id INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            key    TEXT    NOT NULL,
            value  TEXT    NOT NULL,
            PRIMARY KEY (run_id, key)
        );

        CREATE TABLE metrics (
            run_id    INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            key       TEXT    NOT NULL,
            step      INTEGER NOT NULL,
            epoch     INTEGER,
            value     REAL,
            is_nan    INTEGER NOT NULL DEFAULT 0 CHECK (is_nan IN (0, 1)),
            timestamp INTEGER NOT NULL,
            PRIMARY KEY (run_id, key, step),
            CHECK ((is_nan = 1) = (value IS NULL))
        );

        CREATE TABLE layer_stats (
            run_id               INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            epoch                INTEGER NOT NULL,
            layer_index          INTEGER NOT NULL,
            layer_name           TEXT    NOT NULL,
            weight_gini          REAL,
            zero_weight_fraction REAL,
            update_sparsity      REAL,
            timestamp            INTEGER NOT NULL,
            PRIMARY KEY (run_id, epoch, layer_index)
        );

        CREATE TABLE artifacts (
            artifact_id  INTEGER PRIMARY KEY,
            run_id       INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            name         TEXT    NOT NULL,
            kind         TEXT    NOT NULL,
            epoch        INTEGER,
            size_bytes   INTEGER NOT NULL,
            created_time INTEGER NOT NULL,
            data         BLOB    NOT NULL,
            UNIQUE (run_id, name)
        );
        CREATE INDEX artifacts_run_kind ON artifacts (run_id, kind, epoch);

        PRAGMA application_id = \(applicationID);
        """
}
