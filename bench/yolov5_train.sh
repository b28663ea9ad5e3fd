#!/usr/bin/env bash
# Trains PyTorch YOLOv5 v7.0 (PyPI yolov5==7.0.14) yolov5n from scratch on a YOLO-format data.yaml,
# on CPU with 2 threads and no internet, then prints the mAP curve, final/best mAP, training
# images/s, validation s/epoch and peak RSS. The anchor to compare studyctl's trainer against. Dev only.
#
#   bash bench/yolov5_train.sh DATA.yaml [EPOCHS] [SEED] [OUT] [NAME] [-- extra train.py args]
#     EPOCHS 2, SEED 0, OUT /work/runs/yolov5, NAME <data folder>-e<EPOCHS>-s<SEED> by default
#   env: PYTHON (default $HOME/.venvs/anchor/bin/python), BENCH_THREADS (2), IMG (160), BATCH (16),
#        WORKERS (2), NOPLOTS=1 to pass --noplots
#
# The run lands in OUT/NAME (yolov5's save_dir): results.csv, weights/, plots, bench_timing.json,
# time-v.txt (GNU time -v of the whole process), summary.txt and summary.json. A previous run of
# the same OUT/NAME is deleted first.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
py="${PYTHON:-$HOME/.venvs/anchor/bin/python}"

data="${1:?usage: bench/yolov5_train.sh DATA.yaml [EPOCHS] [SEED] [OUT] [NAME] [-- extra args]}"
shift
epochs=2 seed=0 out=/work/runs/yolov5 name=""
for var in epochs seed out name; do
    if [[ $# -gt 0 && "$1" != "--" ]]; then printf -v "$var" '%s' "$1"; shift; fi
done
[[ "${1:-}" == "--" ]] && shift
data="$(realpath "$data")"
out="$(realpath -m "$out")"
[[ -n "$name" ]] || name="$(basename "$(dirname "$data")")-e${epochs}-s${seed}"
threads="${BENCH_THREADS:-2}"
run="$out/$name"
if [[ -e "$run/results.csv" || -e "$run/bench_timing.json" || -e "$run/opt.yaml" ]]; then
    rm -rf "$run"   # a previous run of this name: yolov5 --exist-ok would append to its results.csv
elif [[ -d "$run" && -n "$(ls -A "$run")" ]]; then
    echo "$run exists and is not a yolov5 run folder; choose another OUT/NAME" >&2; exit 2
fi
mkdir -p "$run"

if [[ ! -x /usr/bin/time ]]; then
    echo "installing GNU time (Debian package 'time')" >&2
    apt-get install -y time >/dev/null
fi

extra=()
[[ "${NOPLOTS:-0}" == 1 ]] && extra+=(--noplots)

# Thread counts for torch (intra-op), OpenMP, MKL, OpenBLAS; the wrapper also calls torch.set_num_threads.
export BENCH_THREADS="$threads" OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads"
export YOLOV5_CONFIG_DIR="$out/.yolov5-config" PYTHONUNBUFFERED=1

echo "yolov5n from scratch: data=$data epochs=$epochs seed=$seed threads=$threads -> $run" >&2
cd "$run"   # yolov5 resolves some relative paths against the working directory; keep them in the run
status=0
/usr/bin/time -v -o "$run/time-v.txt" \
    "$py" "$here/yolov5_offline_train.py" \
    --weights '' --cfg yolov5n.yaml --hyp hyp.scratch-low.yaml \
    --img "${IMG:-160}" --batch "${BATCH:-16}" --epochs "$epochs" --seed "$seed" \
    --data "$data" --workers "${WORKERS:-2}" --device cpu \
    --project "$out" --name "$name" --exist-ok "${extra[@]}" "$@" 2>&1 | tee "$run/train.log" || status=$?

python3 "$here/yolov5_report.py" "$run" | tee "$run/summary.txt"
python3 "$here/yolov5_report.py" "$run" --json > "$run/summary.json"
exit "$status"
