# Shared by the bench scripts (sourced): `run NAME SCRIPT INPUT KEY` runs `tick run` pinned to
# core 0, prints points/s per CPU second and peak RSS, and keeps the CPU (user sys) in
# $TMP/cpu_KEY and tick's own CPU (its summary line) in $TMP/own_KEY. Needs $BIN and $TMP.
run() { # name script input key
  local points; points=$(wc -l < "$3")
  # CPU time (user+sys) is the measure: the machine is shared, wall time is noisy.
  /usr/bin/time -f "%e %U %S %M" -o "$TMP/time" taskset -c 0 "$BIN" run "$2" --input "$3" -q > /dev/null 2>"$TMP/err" || true
  read -r wall user sys kib < "$TMP/time"
  own=$(sed -n 's/.*cpu: tick \([0-9.]*\) s.*/\1/p' "$TMP/err")
  python3 -c "p=$points; c=$user+$sys; print(f'$1: {p} points, {c:.2f} s CPU ({$wall:.2f} s wall) = {p/c:,.0f} points/s per CPU second (tick itself {${own:-0}:.2f} s), peak RSS {$kib/1024:.1f} MiB')"
  echo "$user $sys" > "$TMP/cpu_$4"
  echo "${own:-0}" > "$TMP/own_$4"
}
