#!/usr/bin/env bash
# Start-up benchmark: msf vs bare Felix vs Karaf minimal, alternating, cold cache each start.
#   bench/startup/run.sh [rounds]          (default 5 measured rounds + 1 discarded warm-up round)
# Environment (all optional):
#   JAVA_HOME       the JDK used for every container (default: the one `java` on PATH belongs to)
#   BENCH_JVM_OPTS  JVM options given to every container (default: DEFAULT_JAVA_OPTS of bin/msf)
#   MSF_HOME        the msf assembly (default: runtime-assembly/target/msf-*/); without it msf is
#                   skipped. It is copied to bench/target/startup/msf/ and run from there.
#   WARMUP          discarded warm-up rounds (default 1)
#   ONLY            subset, e.g. "felix,karaf"
#   CDS=1           class-data sharing for all that can: msf maps the archive bin/msf records at a
#                   training start (kept across the wipes), bare Felix one of its own; Karaf cannot.
#                   Default: msf's archive off (MSF_CDS=off), every container on the JDK's own only
#   TIMEOUT_S       seconds a container may take to get ready before the run counts as failed (60)
#   AT_SETTLE       diagnostics only: shell command run at ready + 2 s with $PID = the JVM's pid
#                   (output in logs/<container>-<round>.settle.txt), e.g. 'jcmd $PID Thread.print'
# The report goes to stdout and to bench/target/startup/results-<time>.md; the per-run process
# output to bench/target/startup/logs/. Every container started is stopped again, also on Ctrl-C.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
OUT="$REPO/bench/target/startup"
source "$HERE/../lib.sh" # bench_private_ports only
ROUNDS=${1:-5}
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [rounds]" >&2; exit 2; }

if [[ -z "${JAVA_HOME:-}" ]]; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
fi
export JAVA_HOME
"$HERE/prepare.sh"

# msf: a private copy of the assembly, taken afresh at every run, so that a rebuild by someone else
# cannot change it mid-benchmark and its own data/ folder (pid file!) is never touched
MSF_SOURCE=${MSF_HOME:-$(ls -d "$REPO"/runtime-assembly/target/msf-*/ 2>/dev/null | head -1 || true)}
MSF_SOURCE=${MSF_SOURCE%/}
MSF_COPY=
MSF_INFO="none (skipped)"
if [[ -n "$MSF_SOURCE" && -x "$MSF_SOURCE/bin/msf" ]]; then
  MSF_COPY="$OUT/msf"
  rm -rf "$MSF_COPY" && mkdir -p "$MSF_COPY"
  (cd "$MSF_SOURCE" && tar --exclude=./data -cf - .) | (cd "$MSF_COPY" && tar -xf -)
  # its TCP ports moved to free ones: the shipped ones may be another container's on this machine
  bench_private_ports "$MSF_COPY"
  NEWEST_JAR=$(find "$MSF_COPY/bundle" "$MSF_COPY/lib" -name '*.jar' -printf '%T@ %TF %TH:%TM %f\n' | sort -n | tail -1 | cut -d' ' -f2-)
  MSF_INFO="$MSF_SOURCE (newest jar: $NEWEST_JAR)"
  echo "run: msf assembly copied from $MSF_INFO" >&2
fi

# the same JVM options for every container; default: bin/msf's own defaults, so msf runs exactly
# as shipped and the others get the same heap, collector and flags
MSF_SCRIPT=${MSF_COPY:+$MSF_COPY/bin/msf}
MSF_SCRIPT=${MSF_SCRIPT:-$REPO/runtime-assembly/src/main/bin/msf}
DEFAULT_OPTS=$(sed -n 's/^DEFAULT_JAVA_OPTS="\(.*\)"$/\1/p' "$MSF_SCRIPT" 2>/dev/null || true)
JVM_OPTS=${BENCH_JVM_OPTS-$DEFAULT_OPTS}
# bin/msf adds a trim of the native heap every 5 s where the JVM has it, unless the options name
# TrimNativeHeapInterval (=0: none): the same for every container, so the others get it too
TRIM="-XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=5000"
# (not where the JVM takes the option but says it cannot trim: a JDK built for musl or macOS)
if [[ $JVM_OPTS != *TrimNativeHeapInterval* ]] && TRIM_CHECK=$("$JAVA_HOME/bin/java" $TRIM -version 2>&1) &&
  [[ $TRIM_CHECK != *"not supported"* ]]; then
  JVM_OPTS="$JVM_OPTS $TRIM"
fi

kill_tree() {  # children first, so a launcher script cannot respawn anything
  local pid=$1 child
  for child in $(pgrep -P "$pid" 2>/dev/null || true); do kill_tree "$child"; done
  kill -TERM "$pid" 2>/dev/null || true
}
HARNESS_PID=
cleanup() {
  if [[ -n "$HARNESS_PID" ]] && kill -0 "$HARNESS_PID" 2>/dev/null; then
    kill -TERM "$HARNESS_PID" 2>/dev/null || true   # its shutdown hook stops the running container
    wait "$HARNESS_PID" 2>/dev/null || true
  fi
  if [[ -f "$OUT/container.pid" ]]; then             # the harness died without its hook
    kill_tree "$(cat "$OUT/container.pid")"
    rm -f "$OUT/container.pid"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

MACHINE="$(nproc) cores ($(sed -n 's/^model name\s*:\s*//p' /proc/cpuinfo | head -1)), \
$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); \
shared with other jobs, so expect noise"
STAMP=$(date +%Y%m%d-%H%M%S)
# the harness itself stays small and quiet: C1 only, serial GC, small heap
"$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx64m \
  -cp "$OUT/harness-classes" io.msf.bench.startup.StartupBench \
  --root "$OUT" --java-home "$JAVA_HOME" --jvm-opts "$JVM_OPTS" \
  --java-version "$("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p)" \
  --rounds "$ROUNDS" --cds "$([[ ${CDS:-0} == 1 ]] && echo on || echo off)" --warmup "${WARMUP:-1}" --only "${ONLY:-msf,felix,karaf}" \
  --timeout-ms "$(( ${TIMEOUT_S:-60} * 1000 ))" ${AT_SETTLE:+--at-settle "$AT_SETTLE"} \
  ${MSF_COPY:+--msf-home "$MSF_COPY"} --msf-source "$MSF_INFO" --machine "$MACHINE" \
  --out "$OUT/results-$STAMP.md" &
HARNESS_PID=$!
wait "$HARNESS_PID"
HARNESS_PID=
echo "report: $OUT/results-$STAMP.md" >&2
