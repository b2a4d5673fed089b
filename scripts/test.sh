#!/usr/bin/env bash
# Installs what is missing, then runs every test: the Swift test targets, the example reward
# plugin package, and (when present) the notebook checks.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --notebooks
swift build --build-tests
swift test --skip-build
if [ -f Rewards/Examples/SwiftPlugin/Package.swift ]; then
    swift build --package-path Rewards/Examples/SwiftPlugin
fi
if [ -x Notebooks/check.sh ]; then
    Notebooks/check.sh
fi
