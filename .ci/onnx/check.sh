#!/usr/bin/env bash
# Every architecture of the zoo (each backbone at each width × pan-sppf and pan-aspp) trained for
# one epoch on a tiny built-in dataset, exported to ONNX at two image sizes, and checked in ONNX
# Runtime against the engine's fused output (bench/onnx_check.py: onnx.checker full check, then
# at most 1e-4 relative difference). The Python venv with pinned onnx and onnxruntime is made once
# per machine (~/.cache/studyctl/onnx-venv); the product itself never needs Python.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=${STUDYCTL:-$ROOT/.build/release/studyctl}
VENV=${STUDYCTL_ONNX_VENV:-$HOME/.cache/studyctl/onnx-venv}
WORK=$(mktemp -d /tmp/studyctl-onnx.XXXXXX)
trap 'rc=$?; if (( rc == 0 )); then rm -rf "$WORK"; else echo "onnx check: FAIL (files kept in $WORK)" >&2; fi' EXIT

if ! "$VENV/bin/python" -c "import onnx, onnxruntime, numpy" 2>/dev/null; then
    echo "== making $VENV (onnx 1.17.0, onnxruntime 1.20.1, numpy 2.1.3)"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q onnx==1.17.0 onnxruntime==1.20.1 numpy==2.1.3
fi

started=$SECONDS
"$BIN" dataset synth --out "$WORK/data" --train 8 --val 4 --imgsz 64 --seed 1 >/dev/null
models=$("$BIN" models | awk 'NR > 1 { print $1 }')
count=0
mkdir -p "$WORK/runs"
for model in $models; do
    backbone=${model%%__*}; neck=${model#*__}
    run="$WORK/runs/$model"
    "$BIN" train --data "$WORK/data/data.yaml" --backbone "$backbone" --neck "$neck" --epochs 1 --batch 4 --imgsz 64 \
        --threads 2 --output "$run" >"$run.log" 2>&1 || { tail -3 "$run.log"; exit 1; }
    for size in 64 96; do
        "$BIN" export "$run" --imgsz $size --output "$WORK/$model-$size.onnx" --reference "$WORK/ref-$model-$size" >/dev/null
        "$VENV/bin/python" "$ROOT/bench/onnx_check.py" "$WORK/$model-$size.onnx" "$WORK/ref-$model-$size"
        count=$((count + 1))
    done
done
echo "onnx check: $count models in ONNX Runtime equal to the engine, $((SECONDS - started)) s"
