#!/usr/bin/env bash
# Trains yolov5n with PyTorch YOLOv5 v7.0 (bench/yolov5_train.sh) and cspdarknet + pan-sppf with
# studyctl on the same data.yaml, same recipe (hyp.scratch-low, 160 px, batch 16), seed by seed,
# one after the other in one run, and prints both curves' final and best mAP, training images/s,
# validation s/epoch and peak RSS side by side. Dev only.
#
#   bash bench/compare_training.sh DATA.yaml EPOCHS OUT SEED [SEED ...]
#   env: TORCH_FROM=DIR reuses the PyTorch runs of an earlier OUT (DIR/torch/s<SEED>) instead of training them again
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="$(realpath "${1:?usage: compare_training.sh DATA.yaml EPOCHS OUT SEED...}")"; epochs="$2"; out="$3"; shift 3
studyctl="$here/../.build/release/studyctl"
mkdir -p "$out"
for seed in "$@"; do
    if [[ -n "${TORCH_FROM:-}" ]]; then
        mkdir -p "$out/torch"
        ln -sfn "$(realpath "$TORCH_FROM/torch/s$seed")" "$out/torch/s$seed"
    else
        NOPLOTS=1 bash "$here/yolov5_train.sh" "$data" "$epochs" "$seed" "$out/torch" "s$seed" > "$out/torch-s$seed.log" 2>&1
    fi
    rm -rf "$out/studyctl/s$seed"
    /usr/bin/time -v "$studyctl" train --data "$data" --backbone cspdarknet --neck pan-sppf --epochs "$epochs" \
        --batch 16 --imgsz 160 --seed "$seed" --output "$out/studyctl/s$seed" > "$out/studyctl-s$seed.log" 2> "$out/studyctl-s$seed.time"
done
python3 - "$out" "$@" <<'PY'
import json, re, sys, csv
out, seeds = sys.argv[1], sys.argv[2:]
def rows(path):
    with open(path) as f:
        r = list(csv.reader(f)); head = [h.strip() for h in r[0]]
        return [dict(zip(head, map(float, x))) for x in r[1:]]
def best(rs):
    return max(rs, key=lambda r: 0.1 * r['metrics/mAP_0.5'] + 0.9 * r['metrics/mAP_0.5:0.95'])
def rss(path):
    m = re.search(r'Maximum resident set size \(kbytes\): (\d+)', open(path).read()); return int(m.group(1)) / 1024 if m else float('nan')
print('| seed | tool | final mAP50 | final mAP50-95 | best mAP50 | best mAP50-95 (epoch) | train images/s | val s/epoch | peak RSS MiB |')
print('|---|---|---:|---:|---:|---:|---:|---:|---:|')
for s in seeds:
    t = json.load(open(f'{out}/torch/s{s}/summary.json'))
    tr = rows(f'{out}/torch/s{s}/results.csv'); tb = best(tr)
    print(f"| {s} | PyTorch YOLOv5 7.0.14 | {tr[-1]['metrics/mAP_0.5']:.4f} | {tr[-1]['metrics/mAP_0.5:0.95']:.4f} | {tb['metrics/mAP_0.5']:.4f} | {tb['metrics/mAP_0.5:0.95']:.4f} ({int(tb['epoch'])}) | {t.get('train_images_per_s', float('nan')):.1f} | {t.get('val_s_per_epoch', float('nan')):.2f} | {t.get('peak_pss_mib_tree_sampled', float('nan')):.0f} (PSS) |")
    m = json.load(open(f'{out}/studyctl/s{s}/summary.json'))
    sr = rows(f'{out}/studyctl/s{s}/results.csv'); sb = best(sr)
    print(f"| {s} | studyctl | {sr[-1]['metrics/mAP_0.5']:.4f} | {sr[-1]['metrics/mAP_0.5:0.95']:.4f} | {sb['metrics/mAP_0.5']:.4f} | {sb['metrics/mAP_0.5:0.95']:.4f} ({int(sb['epoch'])}) | {m['imagesPerSecond']:.1f} | {m['validationSeconds']:.2f} | {rss(f'{out}/studyctl-s{s}.time'):.0f} |")
PY
