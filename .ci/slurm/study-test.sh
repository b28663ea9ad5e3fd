#!/usr/bin/env bash
# A study through `studyctl run --executor slurm` on a real single-node Slurm cluster started here
# (cluster.sh), checked against a local run of the same study:
#   1. the whole grid as a job array gives results byte-identical to `run --jobs 1`;
#   2. scancel of a running cell, then the same command again: only unfinished cells are submitted,
#      the files are identical;
#   3. the time-limit warning (USR1 to the batch script) saves the cell where it stopped, requeues
#      it and resumes it;
#      slurmd stopped and started mid-run; the files are identical;
#   4. a cell that fails shows as failed with its Slurm state and log; the study exits 1.
# Every daemon the script started is stopped at the end, also when a check fails.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=${STUDYCTL:-$ROOT/.build/release/studyctl}
CLUSTER="$ROOT/.ci/slurm/cluster.sh"
WORK=$(mktemp -d /tmp/studyctl-st.XXXXXX)
export STUDYCTL_SLURM_POLL=1

cleanup() {
    local rc=$?
    "$CLUSTER" stop "$WORK/c" >/dev/null 2>&1 || true
    if (( rc == 0 )); then rm -rf "$WORK"; echo "slurm study test: PASS"; else echo "slurm study test: FAIL (files kept in $WORK)" >&2; fi
    exit $rc
}
trap cleanup EXIT
trap 'echo "slurm study test: line $LINENO failed: $BASH_COMMAND" >&2' ERR
fail() { echo "slurm study test: $*" >&2; exit 1; }

[[ -x "$BIN" ]] || fail "no studyctl binary at $BIN (make build)"
started=$SECONDS
eval "$("$CLUSTER" start "$WORK/c")"

cat >"$WORK/study.toml" <<'TOML'
[study]
name = "cluster"
repeats = 2

[data.synthetic]
train = 192
val = 16
imgsz = 64
preset = "easy"

[train]
epochs = 10
batch = 16
imgsz = 64

[grid]
backbone = ["cspdarknet", "shufflenetv2"]
neck = ["pan-sppf"]

[recommend]
metric = "map50"

[report]
formats = []
TOML

# Every result file of a study folder that must not depend on where or how the cells ran.
same_results() {
    local a=$1 b=$2 f n=0
    cmp -s "$a/recommendation.json" "$b/recommendation.json" || fail "recommendation.json differs: $a $b"
    while read -r f; do
        cmp -s "$a/$f" "$b/$f" || fail "$f differs between $a and $b"
        n=$((n + 1))
    done < <(cd "$a" && find runs -type f \( -name results.csv -o -name curves.json -o -name summary.json \
        -o -name '*.safetensors' -o -name gallery.json -o -name '*.png' \) | sort)
    (( n >= 4 * 6 )) || fail "only $n result files compared"
    echo "  $n result files and recommendation.json identical"
}

# Waits until run $2 of study folder $1 has at least $3 epochs in results.csv and is still unfinished.
wait_epochs() {
    local dir=$1/runs/$2 deadline=$((SECONDS + 120))
    until [[ -f $dir/results.csv && $(($(wc -l <"$dir/results.csv") - 1)) -ge $3 ]]; do
        (( SECONDS < deadline )) || fail "$2 did not reach $3 epochs"
        sleep 0.2
    done
    [[ ! -f $dir/summary.json ]] || fail "$2 finished before it could be interrupted; make its cells longer"
}

# The pid of the batch shell of array task $1_$2 (this machine is the node).
batch_pid() {
    local p
    for p in /proc/[0-9]*; do
        grep -q slurm_script "$p/cmdline" 2>/dev/null || continue
        tr '\0' '\n' <"$p/environ" 2>/dev/null | grep -qx "SLURM_ARRAY_JOB_ID=$1" || continue
        tr '\0' '\n' <"$p/environ" 2>/dev/null | grep -qx "SLURM_ARRAY_TASK_ID=$2" || continue
        echo "${p#/proc/}"
        return
    done
}

# The array task (job_task) that trains cell $2 of study folder $1.
task_of() { python3 -c "import json,sys; j=json.load(open(sys.argv[1]+'/slurm/jobs.json'))['submissions'][-1]; print(j['job']+'_'+str(j['cells'].index(sys.argv[2])))" "$1" "$2"; }

echo "== local reference (--jobs 1)"
"$BIN" run "$WORK/study.toml" --output "$WORK/local" --jobs 1 --threads 1 >"$WORK/local.log" 2>&1 || fail "local run failed: $(tail -3 "$WORK/local.log")"

echo "== 1. the grid as a job array"
"$BIN" run "$WORK/study.toml" --output "$WORK/array" --executor slurm --cpus-per-task 1 >"$WORK/array.log" 2>&1 \
    || fail "slurm run failed: $(tail -5 "$WORK/array.log")"
