# Shared set-up of the bench scripts (bash). Source it, then call
#   bench_setup NAME DEFAULT_ROUNDS "$@"
# which sets REPO (the repository), OUT (bench/target/NAME, created), ROUNDS (the first argument,
# a positive number, default DEFAULT_ROUNDS), JAVA_HOME (exported; default: the JDK of `java` on the
# PATH), JAVA and JAR (bench/target/benchmarks.jar).

bench_setup() {
  local name=$1 default_rounds=$2
  shift 2
  REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  OUT="$REPO/bench/target/$name"
  ROUNDS=${1:-$default_rounds}
  [[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [rounds]" >&2; exit 2; }
  if [[ -z "${JAVA_HOME:-}" ]]; then
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  fi
  export JAVA_HOME
  JAVA="$JAVA_HOME/bin/java"
  JAR="$REPO/bench/target/benchmarks.jar"
  mkdir -p "$OUT"
}

# bench_assembly: the msf assembly to measure (MSF_HOME, else runtime-assembly/target/msf-*/),
# without a trailing slash; empty when there is none.
bench_assembly() {
  local source=${MSF_HOME:-$(ls -d "$REPO"/runtime-assembly/target/msf-*/ 2>/dev/null | head -1 || true)}
  echo "${source%/}"
}

# bench_free_port: a TCP port free on 127.0.0.1 right now.
bench_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# bench_private_ports HOME: moves the TCP ports of the msf assembly copy at HOME (the echo
# endpoint's, the monitor's HTTP endpoint: 7000 and 9464 as shipped; the agent's listener if it is
# on, which it is not as shipped: tcpPort = -1 stays) to ports free now, so that the container
# measured neither takes the ports of one running on this machine (a user's, a CI's) nor fails on
# them, which would put bind errors into what is measured. Only for a copy: it edits HOME/etc.
bench_private_ports() {
  local etc=$1/etc key_file key file port
  for key_file in "port:msf.net.endpoint~echo.cfg" "tcpPort:msf.agent.cfg" "port:msf.monitor.cfg"; do
    key=${key_file%%:*} file=$etc/${key_file#*:}
    [[ -f "$file" ]] || continue # a copy without it (the benchmark removed it) listens on nothing there
    grep -Eq "^$key[[:space:]]*=[[:space:]]*-1[[:space:]]*\$" "$file" && continue # off: measured as shipped
    port=$(bench_free_port)
    if grep -Eq "^$key[[:space:]]*=" "$file"; then
      sed -i -E "s/^$key[[:space:]]*=.*/$key = $port/" "$file"
    else # the key left at its default (commented out, as msf.monitor.cfg ships it)
      printf '\n# bench: a port free for this run\n%s = %s\n' "$key" "$port" >>"$file"
    fi
    grep -Eq "^$key = $port\$" "$file" || { echo "bench: could not set $key in $file" >&2; return 1; }
  done
}
