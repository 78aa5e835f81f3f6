#!/usr/bin/env bash
# Speed side by side with another revision, in one run: the same
# commands with two korpus binaries on the same generated corpora, timed
# in turns (A B A B ...), with the ratio B/A of each pair.
#
#   bash benches/revisions.sh REV_A REV_B [SIZES_MB...]          (default: 100 1024)
#   bash benches/revisions.sh --bins A_BIN B_BIN [SIZES_MB...]   (no build)
#
# Revisions are built in temporary `git worktree`s under $WORK (default
# /tmp/korpus-revisions) with `cargo build --release --locked --features
# distributed --bin korpus`, sharing one CARGO_TARGET_DIR ($WORK/target).
# The corpus generator (examples/gen_corpus, the same bytes for a size
# and seed) is built from REV_A, or taken from $GEN with --bins (default:
# target/release/examples/gen_corpus, else target/debug/...).
# Environment: RUNS (timed pairs per command, default 5, after one
# warm-up pair), ALL_MAX_MB (the largest corpus colloc --all is run on,
# default 1024).
#
# Times (wall seconds, /usr/bin/time), for each size:
#   freq, kwic Tiongkok, colloc China, colloc --all (window 5, --min-freq 5):
#     A against B, the median of each and the median (min-max) of B/A;
#     the outputs of A and B compared with cmp (a speed figure of a
#     different output is worth nothing);
#   report (one page of the corpus, as README's command) against freq on
#     the same file, for each binary: the median of report/freq.
# The machine may be shared: read ratios, not seconds.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=${WORK:-/tmp/korpus-revisions}
RUNS=${RUNS:-5}
ALL_MAX_MB=${ALL_MAX_MB:-1024}
mkdir -p "$WORK/bin" || exit 2

usage() { echo "usage: revisions.sh (REV_A REV_B | --bins A_BIN B_BIN) [SIZES_MB...]" >&2; exit 2; }

# build REV LABEL: a release korpus (and, for A, the generator) of REV.
build() {
  local rev="$1" label="$2" tree="$WORK/src-$2" commit
  commit=$(git rev-parse --verify "$rev^{commit}") || { echo "revisions.sh: $rev is not a revision" >&2; exit 2; }
  git worktree remove --force "$tree" 2>/dev/null; rm -rf "$tree"
  git worktree add --quiet --detach "$tree" "$commit" || exit 2
  echo "== building $rev ($commit), release" >&2
  local extra=()
  [ "$label" = a ] && extra=(--example gen_corpus)
  (cd "$tree" && CARGO_TARGET_DIR="$WORK/target" cargo build --release --locked \
    --quiet --features distributed --bin korpus "${extra[@]}") || { echo "revisions.sh: $rev does not build" >&2; exit 2; }
  cp "$WORK/target/release/korpus" "$WORK/bin/korpus-$label"
  [ "$label" = a ] && cp "$WORK/target/release/examples/gen_corpus" "$WORK/bin/gen_corpus"
  git worktree remove --force "$tree"
}

