#!/usr/bin/env bash
# Benchmark of `tick run` on the documentation script (issue 4), with a breakdown:
#   parse    : line-protocol reading only (from() matches no point)
#   evaluate : + from() and the alert's lambda and state machine (handler: log to /dev/null)
#   alert    : the documentation script end to end, exec handler /bin/true (101 events)
# Usage: scripts/bench_doc.sh [POINTS] (default 1000000); needs python3 and a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
points="${1:-1000000}"
dir="${TMPDIR:-/tmp}/tick-bench"
mkdir -p "$dir"
input="$dir/cpu_$points.lp"
[ -s "$input" ] || python3 ../shared/bench/gen_cpu.py --points "$points" --seed 42 > "$input"
tick=target/release/tick
[ -x "$tick" ] || cargo build --release --quiet

script() { # name, from-measurement, handler
  cat > "$dir/$1.tick" <<TICK
stream
    |from()
        .measurement('$2')
    |alert()
        .crit(lambda: "usage_idle" < 10)
        .message('Hey, check your CPU')
        .$3
TICK
}
script parse nomatch "log('/dev/null')"
script evaluate cpu "log('/dev/null')"
script alert cpu "exec('/bin/true')"

pin=""
command -v taskset > /dev/null && pin="taskset -c 0"
echo "points: $points ($(du -h "$input" | cut -f1)); pinned to one core: ${pin:-no}"
for stage in parse evaluate alert; do
  best=""
  for _ in 1 2 3 4 5; do
    out=$( { /usr/bin/time -f "%e %U %S %M" $pin "$tick" run "$dir/$stage.tick" --input "$input" -q 2>&1 >/dev/null; } )
    # tick's summary line: its own CPU and its handler programs' CPU.
    own=$(echo "$out" | sed -n 's/.*cpu: tick \([0-9.]*\) s, handler programs \([0-9.]*\) s.*/\1 \2/p')
    line="$(echo "$out" | tail -n 1) $own"
    wall=$(echo "$line" | cut -d' ' -f1)
    if [ -z "$best" ] || awk "BEGIN{exit !($wall < $(echo "$best" | cut -d' ' -f1))}"; then best="$line"; fi
  done
  read -r wall user sys rss tick_cpu programs_cpu <<< "$best"
  rate=$(awk "BEGIN{printf \"%.0f\", $points / $wall}")
  ratio=$(awk "BEGIN{printf \"%.1f\", $rate / 277402}")
  printf '%-9s wall %5.2fs  user %5.2fs  sys %4.2fs  %10s points/s  (%sx Kapacitor 1.5.7)  peak RSS %d KiB  [cpu: tick %ss, exec programs %ss]\n' \
    "$stage" "$wall" "$user" "$sys" "$rate" "$ratio" "$rss" "$tick_cpu" "$programs_cpu"
done
