"""Figures of an `lfp` run log, drawn with matplotlib from the DataFrames of `lfplog`.

The notebooks and `render_figures.py` share these functions, so the README figure is the
notebook figure. Every function returns the matplotlib `Figure` it drew.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import lfplog

#: Colours of the two training methods (LFP, gradient baseline).
METHOD_COLOURS = {"lfp": "tab:blue", "gradient": "tab:orange"}
#: Colours of the θ-sparsity areas, as in the paper's Figure 3.
THETA_COLOURS = {"negative": "#7b3294", "neutral": "#bdbdbd", "positive": "#1a9641"}
#: Human-readable titles of the metric keys the CLI logs.
METRIC_TITLES = {"train_accuracy": "train accuracy", "test_accuracy": "test accuracy",
                 "reward": "mean reward (LFP)", "train_loss": "train loss", "test_loss": "test loss",
                 "learning_rate": "learning rate"}


def run_label(run_id: int, runs: pd.DataFrame) -> str:
    """A short legend label for a run: `#id method lr=... (dataset)`."""
    row = runs.loc[run_id]
    lr = f" lr={row['lr']:g}" if "lr" in row and pd.notna(row["lr"]) else ""
    return f"#{run_id} {row['method']}{lr} ({row['dataset']})"


def plot_learning_curves(curves: pd.DataFrame, runs: pd.DataFrame,
                         keys=("train_accuracy", "test_accuracy", "reward")) -> plt.Figure:
    """One panel per metric key, one line per run (colour by run, solid for LFP, dashed for
    the gradient baseline, which is left out of the reward panel: it has no reward), over epochs. `curves` is `RunLog.epoch_metrics()`, `runs` is
    `RunLog.select()` for the same runs."""
    keys = [k for k in keys if k in curves.columns]
    fig, axes = plt.subplots(1, len(keys), figsize=(4.2 * len(keys), 3.4), squeeze=False)
    ids = [i for i in runs.index if i in curves.index.get_level_values("run_id")]
    colours = plt.get_cmap("tab10")
    for ax, key in zip(axes[0], keys):
        for n, run_id in enumerate(ids):
            series = curves.loc[run_id][key]
            style = "--" if runs.loc[run_id, "method"] == "gradient" else "-"
            if key == "reward" and style == "--":
                continue  # the gradient baseline has no reward (it logs 0)
            ax.plot(series.index, series.values, style, marker=".", color=colours(n % 10),
                    label=run_label(run_id, runs))
        ax.set_title(METRIC_TITLES.get(key, key))
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
    axes[0][0].legend(fontsize=7, loc="best")
    fig.tight_layout()
    return fig


def plot_method_comparison(curves: pd.DataFrame, runs: pd.DataFrame, lfp_run: int, gradient_run: int,
                           keys=("train_accuracy", "test_accuracy")) -> plt.Figure:
    """LFP and gradient side by side: two panels (left LFP, right gradient) with the same
    y-axis, each showing `keys` over epochs for that method's run."""
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4), sharey=True)
    for ax, run_id in zip(axes, (lfp_run, gradient_run)):
        method = runs.loc[run_id, "method"]
        for key, style in zip(keys, ("-", "--", ":")):
            if key in curves.columns:
                series = curves.loc[run_id][key]
                ax.plot(series.index, series.values, style, marker=".", color=METHOD_COLOURS.get(method),
                        label=METRIC_TITLES.get(key, key))
        ax.set_title(run_label(run_id, runs))
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    axes[0].set_ylabel("accuracy")
    fig.tight_layout()
    return fig


