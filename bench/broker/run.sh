#!/usr/bin/env bash
# Broker benchmark (issue 4, section 9): the msf agent vs a plain Netty forwarder vs nats-server,
# one system at a time, rotating, repeated; see bench/README.md ("Broker").
#   bench/broker/run.sh [rounds]           (default 3 measured rounds)
# Environment (all optional):
#   JAVA_HOME        the JDK for every JVM (default: the one `java` on PATH belongs to)
#   MSF_HOME         the msf assembly (default: runtime-assembly/target/msf-*/); copied to
#                    bench/target/broker/msf/ at each run. Without one, msf is skipped.
#   SERVER_JVM_OPTS  JVM options of the msf container and the forwarder (default: bin/msf's
#                    DEFAULT_JAVA_OPTS, so msf runs as shipped and the forwarder gets the same)
#   MSF_EXTRA_OPTS   appended to the container's options only (e.g. a JFR recording)
#   FWD_EXTRA_OPTS   appended to the forwarder's options only (e.g. -Dbench.forwarder.ioThreads=2)
#   DRIVER_EXTRA_OPTS  appended to the driver's options only (the JVM of the measured clients)
#   CLIENT_JVM_OPTS  JVM options of the driver and the responders (default -Xms256m -Xmx256m -XX:+UseSerialGC)
#   PIN=1            servers on CPU 0, responder and driver on CPU 1 (taskset); default: not pinned
#   ONLY             sessions, e.g. "msf/uds,fwd/uds,nats/tcp" (default: all five)
#   WARMUP_ROUNDS    discarded rounds first (default 0; every session warms up on its own anyway)
#   SESSION_WARMUP_MS, WARMUP_MS, MEASURE_MS   warm-up per session (3000), per scenario (2000),
#                    measurement per scenario (3000)
#   SIZES (64,1024)  CLIENTS (1,16)  WINDOW (256)
#   SKIP_BUILD=1     use bench/target/benchmarks.jar as it is
#   BENCH_JAR        a copy of the bench jar to run instead (not built; e.g. one with another msf
#                    client inside, to compare two client versions in one run window)
# Writes bench/target/broker/results-<time>.md (summary), samples-<time>.csv (every sample) and
# logs/ (each server's, responder's and container's output). Everything started is stopped again.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../lib.sh"
bench_setup broker 3 "$@"
JAR=${BENCH_JAR:-$JAR}

"$HERE/prepare.sh"
rm -rf "$OUT/logs" "$OUT/msf-data"
mkdir -p "$OUT/logs"

# msf: a private copy of the assembly, so a rebuild by someone else cannot change it mid-run, with
# the probe bundle in deploy/ and the agent's TCP listener (off as shipped, tcpPort = -1) turned on
# at a free port, for the msf/tcp session (7420, the port the docs suggest, may be in use by
# another container on this machine)
MSF_SOURCE=$(bench_assembly)
MSF_COPY=
AGENT_PORT=$(bench_free_port)
MSF_INFO="none (msf skipped)"
if [[ -n "$MSF_SOURCE" && -x "$MSF_SOURCE/bin/msf" ]]; then
  MSF_COPY="$OUT/msf"
  rm -rf "$MSF_COPY" && mkdir -p "$MSF_COPY"
  (cd "$MSF_SOURCE" && tar --exclude=./data -cf - .) | (cd "$MSF_COPY" && tar -xf -)
  AGENT_CFG="$MSF_COPY/etc/msf.agent.cfg"
  if [[ ! -f "$AGENT_CFG" ]] || ! ls "$MSF_COPY"/bundle/*/msf-agent-*.jar >/dev/null 2>&1; then
    echo "run: $MSF_SOURCE has no agent (bundle/*/msf-agent-*.jar and etc/msf.agent.cfg): build the" \
         "assembly with the broker first (mvn -B -o -q -pl runtime-assembly -am install -DskipTests)" >&2
    exit 1
  fi
  sed -i -E "s/^(tcpPort|port)[[:space:]]*=.*/\1 = $AGENT_PORT/" "$AGENT_CFG"
  grep -Eq "^(tcpPort|port) = $AGENT_PORT\$" "$AGENT_CFG" \
    || { echo "run: found no TCP port key in $AGENT_CFG to move to $AGENT_PORT" >&2; exit 1; }
  cp "$OUT/bench-probe.jar" "$MSF_COPY/deploy/bench-probe.jar"
  NEWEST_JAR=$(find "$MSF_COPY/bundle" -name 'msf-*.jar' -printf '%TF %TH:%TM %f\n' | sort | tail -1)
  MSF_INFO="$MSF_SOURCE (newest msf jar: $NEWEST_JAR)"
