"""Read an `lfp` run log (SQLite) into pandas DataFrames.

This module is the one place on the Python side that knows the run log's schema
(`docs/run-log-schema.md`) and the binary "tensor archive" format of its weights and checkpoint
artifacts. The notebooks in this folder and `render_figures.py` read the log only through it.

Typical use::

    import lfplog
    log = lfplog.RunLog(lfplog.resolve_db_path())
    runs = log.select(dataset="swirl")            # runs joined with their params
    curves = log.epoch_metrics(runs.index)        # one row per (run_id, epoch)
    weights = log.weights(runs.index[0])          # {"fc1.weight": ndarray, ...}
"""

from __future__ import annotations

import json
import os
import sqlite3
import struct
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd

#: `PRAGMA application_id` of a run log (the ASCII bytes "LFPR").
APPLICATION_ID = 0x4C465052
#: The newest schema version (`PRAGMA user_version`) this module was written for.
SCHEMA_VERSION = 1
#: A `running` run whose heartbeat is older than this many milliseconds was interrupted.
HEARTBEAT_TIMEOUT_MS = 60_000
#: The demo log that `make_demo_log.sh` writes when given no path.
DEMO_DB = Path(__file__).resolve().parent / "demo-runs.sqlite"
#: Params stored as text that are numbers; `RunLog.params` converts them.
NUMERIC_PARAMS = ("lr", "epochs", "batch_size", "seed", "momentum", "weight_decay", "epsilon",
                  "dropout", "threads", "clip_norm", "adaptive_clip", "train_limit")
#: Columns of `runs` that describe a run (the rest are bookkeeping).
RUN_COLUMNS = ("name", "status", "method", "model", "dataset", "seed")

_ARCHIVE_MAGIC = b"LFPA"
_ARCHIVE_PREFIX = struct.Struct("<4sIQ")


def resolve_db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The run log to read: `explicit` if given, else `$LFP_DB`, else the demo log.

    This is the order the notebooks use: a papermill `parameters` cell sets `explicit`, the
    environment variable is the one the `lfp` CLI honours, and the demo log is what
    `Notebooks/make_demo_log.sh` writes by default.
    """
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get("LFP_DB")
    if from_env:
        return Path(from_env).expanduser()
    return DEMO_DB


def read_tensor_archive(data: bytes) -> tuple[object, dict[str, np.ndarray]]:
    """Decode a tensor archive into `(metadata, {name: float32 array})`, tensors in file order.

    Layout (little-endian): b"LFPA", uint32 version 1, uint64 header length H, H bytes of UTF-8
    JSON `{"metadata": ..., "tensors": [{"name", "shape"}, ...]}`, then every tensor's float32
    elements in that order, row-major. Raises `ValueError` for anything else.
    """
    data = bytes(data)
    if len(data) < _ARCHIVE_PREFIX.size:
        raise ValueError("not an LFP tensor archive: too short")
    magic, version, header_length = _ARCHIVE_PREFIX.unpack_from(data, 0)
    if magic != _ARCHIVE_MAGIC:
        raise ValueError("not an LFP tensor archive: bad magic bytes")
    if version != 1:
        raise ValueError(f"unsupported tensor archive version {version}")
    header_end = _ARCHIVE_PREFIX.size + header_length
    if header_end > len(data):
        raise ValueError("tensor archive header is truncated")
    header = json.loads(data[_ARCHIVE_PREFIX.size:header_end].decode("utf-8"))
    tensors: dict[str, np.ndarray] = {}
    offset = header_end
    for entry in header["tensors"]:
        shape = tuple(int(n) for n in entry["shape"])
        count = int(np.prod(shape, dtype=np.int64))
        end = offset + 4 * count
        if end > len(data):
            raise ValueError(f"tensor archive data of {entry['name']!r} is truncated")
        tensors[entry["name"]] = np.frombuffer(data, dtype="<f4", count=count, offset=offset).reshape(shape)
        offset = end
    if offset != len(data):
        raise ValueError(f"{len(data) - offset} unexpected bytes after the tensors")
    return header.get("metadata"), tensors


def write_tensor_archive(tensors: dict[str, np.ndarray], metadata: object = None) -> bytes:
    """Encode `{name: array}` (and JSON-able `metadata`) as a tensor archive; the inverse of
    `read_tensor_archive`, for tests and for handing edited weights back to Swift."""
    arrays = {name: np.ascontiguousarray(value, dtype="<f4") for name, value in tensors.items()}
    header = json.dumps({"metadata": metadata,
                         "tensors": [{"name": n, "shape": list(a.shape)} for n, a in arrays.items()]},
                        sort_keys=True).encode("utf-8")
    body = b"".join(a.tobytes() for a in arrays.values())
    return _ARCHIVE_PREFIX.pack(_ARCHIVE_MAGIC, 1, len(header)) + header + body


def weight_matrices(tensors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The parameters of rank ≥ 2 (weight matrices and kernels, not biases), in order — the
    parameters `layer_stats` describes."""
    return {name: t for name, t in tensors.items() if t.ndim >= 2}


