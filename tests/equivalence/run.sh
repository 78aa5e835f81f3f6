#!/usr/bin/env bash
# Same bytes as another revision: runs every command line of cases.txt
# and every example of README.md with two korpus binaries and compares, byte for byte, each run's
# stdout, stderr, exit code and every file it wrote (-o files, charts
# and their .tsv, --provenance records, report directories, caches).
#
#   bash tests/equivalence/run.sh REV_A REV_B       # build both revisions
#   bash tests/equivalence/run.sh --bins A_BIN B_BIN # compare two binaries
#   options (before the revisions): --cases FILE, --only REGEX (case
#   names), --keep (the results in $WORK/res even when all are same),
#   --no-readme (without README's examples)
#
# A revision is built in a temporary `git worktree` under $WORK (default
# /tmp/korpus-equiv) with `cargo build --locked --features distributed
# --bin korpus` at its root; both share one CARGO_TARGET_DIR
# ($WORK/target), so dependencies build once. Prints one line per case
# (`same` or `DIFFERENT: what`) and a summary; exits 1 on any difference
# (2 on a usage or build error).
#
# What the script does so that nothing needs normalizing: both binaries
# run from the same path ($WORK/bin/korpus, a link to each in turn), in
# the same directory (this checkout's root) and write into the same
# output directory (moved aside after each run), so argv[0] in the
# provenance records and the paths in messages are the same. Three things
# are normalized, in stderr only, and nothing else:
# - the random six characters of korpus's temporary files and report
#   directories (`.korpus-XXXXXX`, `.korpus-report-XXXXXX`, made by
#   tempfile), which messages name;
# - in `korpus dist` runs, the line a process prints while it retries
#   connecting to a lower-numbered process that has not started
#   listening yet (`korpus: process 1: waiting for process 0 at
#   127.0.0.1:PORT (...)`): whether it appears depends on which process
#   the system starts first, and the port is a free one picked per run;
# - in `korpus dist` runs, the line each process prints about what it
#   exchanged (`korpus: process 0 of 2: 1 worker(s) sent ...`): what
#   travels is the transport's business (it changed from keyed records
#   to the counters' state), not the result's.
# Cases that read ../shared/corpora are skipped, with a line, when it is
# absent.
set -uo pipefail
# The whole script is one block, read before it runs: editing this file
# (or checking out another revision) during a run does not change it.
{

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
WORK="${WORK:-/tmp/korpus-equiv}"
cases="$here/cases.txt"
only=""
keep=0
readme=1
bins=0
while [ $# -gt 0 ]; do
  case "$1" in
    --cases) cases="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --no-readme) readme=0; shift ;;
    --bins) bins=1; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -eq 2 ] || { echo "usage: run.sh [--cases FILE] [--only REGEX] [--keep] [--no-readme] (REV_A REV_B | --bins A_BIN B_BIN)" >&2; exit 2; }
[ -f "$cases" ] || { echo "run.sh: no case file $cases" >&2; exit 2; }

mkdir -p "$WORK/bin" || exit 2
bin_a="$WORK/bin/korpus-a"
bin_b="$WORK/bin/korpus-b"

# build REV LABEL: builds revision REV into $WORK/bin/korpus-LABEL.
build() {
  local rev="$1" label="$2" tree="$WORK/src-$2"
  local commit
  commit="$(git -C "$repo" rev-parse --verify "$rev^{commit}")" \
    || { echo "run.sh: $rev is not a revision" >&2; exit 2; }
  git -C "$repo" worktree remove --force "$tree" 2>/dev/null
  rm -rf "$tree"
  git -C "$repo" worktree add --quiet --detach "$tree" "$commit" \
    || { echo "run.sh: cannot check out $rev in $tree" >&2; exit 2; }
  echo "== building $rev ($commit) in $tree" >&2
  (cd "$tree" && CARGO_TARGET_DIR="$WORK/target" nice cargo build --locked \
    --features distributed --bin korpus) \
    || { echo "run.sh: $rev does not build" >&2; exit 2; }
  cp "$WORK/target/debug/korpus" "$WORK/bin/korpus-$label"
  git -C "$repo" worktree remove --force "$tree"
}

