#!/usr/bin/env bash
# Times the paper's study, ours against NumPy, JAX, PyTorch and scikit-learn, whole process,
# with hyperfine.
#
#   bash benches/peers/compare.sh [--tools LIST] [--runs N] [--rev REV] [--skip-check] [--json FILE]
#   bash benches/peers/compare.sh --smoke [--tools LIST]
#
#   --tools LIST  comma-separated subset of: ours, ours-no-report, numpy, jax, torch-loop,
#                 torch-vmap, torch-vmap-compile, sklearn (default: all of them)
#   --runs N      timed runs per tool after one warm-up run (default 3, at least 3)
#   --rev REV     time the harness of commit REV (exported with `git archive` and built in
#                 its own target directory under ${TMPDIR:-/tmp}) instead of the work tree
#   --skip-check  skip the first, untimed run of each tool that prints its accuracy table
#   --json FILE   where hyperfine's JSON goes (default benches/peers/results/hyperfine.json)
#   --smoke       run each selected peer script once with --seeds 2 --epochs 3 and check that it
#                 prints its accuracy table; time nothing, build nothing, no hyperfine (CI)
#   HARNESS_BIN=/path/to/harness  time that binary and build nothing
#   PEERS_VENV=DIR                the virtual environment to use (default benches/peers/.venv)
#   PEERS_TORCH_FULL=1            install torch with all its dependencies (see below)
#
# Works from any directory. Installs the pinned packages the selected tools need in the venv, and
# hyperfine if it is missing (apt-get, else cargo install). Tools:
#   ours            harness --quiet --threads 2 --out DIR: everything (training, per-epoch
#                   validation, statistics, tables, 16 figures, GIFs, report)
#   ours-no-report  harness --quiet --threads 2 --no-report --out DIR: the same training and
#                   tables (metrics.csv, runs.csv, update_size.csv, layer_stats.csv, summary.*),
#                   no figures, frames or report: the same work as the peers do
#   numpy           numpy_study.py, float64, one BLAS thread
#   jax             jax_study.py, float32, vmap + scan, 2 threads
#   torch-loop      torch_study.py --variant loop: a training loop per run, 2 threads
#   torch-vmap      torch_study.py --variant vmap: all runs in one torch.func vmap, 2 threads
#   torch-vmap-compile  the same with --compile: the epoch through torch.compile (C++ kernels
#                   compiled by gcc; the warm-up run fills torch's on-disk cache)
#   sklearn         sklearn_study.py: MLPClassifier.partial_fit per epoch, one BLAS thread
# torch is installed without its resolver (--no-deps) plus exactly the CUDA libraries its
# shared libraries are linked against and its pure-Python dependencies: PyPI's only Linux
# x86-64 torch wheel is built with CUDA and does not import without them; this leaves out
# triton, cuSOLVER and the rest (4.0 GB on disk instead of 5.3 GB). PEERS_TORCH_FULL=1 runs a
# plain `pip install torch==VERSION` instead. See benches/peers/README.md.
set -euo pipefail

NUMPY_VERSION=2.4.6
JAX_VERSION=0.10.2
OPTAX_VERSION=0.2.8
TORCH_VERSION=2.15.0
SKLEARN_VERSION=1.9.1
THREADPOOLCTL_VERSION=3.8.0
# torch 2.15.0's lean install. The CUDA libraries: the packages holding the sonames that
# `readelf -d torch/lib/*.so` lists as NEEDED (and cuSPARSE's nvJitLink), at the versions torch's
# own requirements resolve to. The pure-Python dependencies of its METADATA, at the versions
# pip resolved on 2026-12-07. Update both with TORCH_VERSION.
TORCH_CUDA_LIBS="nvidia-cuda-runtime==13.2.86 nvidia-cuda-nvrtc==13.2.86 nvidia-cuda-cupti==13.2.86
 nvidia-cublas==13.4.1.3 nvidia-cudnn-cu13==9.26.0.51 nvidia-cufft==12.2.0.57 nvidia-cufile==1.17.1.22
 nvidia-cusparse==12.7.10.12 nvidia-nvjitlink==13.5.37 nvidia-cusparselt-cu13==0.8.1
 nvidia-nccl-cu13==2.30.7 nvidia-nvshmem-cu13==3.7.2"
