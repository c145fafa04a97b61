#!/usr/bin/env bash
# Hot-swap benchmark (issue 5, section 7): 100 hot swaps of a service through the deployer under an
# open-loop load of 5k requests/s, and in the same run the same load against a plain Felix
# `update` + `refresh` of the same bundle; see bench/README.md ("Hot swap").
#   bench/hotswap/run.sh [rounds]           (default 3; a fresh container for every round)
# Environment (all optional):
#   JAVA_HOME        the JDK for both JVMs (default: the one `java` on PATH belongs to)
#   MSF_HOME         the msf assembly (default: runtime-assembly/target/msf-*/), copied to
#                    bench/target/hotswap/msf/ for every round
#   MSF_JAVA_OPTS    the container's JVM options (default: bin/msf's, as shipped)
#   CLIENT_JVM_OPTS  the driver's (default -Xms256m -Xmx256m -XX:+UseSerialGC)
#   RATE (5000)      requests per second, open loop, 64-byte payloads echoed
#   SWAPS (100)      hot swaps through the deployer (msf:update, alternating two versions)
#   FELIX_UPDATES (100)  Felix `update <id> <jar>` + `refresh <id>`, alternating the same two jars
#   WARMUP_MS (5000) STEADY_MS (10000)  per phase: warm-up, then steady state before and after the changes
#   FIRST_WARMUP_MS (20000)  warm-up of the first phase, which also warms the fresh container up
#   GAP_MS (200)     pause after each swap or update
#   TIMEOUT_MS (5000)  a request without a reply after this is lost
#   SKIP_BUILD=1     use bench/target/benchmarks.jar as it is
#   TRACE=1          diagnostics: also write logs/trace-<round>-<phase>.csv, every request due
#                    during a change (the change's number, due µs after it began, latency µs)
# Writes bench/target/hotswap/samples-<time>.csv (one row per round and phase), results-<time>.txt
# (every round's output and the summary) and logs/ (each round's container log).
set -euo pipefail

source "$(dirname "$0")/../lib.sh"
bench_setup hotswap 3 "$@"
CLIENT_OPTS=${CLIENT_JVM_OPTS-"-Xms256m -Xmx256m -XX:+UseSerialGC"}

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "hotswap: building bench/target/benchmarks.jar" >&2
  (cd "$REPO" && mvn -B -q -o -pl bench package -DskipTests)
fi
MSF_SOURCE=$(bench_assembly)
if [[ -z "$MSF_SOURCE" ]] || ! ls "$MSF_SOURCE"/bundle/*/msf-deploy-*.jar >/dev/null 2>&1; then
  echo "hotswap: no assembly with the deployer (build: mvn -B -o -q -pl runtime-assembly -am install -DskipTests)" >&2
  exit 1
fi
mkdir -p "$OUT/logs"

# --- the two versions of the service bundle: the same classes (SwapEcho), Bundle-Version 1.0.0 / 1.0.1
rm -rf "$OUT/classes" "$OUT/bundles" && mkdir -p "$OUT/classes" "$OUT/bundles"
(cd "$OUT/classes" && unzip -q "$JAR" 'io/msf/bench/hotswap/service/*')
for version in 1.0.0 1.0.1; do
  cat >"$OUT/bundles/MANIFEST-$version.MF" <<MF
Manifest-Version: 1.0
Bundle-ManifestVersion: 2
Bundle-SymbolicName: io.msf.bench.hotswap.service
Bundle-Name: msf hot-swap benchmark service (echo handler bench.swap)
Bundle-Version: $version
Bundle-Activator: io.msf.bench.hotswap.service.SwapEcho
Import-Package: io.msf.client.api,io.msf.protocol.api,io.netty.buffer,org.osgi.framework
Require-Capability: osgi.ee;filter:="(&(osgi.ee=JavaSE)(version>=17))"
MF
  "$JAVA_HOME/bin/jar" --create --file "$OUT/bundles/bench-swap-$version.jar" \
    --manifest "$OUT/bundles/MANIFEST-$version.MF" -C "$OUT/classes" .
done

MSF_COPY="$OUT/msf"
DRIVER_PID=
cleanup() {
  if [[ -n "$DRIVER_PID" ]] && kill -0 "$DRIVER_PID" 2>/dev/null; then
    kill -TERM "$DRIVER_PID" 2>/dev/null || true
    wait "$DRIVER_PID" 2>/dev/null || true
  fi
  if [[ -x "$MSF_COPY/bin/msf" ]]; then "$MSF_COPY/bin/msf" stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A private copy of the assembly for every round (a rebuild by someone else cannot change it, and
# every round starts from a clean framework cache), with only what the benchmark needs: no demo
# services, no echo endpoints (fixed port 7000), the agent on its Unix socket only (TCP off), the
# monitor's HTTP endpoint off (fixed port 9464).
fresh_container() {
  rm -rf "$MSF_COPY" && mkdir -p "$MSF_COPY"
  (cd "$MSF_SOURCE" && tar --exclude=./data -cf - .) | (cd "$MSF_COPY" && tar -xf -)
  rm -f "$MSF_COPY"/etc/msf.service~*.cfg "$MSF_COPY"/etc/msf.net.endpoint~echo*.cfg
  sed -i -E 's/^tcpPort[[:space:]]*=.*/tcpPort = -1/' "$MSF_COPY/etc/msf.agent.cfg"
  grep -q '^tcpPort = -1$' "$MSF_COPY/etc/msf.agent.cfg" || { echo "hotswap: no tcpPort in msf.agent.cfg" >&2; exit 1; }
  printf '\n# bench/hotswap: no HTTP endpoint\nhttpEnabled = false\n' >>"$MSF_COPY/etc/msf.monitor.cfg"
}