def normalised(weights: np.ndarray) -> np.ndarray:
    """`weights / max|weights|` as a flat array in [-1, 1] (all zeros stay zeros)."""
    flat = np.asarray(weights, dtype=np.float64).ravel()
    peak = np.abs(flat).max() if flat.size else 0.0
    return flat / peak if peak > 0 else flat


def gini(values: np.ndarray) -> float:
    """Gini coefficient of `|values|` (0: all equal, towards 1: concentrated in few entries);
    0 for an all-zero array — the statistic stored as `layer_stats.weight_gini`."""
    x = np.sort(np.abs(np.asarray(values, dtype=np.float64).ravel()))
    n, total = x.size, x.sum()
    if n == 0 or total == 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float(np.sum((2 * ranks - n - 1) * x) / (n * total))


def theta_sparsity(tensors: dict[str, np.ndarray], thetas: np.ndarray | None = None) -> pd.DataFrame:
    """The θ-sparsity curve of Figure 3 (right panel) of the paper.

    Every weight matrix is normalised by its own maximum magnitude, then all are pooled. For each
    θ in `thetas` (default 101 points in [0, 1]) the result holds the fraction of weights that are
    `neutral` (|w| ≤ θ), `positive` (w > θ) and `negative` (w < −θ); each row sums to one.
    """
    thetas = np.linspace(0.0, 1.0, 101) if thetas is None else np.asarray(thetas, dtype=np.float64)
    matrices = weight_matrices(tensors) or tensors
    pooled = np.concatenate([normalised(t) for t in matrices.values()]) if matrices else np.zeros(0)
    n = max(pooled.size, 1)
    positive = np.array([(pooled > t).sum() / n for t in thetas])
    negative = np.array([(pooled < -t).sum() / n for t in thetas])
    return pd.DataFrame({"theta": thetas, "neutral": 1.0 - positive - negative,
                         "positive": positive, "negative": negative})