if [ "$bins" = 1 ]; then
  for b in "$1" "$2"; do
    [ -x "$b" ] || { echo "run.sh: $b is not an executable" >&2; exit 2; }
  done
  cp "$1" "$bin_a" && cp "$2" "$bin_b" || exit 2
  what="$1 vs $2"
else
  build "$1" a
  build "$2" b
  what="$1 vs $2"
fi

shared="$(cd "$repo/.." && pwd)/shared/corpora"
have_shared=0
[ -d "$shared" ] && have_shared=1

# Generated inputs (the same bytes on every run): a JSON Lines corpus
# with metadata for --where and --by, one with a malformed record, a
# variant map and a stopword file.
IN="$WORK/inputs"
rm -rf "$IN"; mkdir -p "$IN"
cat "$repo"/corpus/leipzig/*.txt | LC_ALL=C awk -F'\t' '
  BEGIN { split("kompas detik tempo", src, " ") }
  {
    t = $2; gsub(/\\/, "\\\\", t); gsub(/"/, "\\\"", t); gsub(/\t/, " ", t)
    printf "{\"id\": %d, \"source\": \"%s\", \"date\": \"20%02d-%02d-01\", \"text\": \"%s\"}\n",
      NR, src[NR % 3 + 1], 10 + NR % 15, 1 + NR % 12, t
  }' > "$IN/news.jsonl"
{ head -n 40 "$IN/news.jsonl"; echo '{"id": 41, "text": "no closing quote}'; \
  echo '{"id": 42, "text": 7}'; sed -n '41,80p' "$IN/news.jsonl"; } > "$IN/bad.jsonl"
printf 'cina\tchina\ntiongkok\tchina\nrri\trepublik rakyat\n' > "$IN/map.tsv"
printf 'yang\ndan\ndi\nini\n' > "$IN/stop.txt"
printf 'dist equivalence secret, 16+ bytes' > "$IN/secret"

OUT="$WORK/out"        # where each run writes; moved to $WORK/res/{a,b}/CASE
RES="$WORK/res"
rm -rf "$RES" "$OUT"; mkdir -p "$RES/a" "$RES/b"
run_bin="$WORK/bin/korpus"
export NO_COLOR=1
unset KORPUS_DIST_SECRET

# free_ports N: N free loopback ports, one a line.
free_ports() {
  python3 -c '
import socket, sys
ss = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in ss: s.bind(("127.0.0.1", 0))
for s in ss: print(s.getsockname()[1])
for s in ss: s.close()' "$1"
}

# run_case LABEL NAME STDIN DIST ARGS...: one run into $RES/LABEL/NAME.
run_case() {
  local label="$1" name="$2" stdin="$3" dist="$4"; shift 4
  local dest="$RES/$label/$name"
  rm -rf "$OUT"; mkdir -p "$OUT" "$dest"
  ln -sfn "korpus-$label" "$run_bin"
  local in=/dev/null
  [ -n "$stdin" ] && in="$stdin"
  if [ "$dist" = 0 ]; then
    (cd "$repo" && timeout 300 "$run_bin" "$@" < "$in" > "$dest/stdout" 2> "$dest/stderr")
    echo $? > "$dest/exit"
  else
    local hosts="$WORK/hosts.txt" p pids=()
    free_ports "$dist" | sed 's/^/127.0.0.1:/' > "$hosts"
    for ((p = dist - 1; p >= 1; p--)); do
      (cd "$repo" && timeout 300 "$run_bin" dist \
        --secret-file "$IN/secret" -n "$dist" -p "$p" -h "$hosts" "$@" \
        < /dev/null > "$dest/stdout.$p" 2> "$dest/stderr.$p"; echo $? > "$dest/exit.$p") &
      pids+=($!)
    done
    (cd "$repo" && timeout 300 "$run_bin" dist --secret-file "$IN/secret" \
      -n "$dist" -p 0 -h "$hosts" "$@" < "$in" > "$dest/stdout" 2> "$dest/stderr")
    echo $? > "$dest/exit"
    for p in "${pids[@]}"; do wait "$p"; done
  fi
  sed -i -E 's/\.korpus-(report-)?[A-Za-z0-9]{6}([^A-Za-z0-9]|$)/.korpus-\1XXXXXX\2/g' "$dest"/stderr*
  if [ "$dist" != 0 ]; then
    sed -i -E '/^korpus: process [0-9]+: waiting for process [0-9]+ at /d' "$dest"/stderr*
    sed -i -E '/^korpus: process [0-9]+ of [0-9]+: [0-9]+ worker\(s\) sent /d' "$dest"/stderr*
  fi
  [ -n "$(ls -A "$OUT")" ] && mv "$OUT" "$dest/files"
  rm -rf "$OUT"
}

# differences NAME: what differs between the two runs of NAME ("" if none).
differences() {
  local a="$RES/a/$1" b="$RES/b/$1" f what=()
  for f in exit stdout stderr; do
    cmp -s "$a/$f" "$b/$f" || what+=("$f")
  done
  for f in "$a"/exit.* "$a"/stdout.* "$a"/stderr.*; do
    [ -e "$f" ] || continue
    cmp -s "$f" "$b/${f##*/}" || what+=("${f##*/}")
  done
  local la lb
  la="$(cd "$a" && find files -type f 2>/dev/null | LC_ALL=C sort)"
  lb="$(cd "$b" && find files -type f 2>/dev/null | LC_ALL=C sort)"
  if [ "$la" != "$lb" ]; then
    what+=("the files written: $(diff <(echo "$la") <(echo "$lb") | grep '^[<>]' | tr '\n' ' ')")
  fi
  while IFS= read -r f; do
    [ -n "$f" ] || continue
    [ -e "$b/$f" ] && ! cmp -s "$a/$f" "$b/$f" && what+=("${f#files/}")
  done <<< "$la"
  local IFS=,
  echo "${what[*]}"
}

