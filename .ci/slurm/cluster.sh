#!/usr/bin/env bash
# Start / stop a throw-away, single-node Slurm cluster (munged + slurmctld +
# slurmd) whose whole state lives in one directory. Meant for tests.
#
#   cluster.sh start  DIR     create DIR, write config + munge key, start daemons,
#                             wait until the node is idle, print `export SLURM_CONF=...`
#   cluster.sh stop   DIR     cancel jobs, stop the daemons recorded in DIR/pids
#                             (TERM, wait, KILL); idempotent, safe in `trap ... EXIT`
#   cluster.sh status DIR     daemon liveness + sinfo/squeue (exit 0 only if all up)
#   cluster.sh env    DIR     print `export SLURM_CONF=DIR/slurm.conf`
#   cluster.sh slurmd-stop  DIR   stop only slurmd (simulate a node outage)
#   cluster.sh slurmd-start DIR   start slurmd again, wait until node responds
#
# Environment knobs (all optional):
#   SLURM_TEST_CTLD_PORT      slurmctld port (default: first free pair from 16817)
#   SLURM_TEST_SLURMD_PORT    slurmd port    (default: SLURM_TEST_CTLD_PORT + 1)
#   SLURM_TEST_START_TIMEOUT  seconds to wait for the node to become idle (60)
#   SLURM_TEST_KILL_WAIT      KillWait: s between SIGTERM and SIGKILL on cancel (5)
#   SLURM_TEST_MIN_JOB_AGE    MinJobAge: s finished jobs stay visible (600)
#   SLURM_TEST_SLURMD_TIMEOUT SlurmdTimeout: s before a silent node is DOWN (300)
#   SLURM_TEST_CRED_EXPIRE    AuthInfo cred_expire; also the delay before a
#                             requeued job may start again (10; Slurm default 120)
#   SLURM_TEST_SCHED_PARAMS   SchedulerParameters
#                             (batch_sched_delay=0,sched_interval=1,bf_interval=1)
#
# Requirements: Debian packages slurm-wlm (slurmctld, slurmd, slurm-client) and
# munge; must run as root (SlurmUser=root, SlurmdUser=root).
#
# Process ownership: every daemon is started in the foreground (-D / -F) under
# `setsid`, so it is not tied to the caller's terminal/process group. DIR/pids
# holds "name pid starttime"; stop only signals a pid whose /proc start time
# still matches. After the daemons, stop also terminates slurmstepd and job
# processes whose environment carries SLURM_CONF=DIR/slurm.conf (only this
# cluster's own jobs; they may outlive slurmd).

set -euo pipefail

