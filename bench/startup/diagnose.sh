#!/usr/bin/env bash
# Where does start-up time go? Starts each named container once (no warm-up) with class-load
# logging and prints, per container, the classes loaded until it was ready, grouped by where they
# came from (JDK CDS archive, JDK modules, each bundle jar, generated), with the JVM uptime of the
# first and last load from each source: a bundle's window approximates when it was resolved and
# activated. (The cut at "ready" uses the JVM's age at ready, so it is good to ~10 ms.)
# At ready + 2 s it also takes Native Memory Tracking's summary (committed KB per JVM area) and
# the JVM's thread names: what the RSS and the thread count of run.sh are made of.
#   bench/startup/diagnose.sh [msf|felix|karaf ...]     (default: msf felix)
# Timings of this run are inflated by the logging: take ready times from run.sh, not from here.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT="$(cd "$HERE/../.." && pwd)/bench/target/startup"
DIAG="$OUT/diag"
CONTAINERS=("$@")
[[ ${#CONTAINERS[@]} -gt 0 ]] || CONTAINERS=(msf felix)
mkdir -p "$DIAG"

MSF_SCRIPT="$(cd "$HERE/../.." && pwd)/runtime-assembly/src/main/bin/msf"
if [[ -z "${JAVA_HOME:-}" ]]; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
fi
export JAVA_HOME
JDK_BIN="$JAVA_HOME/bin"
BASE_OPTS=${BENCH_JVM_OPTS-$(sed -n 's/^DEFAULT_JAVA_OPTS="\(.*\)"$/\1/p' "$MSF_SCRIPT" 2>/dev/null || true)}

for c in "${CONTAINERS[@]}"; do
  log="$DIAG/$c-classload.log"
  rm -f "$log"
  BENCH_JVM_OPTS="$BASE_OPTS -XX:NativeMemoryTracking=summary -Xlog:class+load=info:file=$log:uptime" \
  AT_SETTLE="$JDK_BIN/jcmd \$PID VM.native_memory summary; echo THREADS; $JDK_BIN/jcmd \$PID Thread.print" \
  ONLY=$c WARMUP=0 "$HERE/run.sh" 1 > "$DIAG/$c-run.md"
  ready=$(awk -F'|' -v c=" $c " '$2 == " 1 " && $3 == c { print $4 + 0 }' "$DIAG/$c-run.md")
  age=$(awk -F'|' -v c=" $c " '$2 == " 1 " && $3 == c { print $6 + 0 }' "$DIAG/$c-run.md")
  if [[ -z "$ready" || "$ready" == 0 ]]; then
    echo "== $c: did not get ready: $(awk -F'|' -v c=" $c " '$2 == " 1 " && $3 == c { print $5 }' "$DIAG/$c-run.md")"
    continue
  fi
  echo
  echo "== $c: ready ${ready} ms from launch, JVM age at ready ${age} ms (with logging);" \
       "classes loaded until ready: $(awk -v cut="$age" 'substr($1, 2, length($1) - 3) * 1000 <= cut' "$log" | wc -l)," \
       "until stopped: $(wc -l < "$log")"
  printf '%-58s %8s %9s %9s\n' "source (sorted by first load)" classes "first s" "last s"
  awk -v cut="$age" '
    {
      t = substr($1, 2, length($1) - 3) + 0          # "[0.523s]" -> 0.523
      if (t * 1000 > cut) next
      src = $0; sub(/.* source: /, "", src)
      if (src == "shared objects file") src = "JDK (CDS archive)"
      else if (src ~ /^jrt:\//) src = "JDK " substr(src, 6)
      else if (src ~ /^file:/) { n = split(src, parts, "/"); src = parts[n] }
      else src = "generated (lambdas, proxies, reflection)"
      count[src]++
      if (!(src in first)) first[src] = t
      last[src] = t
    }
    END { for (s in count) printf "%.3f\t%s\t%d\t%.3f\n", first[s], s, count[s], last[s] }' "$log" \
  | sort -n | awk -F'\t' '{ printf "%-58s %8d %9.3f %9.3f\n", $2, $3, $1, $4 }'
  settle="$OUT/logs/$c-1.settle.txt"
  if [[ -f "$settle" ]]; then
    echo "-- $c at ready + 2 s: NMT committed KB per area (Total = what the JVM itself accounts for)"
    sed -n 's/^-\{0,1\} *\([A-Za-z ]*\) (reserved=[0-9]*KB, committed=\([0-9]*\)KB).*/\1 \2/p' "$settle" \
      | awk '{ kb = $NF; $NF = ""; printf "  %-28s %8d\n", $0, kb }'
    echo "-- $c threads by name (digits folded to #)"
    sed -n '/^THREADS/,$p' "$settle" | sed -n 's/^"\([^"]*\)".*/\1/p' | sed 's/[0-9][0-9]*/#/g' \
      | sort | uniq -c | sort -rn | awk '{ n = $1; $1 = ""; printf "  %3d %s\n", n, $0 }'
  fi
done
