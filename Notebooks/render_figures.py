"""Render the README's figures from a run log into `Notebooks/figures/`.

    python3 Notebooks/render_figures.py [DB] [--out DIR]

DB defaults to `$LFP_DB`, else `Notebooks/demo-runs.sqlite` (written by `make_demo_log.sh`).
It needs LFP and gradient runs on one dataset and model (the demo log has them on swirl) and writes:

* `learning-curves.png` — train/test accuracy and reward per epoch of the best LFP and the best
  gradient run (by final test accuracy) of the dataset/model with the most runs;
* `lr-sweep.png` — final test accuracy over learning rate for both methods, best rates marked
  (only when that dataset/model has runs at two or more learning rates).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import lfplog  # noqa: E402  (after choosing the backend)
import lfpplots  # noqa: E402

HERE = Path(__file__).resolve().parent


def render(db: Path, out: Path) -> list[Path]:
    """Draw the figures of `db` into `out`; returns the files written. Raises `SystemExit` with
    a message when the log has no LFP/gradient pair to show."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with lfplog.RunLog(db) as log:
        summary = log.summary()
        pairs = lfplog.lfp_gradient_pairs(summary)
        if pairs.empty:
            raise SystemExit(f"render_figures.py: {db} has no LFP and gradient runs on the same dataset and model")
        pair = pairs.iloc[0]
        ids = [int(pair.lfp), int(pair.gradient)]
        runs = log.select(ids)
        fig = lfpplots.plot_learning_curves(log.epoch_metrics(ids), runs)
        fig.suptitle(f"LFP vs gradient on {pair.dataset} ({pair.model}): best run of each method", fontsize=10)
        fig.tight_layout()
        written.append(out / "learning-curves.png")
        fig.savefig(written[-1], dpi=110)
        group = summary[(summary.dataset == pair.dataset) & (summary.model == pair.model)]
        if group.lr.nunique() >= 2:
            sweep = lfplog.lr_sweep(group)
            fig = lfpplots.plot_lr_sweep(sweep, f"{pair.dataset} / {pair.model}")
            written.append(out / "lr-sweep.png")
            fig.savefig(written[-1], dpi=110)
    return written


def main() -> int:
    """Parse the command line and render."""
    parser = argparse.ArgumentParser(description="Render the README figures from a run log.")
    parser.add_argument("db", nargs="?", help="the run log (default: $LFP_DB, else the demo log)")
    parser.add_argument("--out", type=Path, default=HERE / "figures", help="output folder (Notebooks/figures)")
    args = parser.parse_args()
    for path in render(lfplog.resolve_db_path(args.db), args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
