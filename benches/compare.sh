#!/usr/bin/env bash
# Side-by-side comparison of korpus with peer tools, in one run, on the
# same generated files; writes BENCHMARKS.md.
#
#   bash benches/compare.sh [SIZES_MB...]        (default: 10 100 1024)
#
# Environment: WORK (scratch directory, default /tmp/korpus-compare),
# NLTK_MAX_MB (the largest corpus NLTK is run on; default 100: NLTK
# holds every token in memory and needs minutes per 100 MB),
# NLTK_COLLOC_MAX_MB (default 10: its window-5 pair table grows with
# the corpus), ALL_MAX_MB (default 100: the largest corpus colloc --all,
# every word pair, is run on), OUT (default BENCHMARKS.md).
#
# For each size: generates a seeded JSONL corpus (examples/gen_corpus)
# and its plain-text form, then times, with /usr/bin/time -v (wall time
# and peak memory):
#   freq:   korpus freq          | tr -cs | sort | uniq -c  | NLTK RegexpTokenizer + FreqDist
#           (and the floor, examples/floor.rs: a bare hash count of runs between white space,
#           and the same with the runs found but not counted)
#   kwic:   korpus kwic Tiongkok | rg -i -w Tiongkok        | NLTK ConcordanceIndex
#   colloc: korpus colloc China  | NLTK BigramCollocationFinder (window 5, likelihood ratio)
#           (and korpus colloc --freq-cache: China counted and stored, Tiongkok and China again
#           from the stored frequencies; korpus colloc --all, every pair within window 5)
# and korpus freq with --threads 1 against --threads 2.
# A peer that cannot be installed is skipped with a note, never faked.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=${WORK:-/tmp/korpus-compare}
NLTK_MAX_MB=${NLTK_MAX_MB:-100}
NLTK_COLLOC_MAX_MB=${NLTK_COLLOC_MAX_MB:-10}
ALL_MAX_MB=${ALL_MAX_MB:-100}
OUT=${OUT:-BENCHMARKS.md}
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(10 100 1024)
mkdir -p "$WORK"

echo "== building korpus and the generator"
cargo build --release --locked --quiet --features distributed --bin korpus --example gen_corpus --example floor
K=$ROOT/target/release/korpus
GEN=$ROOT/target/release/examples/gen_corpus
FLOOR=$ROOT/target/release/examples/floor

notes=()
# Peers.
RG=$(command -v rg || true)
if [ -z "$RG" ]; then
  (apt-get install -y -qq ripgrep >/dev/null 2>&1 || sudo apt-get install -y -qq ripgrep >/dev/null 2>&1) || true
  RG=$(command -v rg || true)
fi
[ -z "$RG" ] && notes+=("ripgrep could not be installed: the kwic comparison with rg is skipped.")
VENV=$WORK/venv
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import nltk' 2>/dev/null; then
  (python3 -m venv "$VENV" && "$VENV/bin/pip" install -q nltk) || true
fi
PY=""
if "$VENV/bin/python" -c 'import nltk' 2>/dev/null; then
  PY=$VENV/bin/python
  NLTK_VERSION=$($PY -c 'import nltk; print(nltk.__version__)')
else
  notes+=("NLTK could not be installed from PyPI: the NLTK comparisons are skipped.")
fi

# measure NAME CMD...: runs CMD under /usr/bin/time -v; prints "secs kb".
measure() {
  local log=$WORK/time.log
  /usr/bin/time -v -o "$log" "$@" > "$WORK/out.txt" 2> "$WORK/err.txt" || {
    echo "FAILED: $*" >&2; tail -3 "$WORK/err.txt" >&2; echo "- -"; return; }
  local wall kb
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  # h:mm:ss or m:ss.ss to seconds
  echo "$wall" | awk -F: -v kb="$kb" '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f %d\n", s, kb }'
}