# The cases: cases.txt, then every `$ korpus ...` example of README.md's
# console blocks (as tests/cli/readme.rs finds them), named readme-N,
# with its charts (docs/NAME) drawn into $OUT and ../shared/corpora
# written as $SHARED.
all_cases="$WORK/cases.all"
{
  cat "$cases"
  [ "$readme" = 1 ] && awk '
    /^```/ { inb = ($0 == "```console"); next }
    inb && /^\$ korpus / {
      line = substr($0, 10)
      gsub(/\.\.\/shared\/corpora/, "$SHARED", line)
      gsub(/ docs\//, " $OUT/", line)
      printf "readme-%02d %s\n", ++n, line
      next
    }
    inb && /^\$ / { inb = 0 }' "$repo/README.md"
} > "$all_cases"

n=0; same=0; different=0; skipped=0
failed=()
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in ''|'#'*) continue ;; esac
  read -r name rest <<< "$line"
  [ -n "$only" ] && ! [[ "$name" =~ $only ]] && continue
  stdin=""; dist=0
  while :; do
    case "$rest" in
      '<'*) read -r word rest <<< "$rest"; stdin="${word#<}" ;;
      dist=*) read -r word rest <<< "$rest"; dist="${word#dist=}" ;;
      *) break ;;
    esac
  done
  if [[ "$rest$stdin" == *'$SHARED'* ]] && [ "$have_shared" = 0 ]; then
    printf '%-28s SKIPPED (needs ../shared/corpora)\n' "$name"
    skipped=$((skipped + 1)); continue
  fi
  SHARED="$shared"
  eval "args=($rest)"
  stdin="$(eval "echo $stdin")"
  [ -n "$stdin" ] && [[ "$stdin" != /* ]] && stdin="$repo/$stdin"
  n=$((n + 1))
  run_case a "$name" "$stdin" "$dist" "${args[@]}"
  run_case b "$name" "$stdin" "$dist" "${args[@]}"
  d="$(differences "$name")"
  if [ -z "$d" ]; then
    printf '%-28s same (exit %s)\n' "$name" "$(cat "$RES/a/$name/exit")"
    same=$((same + 1))
  else
    printf '%-28s DIFFERENT: %s\n' "$name" "$d"
    different=$((different + 1)); failed+=("$name")
  fi
done < "$all_cases"

echo "== $what: $n cases run, $same same, $different different, $skipped skipped (results in $RES)"
[ "$keep" = 1 ] || [ "$different" -gt 0 ] || rm -rf "$RES" "$OUT"
if [ "$different" -gt 0 ]; then
  echo "== different: ${failed[*]} (compare with: diff -r $RES/a/NAME $RES/b/NAME)"
  exit 1
fi
exit 0
}
