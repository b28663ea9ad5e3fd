#!/usr/bin/env bash
# Self-test for cluster.sh: start a throw-away cluster, run a 4-task array job,
# check outputs and per-task state/exit code, stop the cluster (also on failure).
# Exit 0 on success. Takes ~10 s.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CLUSTER="$HERE/cluster.sh"
DIR=$(mktemp -d /tmp/studyctl-slurm.XXXXXX)
KEEP=${SELFTEST_KEEP_DIR:-0}

cleanup() {
    local rc=$?
    "$CLUSTER" stop "$DIR" || rc=1
    if (( rc == 0 )) && [[ "$KEEP" != 1 ]]; then
        rm -rf "$DIR"
    else
        echo "selftest: cluster dir kept at $DIR" >&2
    fi
    (( rc == 0 )) && echo "selftest: PASS" || echo "selftest: FAIL (rc=$rc)" >&2
    exit $rc
}
trap cleanup EXIT

fail() { echo "selftest: $*" >&2; exit 1; }

t0=$SECONDS
eval "$("$CLUSTER" start "$DIR")"
[[ "${SLURM_CONF:-}" == "$DIR/slurm.conf" ]] || fail "start did not print SLURM_CONF"

# shellcheck disable=SC2016  # expanded inside the job
job=$(sbatch --parsable --array=0-3 --output "$DIR/out-%A_%a.txt" \
    --wrap 'echo task $SLURM_ARRAY_TASK_ID; sleep 2; exit $(( SLURM_ARRAY_TASK_ID == 3 ? 7 : 0 ))')
[[ "$job" =~ ^[0-9]+$ ]] || fail "unexpected sbatch output: $job"
echo "selftest: submitted array job $job"

deadline=$((SECONDS + 40))
while [[ -n "$(squeue -h -r -j "$job" -t pending,running,completing,configuring,suspended 2>/dev/null)" ]]; do
    (( SECONDS < deadline )) || { squeue -r -j "$job" >&2; fail "array job did not finish within 40 s"; }
    sleep 0.5
done

for t in 0 1 2 3; do
    f="$DIR/out-${job}_${t}.txt"
    [[ -f "$f" ]] || fail "missing output $f"
    grep -qx "task $t" "$f" || fail "unexpected content in $f: $(cat "$f")"
done

# per-task final state + exit code without slurmdbd: scontrol keeps finished
# jobs for MinJobAge seconds; one line per array task with -o
states=$(scontrol -o show job "$job" | awk '{
    for (i = 1; i <= NF; i++) {
        split($i, kv, "=")
        if (kv[1] == "ArrayTaskId") t = kv[2]
        if (kv[1] == "JobState")    s = kv[2]
        if (kv[1] == "ExitCode")    e = substr($i, 10)
    }
    print t, s, e
}' | sort -n)
echo "selftest: per-task state:"
printf '  %s\n' "${states//$'\n'/$'\n  '}"
expected=$'0 COMPLETED 0:0\n1 COMPLETED 0:0\n2 COMPLETED 0:0\n3 FAILED 7:0'
[[ "$states" == "$expected" ]] || fail "unexpected task states"

echo "selftest: ok after $((SECONDS - t0)) s"