NLTK_FREQ='import sys, json
from nltk.tokenize import RegexpTokenizer
from nltk import FreqDist
tok = RegexpTokenizer(r"\w+")
fd = FreqDist()
for line in open(sys.argv[1], encoding="utf-8"):
    fd.update(t.lower() for t in tok.tokenize(json.loads(line)["text"]))
for w, n in fd.most_common():
    print(w, n, sep="\t")'
NLTK_KWIC='import sys, json
from nltk.tokenize import RegexpTokenizer
from nltk.text import ConcordanceIndex
tok = RegexpTokenizer(r"\w+")
words = []
for line in open(sys.argv[1], encoding="utf-8"):
    words.extend(tok.tokenize(json.loads(line)["text"]))
ci = ConcordanceIndex(words, key=lambda s: s.lower())
for line in ci.find_concordance("tiongkok", width=80):
    print(line.line)'
NLTK_COLLOC='import sys, json
from nltk.tokenize import RegexpTokenizer
from nltk.collocations import BigramCollocationFinder, BigramAssocMeasures
tok = RegexpTokenizer(r"\w+")
words = []
for line in open(sys.argv[1], encoding="utf-8"):
    words.extend(t.lower() for t in tok.tokenize(json.loads(line)["text"]))
f = BigramCollocationFinder.from_words(words, window_size=5)
f.apply_ngram_filter(lambda w1, w2: "china" not in (w1, w2))
for (a, b), s in f.score_ngrams(BigramAssocMeasures.likelihood_ratio)[:50]:
    print(a, b, s, sep="\t")'

rows=()
# Peak memory of freq --no-dp and the types it counted, by corpus.
mem=()
declare -A PEAK
row() { rows+=("| $1 | $2 | $3 | $4 | $5 | $6 |"); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || a == 0) print "-"; else printf "%.1fx", b / a }'; }
mbs() { awk -v mb="$1" -v s="$2" 'BEGIN { if (s == "-" || s == 0) print "-"; else printf "%.0f", mb / s }'; }

for MB in "${SIZES[@]}"; do
  J=$WORK/news-$MB.jsonl
  T=$WORK/news-$MB.txt
  [ -s "$J" ] || "$GEN" "$MB" "$J" 1
  [ -s "$T" ] || python3 -c 'import sys, json
