#!/usr/bin/env bash
# Child msf container: start-to-ready, and death-to-ready after kill -9 (target <= 1 s).
#
#   bench/supervisor/child-restart.sh [ASSEMBLY_DIR] [ROUNDS]
#
# ASSEMBLY_DIR: an msf assembly with the supervisor bundle (default: runtime-assembly/target/msf-*/).
# It is copied (without its data/) to bench/target/supervisor/msf/, its TCP ports moved to free ones
# (bench_private_ports of bench/lib.sh): the shipped 7000 and 9464 (and the agent's TCP port, if turned
# on; it is off as shipped) may be those of a container
# already running on this machine (a user's, a CI's), which this one would fail to bind or, stopped
# and started by this script, disturb. The copy is started with an msf.process~bench-child.cfg (type container, no crash-loop limit,
# the supervisor's defaults otherwise: profile service, kept framework cache, class data sharing),
# waits for the child's status file (data/children/bench-child/data/msf.status) to say ready,
# (its etc/ seeded from bench/supervisor/child-etc: the child's agent without TCP listener),
# and for the class-data archive the child writes once after its first ready line,
# then ROUNDS times (default 5): kill -9 the child, and time until a new child reports ready.
# EXTRA_CFG: more lines for the child's configuration, e.g. EXTRA_CFG='classDataSharing = false'.
# WARM_SPARE=1: the child gets warmSpare = true, and each kill waits until a spare is booted and
# waiting (the supervisor boots one once the previous run is ready), so every restart is a promotion.
# Times are wall-clock milliseconds from the script; "jvm" is the child's own figure (JVM start
# to its ready line). The container is stopped and the configuration removed at the end.
set -eu

here=$(cd "$(dirname "$0")/../.." && pwd)
source "$here/bench/lib.sh" # bench_private_ports
SOURCE=${1:-$(ls -d "$here"/runtime-assembly/target/msf-*/ | head -n 1)}
ROUNDS=${2:-5}
SOURCE=$(cd "$SOURCE" && pwd)
ASM=$here/bench/target/supervisor/msf
if [ -r "$ASM/data/msf.pid" ]; then
    "$ASM/bin/msf" stop >/dev/null 2>&1 || true # a copy left running by an interrupted run
fi
rm -rf "$ASM" && mkdir -p "$ASM"
(cd "$SOURCE" && tar --exclude=./data -cf - .) | (cd "$ASM" && tar -xf -)
bench_private_ports "$ASM"
echo "bench: running a copy of $SOURCE in $ASM (agent tcpPort $(sed -n 's/^tcpPort = //p' "$ASM/etc/msf.agent.cfg"), -1 = off)"
CFG=$ASM/etc/msf.process~bench-child.cfg
CHILD=$ASM/data/children/bench-child
STATUS=$CHILD/data/msf.status
RECORD=$CHILD/proc.pid

now_ms() { date +%s%3N; }

field() { # field FILE KEY
    sed -n "s/^$2=//p" "$1" 2>/dev/null
}

child_pid() {
    [ -r "$RECORD" ] && cut -d' ' -f1 "$RECORD" || true
}

# wait_ready OLD_PID: until a child other than OLD_PID reports ready; prints its pid
wait_ready() {
    deadline=$(( $(now_ms) + 60000 ))
    while [ "$(now_ms)" -lt "$deadline" ]; do
        pid=$(child_pid)
        if [ -n "$pid" ] && [ "$pid" != "$1" ] && [ "$(field "$STATUS" ready)" = true ]; then
            echo "$pid"
            return 0
        fi
        sleep 0.01
    done
    echo "bench: no ready child within 60 s; see $ASM/data/log/proc-bench-child.log" >&2
    return 1
}

cleanup() {
    "$ASM/bin/msf" stop >/dev/null 2>&1 || true
    rm -f "$CFG"
}
trap cleanup EXIT

"$ASM/bin/msf" stop >/dev/null 2>&1 || true
rm -rf "$CHILD" "$ASM"/data/log/proc-bench-child.log*
"$ASM/bin/msf" start

t0=$(now_ms)
cat >"$CFG" <<CFG
# bench/supervisor: a child container, restarted without limit; a run of 1 s counts as healthy,
# so each kill is met with the immediate first restart
type = container
etcSource = $here/bench/supervisor/child-etc
restart = always
backoffMaxMillis = 1000
maxRestarts = 0
warmSpare = $([ "${WARM_SPARE:-0}" = 1 ] && echo true || echo false)
${EXTRA_CFG:-}
CFG
pid=$(wait_ready none)
echo "first start: $(( $(now_ms) - t0 )) ms from the config file to ready (jvm $(field "$STATUS" readyMillis) ms; includes the FileInstall poll), pid $pid"
# the class-data archive (classDataSharing, on by default) is written once, after the first ready
t0=$(now_ms)
while ! grep -q '^msf: class data archive written' "$ASM"/data/log/proc-bench-child.log 2>/dev/null &&
    ! grep -q '^msf: cannot write the class data archive' "$ASM"/data/log/proc-bench-child.log 2>/dev/null &&
    [ $(( $(now_ms) - t0 )) -lt 15000 ]; do
    sleep 0.05
done
grep -h '^msf: .*class data archive' "$ASM"/data/log/proc-bench-child.log || echo "no class data archive (classDataSharing off?)"

# wait_spare N: until N spares have reported waiting for their promotion (WARM_SPARE=1 only)
wait_spare() {
    [ "${WARM_SPARE:-0}" = 1 ] || return 0
    deadline=$(( $(now_ms) + 60000 ))
    while [ "$(grep -c 'waiting for its promotion' "$ASM"/data/log/proc-bench-child.log 2>/dev/null)" -lt "$1" ]; do
        if [ "$(now_ms)" -gt "$deadline" ]; then
            echo "bench: no warm spare within 60 s; see $ASM/data/log/proc-bench-child.log" >&2
            return 1
        fi
        sleep 0.05
    done
}

i=1
while [ "$i" -le "$ROUNDS" ]; do
    wait_spare "$i"
    t0=$(now_ms)
    kill -9 "$pid"
    pid=$(wait_ready "$pid")
    echo "restart $i: $(( $(now_ms) - t0 )) ms from kill -9 to ready (jvm $(field "$STATUS" readyMillis) ms), pid $pid"
    i=$((i + 1))
done

"$ASM/bin/msf" exec proc:list
rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null; }
echo "child RSS: $(rss_mb "$pid") MB"
if [ "${WARM_SPARE:-0}" = 1 ] && wait_spare $((ROUNDS + 1)); then
    sleep 2 # let it settle
    for spare in $(pgrep -f -- '-Dmsf.spare=true'); do
        [ "$spare" != "$pid" ] && echo "waiting warm spare RSS: $(rss_mb "$spare") MB (pid $spare)"
    done
fi
# the child's own console, through its socket in its data folder
MSF_DATA=$CHILD/data "$ASM/bin/msf" exec 'msf:info' | head -n 4

# a dead parent leaves no orphan: kill -9 the parent, the child must end by itself
parent=$(tr -cd '0-9' <"$ASM/data/msf.pid")
t0=$(now_ms)
kill -9 "$parent"
while kill -0 "$pid" 2>/dev/null; do
    if [ $(( $(now_ms) - t0 )) -gt 30000 ]; then
        echo "bench: FAILED: child $pid still alive 30 s after its parent was killed" >&2
        exit 1
    fi
    sleep 0.01
done
echo "parent killed with -9: the child ended by itself after $(( $(now_ms) - t0 )) ms"
