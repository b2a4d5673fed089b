"""Tests of `Notebooks/lfplog.py` against run logs that the real `lfp train` wrote."""

from __future__ import annotations

import json
import shutil
import sqlite3

import nbformat
import numpy as np
import pandas as pd
import pytest

import lfplog
from conftest import EPOCHS, NOTEBOOKS, RUNS

METRIC_KEYS = {"train_accuracy", "test_accuracy", "train_loss", "test_loss", "reward", "learning_rate"}
PARAM_KEYS = {"dataset", "method", "model", "lr", "epochs", "batch_size", "seed", "reward", "activation"}


@pytest.fixture()
def log(demo_log):
    """The shared test log, opened read-only."""
    with lfplog.RunLog(demo_log[0]) as opened:
        yield opened


def test_runs_table(log, demo_log):
    """`runs` has one finished row per training, ids as in the JSON results, times as datetimes."""
    runs = log.runs()
    assert list(runs.index) == [r["run_id"] for r in demo_log[1]]
    assert list(runs.method) == [m for m, _ in RUNS]
    assert set(runs.status) == {"finished"} and set(runs.dataset) == {"swirl"}
    assert isinstance(runs.start_time.dtype, pd.DatetimeTZDtype)
    assert (runs.duration_s >= 0).all()
    assert log.config(runs.index[0])  # config_json parses to a non-empty dict


def test_params_are_wide_and_numeric(log):
    """`params` pivots to one column per key, with lr/epochs/seed as numbers."""
    params = log.params()
    assert PARAM_KEYS <= set(params.columns)
    assert list(params.lr) == pytest.approx([lr for _, lr in RUNS])
    assert (params.epochs == EPOCHS).all() and (params.seed == 7).all()
    long = log.params(wide=False)
    assert set(long.columns) == {"run_id", "key", "value"}


def test_metrics_and_epoch_metrics(log):
    """Every epoch logs the expected keys; the wide per-epoch table has one row per epoch."""
    metrics = log.metrics()
    assert METRIC_KEYS <= set(metrics.key)
    curves = log.epoch_metrics()
    assert len(curves) == len(RUNS) * EPOCHS
    assert METRIC_KEYS <= set(curves.columns)
    first = curves.loc[log.runs().index[0]]
    assert list(first.index) == list(range(1, EPOCHS + 1))
    assert first.step.is_monotonic_increasing
    assert set(log.metrics(keys=["test_accuracy"]).key) == {"test_accuracy"}


def test_final_metrics_match_cli_results(log, demo_log):
    """The last epoch's test metrics equal what `lfp train --json` printed. (Train accuracy is
    not compared: the log holds the running accuracy over the epoch's batches, the JSON line an
    evaluation of the trained model on the training set.)"""
    final = log.final_metrics()
    for result in demo_log[1]:
        row = final.loc[result["run_id"]]
        assert row.epochs_done == EPOCHS
        assert row.test_accuracy == pytest.approx(result["test_accuracy"], abs=1e-9)
        assert row.test_loss == pytest.approx(result["test_loss"], rel=1e-9)


def test_select_and_summary(log):
    """Filters by run column and param; the summary has config and `final_*` columns."""
    assert list(log.select(method="gradient").method) == ["gradient"]
    assert len(log.select(method="lfp", lr=[0.001, 0.003])) == 2
    assert len(log.select([1], status="finished")) == 1
    assert log.select(run_ids=[]).empty
    with pytest.raises(KeyError):
        log.select(no_such_param=1)
    summary = log.summary()
    assert {"method", "lr", "reward", "final_test_accuracy", "final_reward", "epochs_done"} <= set(summary.columns)
    assert summary.reward.iloc[0] == "softmax-ce"  # the param, not the metric


def test_layer_stats_agree_with_weights(log):
    """`layer_stats` covers every weight matrix each epoch, and its Gini equals the Gini of the
    final weights computed here."""
    stats = log.layer_stats()
    assert len(stats) == len(RUNS) * EPOCHS * 3
    final = log.final_layer_stats()
    assert set(final.epoch) == {EPOCHS}
    for run_id, part in final.groupby("run_id"):
        matrices = lfplog.weight_matrices(log.weights(run_id))
        assert list(part.layer_name) == list(matrices)
        for row in part.itertuples():
            assert row.weight_gini == pytest.approx(lfplog.gini(matrices[row.layer_name]), abs=1e-6)
    assert stats.update_sparsity.between(0, 1).all()


