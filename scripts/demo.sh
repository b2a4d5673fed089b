#!/usr/bin/env bash
# The main job on built-in data: trains the paper's 2-32-16-3 MLP on the swirl toy set with LFP
# and with the gradient baseline, and prints both results.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product lfp
.build/release/lfp train --dataset swirl --method lfp "$@"
.build/release/lfp train --dataset swirl --method gradient "$@"