with open(sys.argv[2], "w") as out:
    for line in open(sys.argv[1], encoding="utf-8"):
        out.write(json.loads(line)["text"] + "\n")' "$J" "$T"
  SIZE=$(stat -c %s "$J")
  REALMB=$(awk -v b="$SIZE" 'BEGIN { printf "%.1f", b / 1048576 }')
  echo "== $MB MB ($SIZE bytes)"
  cat "$J" "$T" > /dev/null

  read -r kf km <<< "$(measure "$K" freq "$J" -q -o "$WORK/freq.tsv")"
  read -r kn kmn <<< "$(measure "$K" freq "$J" -q --no-dp -o "$WORK/freq-nodp.tsv")"
  PEAK[$MB]=$kmn
  mem+=("news-$MB ($REALMB MB)|$(($(wc -l < "$WORK/freq-nodp.tsv") - 1))|$kmn")
  read -r k1 k1m <<< "$(measure "$K" freq "$J" -q --no-dp --threads 1 -o "$WORK/freq1.tsv")"
  read -r ff fm <<< "$(measure "$FLOOR" "$J" count)"
  read -r fs fsm <<< "$(measure "$FLOOR" "$J" split)"
  read -r tf tm <<< "$(measure bash -c "tr -cs '[:alnum:]' '\n' < '$T' | tr '[:upper:]' '[:lower:]' | sort | uniq -c | sort -rn > '$WORK/tr.txt'")"
  row "freq ($REALMB MB)" "korpus freq (with DP)" "$kf" "$km" "$(mbs "$REALMB" "$kf")" "1.0x"
  row "freq ($REALMB MB)" "korpus freq --no-dp" "$kn" "$kmn" "$(mbs "$REALMB" "$kn")" "$(ratio "$kf" "$kn")"
  row "freq ($REALMB MB)" "korpus freq --no-dp --threads 1" "$k1" "$k1m" "$(mbs "$REALMB" "$k1")" "$(ratio "$kf" "$k1")"
  row "freq ($REALMB MB)" "floor: runs between white space counted in a hash table (examples/floor.rs)" "$ff" "$fm" "$(mbs "$REALMB" "$ff")" "$(ratio "$kf" "$ff")"
  row "freq ($REALMB MB)" "floor, split only: the runs found, not counted (examples/floor.rs split)" "$fs" "$fsm" "$(mbs "$REALMB" "$fs")" "$(ratio "$kf" "$fs")"
  row "freq ($REALMB MB)" "tr \| sort \| uniq -c (plain text)" "$tf" "$tm" "$(mbs "$REALMB" "$tf")" "$(ratio "$kf" "$tf")"
  if [ -n "$PY" ] && [ "$MB" -le "$NLTK_MAX_MB" ]; then
    read -r nf nm <<< "$(measure "$PY" -c "$NLTK_FREQ" "$J")"
    row "freq ($REALMB MB)" "NLTK $NLTK_VERSION RegexpTokenizer + FreqDist" "$nf" "$nm" "$(mbs "$REALMB" "$nf")" "$(ratio "$kf" "$nf")"
  fi

  # korpus dist (timely dataflow): one process with two workers, and two
  # processes of one thread each on loopback, against one process with
  # two threads (the freq --no-dp row above). Same output bytes.
  read -r dw dwm <<< "$(measure "$K" dist -w 2 freq "$J" -q --no-dp -o "$WORK/dist-w2.tsv")"
  sent=$(grep -o 'sent [0-9]*' "$WORK/err.txt" | awk '{s += $2} END {print s + 0}')
  printf '127.0.0.1:%d\n127.0.0.1:%d\n' 23581 23582 > "$WORK/hosts.txt"
  read -r dn dnm <<< "$(measure bash -c "'$K' --threads 1 dist -n 2 -p 1 -h '$WORK/hosts.txt' freq '$J' -q --no-dp & '$K' --threads 1 dist -n 2 -p 0 -h '$WORK/hosts.txt' freq '$J' -q --no-dp -o '$WORK/dist-n2.tsv'; wait")"
  for f in dist-w2 dist-n2; do
    cmp -s "$WORK/freq-nodp.tsv" "$WORK/$f.tsv" || notes+=("$f.tsv ($MB MB) DIFFERS from freq --no-dp")
  done
  row "freq --no-dp ($REALMB MB)" "korpus dist -w 2 (one process, two timely workers)" "$dw" "$dwm" "$(mbs "$REALMB" "$dw")" "$(ratio "$kn" "$dw")"
  row "freq --no-dp ($REALMB MB)" "korpus dist -n 2 (two processes of one thread, loopback)" "$dn" "$dnm" "$(mbs "$REALMB" "$dn")" "$(ratio "$kn" "$dn")"
  notes+=("$MB MB: the workers exchanged $sent partial counts; two processes over one process with two threads: $(awk -v a="$kn" -v b="$dn" -v n="$sent" 'BEGIN { if (n > 0 && a != "-" && b != "-") printf "%+.2f s, %.2f us per exchanged count", b - a, (b - a) * 1e6 / n; else print "-" }') (connection set-up included; ratios of the dist rows are over freq --no-dp)")

  read -r kk kkm <<< "$(measure "$K" kwic "$J" Tiongkok -q -o "$WORK/kwic.tsv")"
  row "kwic Tiongkok ($REALMB MB)" "korpus kwic" "$kk" "$kkm" "$(mbs "$REALMB" "$kk")" "1.0x"
  if [ -n "$RG" ]; then
    read -r rk rkm <<< "$(measure "$RG" -i -w -c Tiongkok "$J")"
    row "kwic Tiongkok ($REALMB MB)" "rg -i -w (count of matching lines only)" "$rk" "$rkm" "$(mbs "$REALMB" "$rk")" "$(ratio "$kk" "$rk")"
  fi
  if [ -n "$PY" ] && [ "$MB" -le "$NLTK_MAX_MB" ]; then
    read -r nk nkm <<< "$(measure "$PY" -c "$NLTK_KWIC" "$J")"
    row "kwic Tiongkok ($REALMB MB)" "NLTK ConcordanceIndex" "$nk" "$nkm" "$(mbs "$REALMB" "$nk")" "$(ratio "$kk" "$nk")"
  fi

  read -r kc kcm <<< "$(measure "$K" colloc "$J" China -q -o "$WORK/colloc.tsv")"
  row "colloc China ($REALMB MB)" "korpus colloc (L5-R5)" "$kc" "$kcm" "$(mbs "$REALMB" "$kc")" "1.0x"
  # The frequency cache: the first node counts the corpus and stores its
  # frequencies; later nodes read only the records that can hold them.
  FC=$WORK/freq-cache-$MB
  rm -rf "$FC"
  read -r cf cfm <<< "$(measure "$K" colloc "$J" China -q --freq-cache "$FC" -o "$WORK/colloc-store.tsv")"
  read -r ct ctm <<< "$(measure "$K" colloc "$J" Tiongkok -q --freq-cache "$FC" -o "$WORK/colloc-tiongkok.tsv")"
  read -r cc ccm <<< "$(measure "$K" colloc "$J" China -q --freq-cache "$FC" -o "$WORK/colloc-cached.tsv")"
  for f in colloc-store colloc-cached; do
    cmp -s "$WORK/colloc.tsv" "$WORK/$f.tsv" || notes+=("$f.tsv ($MB MB) DIFFERS from colloc China without the cache")
  done
  row "colloc China ($REALMB MB)" "korpus colloc --freq-cache, first node (counts, stores the frequencies)" "$cf" "$cfm" "$(mbs "$REALMB" "$cf")" "$(ratio "$kc" "$cf")"
  row "colloc China ($REALMB MB)" "korpus colloc --freq-cache, the same node again (frequencies stored)" "$cc" "$ccm" "$(mbs "$REALMB" "$cc")" "$(ratio "$kc" "$cc")"
  row "colloc Tiongkok ($REALMB MB)" "korpus colloc --freq-cache, another node (frequencies stored)" "$ct" "$ctm" "$(mbs "$REALMB" "$ct")" "-"
  rm -rf "$FC"
  if [ -n "$PY" ] && [ "$MB" -le "$NLTK_COLLOC_MAX_MB" ]; then
    read -r nc ncm <<< "$(measure "$PY" -c "$NLTK_COLLOC" "$J")"
    row "colloc China ($REALMB MB)" "NLTK BigramCollocationFinder (window 5)" "$nc" "$ncm" "$(mbs "$REALMB" "$nc")" "$(ratio "$kc" "$nc")"
  fi
  # Every word pair, as NLTK's finder counts them (before its node filter).
  if [ "$MB" -le "$ALL_MAX_MB" ]; then
    read -r ka kam <<< "$(measure "$K" colloc --all "$J" --window 5 --min-freq 5 -q -o "$WORK/colloc-all.tsv")"
    row "colloc --all, window 5 ($REALMB MB)" "korpus colloc --all --window 5 --min-freq 5" "$ka" "$kam" "$(mbs "$REALMB" "$ka")" "1.0x"
    if [ -n "$PY" ] && [ "$MB" -le "$NLTK_COLLOC_MAX_MB" ]; then
      row "colloc --all, window 5 ($REALMB MB)" "NLTK BigramCollocationFinder (window 5; the row above)" "$nc" "$ncm" "$(mbs "$REALMB" "$nc")" "$(ratio "$ka" "$nc")"
    fi
  fi
