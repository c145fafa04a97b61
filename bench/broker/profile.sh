#!/usr/bin/env bash
# Where the servers' CPU goes per routed request: runs one round of bench/broker/run.sh (64 B, one
# client by default) and, inside the measured window of each async and pub/sub scenario, attaches
# async-profiler to the server (the msf container, the forwarder) for a few seconds. Prints, per
# server and scenario, CPU samples per 1,000 requests (messages for pub/sub) by where they fell:
# syscalls, the JIT compiler, routing, encoder, decoder, GC, ... See bench/README.md ("Profiling").
#   bench/broker/profile.sh
# Environment: as run.sh (MSF_HOME, SKIP_BUILD, BENCH_JAR, WARMUP_MS, ...), and
#   ONLY          sessions to profile (default msf/uds,fwd/uds)
#   EVENT         async-profiler event (default cpu; alloc profiles allocations)
#   INTERVAL      its interval (default 100us; for alloc e.g. 64k)
#   PROFILE_MS    how long each profile lasts (default 2000; within the 4 s measured)
# Writes bench/target/broker/profile/<session>-<scenario>.collapsed (folded stacks) and the run's log.
# async-profiler comes from Maven Central (tools.profiler:async-profiler, version pinned in the
# parent pom) into ~/.m2, and is loaded with `jcmd <pid> JVMTI.agent_load`.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
OUT="$REPO/bench/target/broker/profile"
mkdir -p "$OUT"
rm -f "$OUT"/*.collapsed

VERSION=$(sed -n 's:.*<async-profiler.version>\(.*\)</async-profiler.version>.*:\1:p' "$REPO/pom.xml")
PROFILER_JAR="$HOME/.m2/repository/tools/profiler/async-profiler/$VERSION/async-profiler-$VERSION.jar"
if [[ ! -f "$PROFILER_JAR" ]]; then
  mvn -B -q dependency:get -Dartifact="tools.profiler:async-profiler:$VERSION" >&2
fi
LIB="$OUT/libasyncProfiler.so"
unzip -p "$PROFILER_JAR" linux-x64/libasyncProfiler.so >"$LIB"
JCMD=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd
WARMUP_MS=${WARMUP_MS:-2000}
PROFILE_MS=${PROFILE_MS:-2000}
LOG="$OUT/run.log"

SIZES=64 CLIENTS=1 MEASURE_MS=4000 WARMUP_MS=$WARMUP_MS ONLY=${ONLY:-msf/uds,fwd/uds} \
  "$HERE/run.sh" 1 >"$LOG" 2>&1 &
RUN=$!

server_pid() {
  case $1 in
    msf/*) pgrep -f 'msf.home=' | head -1 ;;
    fwd/*) pgrep -f 'io.msf.bench.broker.Forwarder' | head -1 ;;
  esac
}

# The scenario before async is rr (one client), the one before pub/sub is async: each line the
# driver prints starts the next scenario's warm-up.
seen=0
while kill -0 "$RUN" 2>/dev/null; do
  sleep 0.05
  lines=$(grep -E "^broker: [0-9]+,(msf|fwd)/(uds|tcp),(rr 64B c1|async 64B w256)," "$LOG" || true)
  count=$(printf '%s' "$lines" | grep -c . || true)
  ((count > seen)) || continue
  seen=$count
  last=$(printf '%s\n' "$lines" | tail -1)
  session=$(cut -d, -f2 <<<"$last")
  case $(cut -d, -f3 <<<"$last") in rr*) next=async ;; *) next=pubsub ;; esac
  pid=$(server_pid "$session")
  [[ -n "$pid" ]] || continue
  sleep "$(awk -v w="$WARMUP_MS" 'BEGIN { print w / 1000 + 1 }')"
  file="$OUT/${session%%/*}-${session#*/}-$next.collapsed"
  # A server that ended meanwhile is skipped, not fatal: the run goes on to the next session.
  "$JCMD" "$pid" JVMTI.agent_load "$LIB" "\"start,event=${EVENT:-cpu},interval=${INTERVAL:-100us}\"" \
    >/dev/null 2>&1 || continue
  sleep "$(awk -v p="$PROFILE_MS" 'BEGIN { print p / 1000 }')"
  "$JCMD" "$pid" JVMTI.agent_load "$LIB" "\"stop,file=$file,collapsed\"" >/dev/null 2>&1 || true
done
wait "$RUN" || { echo "profile: the bench run failed; see $LOG" >&2; exit 1; }

grep -E "^broker: [0-9]+,(msf|fwd)/(uds|tcp),(async|pubsub) " "$LOG" | while IFS=, read -r _ session scenario _ _ _ rate _; do
  case $scenario in async*) phase=async ;; *) phase=pubsub ;; esac
  file="$OUT/${session%%/*}-${session#*/}-$phase.collapsed"
  [[ -f "$file" ]] || continue
  python3 - "$file" "$rate" "$PROFILE_MS" "$session $scenario" <<'PY'
import sys, collections
path, rate, millis, label = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
# First match from this list wins, so the more specific places come first.
places = [('write syscalls', 'AbstractEpollStreamChannel.doWrite'), ('read syscalls', 'doReadBytes'),
          ('epoll wait', 'EpollIoHandler.epollWait'), ('JIT compiler', 'CompileBroker'),
          ('latency record', 'LatencyRecorder.record'), ('decoder', 'FrameDecoder.decode'),
          ('encoder', 'FrameEncoder.write'), ('routing', 'SocketSession.route'),
          ('forwarding', 'ForwarderHandler.channelRead'), ('GC', 'VMThread'),
          ('GC notifications', 'createGCNotification'), ('monitor', 'io/msf/monitor'),
          ('timer thread', 'TimerWorker'), ('rest of the I/O loop', 'SingleThreadIoEventLoop.run')]
samples = collections.Counter()
for line in open(path):
    stack, _, count = line.rstrip().rpartition(' ')
    frames = stack.split(';')
    place = next((name for name, key in places if any(key in f for f in frames)), 'other threads')
    samples[place] += int(count)
per_thousand = rate * millis / 1000 / 1000
print(f"{label}: {rate:,.0f}/s, samples per 1,000 ({sum(samples.values()) / per_thousand:.1f} in all)")
for place, count in samples.most_common():
    print(f"  {place:22s} {count / per_thousand:6.2f}")
PY
done