STAMP=$(date -u +%Y%m%d-%H%M%S)
CSV="$OUT/samples-$STAMP.csv"
RESULTS="$OUT/results-$STAMP.txt"
NEWEST_JAR=$(find "$MSF_SOURCE/bundle" -name 'msf-*.jar' -printf '%TF %TH:%TM %f\n' | sort | tail -1)
{
  echo "hot swap benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $ROUNDS rounds"
  echo "machine: $(nproc) cores, $(uname -sr); load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java: $("$JAVA" -version 2>&1 | sed -n 2p); container JVM options: ${MSF_JAVA_OPTS:-as shipped}; driver: $CLIENT_OPTS"
  echo "msf: $MSF_SOURCE (newest msf jar: $NEWEST_JAR)"
  echo "rate ${RATE:-5000}/s, swaps ${SWAPS:-100}, felix updates ${FELIX_UPDATES:-100}, warm-up ${FIRST_WARMUP_MS:-20000} ms (deployer phase) / ${WARMUP_MS:-5000} ms (felix)," \
       "steady ${STEADY_MS:-10000} ms before and after, gap ${GAP_MS:-200} ms, timeout ${TIMEOUT_MS:-5000} ms"
} | tee "$RESULTS"

for round in $(seq 1 "$ROUNDS"); do
  echo "--- round $round ($(date -u +%H:%M:%S), load average $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$RESULTS"
  fresh_container
  "$MSF_COPY/bin/msf" start >/dev/null
  # shellcheck disable=SC2086 # JVM options are word-split on purpose
  "$JAVA" $CLIENT_OPTS -cp "$JAR" io.msf.bench.hotswap.HotSwapBench \
    --data "$MSF_COPY/data" --jar-a "$OUT/bundles/bench-swap-1.0.0.jar" --jar-b "$OUT/bundles/bench-swap-1.0.1.jar" \
    --rate "${RATE:-5000}" --swaps "${SWAPS:-100}" --felix-updates "${FELIX_UPDATES:-100}" \
    --warmup-ms "${WARMUP_MS:-5000}" --first-warmup-ms "${FIRST_WARMUP_MS:-20000}" --steady-ms "${STEADY_MS:-10000}" --gap-ms "${GAP_MS:-200}" \
    --timeout-ms "${TIMEOUT_MS:-5000}" --round "$round" --csv "$CSV" \
    ${TRACE:+--trace "$OUT/logs/trace-$round"} >"$OUT/logs/driver-$round.out" 2>&1 &
  DRIVER_PID=$!
  status=0
  wait "$DRIVER_PID" || status=$?
  DRIVER_PID=
  tee -a "$RESULTS" <"$OUT/logs/driver-$round.out"
  "$MSF_COPY/bin/msf" stop >/dev/null || true
  rm -rf "$OUT/logs/container-$round"
  cp -r "$MSF_COPY/data/log" "$OUT/logs/container-$round" 2>/dev/null || true
  [[ $status -eq 0 ]] || { echo "hotswap: round $round failed (exit $status), see $OUT/logs/" >&2; exit 1; }
done

echo "--- summary" | tee -a "$RESULTS"
"$JAVA" -cp "$JAR" io.msf.bench.hotswap.HotSwapBench --summarize "$CSV" | tee -a "$RESULTS"
echo "report: $RESULTS (samples: $CSV, logs: $OUT/logs/)" >&2