class RunLog:
    """A read-only view of one run log file, returning pandas DataFrames.

    Every loader takes an optional `run_ids` (any iterable of ints; `None` means all runs).
    Times are converted to timezone-aware datetimes, NaN metric values are restored from
    `is_nan`, and `runs.status` is corrected to `interrupted` for runs whose heartbeat is stale.
    """

    def __init__(self, path: str | os.PathLike):
        """Open `path` read-only (so a running `lfp train` is never disturbed)."""
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(
                f"no run log at {self.path} - create one with `lfp train --db {self.path}` "
                "or run Notebooks/make_demo_log.sh")
        uri = "file:" + quote(str(self.path.resolve())) + "?mode=ro"
        self.connection = sqlite3.connect(uri, uri=True)
        self._check_identity()

    def _check_identity(self) -> None:
        """Refuse files of other programs and schema versions newer than this module knows."""
        app_id = self.connection.execute("PRAGMA application_id").fetchone()[0]
        version = self.connection.execute("PRAGMA user_version").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise ValueError(f"{self.path} is not an lfp run log (application_id {app_id:#x})")
        if version > SCHEMA_VERSION:
            raise ValueError(f"{self.path} has schema version {version}; this module reads up to "
                             f"{SCHEMA_VERSION} - update Notebooks/lfplog.py")
        self.schema_version = version

    def close(self) -> None:
        """Close the database connection."""
        self.connection.close()

    def __enter__(self) -> "RunLog":
        """Use the log as a context manager that closes it at the end."""
        return self

    def __exit__(self, *exc) -> None:
        """Close the connection when leaving a `with` block."""
        self.close()

    def _query(self, sql: str, run_ids=None, params: tuple = ()) -> pd.DataFrame:
        """Run `sql` (which must end in a WHERE clause or nothing), restricted to `run_ids`."""
        if run_ids is not None:
            ids = [int(i) for i in run_ids]
            condition = "run_id IN (" + ",".join("?" * len(ids)) + ")" if ids else "0"
            sql += (" AND " if " WHERE " in sql else " WHERE ") + condition
            params = tuple(params) + tuple(ids)
        return pd.read_sql_query(sql, self.connection, params=params)

    @staticmethod
    def _times(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
        """Convert millisecond columns to UTC datetimes in place and return `frame`."""
        for column in columns:
            if column in frame:
                frame[column] = pd.to_datetime(frame[column], unit="ms", utc=True)
        return frame

    def runs(self, run_ids=None) -> pd.DataFrame:
        """Table `runs`, indexed by `run_id`, with stale `running` rows shown as `interrupted`
        and the start/end/heartbeat times as datetimes (plus `duration_s`)."""
        frame = self._query(
            "SELECT run_id, name, CASE WHEN status = 'running' AND heartbeat_time < "
            f"(CAST(strftime('%s','now') AS INTEGER) * 1000 - {HEARTBEAT_TIMEOUT_MS}) "
            "THEN 'interrupted' ELSE status END AS status, method, model, dataset, seed, "
            "config_json, reward_catalog_id, tool_version, host, start_time, end_time, "
            "heartbeat_time FROM runs", run_ids)
        frame["duration_s"] = (frame.end_time - frame.start_time) / 1000.0
        return self._times(frame, "start_time", "end_time", "heartbeat_time").set_index("run_id").sort_index()

    def config(self, run_id: int) -> dict:
        """The complete configuration of one run (`runs.config_json`) as a dict."""
        row = self.connection.execute("SELECT config_json FROM runs WHERE run_id = ?", (int(run_id),)).fetchone()
        if row is None:
            raise KeyError(f"no run {run_id}")
        return json.loads(row[0])

    def params(self, run_ids=None, wide: bool = True) -> pd.DataFrame:
        """Table `params`: wide (index `run_id`, one column per key, numbers converted) or, with
        `wide=False`, the raw long table of text values."""
        frame = self._query("SELECT run_id, key, value FROM params", run_ids)
        if not wide:
            return frame
        table = frame.pivot(index="run_id", columns="key", values="value")
        table.columns.name = None
        for key in NUMERIC_PARAMS:
            if key in table:
                table[key] = pd.to_numeric(table[key], errors="coerce")
        return table.sort_index()

    def tags(self, run_ids=None) -> pd.DataFrame:
        """Table `tags` (long: run_id, key, value)."""
        return self._query("SELECT run_id, key, value FROM tags", run_ids)

    def metrics(self, run_ids=None, keys=None) -> pd.DataFrame:
        """Table `metrics` (long: run_id, key, step, epoch, value, timestamp), NaN values restored,
        optionally only the metric names in `keys`."""
        frame = self._query("SELECT run_id, key, step, epoch, CASE WHEN is_nan = 1 THEN NULL "
                            "ELSE value END AS value, is_nan, timestamp FROM metrics", run_ids)
        frame["value"] = frame["value"].astype(float)
        if keys is not None:
            frame = frame[frame.key.isin(list(keys))]
        return self._times(frame, "timestamp").sort_values(["run_id", "key", "step"]).reset_index(drop=True)

    def epoch_metrics(self, run_ids=None, keys=None) -> pd.DataFrame:
        """Per-epoch metrics, wide: one row per (run_id, epoch), one column per metric key (the
        last value logged in the epoch), plus the `step` at the end of the epoch."""
        frame = self.metrics(run_ids, keys)
        frame = frame[frame.epoch.notna()]
        if frame.empty:
            return pd.DataFrame(index=pd.MultiIndex.from_arrays([[], []], names=["run_id", "epoch"]))
        frame = frame.assign(epoch=frame.epoch.astype(int))
        last = frame.groupby(["run_id", "epoch", "key"]).last()
        table = last["value"].unstack("key")
        table.columns.name = None
        table["step"] = last["step"].groupby(level=["run_id", "epoch"]).max()
        return table.sort_index()

    def final_metrics(self, run_ids=None, keys=None) -> pd.DataFrame:
        """Each run's metrics at its last logged epoch (index `run_id`), plus `epochs_done`."""
        table = self.epoch_metrics(run_ids, keys)
        if table.empty:
            return pd.DataFrame(columns=["epochs_done"], index=pd.Index([], name="run_id", dtype=int))
        final = table.groupby(level="run_id").tail(1).reset_index(level="epoch")
        return final.rename(columns={"epoch": "epochs_done"})

    def layer_stats(self, run_ids=None) -> pd.DataFrame:
        """Table `layer_stats` (run_id, epoch, layer_index, layer_name, weight_gini,
        zero_weight_fraction, update_sparsity, timestamp); NULL statistics read as NaN."""
        frame = self._query("SELECT run_id, epoch, layer_index, layer_name, weight_gini, "
                            "zero_weight_fraction, update_sparsity, timestamp FROM layer_stats", run_ids)
        for column in ("weight_gini", "zero_weight_fraction", "update_sparsity"):
            frame[column] = frame[column].astype(float)
        return self._times(frame, "timestamp").sort_values(["run_id", "epoch", "layer_index"]).reset_index(drop=True)

    def final_layer_stats(self, run_ids=None) -> pd.DataFrame:
        """`layer_stats` of each run's last logged epoch only."""
        frame = self.layer_stats(run_ids)
        last = frame.groupby("run_id").epoch.transform("max")
        return frame[frame.epoch == last].reset_index(drop=True)

    def rewards(self) -> pd.DataFrame:
        """Table `reward_catalog`, indexed by `reward_catalog_id`, with `info_json` parsed into
        `info` (a dict) and its `name` pulled out."""
        frame = pd.read_sql_query("SELECT * FROM reward_catalog", self.connection)
        frame["info"] = frame.info_json.map(json.loads)
        frame["name"] = frame["info"].map(lambda info: info.get("name") if isinstance(info, dict) else None)
        return self._times(frame, "created_time").set_index("reward_catalog_id").sort_index()

    def run_rewards(self, run_ids=None) -> pd.DataFrame:
        """For each run (index `run_id`) the catalog entry of the reward that trained it."""
        runs = self.runs(run_ids)[["reward_catalog_id"]]
        catalog = self.rewards()[["reward_id", "version", "source_type", "name"]]
        return runs.join(catalog, on="reward_catalog_id")

    def artifacts(self, run_ids=None, kind: str | None = None) -> pd.DataFrame:
        """Table `artifacts` without the blobs (artifact_id, run_id, name, kind, epoch,
        size_bytes, created_time), optionally only one `kind`."""
        sql = "SELECT artifact_id, run_id, name, kind, epoch, size_bytes, created_time FROM artifacts"
        params: tuple = ()
        if kind is not None:
            sql += " WHERE kind = ?"
            params = (kind,)
        frame = self._query(sql, run_ids, params)
        return self._times(frame, "created_time").sort_values(["run_id", "artifact_id"]).reset_index(drop=True)

    def artifact(self, run_id: int, name: str) -> tuple[object, dict[str, np.ndarray]]:
        """One artifact of a run, decoded: `(metadata, {tensor name: array})`."""
        row = self.connection.execute("SELECT data FROM artifacts WHERE run_id = ? AND name = ?",
                                      (int(run_id), name)).fetchone()
        if row is None:
            raise KeyError(f"run {run_id} has no artifact {name!r}")
        return read_tensor_archive(row[0])

    def checkpoint(self, run_id: int, epoch: int | None = None) -> dict:
        """A checkpoint of a run (the last one when `epoch` is None), as a dict with `epoch`,
        `metadata`, `params` ({name: array}) and `velocity` ({name: array})."""
        sql = "SELECT name, epoch FROM artifacts WHERE run_id = ? AND kind = 'checkpoint'"
        args: tuple = (int(run_id),)
        if epoch is not None:
            sql += " AND epoch = ?"
            args += (int(epoch),)
        row = self.connection.execute(sql + " ORDER BY epoch DESC LIMIT 1", args).fetchone()
        if row is None:
            raise KeyError(f"run {run_id} has no checkpoint" + (f" of epoch {epoch}" if epoch is not None else ""))
        metadata, tensors = self.artifact(run_id, row[0])
        split = {"param/": {}, "velocity/": {}}
        for name, tensor in tensors.items():
            for prefix, target in split.items():
                if name.startswith(prefix):
                    target[name[len(prefix):]] = tensor
        return {"epoch": row[1], "metadata": metadata, "params": split["param/"], "velocity": split["velocity/"]}

    def weights(self, run_id: int) -> dict[str, np.ndarray]:
        """A run's final weights ({parameter name: array}, e.g. `fc1.weight` of shape [out, in]):
        the `weights` artifact, else (for a run that did not finish) its last checkpoint."""
        try:
            return self.artifact(run_id, "weights")[1]
        except KeyError:
            return self.checkpoint(run_id)["params"]

    def has_weights(self, run_id: int) -> bool:
        """Whether the run stored final weights or at least one checkpoint."""
        row = self.connection.execute("SELECT 1 FROM artifacts WHERE run_id = ? AND kind IN "
                                      "('weights', 'checkpoint') LIMIT 1", (int(run_id),)).fetchone()
        return row is not None

    def select(self, run_ids=None, status: str | None = None, **filters) -> pd.DataFrame:
        """Runs with their params, indexed by `run_id`: all runs, the ones in `run_ids`, and only
        those whose column (a `runs` column such as `dataset`, or a param such as `lr`) equals
        each of the `filters` (a list/tuple/set value means "one of"). `status` filters by the
        effective status, e.g. "finished"."""
        runs = self.runs(run_ids)[list(RUN_COLUMNS) + ["start_time", "duration_s"]]
        params = self.params(run_ids)
        table = runs.join(params[[c for c in params.columns if c not in runs.columns]])
        if status is not None:
            table = table[table.status == status]
        for column, wanted in filters.items():
            if column not in table:
                raise KeyError(f"no run column or param {column!r}; have {sorted(table.columns)}")
            values = wanted if isinstance(wanted, (list, tuple, set)) else [wanted]
            numeric = pd.api.types.is_numeric_dtype(table[column])
            values = [float(v) for v in values] if numeric else [str(v) for v in values]
            table = table[table[column].isin(values)]
        return table

    def summary(self, run_ids=None,
                metric_keys=("train_accuracy", "test_accuracy", "reward", "train_loss", "test_loss")) -> pd.DataFrame:
        """One row per run: its configuration (method, dataset, model, lr, epochs, seed, ...)
        and its final metrics as `final_<key>` columns (param `reward` names the reward function,
        metric `reward` becomes `final_reward`) — the table to compare runs by."""
        config = ["name", "status", "method", "dataset", "model", "activation", "reward", "lr", "epochs",
                  "batch_size", "seed"]
        table = self.select(run_ids).reindex(columns=config)
        final = self.final_metrics(run_ids, list(metric_keys))
        final = final.reindex(columns=["epochs_done", *metric_keys]).astype(float)
        return table.join(final.rename(columns={k: "final_" + k for k in metric_keys}))


def best_runs(summary: pd.DataFrame, metric: str = "final_test_accuracy") -> pd.DataFrame:
    """From a `RunLog.summary()` table, the best run (highest `metric`) of every
    (dataset, model, method): columns dataset, model, method, run_id and `metric`."""
    ranked = summary.dropna(subset=[metric]).reset_index().sort_values(metric, ascending=False, kind="stable")
    best = ranked.groupby(["dataset", "model", "method"], sort=True).head(1)
    return best[["dataset", "model", "method", "run_id", metric]].sort_values(["dataset", "model", "method"]) \
        .reset_index(drop=True)


def lfp_gradient_pairs(summary: pd.DataFrame, metric: str = "final_test_accuracy") -> pd.DataFrame:
    """(dataset, model) combinations that have both an LFP and a gradient run, with the best run
    of each method: columns dataset, model, lfp, gradient (run ids), lfp_<metric>,
    gradient_<metric>, and `runs` (how many runs the combination has); most runs first."""
    best = best_runs(summary, metric)
    best = best[best.method.isin(["lfp", "gradient"])]
    if best.empty:
        return pd.DataFrame(columns=["dataset", "model", "lfp", "gradient", "runs"])
    ids = best.pivot(index=["dataset", "model"], columns="method", values="run_id")
    scores = best.pivot(index=["dataset", "model"], columns="method", values=metric)
    if not {"lfp", "gradient"} <= set(ids.columns):
        return pd.DataFrame(columns=["dataset", "model", "lfp", "gradient", "runs"])
    pairs = ids[["lfp", "gradient"]].join(scores[["lfp", "gradient"]].add_suffix("_" + metric)).dropna()
    pairs = pairs.astype({"lfp": int, "gradient": int})
    pairs["runs"] = summary.groupby(["dataset", "model"]).size().reindex(pairs.index)
    pairs.columns.name = None
    return pairs.reset_index().sort_values("runs", ascending=False, kind="stable").reset_index(drop=True)


def lr_sweep(summary: pd.DataFrame, metric: str = "final_test_accuracy") -> pd.DataFrame:
    """`metric` over learning rate per method, from a `RunLog.summary()` table of runs that share
    a dataset and model: columns method, lr, mean, std, n (runs, e.g. seeds) and `best` (True
    on the learning rate with the highest mean of each method)."""
    valid = summary.dropna(subset=["lr"])
    sweep = valid.groupby(["method", "lr"])[metric].agg(["mean", "std", "count"]).reset_index()
    sweep = sweep.rename(columns={"count": "n"})
    sweep["best"] = False
    scored = sweep.dropna(subset=["mean"])
    if not scored.empty:
        sweep.loc[scored.groupby("method")["mean"].idxmax().values, "best"] = True
    return sweep
