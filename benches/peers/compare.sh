#!/usr/bin/env bash
# Times the paper's study, ours against NumPy and JAX, whole process, with hyperfine.
#
#   bash benches/peers/compare.sh [--runs N] [--rev REV] [--skip-check] [--json FILE]
#
#   --runs N      timed runs per tool after one warm-up run (default 3, at least 3)
#   --rev REV     time the harness of commit REV (exported with `git archive` and built in
#                 its own target directory under ${TMPDIR:-/tmp}) instead of the work tree
#   --skip-check  skip the first, untimed run of each tool that prints its accuracy table
#   --json FILE   where hyperfine's JSON goes (default benches/peers/results/hyperfine.json)
#   HARNESS_BIN=/path/to/harness  time that binary and build nothing
#
# Works from any directory. Installs numpy, jax[cpu] and optax (pinned below) in
# benches/peers/.venv and hyperfine if it is missing (apt-get, else cargo install).
# Tools: (a) ours, `harness --quiet --out DIR` (2 threads, everything: training, per-epoch
# validation, statistics, figures, report); (b) numpy_study.py with one BLAS thread;
# (c) jax_study.py on 2 threads.
set -euo pipefail

NUMPY_VERSION=2.4.6
JAX_VERSION=0.10.2
OPTAX_VERSION=0.2.8
THREADS=2

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'compare.sh: error: %s\n' "$*" >&2; exit 1; }

HERE="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd -- "$HERE/../.." && pwd)"
VENV="$HERE/.venv"
RUNS=3
REV=""
CHECK=1
JSON="$HERE/results/hyperfine.json"

while [ $# -gt 0 ]; do
    case "$1" in
        --runs) [ $# -ge 2 ] || die "--runs needs a number"; RUNS="$2"; shift 2 ;;
        --rev) [ $# -ge 2 ] || die "--rev needs a commit"; REV="$2"; shift 2 ;;
        --skip-check) CHECK=0; shift ;;
        --json) [ $# -ge 2 ] || die "--json needs a file"; JSON="$2"; shift 2 ;;
        -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (try --help)" ;;
    esac
done
case "$RUNS" in ''|*[!0-9]*) die "--runs must be a whole number, got '$RUNS'" ;; esac
[ "$RUNS" -ge 3 ] || die "--runs must be at least 3, got $RUNS"
case "$JSON" in /*) ;; *) JSON="$PWD/$JSON" ;; esac
mkdir -p "$(dirname -- "$JSON")"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/peers-compare.XXXXXX")"
trap 'rm -rf -- "$WORK"' EXIT

# --- Python environment -----------------------------------------------------------------
PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null || die "$PYTHON not found (set PYTHON=/path/to/python3.11+)"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || die "jax $JAX_VERSION needs Python 3.11 or newer; $("$PYTHON" --version 2>&1) found (set PYTHON=...)"
PINS="numpy==$NUMPY_VERSION jax[cpu]==$JAX_VERSION optax==$OPTAX_VERSION"
if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV"
    "$PYTHON" -m venv "$VENV" || die "could not create a virtual environment (Debian: apt-get install -y python3-venv)"
fi
if [ "$(cat "$VENV/.pins" 2>/dev/null || true)" != "$PINS" ]; then
    say "installing $PINS into $VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check $PINS \
        || die "pip could not install $PINS"
    printf '%s' "$PINS" > "$VENV/.pins"
fi
PY="$VENV/bin/python"

# --- hyperfine ----------------------------------------------------------------------------
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

# --- our harness ----------------------------------------------------------------------------
command -v git >/dev/null && COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')" || COMMIT="?"
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

NUMPY_ENV=(env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1)
JAX_ENV=(env "XLA_FLAGS=--xla_cpu_multi_thread_eigen=true intra_op_parallelism_threads=$THREADS")
OURS=("$HARNESS" --quiet --threads "$THREADS" --out "$WORK/ours")
NUMPY=("${NUMPY_ENV[@]}" "$PY" "$HERE/numpy_study.py")
JAX=("${JAX_ENV[@]}" "$PY" "$HERE/jax_study.py")

# --- the same study? (untimed) ----------------------------------------------------------------
if [ "$CHECK" = 1 ]; then
    say "checking that the three compute the same study (one untimed run each)"
    "${OURS[@]}" >/dev/null || die "our harness failed"
    printf '\nours (%s): final validation accuracy\n' "$SOURCE"
    awk '/^\|/ { t = 1; print } t && !/^\|/ { exit }' "$WORK/ours/summary.md" | cut -d'|' -f1-6 | sed -E 's/ +$/ |/; s/-$/-|/'
    printf '\n'; "${NUMPY[@]}" || die "numpy_study.py failed"
    printf '\n'; "${JAX[@]}" || die "jax_study.py failed"
    printf '\n'
fi

# --- timing ---------------------------------------------------------------------------------
quote() { local out="" a; for a in "$@"; do out+="$(printf '%q' "$a") "; done; printf '%s' "${out% }"; }
say "load before: $(uptime)"
UPTIME_BEFORE="$(uptime)"
# Every timed run of ours starts from an empty folder (and no staging folder
# of an interrupted run), as a user's first run does.
hyperfine --warmup 1 --runs "$RUNS" -N --style basic --export-json "$JSON" \
    --prepare "rm -rf $WORK/ours $WORK/.ours.partial" \
    -n ours "$(quote "${OURS[@]}")" \
    -n numpy "$(quote "${NUMPY[@]}")" \
    -n jax "$(quote "${JAX[@]}")" >&2 || die "hyperfine failed"
UPTIME_AFTER="$(uptime)"
say "load after: $UPTIME_AFTER"

# --- table ------------------------------------------------------------------------------------
"$PY" - "$JSON" "$SOURCE" "$UPTIME_BEFORE" "$UPTIME_AFTER" "$RUNS" <<'EOF'
import json, platform, sys, datetime
import numpy, jax, optax
path, source, before, after, runs = sys.argv[1:]
results = {r["command"]: r for r in json.load(open(path))["results"]}
ours = results["ours"]["mean"]
model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
print(f"\n{datetime.date.today()}, {model}, harness: {source}; numpy {numpy.__version__}, "
      f"jax {jax.__version__}, optax {optax.__version__}; hyperfine --warmup 1 --runs {runs}, whole process\n")
print("| tool | mean ± SD (s) | min … max (s) | ratio peer/ours |")
print("|---|---|---|---|")
labels = {"ours": "ours (harness, 2 threads, everything)", "numpy": "NumPy (float64, 1 BLAS thread)",
          "jax": "JAX + optax (float32, vmap + scan, 2 threads)"}
for name in ("ours", "numpy", "jax"):
    r = results[name]
    ratio = "1" if name == "ours" else f"{r['mean'] / ours:.2f}×"
    print(f"| {labels[name]} | {r['mean']:.3f} ± {r['stddev']:.3f} | {r['min']:.3f} … {r['max']:.3f} | {ratio} |")
print(f"\nuptime before: {before.strip()}\nuptime after:  {after.strip()}")
EOF
printf '\nhyperfine JSON: %s\n' "$JSON"
