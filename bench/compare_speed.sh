#!/usr/bin/env bash
# Whole-epoch training speed (data loading included, validation separate) and peak memory of
# PyTorch YOLOv5 v7.0 yolov5n against studyctl's cspdarknet + pan-sppf on the same data.yaml,
# 160 px, batch 16, measured one after the other in one run. Dev only.
#
#   bash bench/compare_speed.sh DATA.yaml [EPOCHS] [OUT]      # EPOCHS 3, OUT /work/runs/speed
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="$(realpath "${1:?usage: compare_speed.sh DATA.yaml [EPOCHS] [OUT]}")"; epochs="${2:-3}"; out="${3:-/work/runs/speed}"
mkdir -p "$out"; rm -rf "$out/studyctl"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
NOPLOTS=1 bash "$here/yolov5_train.sh" "$data" "$epochs" 0 "$out/torch" run > "$out/torch.log" 2>&1
/usr/bin/time -v "$here/../.build/release/studyctl" train --data "$data" --backbone cspdarknet --neck pan-sppf \
    --epochs "$epochs" --batch 16 --imgsz 160 --output "$out/studyctl" > "$out/studyctl.log" 2> "$out/studyctl.time"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out" <<'PY'
import json, re, sys
out = sys.argv[1]
t = json.load(open(f'{out}/torch/run/summary.json'))
s = json.load(open(f'{out}/studyctl/summary.json'))
rss = int(re.search(r'Maximum resident set size \(kbytes\): (\d+)', open(f'{out}/studyctl.time').read()).group(1)) / 1024
print('| | train images/s (whole epochs, loading included) | val s/epoch | peak memory MiB |')
print('|---|---:|---:|---:|')
print(f"| PyTorch YOLOv5 7.0.14 yolov5n | {t['train_images_per_s']:.1f} | {t['val_s_per_epoch']:.2f} | {t['peak_pss_mib_tree_sampled']:.0f} (PSS of all processes; main RSS {t['peak_rss_mib_time_v']:.0f}) |")
print(f"| studyctl cspdarknet__pan-sppf | {s['imagesPerSecond']:.1f} | {s['validationSeconds']:.2f} | {rss:.0f} (RSS) |")
print(f"| ratio studyctl / PyTorch | {s['imagesPerSecond'] / t['train_images_per_s']:.2f}× | {t['val_s_per_epoch'] / s['validationSeconds']:.2f}× faster | |")
PY
