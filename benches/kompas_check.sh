#!/usr/bin/env bash
# The Kompas check of issue 25: does `korpus clean` remove the page
# templates of the Kompas sample? Reads
# ../shared/corpora/unlicensed-research-only/kompas-2025-md (never copied:
# the cleaned corpus goes to a scratch directory and is removed) and prints
# only derived numbers: ranks and page counts, no text of the pages.
#
#   bash benches/kompas_check.sh [KORPUS_BINARY]   (default target/release/korpus)
#
# Checks, before and after `korpus clean` (default options):
#   1. the ranks in the frequency list of field, value, author, editor,
#      title, description: none expected in the top 1,000 after;
#   2. the pages that contain each summary template sentence ("Berikut
#      adalah ringkasan berita dalam satu paragraf", "sisi positif dan
#      negatif" with "satir"), the syndication line ("Artikel ini telah
#      tayang di") and the "Baca juga" links: 0 expected after.
# Exit 1 if a check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
KORPUS=${1:-target/release/korpus}
SAMPLE=../shared/corpora/unlicensed-research-only/kompas-2025-md
if [ ! -d "$SAMPLE" ]; then
    echo "kompas_check: $SAMPLE not found: nothing to check" >&2
    exit 0
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$KORPUS" clean "$SAMPLE" -o "$WORK/clean.jsonl" --report "$WORK/removed.tsv" \
    2> "$WORK/clean.log"
# The counts of the clean run (numbers only).
grep -o '[0-9]* document(s) written\|[0-9]* template line(s) removed from [0-9]* document(s)' \
    "$WORK/clean.log" | sed 's/^/clean: /'

"$KORPUS" freq "$SAMPLE" > "$WORK/before.tsv" 2>/dev/null
"$KORPUS" freq "$WORK/clean.jsonl" > "$WORK/after.tsv" 2>/dev/null
fail=0
printf '%-12s %8s %8s\n' word before after
for w in field value author editor title description; do
    b=$(awk -F'\t' -v w="$w" 'NR > 1 && $2 == w { print $1; exit }' "$WORK/before.tsv")
    a=$(awk -F'\t' -v w="$w" 'NR > 1 && $2 == w { print $1; exit }' "$WORK/after.tsv")
    printf '%-12s %8s %8s\n' "$w" "${b:--}" "${a:--}"
    if [ -n "$a" ] && [ "$a" -le 1000 ]; then fail=1; fi
done

# Pages (files before; JSON lines' text after) holding each pattern.
pages_before() { { grep -rlE "$1" "$SAMPLE" --include='*.md' || true; } | wc -l; }
pages_after() {
    python3 -c '
import json, re, sys
pat = re.compile(sys.argv[1])
n = sum(1 for line in open(sys.argv[2], encoding="utf-8")
        if pat.search(json.loads(line)["text"]))
print(n)' "$1" "$WORK/clean.jsonl"
}
printf '%-28s %8s %8s\n' pattern before after
for name in summary satire syndication baca-juga; do
    case $name in
    summary) pat='Berikut adalah ringkasan berita dalam satu paragraf' ;;
    satire) pat='sisi positif dan negatif.*satir' ;;
    syndication) pat='Artikel ini (telah|sudah) tayang di' ;;
    baca-juga) pat='[Bb]aca [Jj]uga' ;;
    esac
    b=$(pages_before "$pat")
    a=$(pages_after "$pat")
    printf '%-28s %8s %8s\n' "$name" "$b" "$a"
    if [ "$a" -ne 0 ]; then fail=1; fi
done
if [ "$fail" -ne 0 ]; then
    echo "kompas_check: FAILED" >&2
    exit 1
fi
echo "kompas_check: PASSED (all checks pass)"
