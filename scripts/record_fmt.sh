#!/usr/bin/env bash
# Re-records the `tick fmt` goldens in tests/fmt/ from Kapacitor 1.5.7's real tickfmt.
#
#   scripts/record_fmt.sh            # tickfmt from ../shared/kapacitor (unpacked to /tmp)
#   TICKFMT=/path/to/tickfmt scripts/record_fmt.sh
#
# 1. tests/fmt/corpus/ is refreshed with a copy of every *.tick under tests/ (except tests/fmt/)
#    and scripts/ that `tick check` accepts, named after its path (tests/run/a/script.tick ->
#    tests__run__a__script.tick).
# 2. For every tests/fmt/**/*.tick, tickfmt's stdout is written to NAME.expected; when tickfmt
#    rejects the script, its error message (without the log timestamp) goes to NAME.fails instead.
# The goldens are tickfmt's output, never tick's.
set -euo pipefail
cd "$(dirname "$0")/.."
TICKFMT=${TICKFMT:-}
if [ -z "$TICKFMT" ]; then
    TICKFMT="$(../shared/kapacitor/unpack.sh)/tickfmt"
fi
[ -x "$TICKFMT" ] || { echo "no tickfmt at $TICKFMT" >&2; exit 2; }
cargo build --quiet --bin tick
TICK=target/debug/tick

rm -rf tests/fmt/corpus
mkdir -p tests/fmt/corpus
find tests scripts -name '*.tick' -not -path 'tests/fmt/*' | sort | while read -r f; do
    if "$TICK" check "$f" >/dev/null 2>&1; then
        cp "$f" "tests/fmt/corpus/$(echo "${f%.tick}" | sed 's|/|__|g').tick"
    fi
done

count=0; fails=0
while read -r f; do
    base=${f%.tick}
    rm -f "$base.expected" "$base.fails"
    if "$TICKFMT" < "$f" > "$base.expected" 2> "$base.err"; then
        count=$((count + 1))
    else
        rm -f "$base.expected"
        sed -E 's/^[0-9]{4}\/[0-9]{2}\/[0-9]{2} [0-9:]{8} //' "$base.err" > "$base.fails"
        fails=$((fails + 1))
    fi
    rm -f "$base.err"
done < <(find tests/fmt -name '*.tick' | sort)
echo "recorded $count formatted goldens and $fails rejected scripts from $TICKFMT"
