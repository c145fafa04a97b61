#!/usr/bin/env bash
# Prepares the broker benchmark (bench/broker/run.sh calls it; idempotent):
#   1. nats-server from Debian's packages (apt-get), if it is not on the PATH
#   2. the bench module's jar bench/target/benchmarks.jar (driver, forwarder, responder, jnats,
#      the msf client from ~/.m2), unless SKIP_BUILD=1 or BENCH_JAR names another jar to use;
#      checks that the msf client in it is real
#   3. the probe bundle bench/target/broker/bench-probe.jar (in-container echo handler and the
#      Gogo command bench:inproc), from the bench module's classes and HdrHistogram
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
OUT="$REPO/bench/target/broker"
JAR=${BENCH_JAR:-$REPO/bench/target/benchmarks.jar}
JAR_BIN=${JAVA_HOME:+$JAVA_HOME/bin/}jar
mkdir -p "$OUT"

# --- 1. nats-server (Debian 12: 2.9.10) ---
if ! command -v nats-server >/dev/null 2>&1; then
  echo "prepare: installing nats-server from Debian's packages" >&2
  if [[ $(id -u) -eq 0 ]]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq nats-server >/dev/null
  # the package enables a system service on port 4222; the benchmark runs its own on a random port
  if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
    $SUDO systemctl disable --now nats-server >/dev/null 2>&1 || true
  fi
fi

# --- 2. the bench jar (offline first: everything is normally in ~/.m2 already) ---
if [[ "${SKIP_BUILD:-0}" != 1 && -z "${BENCH_JAR:-}" ]]; then
  echo "prepare: building bench/target/benchmarks.jar" >&2
  (cd "$REPO" && { mvn -B -q -o -pl bench package -DskipTests || mvn -B -q -pl bench package -DskipTests; })
fi
[[ -f "$JAR" ]] || { echo "prepare: $JAR is missing (build: mvn -B -q -pl bench package)" >&2; exit 1; }
CLIENT_CLASSES=$(unzip -l "$JAR" 'io/msf/client/internal/*.class' 2>/dev/null | grep -c '\.class$' || true)
if [[ "$CLIENT_CLASSES" -lt 2 ]]; then
  echo "prepare: the msf client in $JAR is a stub ($CLIENT_CLASSES internal classes): install bundles/client" \
       "(mvn -B -q -pl bundles/client install) and run again" >&2
  exit 1
fi

# --- 3. the probe bundle: its classes from the bench build, HdrHistogram inside (private) ---
PROBE_DIR="$OUT/probe-classes"
rm -rf "$PROBE_DIR" && mkdir -p "$PROBE_DIR"
(cd "$PROBE_DIR" && unzip -q -o "$JAR" 'io/msf/bench/broker/probe/*' 'org/HdrHistogram/*')
"$JAR_BIN" --create --file "$OUT/bench-probe.jar" --manifest "$HERE/probe.MF" -C "$PROBE_DIR" .
echo "prepare: ready ($(nats-server --version), $(basename "$JAR"), $OUT/bench-probe.jar)" >&2
