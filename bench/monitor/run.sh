#!/usr/bin/env bash
# Monitoring overhead at 1 Hz on agent throughput (issue 6, section 6): one msf container, async
# request/reply (64 B, window 256) over UDS and TCP, with the monitor bundle stopped (`bin/msf exec
# 'stop <id>'`), active at its default 1 Hz (/metrics scraped every second) and amplified (sampling and
# scraped every AMPLIFIED_MS: 10x the work, so that its cost stands out of the noise), in the same
# container run, the order of the states rotating (Williams design); see bench/README.md ("Monitoring
# overhead").
#   flock /tmp/msf-bench.lock bench/monitor/run.sh [rounds]      (default 24 rounds, ~24 min)
#   SPLIT=1 flock /tmp/msf-bench.lock bench/monitor/run.sh 20    (4 states, ~25 min)
# Environment (all optional):
#   JAVA_HOME        the JDK for every JVM (default: the one `java` on PATH belongs to)
#   MSF_HOME         the msf assembly (default: runtime-assembly/target/msf-*/); copied to
#                    bench/target/monitor/msf/ at each run
#   MODULES          bundles whose bundles/<m>/target jar replaces the assembly's in the copy (default
#                    "event monitor net": the code under test, and net because the monitor is compiled
#                    against the net API in ~/.m2, which may be newer than the assembly's); "" = none
#   SERVER_JVM_OPTS  JVM options of the container (default: bin/msf's DEFAULT_JAVA_OPTS)
#   CLIENT_JVM_OPTS  JVM options of the driver and the responder (default -Xms256m -Xmx256m -XX:+UseSerialGC)
#   MEASURE_MS (5000), WARMUP_MS (1000)  per transport and state; SETTLE_MS (3000) pause before each state;
#   SESSION_WARMUP_MS (10000) once at the start, per transport; WARMUP_ROUNDS (1) not reported; WINDOW (256)
#   AMPLIFIED_MS (100) the amplified state's sampling period (etc/msf.monitor.cfg's sampleMillis, written
#                    live; 100 is the monitor's minimum) and scrape period
#   SPLIT=1          a fourth state: the amplified sampling scraped once a second (the sampler's share)
#   SKIP_BUILD=1     use bench/target/benchmarks.jar as it is
# Writes bench/target/monitor/results-<time>.md (summary), overhead-<time>.csv (every phase) and logs/.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../lib.sh"
bench_setup monitor 24 "$@"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "run: building bench/target/benchmarks.jar" >&2
  (cd "$REPO" && flock /tmp/msf-build-bench.lock mvn -B -q -o -pl bench package -DskipTests)
fi
[[ -f "$JAR" ]] || { echo "run: $JAR is missing (mvn -B -q -pl bench package -DskipTests)" >&2; exit 1; }

MSF_SOURCE=$(bench_assembly)
[[ -n "$MSF_SOURCE" && -x "$MSF_SOURCE/bin/msf" ]] \
  || { echo "run: no msf assembly (build runtime-assembly, or set MSF_HOME)" >&2; exit 1; }
rm -rf "$OUT/logs" "$OUT/msf-data" "$OUT/msf"
mkdir -p "$OUT/logs" "$OUT/msf"
(cd "$MSF_SOURCE" && tar --exclude=./data -cf - .) | (cd "$OUT/msf" && tar -xf -)
MSF_COPY="$OUT/msf"
ls "$MSF_COPY"/bundle/*/msf-agent-*.jar "$MSF_COPY"/bundle/*/msf-monitor-*.jar >/dev/null \
  || { echo "run: $MSF_SOURCE lacks the agent or the monitor bundle" >&2; exit 1; }