PROG="cluster.sh"
log() { printf '[%s] %s\n' "$PROG" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage() {
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

# ---------------------------------------------------------------- helpers ---

# start time (clock ticks since boot, field 22 of /proc/PID/stat) or empty
proc_start_time() {
    local pid=$1 stat
    read -r stat 2>/dev/null <"/proc/$pid/stat" || return 0
    stat=${stat##*) }           # drop "pid (comm) "; comm may contain spaces
    # shellcheck disable=SC2086  # intended word splitting
    set -- $stat                # $1 = state (field 3) ... $20 = starttime (22)
    printf '%s' "${20:-}"
}

# is the recorded (pid, starttime) still the same live, non-zombie process?
proc_alive() {
    local pid=$1 start=$2 stat
    [[ -n "$pid" && -n "$start" ]] || return 1
    read -r stat 2>/dev/null <"/proc/$pid/stat" || return 1
    stat=${stat##*) }
    # shellcheck disable=SC2086  # intended word splitting
    set -- $stat
    [[ "${20:-}" == "$start" && "$1" != "Z" ]]
}

port_in_use() {
    if command -v ss >/dev/null 2>&1; then
        [[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]]
        return
    fi
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

abs_dir() { (cd "$1" && pwd -P); }

# pid_of DIR NAME -> "pid start" of the recorded daemon (empty if none)
pid_of() {
    [[ -f "$1/pids" ]] || return 0
    awk -v n="$2" '$1 == n { p = $2 " " $3 } END { if (p != "") print p }' "$1/pids"
}

record_pid() {
    local dir=$1 name=$2 pid=$3 start
    start=$(proc_start_time "$pid")
    [[ -n "$start" ]] || die "$name (pid $pid) exited immediately; see $dir/log/"
    # replace an older entry of the same daemon (slurmd restarts)
    if [[ -f "$dir/pids" ]]; then
        awk -v n="$name" '$1 != n' "$dir/pids" >"$dir/pids.tmp"
        mv -f "$dir/pids.tmp" "$dir/pids"
    fi
    printf '%s %s %s\n' "$name" "$pid" "$start" >>"$dir/pids"
}

daemon_running() {  # daemon_running DIR NAME
    local ps
    ps=$(pid_of "$1" "$2")
    # shellcheck disable=SC2086  # "pid start" -> two arguments
    [[ -n "$ps" ]] && proc_alive $ps
}

show_logs() {
    local dir=$1 f
    for f in "$dir"/log/*; do
        [[ -s "$f" ]] || continue
        printf '\n===== %s (last 40 lines) =====\n' "$f" >&2
        tail -n 40 "$f" >&2 || true
    done
}

# launch DIR NAME CMD... : start a daemon in its own session, cwd DIR/run,
# stdio to DIR/log/NAME.stderr, and record its pid
launch() {
    local dir=$1 name=$2
    shift 2
    ( cd "$dir/run" && exec setsid "$@" ) </dev/null >>"$dir/log/$name.stderr" 2>&1 &
    record_pid "$dir" "$name" "$!"
}

node_name() { awk -F'[= ]' '$1 == "NodeName" { print $2; exit }' "$1/slurm.conf"; }

# wait until the node answers (sinfo state without '*' and not down/unknown)
wait_node_ready() {
    local dir=$1 node=$2 timeout=$3 t0=$SECONDS state=""
    while :; do
        state=$(sinfo -h -n "$node" -o %T 2>/dev/null | head -n1) || state=""
        case "$state" in
            idle | mixed | allocated | completing) return 0 ;;
            down | drain* ) scontrol update NodeName="$node" State=RESUME >/dev/null 2>&1 || true ;;
        esac
        daemon_running "$dir" slurmd || { log "slurmd died"; return 1; }
        if (( SECONDS - t0 >= timeout )); then
            log "node $node not ready after ${timeout}s (state: '${state}')"
            sinfo -N -l >&2 || true
            return 1
        fi
        sleep 0.2
    done
}

# ------------------------------------------------------------------ start ---

write_slurm_conf() {
    local dir=$1 node=$2 ctld_port=$3 slurmd_port=$4 cpus=$5 mem=$6
    cat >"$dir/slurm.conf" <<EOF
# Generated by $PROG for a throw-away single-node test cluster (Slurm 22.05).
ClusterName=studyctl-test
SlurmctldHost=${node}(127.0.0.1)
SlurmctldPort=${ctld_port}
SlurmdPort=${slurmd_port}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=${dir}/munge.sock,cred_expire=${SLURM_TEST_CRED_EXPIRE:-10}
StateSaveLocation=${dir}/state
SlurmdSpoolDir=${dir}/spool
SlurmctldPidFile=${dir}/run/slurmctld.pid
SlurmdPidFile=${dir}/run/slurmd.pid
SlurmctldLogFile=${dir}/log/slurmctld.log
SlurmdLogFile=${dir}/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
PlugStackConfig=${dir}/plugstack.conf
MailProg=/bin/true
# no cgroups: containers usually lack systemd / cgroup delegation
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
# no slurmdbd: plain \`sacct\` says "Slurm accounting storage is disabled";
# jobcomp/filetxt gives one line per finished job and makes \`sacct -c\` work
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=${dir}/log/jobcomp.txt
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
# schedule at once (defaults: batch_sched_delay=3 s, sched_interval=60 s, bf_interval=30 s)
SchedulerParameters=${SLURM_TEST_SCHED_PARAMS:-batch_sched_delay=0,sched_interval=1,bf_interval=1}
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
# finished jobs stay visible in \`scontrol show job\` / \`squeue -t all\` this long
MinJobAge=${SLURM_TEST_MIN_JOB_AGE:-600}
KillWait=${SLURM_TEST_KILL_WAIT:-5}
SlurmdTimeout=${SLURM_TEST_SLURMD_TIMEOUT:-300}
InactiveLimit=0
JobRequeue=1
NodeName=${node} NodeAddr=127.0.0.1 NodeHostname=${node} CPUs=${cpus} RealMemory=${mem} State=UNKNOWN
PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP
EOF
}

cleanup_failed_start() {
    local dir=$1
    log "start failed; logs follow"
    show_logs "$dir"
    cmd_stop "$dir" || true
}

cmd_start() {
    local dir=$1 b
    [[ $(id -u) -eq 0 ]] || die "must run as root (SlurmUser=root)"
    for b in munged slurmctld slurmd sinfo scontrol squeue scancel munge unmunge setsid; do
        command -v "$b" >/dev/null 2>&1 || die "'$b' not found; apt-get install slurm-wlm munge"
    done

    mkdir -p "$dir"
    dir=$(abs_dir "$dir")
    if [[ -s "$dir/pids" ]]; then
        local name pid start
        while read -r name pid start; do
            proc_alive "$pid" "$start" && die "$name (pid $pid) from a previous start is still running in $dir; run '$PROG stop $dir' first"
        done <"$dir/pids"
        rm -f "$dir/pids"
    fi
    # sun_path is 108 bytes; munged and slurmd/slurmstepd put sockets under DIR
    (( ${#dir} <= 60 )) || die "DIR path too long for unix sockets (${#dir} > 60 chars): $dir"

    local t0=$SECONDS
    # 0755: munged warns (and non-root clients could not reach the socket)
    # unless DIR is traversable; the key itself stays 0600
    chmod 755 "$dir"
    mkdir -p "$dir/state" "$dir/spool" "$dir/log" "$dir/run"
    : >"$dir/plugstack.conf"
    : >"$dir/pids"

    if [[ ! -s "$dir/munge.key" ]]; then
        if command -v mungekey >/dev/null 2>&1; then
            mungekey --create --keyfile="$dir/munge.key"
        else
            dd if=/dev/urandom of="$dir/munge.key" bs=1 count=1024 status=none
        fi
    fi
    chmod 600 "$dir/munge.key"

    local ctld_port slurmd_port
    if [[ -n "${SLURM_TEST_CTLD_PORT:-}" ]]; then
        ctld_port=$SLURM_TEST_CTLD_PORT
        slurmd_port=${SLURM_TEST_SLURMD_PORT:-$((ctld_port + 1))}
        ! port_in_use "$ctld_port" || die "SLURM_TEST_CTLD_PORT $ctld_port is in use"
        ! port_in_use "$slurmd_port" || die "slurmd port $slurmd_port is in use"
    else
        ctld_port=16817
        while port_in_use "$ctld_port" || port_in_use "$((ctld_port + 1))"; do
            ctld_port=$((ctld_port + 2))
            (( ctld_port < 16917 )) || die "no free port pair in 16817-16916"
        done
        slurmd_port=${SLURM_TEST_SLURMD_PORT:-$((ctld_port + 1))}
    fi

    # slurmctld refuses to run unless the short hostname equals the
    # SlurmctldHost name, hence `hostname -s`; addresses are pinned to 127.0.0.1
    local node cpus mem avail_kb
    node=$(hostname -s)
    cpus=$(nproc)
    avail_kb=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)
    mem=$(( avail_kb * 9 / 10 / 1024 ))
    (( mem >= 256 )) || mem=256

    write_slurm_conf "$dir" "$node" "$ctld_port" "$slurmd_port" "$cpus" "$mem"
    export SLURM_CONF="$dir/slurm.conf"
    printf 'export SLURM_CONF=%s\n' "$SLURM_CONF" >"$dir/env"

    # any failure from here on (set -e, die, signal): dump logs, stop daemons
    START_DIR=$dir
    START_OK=0
    trap '[[ $START_OK == 1 ]] || cleanup_failed_start "$START_DIR"' EXIT
    trap 'exit 130' INT TERM

    log "starting munged (socket $dir/munge.sock)"
    launch "$dir" munged munged --foreground --force \
        --key-file="$dir/munge.key" --socket="$dir/munge.sock" \
        --pid-file="$dir/run/munged.pid" --log-file="$dir/log/munged.log" \
        --seed-file="$dir/run/munged.seed"
    local i
    for (( i = 0; i < 100; i++ )); do
        if [[ -S "$dir/munge.sock" ]] \
            && munge -n -S "$dir/munge.sock" 2>/dev/null | unmunge -S "$dir/munge.sock" >/dev/null 2>&1; then
            break
        fi
        daemon_running "$dir" munged || die "munged died"
        sleep 0.1
    done
    (( i < 100 )) || die "munged did not answer within 10 s"

    log "starting slurmctld (port $ctld_port)"
    launch "$dir" slurmctld slurmctld -D -f "$SLURM_CONF"
    for (( i = 0; i < 150; i++ )); do
        scontrol ping 2>/dev/null | grep -q 'is UP' && break
        daemon_running "$dir" slurmctld || die "slurmctld died"
        sleep 0.2
    done
    (( i < 150 )) || die "slurmctld did not answer ping within 30 s"

    log "starting slurmd (node $node, port $slurmd_port)"
    launch "$dir" slurmd slurmd -D -f "$SLURM_CONF" -N "$node"

    local timeout=${SLURM_TEST_START_TIMEOUT:-60} state
    wait_node_ready "$dir" "$node" "$(( timeout - (SECONDS - t0) ))" || die "cluster did not come up"
    state=$(sinfo -h -n "$node" -o %T)
    [[ "$state" == idle ]] || die "node is '$state', expected idle"

    START_OK=1
    trap - INT TERM
    log "cluster up in $((SECONDS - t0))s: node $node idle, slurmctld :$ctld_port, slurmd :$slurmd_port, dir $dir"
    printf 'export SLURM_CONF=%s\n' "$SLURM_CONF"
}

# ------------------------------------------------------------------- stop ---

# Leftover processes of THIS cluster: slurmstepd (inherits SLURM_CONF=DIR/...
# from the slurmd we started, but runs in its own session) and job processes
# (SLURM_JOB_ID + SLURM_CONF=DIR/... in their environment; this also catches
# job children re-parented to init, which proctrack/linuxproc loses track of).
cluster_leftovers() {
    local want="SLURM_CONF=$1/slurm.conf" f p stat e ours job self=$BASHPID
    local -a envs
    for f in /proc/[0-9]*; do
        p=${f#/proc/}
        [[ "$p" == "$$" || "$p" == "$self" ]] && continue
        read -r stat 2>/dev/null <"$f/stat" || continue
        [[ "$stat" == *") Z "* ]] && continue
        mapfile -d '' -t envs 2>/dev/null <"$f/environ" || continue
        ours=0 job=0
        for e in "${envs[@]}"; do
            [[ "$e" == "$want" ]] && ours=1
            [[ "$e" == SLURM_JOB_ID=* ]] && job=1
        done
        (( ours )) || continue
        if (( job )) || [[ "$stat" == *"(slurmstepd) "* ]]; then
            printf '%s\n' "$p"
        fi
    done
    return 0
}

# stop_one NAME PID START WAIT_S: SIGTERM, wait, then SIGKILL
stop_one() {
    local name=$1 pid=$2 start=$3 wait_s=${4:-10} i
    if ! proc_alive "$pid" "$start"; then
        log "$name (pid $pid) not running"
        return 0
    fi
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for (( i = 0; i < wait_s * 10; i++ )); do
        proc_alive "$pid" "$start" || return 0
        sleep 0.1
    done
    log "$name (pid $pid) ignored SIGTERM for ${wait_s}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for (( i = 0; i < 50; i++ )); do
        proc_alive "$pid" "$start" || return 0
        sleep 0.1
    done
    log "WARNING: $name (pid $pid) still alive after SIGKILL"
    return 1
}

cmd_stop() {
    local dir=$1
    if [[ ! -d "$dir" ]]; then
        log "no such directory $dir; nothing to stop"
        return 0
    fi
    dir=$(abs_dir "$dir")
    if [[ ! -s "$dir/pids" ]]; then
        log "no daemons recorded in $dir/pids; nothing to stop"
        return 0
    fi

    # 1. cancel jobs so slurmstepd / job processes end the normal way
    if daemon_running "$dir" slurmctld && daemon_running "$dir" slurmd; then
        local jobs i kw
        jobs=$(SLURM_CONF="$dir/slurm.conf" squeue -h -o %A 2>/dev/null | sort -u | tr '\n' ' ') || jobs=""
        if [[ -n "${jobs// /}" ]]; then
            log "cancelling jobs: $jobs"
            # shellcheck disable=SC2086
            SLURM_CONF="$dir/slurm.conf" scancel $jobs 2>/dev/null || true
            kw=$(awk -F= '$1 == "KillWait" { print $2 }' "$dir/slurm.conf" 2>/dev/null) || kw=""
            for (( i = 0; i < (${kw:-5} + 10) * 5; i++ )); do
                [[ -z "$(SLURM_CONF="$dir/slurm.conf" squeue -h -o %A 2>/dev/null)" ]] && break
                sleep 0.2
            done
        fi
    fi

    # 2. daemons, reverse start order
    local rc=0 name ps
    for name in slurmd slurmctld munged; do
        ps=$(pid_of "$dir" "$name")
        [[ -n "$ps" ]] || continue
        # shellcheck disable=SC2086
        stop_one "$name" $ps 10 || rc=1
    done

    # 3. slurmstepd / job processes of this cluster that are still around
    local left
    left=$(cluster_leftovers "$dir" | tr '\n' ' ')
    if [[ -n "${left// /}" ]]; then
        log "terminating leftover slurmstepd/job processes of this cluster: $left"
        # shellcheck disable=SC2086
        kill -TERM $left 2>/dev/null || true
        for (( i = 0; i < 20; i++ )); do
            left=$(cluster_leftovers "$dir" | tr '\n' ' ')
            [[ -z "${left// /}" ]] && break
            sleep 0.1
        done
        if [[ -n "${left// /}" ]]; then
            log "sending SIGKILL to: $left"
            # shellcheck disable=SC2086
            kill -KILL $left 2>/dev/null || true
        fi
    fi

    if (( rc == 0 )); then
        mv -f "$dir/pids" "$dir/pids.stopped"
        rm -f "$dir/munge.sock" "$dir/munge.sock.lock"
        log "cluster in $dir stopped"
    fi
    return $rc
}

# ------------------------------------------------------- slurmd outage ---

cmd_slurmd_stop() {
    local dir ps
    dir=$(abs_dir "$1")
    ps=$(pid_of "$dir" slurmd)
    [[ -n "$ps" ]] || die "no slurmd recorded in $dir/pids"
    # shellcheck disable=SC2086
    stop_one slurmd $ps 10
}

cmd_slurmd_start() {
    local dir node
    dir=$(abs_dir "$1")
    [[ -f "$dir/slurm.conf" ]] || die "no $dir/slurm.conf; run '$PROG start $dir' first"
    daemon_running "$dir" slurmctld || die "slurmctld is not running"
    daemon_running "$dir" slurmd && die "slurmd is already running"
    export SLURM_CONF="$dir/slurm.conf"
    node=$(node_name "$dir")
    log "starting slurmd (node $node)"
    launch "$dir" slurmd slurmd -D -f "$SLURM_CONF" -N "$node"
    wait_node_ready "$dir" "$node" "${SLURM_TEST_START_TIMEOUT:-60}" || { show_logs "$dir"; die "slurmd did not come back"; }
    log "node $node is $(sinfo -h -n "$node" -o %T)"
}

# ----------------------------------------------------------------- status ---

cmd_status() {
    local dir=$1 name p s up=1
    [[ -d "$dir" ]] || die "no such directory $dir"
    dir=$(abs_dir "$dir")
    if [[ ! -s "$dir/pids" ]]; then
        echo "no daemons recorded (stopped or never started)"
        return 3
    fi
    while read -r name p s; do
        if proc_alive "$p" "$s"; then echo "$name pid $p running"; else echo "$name pid $p NOT running"; up=0; fi
    done <"$dir/pids"
    if daemon_running "$dir" slurmctld; then
        SLURM_CONF="$dir/slurm.conf" sinfo -N -o '%N %T %C' || true
        SLURM_CONF="$dir/slurm.conf" squeue -r || true
    fi
    (( up ))
}

# ------------------------------------------------------------------- main ---

[[ $# -eq 2 ]] || usage
case "$1" in
    start)        cmd_start "$2" ;;
    stop)         cmd_stop "$2" ;;
    status)       cmd_status "$2" ;;
    env)          printf 'export SLURM_CONF=%s/slurm.conf\n' "$(abs_dir "$2")" ;;
    slurmd-stop)  cmd_slurmd_stop "$2" ;;
    slurmd-start) cmd_slurmd_start "$2" ;;
    *)            usage ;;
esac
