"""Execute notebooks headless against one run log, writing the executed copies elsewhere.

    python3 Notebooks/execute_notebooks.py --db LOG.sqlite --out DIR [NOTEBOOK ...]

Each notebook (default: every `Notebooks/*.ipynb`) runs top to bottom in a fresh kernel with
`LFP_DB=LOG.sqlite` and matplotlib's Agg backend, in the `Notebooks/` folder (so `import lfplog`
works); the executed copy goes to `DIR`, the original stays without outputs. Exits 1 if any
notebook raised, printing the failing cell's error.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

HERE = Path(__file__).resolve().parent


def execute(notebook: Path, db: Path, out_dir: Path, timeout: int) -> bool:
    """Run one notebook against `db`, save the executed copy in `out_dir`; True if no cell raised."""
    os.environ["LFP_DB"] = str(db)
    os.environ["MPLBACKEND"] = "Agg"
    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(HERE)}})
    started = time.monotonic()
    ok = True
    try:
        client.execute()
    except CellExecutionError as error:
        ok = False
        print(f"FAILED {notebook.name} on {db}:\n{error}", file=sys.stderr)
    out_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out_dir / notebook.name)
    if ok:
        print(f"ok     {notebook.name} on {db.name} ({time.monotonic() - started:.1f} s)")
    return ok


def main() -> int:
    """Parse the command line, execute the notebooks, return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="the run log the notebooks read")
    parser.add_argument("--out", type=Path, required=True, help="folder for the executed copies")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every Notebooks/*.ipynb")
    args = parser.parse_args()
    notebooks = args.notebooks or sorted(HERE.glob("*.ipynb"))
    results = [execute(nb.resolve(), args.db.resolve(), args.out, args.timeout) for nb in notebooks]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