def test_rewards(log):
    """The reward catalog has the default reward, and every run points at it."""
    rewards = log.rewards()
    assert "softmax-ce" in set(rewards.reward_id)
    assert isinstance(rewards["info"].iloc[0], dict)
    assert set(log.run_rewards().reward_id) == {"softmax-ce"}


def test_weights_and_checkpoints(log):
    """Final weights have the MLP's shapes ([out, in]); the last checkpoint holds the same
    parameters plus their velocities; one checkpoint artifact per epoch."""
    run_id = int(log.runs().index[0])
    weights = log.weights(run_id)
    assert weights["fc1.weight"].shape == (32, 2) and weights["fc1.bias"].shape == (32,)
    assert weights["fc3.weight"].shape[1] == 16
    assert all(w.dtype == np.float32 and np.isfinite(w).all() for w in weights.values())
    checkpoint = log.checkpoint(run_id)
    assert checkpoint["epoch"] == EPOCHS
    assert set(checkpoint["params"]) == set(weights) == set(checkpoint["velocity"])
    for name, value in weights.items():
        np.testing.assert_array_equal(checkpoint["params"][name], value)
    assert log.checkpoint(run_id, epoch=1)["epoch"] == 1
    artifacts = log.artifacts([run_id])
    assert sorted(artifacts[artifacts.kind == "checkpoint"].epoch) == list(range(1, EPOCHS + 1))
    assert list(artifacts[artifacts.kind == "weights"].name) == ["weights"]
    assert log.has_weights(run_id)
    with pytest.raises(KeyError):
        log.checkpoint(run_id, epoch=99)


def test_weights_fall_back_to_last_checkpoint(demo_log, tmp_path):
    """A run without final weights (killed) still has weights: those of its last checkpoint."""
    copy = tmp_path / "copy.sqlite"
    shutil.copy(demo_log[0], copy)
    with sqlite3.connect(copy) as con:
        con.execute("DELETE FROM artifacts WHERE run_id = 1 AND kind = 'weights'")
    with lfplog.RunLog(copy) as log:
        weights = log.weights(1)
        np.testing.assert_array_equal(weights["fc2.weight"], log.checkpoint(1)["params"]["fc2.weight"])


def test_stale_running_run_reads_as_interrupted(demo_log, tmp_path):
    """A `running` run with a heartbeat older than 60 s is shown as interrupted."""
    copy = tmp_path / "stale.sqlite"
    shutil.copy(demo_log[0], copy)
    with sqlite3.connect(copy) as con:
        con.execute("UPDATE runs SET status = 'running', end_time = NULL, heartbeat_time = 1000 WHERE run_id = 1")
    with lfplog.RunLog(copy) as log:
        assert log.runs().loc[1, "status"] == "interrupted"


def test_nan_metrics_read_as_nan(demo_log, tmp_path):
    """A metric stored with is_nan = 1 reads as NaN."""
    copy = tmp_path / "nan.sqlite"
    shutil.copy(demo_log[0], copy)
    with sqlite3.connect(copy) as con:
        con.execute("UPDATE metrics SET value = NULL, is_nan = 1 WHERE run_id = 1 AND key = 'train_loss'")
    with lfplog.RunLog(copy) as log:
        assert log.epoch_metrics([1]).train_loss.isna().all()


def test_one_run_log(one_run_log):
    """A log with one run loads, and the LFP/gradient helpers report no pair and no sweep."""
    with lfplog.RunLog(one_run_log) as log:
        summary = log.summary()
        assert len(summary) == 1 and summary.method.iloc[0] == "lfp"
        assert lfplog.lfp_gradient_pairs(summary).empty
        assert len(lfplog.lr_sweep(summary)) == 1


