#!/usr/bin/env bash
# The quickstart's levers, one `studyctl train` run each (docs/study.md, "The quickstart's recipe").
# Runs two at a time on one thread each, as `studyctl run` does, and prints each run's wall time,
# best mAP@0.5 and its curve. Usage: bench/quickstart_levers.sh [OUT]   (default /tmp/levers)
set -euo pipefail
STUDYCTL=${STUDYCTL:-.build/release/studyctl}
OUT=${1:-/tmp/levers}
mkdir -p "$OUT"
[ -f "$OUT/easy64/data.yaml" ] || "$STUDYCTL" dataset synth --out "$OUT/easy64" --train 400 --val 100 --imgsz 64 --preset easy

run() {  # NAME EPOCHS BACKBONE [studyctl train options...]
    local name=$1 epochs=$2 backbone=$3; shift 3
    local dir="$OUT/runs/$name" start end
    rm -rf "$dir"
    start=$(date +%s.%N)
    "$STUDYCTL" train --data "$OUT/easy64/data.yaml" --imgsz 64 --epochs "$epochs" --backbone "$backbone" --neck pan-sppf \
        --threads 1 --output "$dir" "$@" > "$dir.log" 2>&1
    end=$(date +%s.%N)
    python3 - "$dir" "$name" "$start" "$end" <<'PY'
import csv, sys
out, name, s, e = sys.argv[1:]
rows = list(csv.reader(open(out + "/results.csv")))
head = [x.strip() for x in rows[0]]
col = next(k for k, x in enumerate(head) if "mAP_0.5" in x and "0.95" not in x)
vals = [float(r[col]) for r in rows[1:]]
print(f"{name:24s} {float(e) - float(s):5.0f} s  best mAP@0.5 {max(vals):.3f}  every 10 %: {' '.join(f'{v:.2f}' for v in vals[::max(1, len(vals) // 10)])}", flush=True)
PY
}

AW="--optimizer AdamW --set lr0=0.004"          # the former quickstart's optimiser
S="--optimizer AdamW --nbs 16"                  # + one step per batch
G="obj=100 cls=10 mosaic=0"                     # + gains for 64 px and 4 classes, no mosaic
pairs=(
  "A_yolov5_recipe 30 cspdarknet $AW"                               "B_nbs16 30 cspdarknet $AW --nbs 16"
  "C_nbs16_obj20_cls10 30 cspdarknet $S --set lr0=0.004 obj=20 cls=10"  "D_C_no_mosaic 30 cspdarknet $S --set lr0=0.004 obj=20 cls=10 mosaic=0"
  "E_D_default_gains 30 cspdarknet $S --set lr0=0.004 mosaic=0"     "I_obj100_20ep 20 cspdarknet $S --set lr0=0.004 $G"
  "N_I_seed1 20 cspdarknet $S --seed 1 --set lr0=0.004 $G"          "L_I_cls20 20 cspdarknet $S --set lr0=0.004 obj=100 cls=20 mosaic=0"
  "Q_I_lr0.002 20 cspdarknet $S --set lr0=0.002 $G"                 "W_I_lr0.008 20 cspdarknet $S --set lr0=0.008 $G"
  "J_I_batch8_nbs8 20 cspdarknet --optimizer AdamW --batch 8 --nbs 8 --set lr0=0.004 obj=20 cls=10 mosaic=0"
                                                                    "Z1_I_batch32_nbs32 20 cspdarknet --optimizer AdamW --batch 32 --nbs 32 --set lr0=0.008 $G"
  "O_I_scale0.2 20 cspdarknet $S --set lr0=0.004 $G scale=0.2 translate=0.05"
                                                                    "M_I_shufflenetv2 20 shufflenetv2 $S --set lr0=0.004 $G"
  "U_mnv3s_lr0.008 20 mobilenetv3-small $S --set lr0=0.008 $G"      "X_mnasnet0.5_lr0.008 20 mnasnet@0.5 $S --set lr0=0.008 $G"
  "S_mnv3s_warmup25 20 mobilenetv3-small $S --warmup-min-iters 0 --set lr0=0.004 warmup_epochs=1 $G"
                                                                    "T_mnv3s_lrf0.1 20 mobilenetv3-small $S --set lr0=0.004 lrf=0.1 $G"
  "AA_mnv3s_bias_lr 20 mobilenetv3-small $S --set lr0=0.004 warmup_bias_lr=0.004 $G"
                                                                    "AB_mnv3s_cos 20 mobilenetv3-small $S --cos-lr --set lr0=0.004 $G"
  "V_mnv3s_SGD 20 mobilenetv3-small --nbs 16 --set lr0=0.01 $G"     "Y_mnv3s_lr0.012 20 mobilenetv3-small $S --set lr0=0.012 $G"
)
for ((i = 0; i < ${#pairs[@]}; i += 2)); do
    # shellcheck disable=SC2086
    run ${pairs[i]} &
    if (( i + 1 < ${#pairs[@]} )); then
        # shellcheck disable=SC2086
        run ${pairs[i + 1]} &
    fi
    wait
done