TORCH_PY_DEPS="filelock==4.3.2 typing-extensions==4.16.0 sympy==1.14.0 mpmath==1.3.0 networkx==3.6.1
 jinja2==3.1.6 markupsafe==3.0.4 fsspec==2026.9.0"
THREADS=2
ALL_TOOLS="ours ours-no-report numpy jax torch-loop torch-vmap torch-vmap-compile sklearn"
PEERS="numpy jax torch-loop torch-vmap torch-vmap-compile sklearn"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'compare.sh: error: %s\n' "$*" >&2; exit 1; }

HERE="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd -- "$HERE/../.." && pwd)"
VENV="${PEERS_VENV:-$HERE/.venv}"
RUNS=3
REV=""
CHECK=1
SMOKE=0
TOOLS_ARG=""
JSON="$HERE/results/hyperfine.json"

while [ $# -gt 0 ]; do
    case "$1" in
        --tools) [ $# -ge 2 ] || die "--tools needs a list"; TOOLS_ARG="$2"; shift 2 ;;
        --runs) [ $# -ge 2 ] || die "--runs needs a number"; RUNS="$2"; shift 2 ;;
        --rev) [ $# -ge 2 ] || die "--rev needs a commit"; REV="$2"; shift 2 ;;
        --skip-check) CHECK=0; shift ;;
        --smoke) SMOKE=1; shift ;;
        --json) [ $# -ge 2 ] || die "--json needs a file"; JSON="$2"; shift 2 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) die "unknown argument '$1' (try --help)" ;;
    esac
done
case "$RUNS" in ''|*[!0-9]*) die "--runs must be a whole number, got '$RUNS'" ;; esac
[ "$RUNS" -ge 3 ] || die "--runs must be at least 3, got $RUNS"
case "$JSON" in /*) ;; *) JSON="$PWD/$JSON" ;; esac
case "$VENV" in /*) ;; *) VENV="$PWD/$VENV" ;; esac

# --- the tools --------------------------------------------------------------------------------
TOOLS=()
EXPLICIT=0
if [ -n "$TOOLS_ARG" ]; then
    EXPLICIT=1
    for t in ${TOOLS_ARG//,/ }; do
        case " $ALL_TOOLS " in *" $t "*) ;; *) die "unknown tool '$t' in --tools (known: ${ALL_TOOLS// /, })" ;; esac
        case " ${TOOLS[*]-} " in *" $t "*) ;; *) TOOLS+=("$t") ;; esac
    done
    [ ${#TOOLS[@]} -gt 0 ] || die "--tools is empty"
elif [ "$SMOKE" = 1 ]; then
    read -r -a TOOLS <<<"$PEERS"
else
    read -r -a TOOLS <<<"$ALL_TOOLS"
fi
if [ "$SMOKE" = 1 ]; then
    # The smoke test runs the peer scripts only (our harness has its own tests).
    KEEP=()
    for t in "${TOOLS[@]}"; do
        case " $PEERS " in *" $t "*) KEEP+=("$t") ;; *) say "--smoke: skipping $t (the smoke test runs the peer scripts only)" ;; esac
    done
    [ ${#KEEP[@]} -gt 0 ] || die "--smoke with no peer among --tools"
    TOOLS=("${KEEP[@]}")
fi
has() { case " ${TOOLS[*]} " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
drop() { local k=() t; for t in "${TOOLS[@]}"; do [ "$t" = "$1" ] || k+=("$t"); done; TOOLS=("${k[@]}"); }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/peers-compare.XXXXXX")"
trap 'rm -rf -- "$WORK"' EXIT

# --- Python environment -----------------------------------------------------------------------
PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null || die "$PYTHON not found (set PYTHON=/path/to/python3.11+)"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || die "jax $JAX_VERSION and torch $TORCH_VERSION need Python 3.11 or newer; $("$PYTHON" --version 2>&1) found (set PYTHON=...)"
if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV"
    "$PYTHON" -m venv "$VENV" || die "could not create a virtual environment (Debian: apt-get install -y python3-venv)"
fi
PY="$VENV/bin/python"
# One group of pins per stack; each is installed once (its pins are kept in $VENV/.pins-GROUP).
install_group() {
    local group="$1" pins="$2"; shift 2
    pins="$(printf '%s' "$pins" | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')"
    [ "$(cat "$VENV/.pins-$group" 2>/dev/null || true)" = "$pins" ] && return 0
    say "installing $pins into $VENV${*:+ (pip $*)}"
    local start=$SECONDS
    # shellcheck disable=SC2086
    "$PY" -m pip install --quiet --disable-pip-version-check "$@" $pins || die "pip could not install $pins"
    say "installed $group in $((SECONDS - start)) s"
    printf '%s' "$pins" > "$VENV/.pins-$group"
}
install_group numpy "numpy==$NUMPY_VERSION"
if has jax; then install_group jax "jax[cpu]==$JAX_VERSION optax==$OPTAX_VERSION"; fi
if has sklearn; then install_group sklearn "scikit-learn==$SKLEARN_VERSION threadpoolctl==$THREADPOOLCTL_VERSION"; fi
if has torch-loop || has torch-vmap || has torch-vmap-compile; then
    if [ "${PEERS_TORCH_FULL:-0}" = 1 ]; then
        install_group torch "torch==$TORCH_VERSION"
    else
        install_group torch "torch==$TORCH_VERSION $TORCH_CUDA_LIBS $TORCH_PY_DEPS" --no-deps
    fi
    "$PY" -c 'import torch, torch.func' 2>"$WORK/torch-import.err" || {
        cat "$WORK/torch-import.err" >&2
        die "torch $TORCH_VERSION does not import from $VENV (a library missing from the lean install? rerun with PEERS_TORCH_FULL=1, or update TORCH_CUDA_LIBS)"
    }
fi

NUMPY_ENV=(env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1)
JAX_ENV=(env "XLA_FLAGS=--xla_cpu_multi_thread_eigen=true intra_op_parallelism_threads=$THREADS")
declare -A CMD LABEL
CMD[numpy]="$(printf '%q ' "${NUMPY_ENV[@]}" "$PY" "$HERE/numpy_study.py")"
CMD[jax]="$(printf '%q ' "${JAX_ENV[@]}" "$PY" "$HERE/jax_study.py")"
CMD[torch-loop]="$(printf '%q ' "$PY" "$HERE/torch_study.py" --variant loop --threads "$THREADS")"
CMD[torch-vmap]="$(printf '%q ' "$PY" "$HERE/torch_study.py" --variant vmap --threads "$THREADS")"
CMD[torch-vmap-compile]="$(printf '%q ' "$PY" "$HERE/torch_study.py" --variant vmap --compile --threads "$THREADS")"
CMD[sklearn]="$(printf '%q ' "${NUMPY_ENV[@]}" "$PY" "$HERE/sklearn_study.py")"
LABEL[ours]="ours (harness, $THREADS threads, everything)"
LABEL[ours-no-report]="ours (harness --no-report, $THREADS threads: training, tables, summary)"
LABEL[numpy]="NumPy (float64, 1 BLAS thread)"
LABEL[jax]="JAX + optax (float32, vmap + scan, $THREADS threads)"
LABEL[torch-loop]="PyTorch (float32, a training loop per run, $THREADS threads)"
LABEL[torch-vmap]="PyTorch (float32, torch.func vmap of all runs, $THREADS threads)"
LABEL[torch-vmap-compile]="PyTorch (float32, torch.func vmap + torch.compile, $THREADS threads)"
LABEL[sklearn]="scikit-learn MLPClassifier (float32, partial_fit per epoch, 1 BLAS thread)"

# A peer's table: its header and one row per initializer.
check_table() {
    local out="$1" seeds="$2" init
    grep -q '^| init | runs | final val acc mean ± std | min | max |$' "$out" || return 1
    for init in small glorot he; do
        grep -Eq "^\| $init \| $seeds \| [01]\.[0-9]{4} ± [0-9]\.[0-9]{4} \| [01]\.[0-9]{4} \| [01]\.[0-9]{4} \|$" "$out" || return 1
    done
}

# --- smoke test (CI): every peer script once, tiny, untimed -----------------------------------
if [ "$SMOKE" = 1 ]; then
    failed=()
    for t in "${TOOLS[@]}"; do
        say "smoke: $t"
        start=$SECONDS
        # shellcheck disable=SC2086
        if eval "${CMD[$t]}" --seeds 2 --epochs 3 >"$WORK/$t.out" 2>"$WORK/$t.err"; then
            if check_table "$WORK/$t.out" 2; then
                cat "$WORK/$t.out"
                say "smoke: $t passed in $((SECONDS - start)) s"
                continue
            fi
            say "smoke: $t printed no accuracy table"
        else
            say "smoke: $t failed"
        fi
        cat "$WORK/$t.out" "$WORK/$t.err" >&2
        failed+=("$t")
    done
    if [ ${#failed[@]} -gt 0 ]; then
        die "smoke test failed: ${failed[*]}"
    fi
    printf '%d passed, 0 failed\n' "${#TOOLS[@]}"
    exit 0
fi
mkdir -p "$(dirname -- "$JSON")"

# --- hyperfine ----------------------------------------------------------------------------------
if ! command -v hyperfine >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "installing hyperfine with apt-get"
        { apt-get install -y hyperfine >/dev/null 2>&1 \
            || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y hyperfine >/dev/null 2>&1; }; } || true
    fi
    if ! command -v hyperfine >/dev/null; then
        command -v cargo >/dev/null || die "hyperfine is missing and cargo is not there to install it"
        say "installing hyperfine with cargo install --locked"
        cargo install hyperfine --locked || die "cargo install hyperfine failed"
        export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
    fi
fi
command -v hyperfine >/dev/null || die "hyperfine is still not on PATH"

# --- our harness --------------------------------------------------------------------------------
command -v git >/dev/null && COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')" || COMMIT="?"
SOURCE="(not timed)"
if has ours || has ours-no-report; then
    if [ -n "${HARNESS_BIN:-}" ]; then
        [ -x "$HARNESS_BIN" ] || die "HARNESS_BIN=$HARNESS_BIN is not an executable"
        HARNESS="$HARNESS_BIN"
        SOURCE="the binary $HARNESS"
    elif [ -n "$REV" ]; then
        COMMIT="$(git -C "$ROOT" rev-parse --short "$REV^{commit}" 2>/dev/null)" || die "no commit '$REV' in $ROOT"
        # Both kept between runs (same path, same mtimes from git archive): rebuilding is incremental.
        SRC="${TMPDIR:-/tmp}/peers-src"
        TARGET="${TMPDIR:-/tmp}/peers-target"
        rm -rf -- "$SRC" && mkdir -p "$SRC"
        git -C "$ROOT" archive "$COMMIT" | tar -x -C "$SRC"
        say "building harness (release) of commit $COMMIT in $SRC, target $TARGET"
        (cd "$SRC" && CARGO_TARGET_DIR="$TARGET" cargo build --release --quiet -p harness) \
            || die "cargo build --release -p harness failed for commit $COMMIT"
        HARNESS="$TARGET/release/harness"
        SOURCE="commit $COMMIT (clean export)"
    else
        say "building harness (release) in $ROOT"
        (cd "$ROOT" && cargo build --release --quiet -p harness) \
            || die "cargo build --release -p harness failed in $ROOT (someone's edit in progress? try --rev HEAD)"
        TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
        case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
        HARNESS="$TARGET/release/harness"
        DIRTY="$(git -C "$ROOT" status --porcelain -- core harness Cargo.toml Cargo.lock 2>/dev/null | wc -l || true)"
        SOURCE="work tree at $COMMIT$([ "${DIRTY:-0}" -gt 0 ] && echo " with $DIRTY locally changed files in core/, harness/" || true)"
    fi
    [ -x "$HARNESS" ] || die "no harness binary at $HARNESS"
    if has ours-no-report && ! "$HARNESS" --help 2>/dev/null | grep -q -- '--no-report'; then
        [ "$EXPLICIT" = 0 ] || die "ours-no-report: $HARNESS has no --no-report flag (an older harness?)"
        say "skipping ours-no-report: $HARNESS has no --no-report flag (an older harness?)"
        drop ours-no-report
    fi
    CMD[ours]="$(printf '%q ' "$HARNESS" --quiet --threads "$THREADS" --out "$WORK/ours")"
    CMD[ours-no-report]="$(printf '%q ' "$HARNESS" --quiet --threads "$THREADS" --no-report --out "$WORK/ours-no-report")"
fi
[ ${#TOOLS[@]} -gt 0 ] || die "no tool left to time"

# --- the same study? (untimed) ------------------------------------------------------------------
if [ "$CHECK" = 1 ]; then
    say "checking that the tools compute the same study (one untimed run each)"
    for t in "${TOOLS[@]}"; do
        printf '\n'
        case "$t" in
            ours|ours-no-report)
                eval "${CMD[$t]}" >/dev/null || die "our harness failed ($t)"
                printf '%s (%s): final validation accuracy\n' "$t" "$SOURCE"
                awk '/^\|/ { t = 1; print } t && !/^\|/ { exit }' "$WORK/$t/summary.md" | cut -d'|' -f1-6 | sed -E 's/ +$/ |/; s/-$/-|/'
                ;;
            *)
                eval "${CMD[$t]}" | tee "$WORK/$t.out" || die "$t failed"
                check_table "$WORK/$t.out" 10 || die "$t printed no accuracy table"
                ;;
        esac
    done
    printf '\n'
fi

# --- timing -------------------------------------------------------------------------------------
# The check runs' helpers (torch.compile's worker processes, say) can outlive them for a few
# seconds: the first timed tool would share the CPU with them.
[ "$CHECK" = 1 ] && sleep 15
say "load before: $(uptime)"
UPTIME_BEFORE="$(uptime)"
ARGS=()
for t in "${TOOLS[@]}"; do ARGS+=(-n "$t" "${CMD[$t]% }"); done
# Every timed run of ours starts from an empty folder (and no staging folder of an interrupted
# run), as a user's first run does.
hyperfine --warmup 1 --runs "$RUNS" -N --style basic --export-json "$JSON" \
    --prepare "rm -rf $WORK/ours $WORK/.ours.partial $WORK/ours-no-report $WORK/.ours-no-report.partial" \
    "${ARGS[@]}" >&2 || die "hyperfine failed"
UPTIME_AFTER="$(uptime)"
say "load after: $UPTIME_AFTER"

# --- table --------------------------------------------------------------------------------------
LABELS_FILE="$WORK/labels.tsv"
for t in "${TOOLS[@]}"; do printf '%s\t%s\n' "$t" "${LABEL[$t]}"; done > "$LABELS_FILE"
"$PY" - "$JSON" "$SOURCE" "$UPTIME_BEFORE" "$UPTIME_AFTER" "$RUNS" "$LABELS_FILE" <<'EOF'
import datetime, json, platform, sys
from importlib import metadata
path, source, before, after, runs, labels_file = sys.argv[1:]
results = {r["command"]: r for r in json.load(open(path))["results"]}
labels = dict(line.rstrip("\n").split("\t", 1) for line in open(labels_file))
model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
versions = []
for dist in ("numpy", "jax", "optax", "torch", "scikit-learn"):
    try:
        versions.append(f"{dist} {metadata.version(dist)}")
    except metadata.PackageNotFoundError:
        pass
print(f"\n{datetime.date.today()}, {model}, harness: {source}; {', '.join(versions)}; "
      f"Python {platform.python_version()}; hyperfine --warmup 1 --runs {runs}, whole process")
peers = [t for t in ("numpy", "jax", "torch-loop", "torch-vmap", "torch-vmap-compile", "sklearn") if t in results]

def block(title, base, note):
    print(f"\n**{title}**{note}\n")
    print("| tool | mean ± SD (s) | min … max (s) | user CPU (s) | ratio peer/ours |")
    print("|---|---|---|---|---|")
    for name in ([base] if base in results else []) + peers:
        r = results[name]
        if name == base:
            ratio = "1"
        elif base in results:
            ratio = f"{r['mean'] / results[base]['mean']:.2f}×"
        else:
            ratio = "—"
        print(f"| {labels[name]} | {r['mean']:.3f} ± {r['stddev']:.3f} | {r['min']:.3f} … {r['max']:.3f} "
              f"| {r['user']:.1f} | {ratio} |")

if "ours-no-report" in results or not "ours" in results:
    block("Same work", "ours-no-report", ": training with per-epoch validation and the metrics; "
          "ours writes its tables and summary, each peer prints its accuracy table")
if "ours" in results:
    block("Whole job", "ours", ": ours also draws 16 figures, figure 6's GIFs and the report; "
          "the peers do only the training")
print(f"\nuptime before: {before.strip()}\nuptime after:  {after.strip()}")
EOF
printf '\nhyperfine JSON: %s\n' "$JSON"
