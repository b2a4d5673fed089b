#!/usr/bin/env bash
# Installs what LFP for Swift needs on a Debian/Ubuntu machine that has only the Swift toolchain:
# OpenBLAS, SQLite and zlib headers (apt), and with --notebooks the Python packages of Notebooks/.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for package in libopenblas-dev libsqlite3-dev zlib1g-dev; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "setup: installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--notebooks" ] && [ -f Notebooks/requirements.txt ]; then
    python3 -m pip install -q --disable-pip-version-check -r Notebooks/requirements.txt
fi