def test_empty_log(demo_log, tmp_path):
    """A log whose runs were all deleted still loads: empty tables with the usual columns."""
    copy = tmp_path / "empty.sqlite"
    shutil.copy(demo_log[0], copy)
    with sqlite3.connect(copy) as con:
        con.execute("PRAGMA foreign_keys = ON")
        con.execute("DELETE FROM runs")
    with lfplog.RunLog(copy) as log:
        summary = log.summary()
        assert summary.empty and {"method", "lr", "final_test_accuracy"} <= set(summary.columns)
        assert log.epoch_metrics().empty and log.layer_stats().empty and log.artifacts().empty
        assert lfplog.lfp_gradient_pairs(summary).empty and lfplog.lr_sweep(summary).empty


def test_pairs_and_sweep(log):
    """The best LFP and gradient runs pair up; the sweep marks one best rate per method."""
    summary = log.summary()
    pairs = lfplog.lfp_gradient_pairs(summary)
    assert len(pairs) == 1 and pairs.runs[0] == len(RUNS)
    assert summary.loc[pairs.lfp[0], "method"] == "lfp" and summary.loc[pairs.gradient[0], "method"] == "gradient"
    sweep = lfplog.lr_sweep(summary)
    assert sweep.groupby("method").best.sum().to_dict() == {"gradient": 1, "lfp": 1}


def test_tensor_archive_round_trip_and_errors():
    """Archives written here read back identically; damaged ones raise ValueError."""
    tensors = {"fc1.weight": np.arange(6, dtype=np.float32).reshape(3, 2), "fc1.bias": np.ones(3, np.float32)}
    data = lfplog.write_tensor_archive(tensors, {"note": "x"})
    assert data[:4] == b"LFPA"
    metadata, read = lfplog.read_tensor_archive(data)
    assert metadata == {"note": "x"} and list(read) == list(tensors)
    for name in tensors:
        np.testing.assert_array_equal(read[name], tensors[name])
    for bad in (b"XXXX" + data[4:], data[:-4], data + b"\0\0\0\0", data[:10],
                data[:4] + (2).to_bytes(4, "little") + data[8:]):
        with pytest.raises(ValueError):
            lfplog.read_tensor_archive(bad)


def test_theta_sparsity_and_gini():
    """θ-sparsity fractions sum to one, start at the zero fraction, end at all-neutral; Gini is
    0 for equal magnitudes and grows with concentration."""
    w = {"a.weight": np.array([[1.0, -0.5], [0.1, 0.0]]), "a.bias": np.array([9.0])}
    curve = lfplog.theta_sparsity(w, [0.0, 0.2, 0.6, 1.0])
    np.testing.assert_allclose(curve[["neutral", "positive", "negative"]].sum(axis=1), 1.0)
    assert list(curve.neutral) == pytest.approx([0.25, 0.5, 0.75, 1.0])
    assert list(curve.positive) == pytest.approx([0.5, 0.25, 0.25, 0.0])
    assert lfplog.gini(np.ones(10)) == pytest.approx(0.0)
    assert lfplog.gini(np.zeros(4)) == 0.0
    assert lfplog.gini(np.array([0, 0, 0, 1.0])) == pytest.approx(0.75)


def test_refuses_missing_and_foreign_files(tmp_path):
    """A missing file and a SQLite file of another program are refused with clear errors."""
    with pytest.raises(FileNotFoundError, match="make_demo_log.sh"):
        lfplog.RunLog(tmp_path / "absent.sqlite")
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(ValueError, match="not an lfp run log"):
        lfplog.RunLog(other)


def test_db_path_resolution(monkeypatch):
    """Explicit path beats $LFP_DB, which beats the demo log."""
    monkeypatch.setenv("LFP_DB", "/tmp/from-env.sqlite")
    assert str(lfplog.resolve_db_path("x.sqlite")) == "x.sqlite"
    assert str(lfplog.resolve_db_path()) == "/tmp/from-env.sqlite"
    monkeypatch.delenv("LFP_DB")
    assert lfplog.resolve_db_path() == lfplog.DEMO_DB


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebooks_are_committed_clean(path):
    """Every notebook is valid, has a cell tagged `parameters` defining DB, and no outputs."""
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and "DB = None" in tagged[0].source
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert json.loads(path.read_text())["nbformat"] == 4
