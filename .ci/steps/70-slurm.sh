#!/usr/bin/env bash
# A real single-node Slurm cluster on this machine: `harness claims --quick` through
# deploy/slurm/submit.sh as a 4-task job array (one CPU and one thread per task) plus the merge job
# that depends on it, then the merged folder compared byte for byte with a single-process run
# (/tmp/claims-ci from 35-claims.sh, or made here). Runs as root; the daemons (munged, slurmctld,
# slurmd) are stopped by their pid files on exit, so the step can run again on the same machine.
# HARNESS=/path/to/binary tests a given binary instead of building this checkout's.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
export DEBIAN_FRONTEND=noninteractive

conf=/etc/slurm/slurm.conf
logs=/var/log/slurm
pidfiles=(/run/slurmd.pid /run/slurmctld.pid /run/munge/munged.pid)
ref=/tmp/claims-ci
results=/tmp/slurm-ci
shards=4

# --- daemons -------------------------------------------------------------------------------------
stop_daemons() {
    local f pid i
    for f in "${pidfiles[@]}"; do
        [[ -s "$f" ]] || continue
        pid=$(cat "$f")
        if kill -0 "$pid" 2> /dev/null; then
            kill "$pid" 2> /dev/null || true
            for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2> /dev/null || break; sleep 0.2; done
            kill -0 "$pid" 2> /dev/null && kill -9 "$pid" 2> /dev/null || true
        fi
        rm -f "$f"
    done
}
show_logs() {
    local f
    for f in "$logs/slurmctld.log" "$logs/slurmd.log" /var/log/munge/munged.log; do
        [[ -f "$f" ]] && { echo "--- $f (last 40 lines)"; tail -n 40 "$f"; }
    done
    return 0
}
fail() { echo "70-slurm: FAILED: $*" >&2; show_logs >&2; exit 1; }

if ! command -v slurmctld > /dev/null || ! command -v munged > /dev/null; then
    apt-get update -qq
    apt-get install -y -qq slurm-wlm munge > /dev/null
fi
stop_daemons                            # leftovers of an earlier run of this step
trap stop_daemons EXIT

if [[ ! -s /etc/munge/munge.key ]]; then
    mkdir -p /etc/munge
    mungekey --create --keyfile=/etc/munge/munge.key
fi
chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
runuser -u munge -- /usr/sbin/munged    # munged refuses root's log folder; the packaged unit runs it as munge
munge -n | unmunge > /dev/null || fail "munge does not round-trip a credential"

mem=$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' | head -n 1)
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd "$logs"
rm -f "$logs"/slurmctld.log "$logs"/slurmd.log
cat > "$conf" << CONF
# Written by .ci/steps/70-slurm.sh: one node, this machine, no accounting.
ClusterName=ci
SlurmctldHost=localhost
SlurmUser=root
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$logs/slurmctld.log
SlurmdLogFile=$logs/slurmd.log
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 RealMemory=${mem:-1000} State=UNKNOWN
PartitionName=ci Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -c || fail "slurmctld did not start"   # -c: no jobs or state from an earlier run
slurmd -N localhost || fail "slurmd did not start" # the node is "localhost", whatever the hostname

state=
for ((i = 0; i < 60; i++)); do
    state=$(sinfo -h -n localhost -o %t 2> /dev/null || true)
    [[ "$state" == idle ]] && break
    sleep 1
done
[[ "$state" == idle ]] || { sinfo || true; fail "node localhost not idle after 60 s (state '${state}')"; }
sinfo

# --- the single-process reference and the binary -------------------------------------------------
if [[ -n "${HARNESS:-}" ]]; then           # a given binary (testing this step), else this checkout's
    harness=$HARNESS
else
    cargo build --release -q -p harness
    harness=$repo/target/release/harness
fi
marker=$ref/manifest.json                # written last; older harnesses wrote no manifest for claims
[[ -f "$marker" ]] || marker=$ref/claims.html
if [[ -f "$marker" && "$marker" -nt "$harness" ]]; then
    echo "reference: $ref (from 35-claims.sh, newer than the binary)"