if [ "${1:-}" = --bins ]; then
  [ $# -ge 3 ] || usage
  cp "$2" "$WORK/bin/korpus-a" && cp "$3" "$WORK/bin/korpus-b" || exit 2
  GEN=${GEN:-}
  for g in "$GEN" target/release/examples/gen_corpus target/debug/examples/gen_corpus; do
    [ -n "$g" ] && [ -x "$g" ] && { cp "$g" "$WORK/bin/gen_corpus"; break; }
  done
  [ -x "$WORK/bin/gen_corpus" ] || { echo "revisions.sh: no corpus generator: set GEN or build examples/gen_corpus" >&2; exit 2; }
  LA=$2; LB=$3; shift 3
else
  [ $# -ge 2 ] || usage
  build "$1" a; build "$2" b
  LA=$1; LB=$2; shift 2
fi
A=$WORK/bin/korpus-a
B=$WORK/bin/korpus-b
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(100 1024)

# secs CMD...: the wall seconds of one run of CMD (its stdout to $WORK/last.out).
secs() {
  /usr/bin/time -f %e -o "$WORK/time.txt" "$@" > "$WORK/last.out" 2> "$WORK/last.err" \
    || { echo "FAILED: $*" >&2; tail -3 "$WORK/last.err" >&2; echo -; return; }
  cat "$WORK/time.txt"
}
# stats VALUES...: "median min max" of the numbers given.
stats() { printf '%s\n' "$@" | grep -v '^-$' | sort -g | awk '{ v[NR] = $1 } END {
  if (NR == 0) { print "- - -"; exit }
  m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
  printf "%.3f %.3f %.3f\n", m, v[1], v[NR] }'; }

# pair LABEL CMD_A -- CMD_B: RUNS timed pairs in turns after one warm-up
# pair; prints a row; the outputs of the last pair are compared.
pair() {
  local label="$1"; shift
  local ca=() cb=()
  while [ "$1" != -- ]; do ca+=("$1"); shift; done; shift
  cb=("$@")
  local ta=() tb=() r=() i a b same
  for ((i = 0; i <= RUNS; i++)); do
    a=$(secs "${ca[@]}"); cp "$WORK/last.out" "$WORK/a.out"
    b=$(secs "${cb[@]}"); cp "$WORK/last.out" "$WORK/b.out"
    [ "$i" = 0 ] && continue
    ta+=("$a"); tb+=("$b")
    r+=("$(awk -v a="$a" -v b="$b" 'BEGIN { if (a == "-" || b == "-" || a == 0) print "-"; else printf "%.4f", b / a }')")
  done
  same=same; cmp -s "$WORK/a.out" "$WORK/b.out" || same=DIFFERENT
  read -r ma _ _ <<< "$(stats "${ta[@]}")"
  read -r mb _ _ <<< "$(stats "${tb[@]}")"
  read -r mr lo hi <<< "$(stats "${r[@]}")"
  printf '| %s | %s | %s | %s (%s-%s) | %s |\n' "$label" "$ma" "$mb" "$mr" "$lo" "$hi" "$same"
}

echo "A = $LA, B = $LB; $RUNS timed pairs per row after one warm-up; wall seconds (medians)"
echo
echo "| command | A s | B s | B/A median (min-max) | output |"
echo "|---|---|---|---|---|"
for MB in "${SIZES[@]}"; do
  J=$WORK/news-$MB.jsonl
  [ -s "$J" ] || "$WORK/bin/gen_corpus" "$MB" "$J" 1 >&2 || exit 2
  pair "freq ($MB MB)" "$A" freq "$J" -q -- "$B" freq "$J" -q
  pair "kwic Tiongkok ($MB MB)" "$A" kwic "$J" Tiongkok -q -- "$B" kwic "$J" Tiongkok -q
  pair "colloc China ($MB MB)" "$A" colloc "$J" China -q -- "$B" colloc "$J" China -q
  if [ "$MB" -le "$ALL_MAX_MB" ]; then
    pair "colloc --all ($MB MB)" "$A" colloc --all "$J" --window 5 --min-freq 5 -q -- \
      "$B" colloc --all "$J" --window 5 --min-freq 5 -q
  fi
done
echo
echo "report against freq on the same file (report FILE -o DIR --by source): report/freq"
echo
echo "| binary | corpus | freq s | report s | report/freq median (min-max) |"
echo "|---|---|---|---|---|"
for MB in "${SIZES[@]}"; do
  J=$WORK/news-$MB.jsonl
  for K in a b; do
    row=$(pair "x" "$WORK/bin/korpus-$K" freq "$J" -q -- \
      "$WORK/bin/korpus-$K" report "$J" -o "$WORK/report-$K" --by source)
    IFS='|' read -r _ _ f r ratio _ <<< "$row"
    printf '| %s | %s MB |%s|%s|%s|\n' "$([ $K = a ] && echo "A $LA" || echo "B $LB")" "$MB" "$f" "$r" "$ratio"
  done
done
