#!/usr/bin/env bash
# Submits a harness study (or `harness claims`) to Slurm as a job array of N shards, then the merge
# job, which starts only if every shard succeeds (--dependency=afterok). Run on a login node:
#
#   RESULTS=/shared/$USER/sweep SHARDS=20 CPUS_PER_TASK=4 deploy/slurm/submit.sh --seeds 100 --arch 2-256-256-2
#   RESULTS=/shared/$USER/claims SHARDS=10 deploy/slurm/submit.sh claims
#
# Arguments go to the harness unchanged (study flags, or `claims [--quick]`). Environment:
#   RESULTS        results folder on a filesystem every node sees [default: ./slurm-results]
#                  shards in $RESULTS/shards/<i>, the complete results in $RESULTS/merged,
#                  Slurm's logs in $RESULTS/logs
#   HARNESS        the harness binary [default: $CARGO_TARGET_DIR/release/harness when
#                  CARGO_TARGET_DIR is set, else target/release/harness beside this checkout]
#   SHARDS         number of array tasks N [default: 4]
#   ARRAY          which array indices to submit [default: 0-(N−1)]; to rerun failed tasks,
#                  e.g. ARRAY=3,7 with the same SHARDS, RESULTS and arguments (they resume)
#   MAX_PARALLEL   run at most this many tasks at once (Slurm's --array=…%M) [default: no limit]
#   CPUS_PER_TASK  CPUs (and harness threads) per task [default: 1]
#   MERGE_CPUS     CPUs of the merge job [default: 1]
#   SBATCH_ARGS    extra sbatch options for both jobs, e.g. "--partition=short --time=02:00:00"
#   MERGE_ARGS     extra options of `harness merge` (the figures are drawn as the shards were run:
#                  --shared-scale and --loss-scale need not be repeated here)
#
# Prints ARRAY_JOB=<id> and MERGE_JOB=<id> on stdout (the rest goes to stderr).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SHARDS=${SHARDS:-4}
[[ "$SHARDS" =~ ^[1-9][0-9]*$ ]] || { echo "submit.sh: SHARDS must be a positive integer, not '$SHARDS'" >&2; exit 2; }
RESULTS=${RESULTS:-$PWD/slurm-results}
HARNESS=${HARNESS:-${CARGO_TARGET_DIR:-$here/../../target}/release/harness}
ARRAY=${ARRAY:-0-$((SHARDS - 1))}
CPUS_PER_TASK=${CPUS_PER_TASK:-1}
MERGE_CPUS=${MERGE_CPUS:-1}
read -r -a extra <<< "${SBATCH_ARGS:-}"

die() { echo "submit.sh: $*" >&2; exit 2; }
[[ -x "$HARNESS" ]] || die "no harness binary at $HARNESS: build it once with 'cargo build --release -p harness' (see deploy/README.md) or set HARNESS"
command -v sbatch > /dev/null || die "sbatch not found: run this on a Slurm login node"
HARNESS=$(cd "$(dirname "$HARNESS")" && pwd)/$(basename "$HARNESS")
mkdir -p "$RESULTS/shards" "$RESULTS/logs"
RESULTS=$(cd "$RESULTS" && pwd)

array=$ARRAY${MAX_PARALLEL:+%$MAX_PARALLEL}
MERGE_ARGS=${MERGE_ARGS:-}
export HARNESS RESULTS SHARDS MERGE_ARGS
array_job=$(sbatch --parsable "${extra[@]}" \
    --array="$array" --cpus-per-task="$CPUS_PER_TASK" \
    --output="$RESULTS/logs/%x-%A_%a.out" --open-mode=append \
    "$here/study.sbatch" "$@")
array_job=${array_job%%;*}             # --parsable prints "id" or "id;cluster"
echo "submit.sh: array job $array_job (tasks $array of $SHARDS shards): $HARNESS $* -> $RESULTS/shards/" >&2

merge_job=$(sbatch --parsable "${extra[@]}" \
    --dependency="afterok:$array_job" --kill-on-invalid-dep=yes \
    --cpus-per-task="$MERGE_CPUS" \
    --output="$RESULTS/logs/%x-%j.out" \
    "$here/merge.sbatch")
merge_job=${merge_job%%;*}
echo "submit.sh: merge job $merge_job after it -> $RESULTS/merged (logs in $RESULTS/logs)" >&2
echo "ARRAY_JOB=$array_job"
echo "MERGE_JOB=$merge_job"
