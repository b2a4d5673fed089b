#!/usr/bin/env bash
# Writes a small demo run log for the notebooks: a few short `lfp train` runs on the built-in toy
# sets, LFP and the gradient baseline at three learning rates each (swirl) plus one pair on blobs.
# Takes about ten seconds.
#
#   Notebooks/make_demo_log.sh [DB]      DB defaults to Notebooks/demo-runs.sqlite (replaced)
#
# The binary is $LFP_BIN if set, else .build/debug/lfp after `swift build --product lfp`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
db="${1:-$here/demo-runs.sqlite}"

if [[ -z "${LFP_BIN:-}" ]]; then
    (cd "$root" && swift build --product lfp >&2)
    LFP_BIN="$root/.build/debug/lfp"
fi
[[ -x "$LFP_BIN" ]] || { echo "make_demo_log.sh: no lfp binary at $LFP_BIN" >&2; exit 1; }

rm -f "$db" "$db-wal" "$db-shm"
mkdir -p "$(dirname "$db")"

train() {
    # One quiet run into the demo log; a run that diverges is logged as failed and is kept.
    "$LFP_BIN" train --db "$db" --quiet --json --seed 1 "$@" > /dev/null || \
        echo "make_demo_log.sh: run failed (kept in the log): $*" >&2
}

for lr in 0.0003 0.001 0.003; do train --dataset swirl --method lfp --lr "$lr" --epochs 10; done
for lr in 0.03 0.1 0.3; do train --dataset swirl --method gradient --lr "$lr" --epochs 10; done
train --dataset blobs --method lfp --lr 0.001 --epochs 5
train --dataset blobs --method gradient --lr 0.1 --epochs 5

echo "$db"
