"""Fixtures of the notebook helper tests: run logs written by the real `lfp train`.

The binary is `$LFP_BIN`, else `.build/debug/lfp` (build it with `swift build --product lfp`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "Notebooks"
sys.path.insert(0, str(NOTEBOOKS))

#: The runs of the shared test log: (method, learning rate).
RUNS = (("lfp", 0.001), ("lfp", 0.003), ("gradient", 0.1))
#: Epochs of every test run.
EPOCHS = 3


def lfp_binary() -> Path:
    """The `lfp` binary to test against; fails the test with instructions when there is none."""
    path = Path(os.environ.get("LFP_BIN") or ROOT / ".build" / "debug" / "lfp")
    if not os.access(path, os.X_OK):
        pytest.fail(f"no lfp binary at {path}: run `swift build --product lfp` or set LFP_BIN")
    return path


def train(db: Path, *args: str) -> dict:
    """Run `lfp train --db db ... --json --quiet` and return its JSON result line."""
    result = subprocess.run([str(lfp_binary()), "train", "--db", str(db), "--json", "--quiet", *args],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, f"lfp train {' '.join(args)} failed:\n{result.stderr}"
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def demo_log(tmp_path_factory) -> tuple[Path, list[dict]]:
    """A log with LFP and gradient runs on swirl at a few learning rates, and their JSON results."""
    db = tmp_path_factory.mktemp("runlog") / "runs.sqlite"
    results = [train(db, "--dataset", "swirl", "--method", method, "--lr", str(lr),
                     "--epochs", str(EPOCHS), "--seed", "7") for method, lr in RUNS]
    return db, results


@pytest.fixture(scope="session")
def one_run_log(tmp_path_factory) -> Path:
    """A log with a single LFP run on blobs."""
    db = tmp_path_factory.mktemp("onerun") / "one.sqlite"
    train(db, "--dataset", "blobs", "--method", "lfp", "--epochs", "2")
    return db
