#!/usr/bin/env bash
# Every architecture of the zoo (each backbone at each width × pan-sppf and pan-aspp) trained for
# one epoch on a tiny built-in dataset, exported to ONNX three ways, and checked in ONNX Runtime
# against the engine's fused output (bench/onnx_check.py: onnx.checker full check, then at most
# 1e-4 relative difference): at 64 px on random pixels, at 96 px on a real photograph
# (coffee.jpg: scikit-image's data/coffee.png, CC0, as JPEG) letterboxed square, and with
# --dynamic at 128 px on the photograph letterboxed to its own aspect (96 × 128), batch 1 and 2.
# One model is also written at the lowest opset, 14. The Python venv with pinned onnx and
# onnxruntime is made once per machine (~/.cache/studyctl/onnx-venv); the product itself never
# needs Python.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=${STUDYCTL:-$ROOT/.build/release/studyctl}
VENV=${STUDYCTL_ONNX_VENV:-$HOME/.cache/studyctl/onnx-venv}
PHOTO=$ROOT/.ci/onnx/coffee.jpg
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
check() {  # name, export arguments...
    local name=$1; shift
    "$BIN" export "$@" --output "$WORK/$name.onnx" --reference "$WORK/ref-$name" >/dev/null
    "$VENV/bin/python" "$ROOT/bench/onnx_check.py" "$WORK/$name.onnx" "$WORK/ref-$name"
    count=$((count + 1))
}
for model in $models; do
    backbone=${model%%__*}; neck=${model#*__}
    run="$WORK/runs/$model"
    "$BIN" train --data "$WORK/data/data.yaml" --backbone "$backbone" --neck "$neck" --epochs 1 --batch 4 --imgsz 64 \
        --threads 2 --output "$run" >"$run.log" 2>&1 || { tail -3 "$run.log"; exit 1; }
    check "$model-64" "$run" --imgsz 64
    check "$model-96" "$run" --imgsz 96 --reference-image "$PHOTO"
    check "$model-dynamic" "$run" --imgsz 128 --dynamic --reference-image "$PHOTO"
done
check "$model-opset14" "$run" --imgsz 64 --opset 14
echo "onnx check: $count models in ONNX Runtime equal to the engine, $((SECONDS - started)) s"