else
    echo "reference: making $ref (single process)"
    rm -rf "$ref"
    "$harness" claims --quick --quiet --out "$ref" | tail -n 1
fi

# --- the array and the merge ---------------------------------------------------------------------
rm -rf "$results"
start=$SECONDS
jobs=$(RESULTS=$results HARNESS=$harness SHARDS=$shards CPUS_PER_TASK=1 \
    deploy/slurm/submit.sh claims --quick --threads 1)
eval "$jobs"                            # ARRAY_JOB=… MERGE_JOB=…
echo "array job $ARRAY_JOB (${shards} tasks), merge job $MERGE_JOB"
squeue
while [[ -n "$(squeue -h -j "$ARRAY_JOB,$MERGE_JOB" 2> /dev/null)" ]]; do
    ((SECONDS - start < 1200)) || { squeue; scancel "$ARRAY_JOB" "$MERGE_JOB" || true; fail "jobs still queued after 20 min"; }
    sleep 2
done
echo "array and merge finished in $((SECONDS - start)) s"

# Accounting is off, so the job states come from slurmctld's memory (kept for MinJobAge, 300 s).
scontrol -o show job "$ARRAY_JOB" | sed -n 's/^\(JobId=[0-9]*\).*\(ArrayTaskId=[0-9]*\).*\(JobState=[A-Z_]*\).*\(RunTime=[0-9:-]*\).*/\1 \2 \3 \4/p'
scontrol -o show job "$MERGE_JOB" | sed -n 's/^\(JobId=[0-9]*\).*\(JobState=[A-Z_]*\).*\(RunTime=[0-9:-]*\).*/\1 merge \2 \3/p'
bad=$( (scontrol -o show job "$ARRAY_JOB"; scontrol -o show job "$MERGE_JOB") | grep -cv 'JobState=COMPLETED' || true)
ntasks=$(scontrol -o show job "$ARRAY_JOB" | grep -c 'JobState=COMPLETED' || true)
if [[ "$bad" != 0 || "$ntasks" != "$shards" ]]; then
    for f in "$results"/logs/*; do echo "--- $f"; cat "$f"; done
    fail "$bad job(s) did not complete ($ntasks of $shards array tasks completed)"
fi
for f in "$results"/logs/*; do echo "--- $f"; cat "$f"; done

# --- byte for byte -------------------------------------------------------------------------------
if ! diff -r "$ref" "$results/merged"; then
    fail "the merged folder differs from the single-process run"
fi
files=$(find "$results/merged" -type f | wc -l)
echo "70-slurm: $results/merged is byte-identical to $ref ($files files, diff -r)"

# --- the manual merge (deploy/README.md, "to merge by hand") -------------------------------------
# The same shards merged again by `sbatch merge.sbatch` as the deploy README says to by hand: no
# drawing options given (they come from the shards' figures.json), the log in $RESULTS/logs.
rm -rf "$results/merged"
start=$SECONDS
manual=$(cd "$repo" && RESULTS=$results HARNESS=$harness SHARDS=$shards \
    sbatch --parsable --output="$results/logs/%x-%j.out" deploy/slurm/merge.sbatch)
manual=${manual%%;*}
while [[ -n "$(squeue -h -j "$manual" 2> /dev/null)" ]]; do
    ((SECONDS - start < 600)) || { scancel "$manual" || true; fail "manual merge job $manual still queued after 10 min"; }
    sleep 2
done
log="$results/logs/harness-merge-$manual.out"
[[ -f "$log" ]] || { ls -l "$results/logs" >&2; fail "the manual merge's log is not $log"; }
grep -q "merge.sbatch: done in" "$log" || { cat "$log" >&2; fail "the manual merge did not finish (log $log)"; }
if ! diff -r "$ref" "$results/merged"; then
    cat "$log"
    fail "the manually merged folder differs from the single-process run"
fi
echo "70-slurm: manual merge (job $manual, log $log) byte-identical to $ref in $((SECONDS - start)) s"
