#!/usr/bin/env bash
# What an idle container costs: starts the assembly with its default config (demo services
# included), lets it settle, then counts over a window its threads' wake-ups (voluntary context
# switches, from /proc) and the process's CPU time. With BASE_HOME set, that assembly runs in the
# same rounds, alternating with the first (e.g. the build before a change).
#   bench/idle/run.sh [rounds]
# Environment: MSF_HOME (default runtime-assembly/target/msf-*), BASE_HOME, SETTLE_S (20), WINDOW_S (20).
# Linux only (/proc). Prints one line per run, the busiest threads, and the medians. Each run is of
# a copy (bench/target/idle/home-<msf|base>/) whose TCP ports are moved to free ones.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
bench_setup idle 3 "$@"
NEW=$(bench_assembly)
[[ -n "$NEW" ]] || { echo "no assembly: build it (mvn -B -DskipTests install) or set MSF_HOME" >&2; exit 2; }
SETTLE_S=${SETTLE_S:-20}
WINDOW_S=${WINDOW_S:-20}
TICKS=$(getconf CLK_TCK)

# per-thread "name switches" lines of process $1
threads() {
  for task in /proc/"$1"/task/*; do
    printf '%s\t%s\n' "$(cat "$task/comm" 2>/dev/null)" "$(awk '/^voluntary_ctxt_switches/ {print $2}' "$task/status" 2>/dev/null)"
  done | sort
}

cpu_ticks() { awk '{print $14 + $15}' /proc/"$1"/stat; }

measure() { # label home
  local label=$1 data="$OUT/data-$1" home="$OUT/home-${1%%-*}" pid before after cpu0 cpu1
  # a copy with ports of its own: the shipped ones may be another container's on this machine
  rm -rf "$home" && mkdir -p "$home"
  (cd "$2" && tar --exclude=./data -cf - .) | (cd "$home" && tar -xf -)
  bench_private_ports "$home"
  rm -rf "$data" && mkdir -p "$data"
  MSF_DATA="$data" "$home/bin/msf" start >"$OUT/start-$label.log" 2>&1
  pid=$(cat "$data"/msf.pid)
  sleep "$SETTLE_S"
  before=$(threads "$pid"); cpu0=$(cpu_ticks "$pid")
  sleep "$WINDOW_S"
  after=$(threads "$pid"); cpu1=$(cpu_ticks "$pid")
  MSF_DATA="$data" "$home/bin/msf" stop >/dev/null 2>&1
  # wake-ups per second by thread name (threads of one name summed)
  join -t $'\t' <(awk -F'\t' '{s[$1]+=$2} END {for (k in s) print k "\t" s[k]}' <<<"$before" | sort) \
                <(awk -F'\t' '{s[$1]+=$2} END {for (k in s) print k "\t" s[k]}' <<<"$after" | sort) \
    | awk -F'\t' -v w="$WINDOW_S" '{d = ($3 - $2) / w; if (d > 0) printf "%.1f\t%s\n", d, $1}' | sort -rn >"$OUT/threads-$label.tsv"
  local total cpu
  total=$(awk -F'\t' '{s += $1} END {printf "%.0f", s}' "$OUT/threads-$label.tsv")
  cpu=$(( (cpu1 - cpu0) * 1000 / TICKS / WINDOW_S ))
  echo "$label: wake-ups/s $total, CPU ms/s $cpu; busiest: $(head -4 "$OUT/threads-$label.tsv" | awk -F'\t' '{printf "%s %s/s, ", $2, $1}')"
  echo "${label%%-*} $total $cpu" >>"$OUT/runs.txt"
}

: >"$OUT/runs.txt"
echo "idle container: settle ${SETTLE_S} s, window ${WINDOW_S} s, $ROUNDS round(s); msf: $NEW${BASE_HOME:+; base: $BASE_HOME}"
for round in $(seq "$ROUNDS"); do
  if [[ -n "${BASE_HOME:-}" && $((round % 2)) -eq 1 ]]; then measure "base-$round" "$BASE_HOME"; fi
  measure "msf-$round" "$NEW"
  if [[ -n "${BASE_HOME:-}" && $((round % 2)) -eq 0 ]]; then measure "base-$round" "$BASE_HOME"; fi
done
awk '{w[$1] = w[$1] " " $2; c[$1] = c[$1] " " $3} END {for (k in w) print k ": wake-ups/s" w[k] ";  CPU ms/s" c[k]}' "$OUT/runs.txt" | sort
