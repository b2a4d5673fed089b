#!/usr/bin/env bash
# Checks the notebooks end to end:
#   1. builds `lfp` (swift build --product lfp → .build/debug/lfp), or uses $LFP_BIN if set;
#   2. writes a fresh demo log and a log with one run only, in a temporary folder;
#   3. executes every notebook headless (nbclient, matplotlib Agg) against both logs, into
#      copies in the temporary folder (the committed notebooks keep no outputs);
#   4. runs the helper module's tests: python3 -m pytest Tests/notebooks -q.
# Exits non-zero if the build fails, a notebook raises or a test fails.
#
#   Notebooks/check.sh            (needs: pip install -r Notebooks/requirements.txt)
#   KEEP=1 Notebooks/check.sh     keep the temporary folder (executed notebooks) and print its path
# $PYTHON picks the interpreter (default python3).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
python="${PYTHON:-python3}"

if ! "$python" -c "import pandas, matplotlib, nbclient, nbformat, ipykernel, pytest" 2>/dev/null; then
    echo "check.sh: missing Python packages; run: $python -m pip install -r Notebooks/requirements.txt" >&2
    exit 2
fi

if [[ -z "${LFP_BIN:-}" ]]; then
    echo "== building lfp"
    (cd "$root" && swift build --product lfp)
    LFP_BIN="$root/.build/debug/lfp"
fi
[[ -x "$LFP_BIN" ]] || { echo "check.sh: no lfp binary at $LFP_BIN" >&2; exit 1; }
export LFP_BIN

work="$(mktemp -d "${TMPDIR:-/tmp}/lfp-notebooks.XXXXXX")"
if [[ -n "${KEEP:-}" ]]; then
    echo "check.sh: keeping $work"
else
    trap 'rm -rf "$work"' EXIT
fi

echo "== writing the run logs"
"$here/make_demo_log.sh" "$work/demo.sqlite" > /dev/null
"$LFP_BIN" train --db "$work/one-run.sqlite" --dataset blobs --method lfp --epochs 3 --seed 1 --quiet --json > /dev/null

status=0
echo "== executing the notebooks on the demo log"
MPLBACKEND=Agg "$python" "$here/execute_notebooks.py" --db "$work/demo.sqlite" --out "$work/executed-demo" || status=1
echo "== executing the notebooks on a log with one run"
MPLBACKEND=Agg "$python" "$here/execute_notebooks.py" --db "$work/one-run.sqlite" --out "$work/executed-one-run" || status=1

echo "== pytest Tests/notebooks"
(cd "$root" && "$python" -m pytest Tests/notebooks -q -p no:cacheprovider) || status=1

if [[ $status -ne 0 ]]; then echo "check.sh: FAILED" >&2; else echo "check.sh: all notebooks ran and the tests passed"; fi
exit $status