grep -q "Submitted Slurm job" "$WORK/array.log" || fail "no submission in the log"
same_results "$WORK/local" "$WORK/array"

echo "== 2. scancel of a running cell, then the same command again"
"$BIN" run "$WORK/study.toml" --output "$WORK/cancel" --executor slurm --cpus-per-task 1 --no-wait >"$WORK/cancel.log" 2>&1
cell=shufflenetv2__pan-sppf__s1
wait_epochs "$WORK/cancel" $cell 1
scancel "$(task_of "$WORK/cancel" $cell)"
"$BIN" status "$WORK/cancel" | tee "$WORK/cancel-status.txt"
"$BIN" run "$WORK/study.toml" --output "$WORK/cancel" --executor slurm --cpus-per-task 1 >"$WORK/cancel2.log" 2>&1 \
    || fail "resubmission failed: $(tail -5 "$WORK/cancel2.log")"
resubmitted=$(python3 -c "import json,sys; print(' '.join(json.load(open(sys.argv[1]))['submissions'][-1]['cells']))" "$WORK/cancel/slurm/jobs.json")
echo "  resubmitted: $resubmitted"
[[ " $resubmitted " == *" $cell "* ]] || fail "the cancelled cell was not resubmitted"
(( $(wc -w <<<"$resubmitted") < 4 )) || fail "every cell was submitted again, finished ones too"
grep -q "Resuming from" "$WORK/cancel/slurm/$cell.out" || fail "the cancelled cell did not resume from its checkpoint"
same_results "$WORK/local" "$WORK/cancel"

echo "== 3. the time-limit warning (USR1 to the batch shell), and slurmd stopped and started mid-run"
"$BIN" run "$WORK/study.toml" --output "$WORK/requeue" --executor slurm --cpus-per-task 1 --no-wait >"$WORK/requeue.log" 2>&1
cell=cspdarknet__pan-sppf__s1
wait_epochs "$WORK/requeue" $cell 1
# What Slurm does at --signal=B:USR1@lead: USR1 to the batch shell. (scancel --batch --signal=USR1
# does the same through slurmctld, which refuses now and then with "Job can not be altered now".)
task=$(task_of "$WORK/requeue" $cell)
pid=$(batch_pid "${task%_*}" "${task#*_}")
[[ -n $pid ]] || fail "no batch shell found for task $task"
kill -USR1 "$pid"
"$CLUSTER" slurmd-stop "$WORK/c" >/dev/null 2>&1
sleep 3
"$CLUSTER" slurmd-start "$WORK/c" >/dev/null 2>&1
"$BIN" run "$WORK/study.toml" --output "$WORK/requeue" --executor slurm --cpus-per-task 1 >"$WORK/requeue2.log" 2>&1 \
    || fail "waiting for the requeued cells failed: $(tail -5 "$WORK/requeue2.log")"
grep -q "requeueing $cell" "$WORK/requeue/slurm/$cell.out" || fail "the warned cell did not requeue itself"
# It stops at its next optimiser step: inside the epoch, or at its end when that step is the last
# batch (TrainCLITests checks the resume inside an epoch deterministically).
grep -q "Resuming from " "$WORK/requeue/slurm/$cell.out" || fail "the requeued cell did not resume"
same_results "$WORK/local" "$WORK/requeue"

echo "== 4. a cell that fails"
cp -r "$WORK/local" "$WORK/failing"
rm -f "$WORK/failing/recommendation.json"
cell=cspdarknet__pan-sppf__s0
rm "$WORK/failing/runs/$cell/summary.json"
echo "not a checkpoint" >"$WORK/failing/runs/$cell/checkpoint/state.safetensors"
rc=0
"$BIN" run "$WORK/study.toml" --output "$WORK/failing" --executor slurm --cpus-per-task 1 >"$WORK/failing.log" 2>&1 || rc=$?
(( rc == 1 )) || fail "a failed cell gave exit $rc, not 1: $(tail -5 "$WORK/failing.log")"
grep -q "$cell: Slurm FAILED, exit 2:0; log $WORK/failing/slurm/$cell.out" "$WORK/failing.log" || fail "the failure is not reported with its state and log: $(tail -5 "$WORK/failing.log")"
python3 -c "import json,sys; sys.exit('recommended' in json.load(open(sys.argv[1])))" "$WORK/failing/recommendation.json" \
    || fail "a recommendation was written while a cell is missing"
"$BIN" status "$WORK/failing" | grep -q "failed   $cell: Slurm FAILED" || fail "status does not show the failed cell"
echo "  exit 1; $(grep -m1 "$cell: Slurm" "$WORK/failing.log" | sed 's/^ *//')"

echo "slurm study test: $((SECONDS - started)) s"