fi
MSF_SCRIPT=${MSF_COPY:+$MSF_COPY/bin/msf}
MSF_SCRIPT=${MSF_SCRIPT:-$REPO/runtime-assembly/src/main/bin/msf}
SERVER_OPTS=${SERVER_JVM_OPTS-$(sed -n 's/^DEFAULT_JAVA_OPTS="\(.*\)"$/\1/p' "$MSF_SCRIPT")}
CLIENT_OPTS=${CLIENT_JVM_OPTS-"-Xms256m -Xmx256m -XX:+UseSerialGC"}
SERVER_CPUS=; CLIENT_CPUS=; DRIVER=("$JAVA")
if [[ "${PIN:-0}" == 1 ]]; then SERVER_CPUS=0; CLIENT_CPUS=1; DRIVER=(taskset -c 1 "$JAVA"); fi

STAMP=$(date -u +%Y%m%d-%H%M%S)
HEADER="## $(date -u '+%Y-%m-%d %H:%M UTC') — broker: msf agent vs Netty forwarder vs NATS (\`bench/broker/run.sh $ROUNDS\`)

- machine: $(nproc) cores ($(sed -n 's/^model name\s*:\s*//p' /proc/cpuinfo | head -1)), \
$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); load average at start $(cut -d' ' -f1-3 /proc/loadavg)
- java: $("$JAVA" -version 2>&1 | sed -n 2p); server JVM options \`$SERVER_OPTS\`${MSF_EXTRA_OPTS:+ (msf also \`$MSF_EXTRA_OPTS\`)}; client JVM options \`$CLIENT_OPTS\`
- msf: $MSF_INFO; nats-server: $(nats-server --version); jnats: $(sed -n 's:.*<jnats.version>\(.*\)</jnats.version>.*:\1:p' "$REPO/pom.xml")
- bench jar: $JAR
- pinning: ${PIN:-0}; sessions: ${ONLY:-all}; per scenario ${WARMUP_MS:-2000} ms warm-up + ${MEASURE_MS:-3000} ms measured; window ${WINDOW:-256}

"

DRIVER_PID=
cleanup() {
  if [[ -n "$DRIVER_PID" ]] && kill -0 "$DRIVER_PID" 2>/dev/null; then
    kill -TERM "$DRIVER_PID" 2>/dev/null || true
    wait "$DRIVER_PID" 2>/dev/null || true
  fi
  # whatever the driver could not stop: the container (its pid file), then the processes the
  # driver started (logs/children.pids), each only if its command line is still one of ours
  if [[ -n "$MSF_COPY" ]]; then MSF_DATA="$OUT/msf-data" "$MSF_COPY/bin/msf" stop >/dev/null 2>&1 || true; fi
  if [[ -f "$OUT/logs/children.pids" ]]; then
    while read -r pid; do
      if { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -Eq "io.msf.bench.broker|nats-server -a 127.0.0.1"; then
        kill -TERM "$pid" 2>/dev/null || true
      fi
    done <"$OUT/logs/children.pids"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cd "$OUT"
# shellcheck disable=SC2086 # JVM options are word-split on purpose
"${DRIVER[@]}" $CLIENT_OPTS ${DRIVER_EXTRA_OPTS:-} -cp "$JAR" io.msf.bench.broker.BrokerBench \
  --work "$OUT" --jar "$JAR" --java "$JAVA" ${MSF_COPY:+--msf-home "$MSF_COPY"} --msf-agent-port "$AGENT_PORT" \
  --server-opts "$SERVER_OPTS" --msf-opts "${MSF_EXTRA_OPTS:-}" --fwd-opts "${FWD_EXTRA_OPTS:-}" --client-opts "$CLIENT_OPTS" \
  --server-cpus "$SERVER_CPUS" --client-cpus "$CLIENT_CPUS" \
  --rounds "$ROUNDS" --warmup-rounds "${WARMUP_ROUNDS:-0}" --only "${ONLY:-msf/uds,msf/tcp,fwd/uds,fwd/tcp,nats/tcp}" \
  --session-warmup-ms "${SESSION_WARMUP_MS:-3000}" --warmup-ms "${WARMUP_MS:-2000}" --measure-ms "${MEASURE_MS:-3000}" \
  --sizes "${SIZES:-64,1024}" --clients "${CLIENTS:-1,16}" --window "${WINDOW:-256}" \
  --header "$HEADER" &
DRIVER_PID=$!
wait "$DRIVER_PID"
DRIVER_PID=
mv "$OUT/results.md" "$OUT/results-$STAMP.md"
mv "$OUT/samples.csv" "$OUT/samples-$STAMP.csv"
echo "report: $OUT/results-$STAMP.md (samples: $OUT/samples-$STAMP.csv, logs: $OUT/logs/)" >&2