MODULES=${MODULES-event monitor net}
for module in $MODULES; do
  built=$(ls "$REPO/bundles/$module/target/msf-$module-"*.jar 2>/dev/null | grep -v -- '-sources\|-tests' | head -1 || true)
  shipped=$(ls "$MSF_COPY"/bundle/*/msf-"$module"-*.jar | head -1)
  [[ -n "$built" ]] || { echo "run: bundles/$module/target has no jar (package it first)" >&2; exit 1; }
  cp "$built" "$shipped"
done
AGENT_PORT=$(bench_free_port)
MONITOR_PORT=$(bench_free_port)
sed -i -E "s/^(tcpPort|port)[[:space:]]*=.*/\1 = $AGENT_PORT/" "$MSF_COPY/etc/msf.agent.cfg"
grep -Eq "^(tcpPort|port) = $AGENT_PORT\$" "$MSF_COPY/etc/msf.agent.cfg" \
  || { echo "run: found no TCP port key in etc/msf.agent.cfg" >&2; exit 1; }
printf '\n# bench/monitor/run.sh: a free port for this run\nport = %s\n' "$MONITOR_PORT" >>"$MSF_COPY/etc/msf.monitor.cfg"
NEWEST_JAR=$(find "$MSF_COPY/bundle" -name 'msf-*.jar' -printf '%TF %TH:%TM %f\n' | sort | tail -1)

SERVER_OPTS=${SERVER_JVM_OPTS-$(sed -n 's/^DEFAULT_JAVA_OPTS="\(.*\)"$/\1/p' "$MSF_COPY/bin/msf")}
CLIENT_OPTS=${CLIENT_JVM_OPTS-"-Xms256m -Xmx256m -XX:+UseSerialGC"}
STAMP=$(date -u +%Y%m%d-%H%M%S)
LOAD_BEFORE=$(uptime)
HEADER="## $(date -u '+%Y-%m-%d %H:%M UTC') — monitoring overhead at 1 Hz on agent throughput (\`bench/monitor/run.sh $ROUNDS\`)

- machine: $(nproc) cores ($(sed -n 's/^model name\s*:\s*//p' /proc/cpuinfo | head -1)), $(uname -sr); \`uptime\` before: $LOAD_BEFORE
- java: $("$JAVA" -version 2>&1 | sed -n 2p); server JVM options \`$SERVER_OPTS\`; client JVM options \`$CLIENT_OPTS\`
- msf: $MSF_SOURCE, with the jars of bundles/{$(echo $MODULES | tr ' ' ',')}/target (newest msf jar: $NEWEST_JAR)
- $ROUNDS rounds (after ${WARMUP_ROUNDS:-1} not reported), the states' order rotating through a Williams design (each state equally often in each position and after each other state), the transports' order flipping after each full set of orders; per transport and state ${WARMUP_MS:-1000} ms warm-up + ${MEASURE_MS:-5000} ms measured; ${SETTLE_MS:-3000} ms pause before each state (after the switch, if any); 64 B, window ${WINDOW:-256}
- monitor 1hz = bundle active with its defaults (sampleMillis 1000) and /metrics scraped once a second by the driver; amplified = sampleMillis ${AMPLIFIED_MS:-100} (written to the copy's etc/msf.monitor.cfg, applied when the log shows the endpoint's restart and /metrics' sample times step by that period) and /metrics scraped every ${AMPLIFIED_MS:-100} ms$([[ "${SPLIT:-0}" == 1 ]] && echo "; split: the amplified sampling also measured scraped once a second" || true); off = \`stop <id>\`

"

DRIVER_PID=
cleanup() {
  if [[ -n "$DRIVER_PID" ]] && kill -0 "$DRIVER_PID" 2>/dev/null; then
    kill -TERM "$DRIVER_PID" 2>/dev/null || true
    wait "$DRIVER_PID" 2>/dev/null || true
  fi
  MSF_DATA="$OUT/msf-data" "$MSF_COPY/bin/msf" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cd "$OUT"
# shellcheck disable=SC2086 # JVM options are word-split on purpose
"$JAVA" $CLIENT_OPTS -cp "$JAR" io.msf.bench.broker.MonitorOverhead \
  --monitor-port "$MONITOR_PORT" --settle-ms "${SETTLE_MS:-3000}" --amplified-ms "${AMPLIFIED_MS:-100}" \
  --split "$([[ "${SPLIT:-0}" == 1 ]] && echo true || echo false)" \
  --work "$OUT" --jar "$JAR" --java "$JAVA" --msf-home "$MSF_COPY" --msf-agent-port "$AGENT_PORT" \
  --server-opts "$SERVER_OPTS" --client-opts "$CLIENT_OPTS" --rounds "$ROUNDS" \
  --session-warmup-ms "${SESSION_WARMUP_MS:-10000}" --warmup-ms "${WARMUP_MS:-1000}" \
  --measure-ms "${MEASURE_MS:-5000}" --warmup-rounds "${WARMUP_ROUNDS:-1}" --window "${WINDOW:-256}" --header "$HEADER" &
DRIVER_PID=$!
wait "$DRIVER_PID"
DRIVER_PID=
{ cat "$OUT/results.md"; echo; echo "- \`uptime\` after: $(uptime)"; } >"$OUT/results-$STAMP.md"
rm -f "$OUT/results.md"
mv "$OUT/overhead.csv" "$OUT/overhead-$STAMP.csv"
cat "$OUT/results-$STAMP.md"
echo "report: $OUT/results-$STAMP.md (phases: $OUT/overhead-$STAMP.csv, logs: $OUT/logs/)" >&2