def plot_lr_sweep(sweep: pd.DataFrame, title: str, metric_label: str = "test accuracy") -> plt.Figure:
    """`metric` over learning rate (log axis), one line per method with ± std error bars where
    there are several runs per rate, the best rate of each method marked by a diamond — the
    second panel of the paper's Figure 3. `sweep` is `lfplog.lr_sweep()`."""
    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    for method, part in sweep.groupby("method"):
        part = part.sort_values("lr")
        colour = METHOD_COLOURS.get(method)
        ax.errorbar(part.lr, part["mean"], yerr=part["std"].fillna(0), marker="o", ms=4, capsize=3,
                    color=colour, label="LFP" if method == "lfp" else method)
        best = part[part.best]
        ax.scatter(best.lr, best["mean"], marker="D", s=90, facecolor="none", edgecolor="black", zorder=3,
                   linewidth=1.5)
        for _, row in best.iterrows():
            ax.annotate(f"{row['mean']:.3f} @ {row['lr']:g}", (row.lr, row["mean"]), xytext=(6, -12),
                        textcoords="offset points", fontsize=8, color=colour)
    ax.set_xscale("log")
    ax.set_xlabel("learning rate")
    ax.set_ylabel(metric_label)
    ax.set_title(title)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_weight_distributions(weights: dict[int, dict[str, np.ndarray]], runs: pd.DataFrame) -> plt.Figure:
    """Figure 5 (top) style: for every weight matrix, the distribution of |w| / max|w| of each
    run as a violin with its 25th, 50th and 75th percentiles and extrema marked, runs side by
    side per layer. `weights` maps run id → `RunLog.weights()`."""
    ids = list(weights)
    layers = list(lfplog.weight_matrices(weights[ids[0]]))
    fig, ax = plt.subplots(figsize=(max(5.0, 1.6 * len(layers) * len(ids) / 1.5), 3.8))
    width = 0.8 / len(ids)
    for n, run_id in enumerate(ids):
        data = [np.abs(lfplog.normalised(weights[run_id][name])) for name in layers]
        positions = np.arange(len(layers)) + (n - (len(ids) - 1) / 2) * width
        parts = ax.violinplot(data, positions=positions, widths=width * 0.95, showextrema=True,
                              quantiles=[[0.25, 0.5, 0.75]] * len(layers))
        colour = METHOD_COLOURS.get(runs.loc[run_id, "method"], "tab:gray") if len(ids) <= 2 \
            else plt.get_cmap("tab10")(n % 10)
        for body in parts["bodies"]:
            body.set_facecolor(colour)
            body.set_alpha(0.55)
        for key in ("cmins", "cmaxes", "cbars", "cquantiles"):
            if key in parts:
                parts[key].set_color("black")
                parts[key].set_linewidth(0.8)
        ax.plot([], [], color=colour, lw=6, alpha=0.55, label=run_label(run_id, runs))
    ax.set_xticks(np.arange(len(layers)), layers)
    ax.set_ylabel("|w| / max |w| (per layer)")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=8)
    ax.set_title("normalised weight magnitudes per layer")
    fig.tight_layout()
    return fig


def plot_gini(stats: pd.DataFrame, runs: pd.DataFrame) -> plt.Figure:
    """Figure 5 (bottom) style: the Gini coefficient of each layer's weights
    (`layer_stats.weight_gini` of the runs' last epoch), averaged over the runs of each method,
    as grouped bars per layer with the individual runs as dots."""
    stats = stats.assign(method=stats.run_id.map(runs["method"]))
    layers = stats.sort_values("layer_index").layer_name.drop_duplicates().tolist()
    methods = [m for m in ("lfp", "gradient") if m in set(stats.method)] + \
        sorted(set(stats.method) - {"lfp", "gradient"})
    fig, ax = plt.subplots(figsize=(max(4.5, 1.4 * len(layers)), 3.4))
    width = 0.8 / len(methods)
    for n, method in enumerate(methods):
        part = stats[stats.method == method]
        mean = part.groupby("layer_name").weight_gini.mean().reindex(layers)
        x = np.arange(len(layers)) + (n - (len(methods) - 1) / 2) * width
        ax.bar(x, mean.values, width * 0.9, color=METHOD_COLOURS.get(method, "tab:gray"), alpha=0.8,
               label=f"{method} ({part.run_id.nunique()} runs)")
        for i, layer in enumerate(layers):
            values = part[part.layer_name == layer].weight_gini
            ax.scatter(np.full(len(values), x[i]), values, color="black", s=8, zorder=3)
    ax.set_xticks(np.arange(len(layers)), layers)
    ax.set_ylabel("Gini coefficient of |w|")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=8)
    ax.set_title("per-layer Gini coefficient (higher = sparser)")
    fig.tight_layout()
    return fig


def plot_theta_sparsity(curves: dict[int, pd.DataFrame], runs: pd.DataFrame, theta: float = 0.25) -> plt.Figure:
    """Figure 3 (right) style: for each run a panel of the fractions of weights that are large
    negative (< −θ, purple), neutral (|w| ≤ θ, grey) and large positive (> θ, green) over
    θ ∈ [0, 1], stacked to one, with the neutral fraction at `theta` written in the corner.
    `curves` maps run id → `lfplog.theta_sparsity()`."""
    ids = list(curves)
    fig, axes = plt.subplots(1, len(ids), figsize=(3.6 * len(ids), 3.2), squeeze=False, sharey=True)
    for ax, run_id in zip(axes[0], ids):
        curve = curves[run_id]
        parts = ("negative", "neutral", "positive")
        ax.stackplot(curve.theta, *(curve[p] for p in parts), colors=[THETA_COLOURS[p] for p in parts],
                     labels=[{"negative": "< −θ", "neutral": "|w| ≤ θ", "positive": "> θ"}[p] for p in parts],
                     edgecolor="black", linewidth=0.5)
        at = np.interp(theta, curve.theta, curve.neutral)
        ax.text(0.97, 0.95, f"neutral at θ={theta:g}: {at:.0%}", transform=ax.transAxes, ha="right", va="top",
                fontsize=8, bbox={"facecolor": "white", "alpha": 0.8, "linewidth": 0})
        ax.axvline(theta, color="black", linestyle=":", linewidth=1)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_xlabel("θ (relative to max |w| per layer)")
        ax.set_title(run_label(run_id, runs), fontsize=9)
    axes[0][0].set_ylabel("fraction of weights")
    axes[0][-1].legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    return fig