done

# The same 1 GB with the vocabulary of 100 MB: the 100 MB file ten
# times over. Memory that grows with the vocabulary stays put.
if [ -n "${PEAK[100]:-}" ] && [ -n "${PEAK[1024]:-}" ]; then
  R=$WORK/news-100x10.jsonl
  [ -s "$R" ] || for _ in 1 2 3 4 5 6 7 8 9 10; do cat "$WORK/news-100.jsonl"; done > "$R"
  cat "$R" > /dev/null
  read -r rt rm <<< "$(measure "$K" freq "$R" -q --no-dp -o "$WORK/freq-rep.tsv")"
  RMB=$(awk -v b="$(stat -c %s "$R")" 'BEGIN { printf "%.1f", b / 1048576 }')
  mem+=("news-100 ten times over ($RMB MB, $rt s)|$(($(wc -l < "$WORK/freq-rep.tsv") - 1))|$rm")
fi

# The hand-measured sections after the marker line are kept as they are.
MARK='<!-- Measured by hand below this line: benches/compare.sh keeps it. -->'
KEEP=""
[ -f "$OUT" ] && KEEP=$(awk -v m="$MARK" 'found || $0 == m { found = 1; print }' "$OUT")
{
  echo "# Benchmarks"
  echo
  echo "Written by \`bash benches/compare.sh ${SIZES[*]}\` on $(date -u +%Y-%m-%d)."
  echo "Machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)),"
  echo "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) of memory, $(uname -sr)."
  echo "korpus $("$K" --version | awk '{print $2}'), default threads (all cores) unless noted."
  echo "Corpora: \`examples/gen_corpus SIZE news.jsonl 1\` (seeded JSONL news); \`tr\` reads the"
  echo "same texts as plain text. Page cache warm. Wall time and peak resident memory from"
  echo "\`/usr/bin/time -v\`; ratio = the tool's time over the first korpus row of the task"
  echo "(above 1 means korpus is faster). The machine is shared: read ratios, not seconds."
  echo
  echo "| task | tool | seconds | peak KB | MB/s | ratio |"
  echo "|---|---|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  if [ ${#mem[@]} -gt 0 ]; then
    echo "## Memory and vocabulary"
    echo
    echo "Peak resident memory of \`korpus freq --no-dp\` against the types (distinct items) it"
    echo "counted, from the runs above; the last row, when present, is a corpus as large"
    echo "as the largest with the vocabulary of the 100 MB one (that file ten times over)."
    echo
    echo "| corpus | types | peak KB | peak / peak at 100 MB |"
    echo "|---|---:|---:|---:|"
    for m in "${mem[@]}"; do
      IFS='|' read -r name types peak <<< "$m"
      echo "| $name | $types | $peak | $(awk -v a="$peak" -v b="${PEAK[100]:--}" 'BEGIN { if (a == "-" || b == "-") print "-"; else printf "%.2f", a / b }') |"
    done
    echo
  fi
  for n in "${notes[@]}"; do echo "- $n"; done
  echo "- The floor (\`examples/floor.rs\`) is the fastest plain word count we could write, not"
  echo "  a peer: one part of the file per core, read in 4 MiB pieces; each record's raw text"
  echo "  field split at white space 64 bytes at a time; the runs counted in korpus's own"
  echo "  table per thread. No JSON decoding, tokenizer, normalization, dispersion, merge or"
  echo "  output. The split-only row finds the runs and does not count them."
  if [ -n "$PY" ]; then
    echo "- NLTK is run up to $NLTK_MAX_MB MB (NLTK_MAX_MB) for freq and kwic and up to"
    echo "  $NLTK_COLLOC_MAX_MB MB (NLTK_COLLOC_MAX_MB) for collocations: it holds every token, and"
    echo "  for collocations every pair, as Python objects."
  fi
  if [ -n "$KEEP" ]; then echo; printf '%s\n' "$KEEP"; fi
} > "$OUT.new"
mv "$OUT.new" "$OUT"
echo "== wrote $OUT"
cat "$OUT"
