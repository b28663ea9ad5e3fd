#!/usr/bin/env bash
# Batch-1 latency of every cell of a study, the engine against ONNX Runtime, alternating in two
# rounds in one session (docs/deploy.md): threads 1 and 2, at least 3 s of runs after 10 warm-ups.
#   bench/compare_latency.sh STUDY_DIR [PYTHON]     (PYTHON: one with onnxruntime and numpy)
# It rewrites the runs' latency.json: run it on a copy of the study folder.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${STUDYCTL:-$ROOT/.build/release/studyctl}
STUDY=$1; PY=${2:-$HOME/.cache/studyctl/onnx-venv/bin/python}
for round in 1 2; do
    echo "== round $round engine"
    "$BIN" latency "$STUDY" --threads 1,2 --min-time 3 --warmup 10
    echo "== round $round onnxruntime"
    "$BIN" latency "$STUDY" --runtime onnxruntime --python "$PY" --threads 1,2 --min-time 3 --warmup 10
done
