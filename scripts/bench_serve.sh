#!/usr/bin/env bash
# Load benchmark of `tick serve` (issue 7), as Kapacitor was measured
# (shared/reference/kapacitor-observed.md): gen_cpu.py's 1,000,001 points,
# POSTed in 10,000-line requests over one keep-alive connection, with the
# documentation task running; the clock stops when the sentinel's CRITICAL
# alert reaches the exec capture file. Then one 67 MB request.
# Prints points/s and the server's peak RSS (VmHWM) for each run.
#
# usage: scripts/bench_serve.sh [RUNS]   (needs python3; builds --release)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
gen=${GEN_CPU:-../shared/bench/gen_cpu.py}
[ -f "$gen" ] || gen=/work/shared/bench/gen_cpu.py
cargo build --release --quiet
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
python3 "$gen" --out "$work/cpu.lp"
sentinel_time=$(python3 "$gen" --info | awk '/sentinel_time_ns/ {print $2}')
sentinel=$(python3 -c "import datetime,sys; t=int(sys.argv[1]); print(datetime.datetime.fromtimestamp(t//10**9, datetime.timezone.utc).strftime('\"time\":\"%Y-%m-%dT%H:%M:%SZ\"'))" "$sentinel_time")
mkdir -p "$work/tasks"
cat > "$work/tasks/cpu_alert.tick" <<TICK
stream
    |from()
        .measurement('cpu')
    |alert()
        .crit(lambda: "usage_idle" < 10)
        .exec('/bin/sh', '-c', 'cat >> $work/capture.jsonl')
TICK

bench() { # $1 = lines per request
    rm -rf "$work/data" "$work/capture.jsonl" "$work/out"
    ./target/release/tick serve --tasks "$work/tasks" --data "$work/data" --bind 127.0.0.1:0 > "$work/out" 2> "$work/err" &
    pid=$!
    until grep -q "listening on .*:[0-9]" "$work/out"; do sleep 0.05; done
    addr=$(sed -n 's/.*listening on //p' "$work/out")
    result=$(python3 scripts/bench_serve_client.py "$addr" "$work/cpu.lp" "$1" "$work/capture.jsonl" "$sentinel")
    hwm=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
    cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' /proc/$pid/stat)
    events=$(wc -l < "$work/capture.jsonl")
    kill -TERM $pid; wait $pid || true
    echo "$result peak_rss_mib $((hwm / 1024)) server_cpu_s $cpu exec_events $events"
}

# Baseline in the same run: `tick run` on the same points (file input, no HTTP).
sed 's#cat >> [^'"'"']*#cat > /dev/null#' "$work/tasks/cpu_alert.tick" > "$work/baseline.tick"
base=$( { /usr/bin/time -f "%e" ./target/release/tick run "$work/baseline.tick" -i "$work/cpu.lp" -q 2>&1 >/dev/null; } | tail -1)
echo "baseline tick run: total_s $base points_per_s $(python3 -c "print(round(1000001 / $base))")"
for i in $(seq "$runs"); do echo "10000-line requests: $(bench 10000)"; done
echo "one 67 MB request:   $(bench 2000000)"
