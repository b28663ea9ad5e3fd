#!/usr/bin/env bash
# Times the op families in studyctl and PyTorch in one run, 1 and 2 threads, and prints the ratios
# (PyTorch time / studyctl time: above 1.0 means studyctl is faster). Dev only.
#   bash bench/compare_ops.sh [ITERATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
py="${PYTHON:-$HOME/.venvs/anchor/bin/python}"
iterations="${1:-20}"
out=$(mktemp -d)
swift build -c release >/dev/null
for threads in 1 2; do
    .build/release/studyctl bench --ops --json --threads "$threads" --iterations "$iterations" > "$out/swift-$threads.json"
    "$py" bench/torch_ops.py --threads "$threads" --iterations "$iterations" > "$out/torch-$threads.json"
done
"$py" - "$out" <<'PY'
import json, sys
out = sys.argv[1]
print(f"| op | threads | studyctl fwd ms | torch fwd ms | fwd ratio | studyctl fwd+bwd ms | torch fwd+bwd ms | fwd+bwd ratio | studyctl fwd GFLOP/s |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for threads in (1, 2):
    s = {r["name"]: r for r in json.load(open(f"{out}/swift-{threads}.json"))["ops"]}
    t = {r["name"]: r for r in json.load(open(f"{out}/torch-{threads}.json"))["ops"]}
    for name, a in s.items():
        b = t[name]
        rate = f"{a['gflop_forward'] / (a['forward_ms'] / 1e3):.1f}" if a["gflop_forward"] else ""
        print(f"| {name} | {threads} | {a['forward_ms']:.2f} | {b['forward_ms']:.2f} | {b['forward_ms'] / a['forward_ms']:.2f} "
              f"| {a['forward_backward_ms']:.2f} | {b['forward_backward_ms']:.2f} | {b['forward_backward_ms'] / a['forward_backward_ms']:.2f} | {rate} |")
PY
