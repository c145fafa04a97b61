#!/bin/sh
# Test of bin/msf's own logic (exit codes, messages, the pid file) against stand-in javas: shell
# scripts in a JAVA_HOME of their own that print what a launcher prints and do what it does to the
# data folder. No JVM runs and no port is taken, so it runs beside any container of the machine.
#
#   runtime-assembly/src/test/bin-msf-check.sh [ASSEMBLY_DIR]
#
# ASSEMBLY_DIR: an assembly whose bin/msf and etc/config.properties are tested; by default the
# sources' own (runtime-assembly/src/main), no build needed. smoke.sh runs it on the assembly it tests.
# Ends with "N passed, N failed"; exit code 0 only if none failed.

set -u
unset CDPATH # an exported one would make the cd below print the folder too

HERE=$(cd "$(dirname "$0")" && pwd -P)
SOURCE=${1:-$HERE/../main}
[ -f "$SOURCE/bin/msf" ] && [ -f "$SOURCE/etc/config.properties" ] || {
    echo "bin-msf-check: no bin/msf and etc/config.properties under '$SOURCE'" >&2
    exit 2
}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/msf-bin-check.XXXXXX")
mkdir -p "$WORK/msf/bin" "$WORK/msf/etc" "$WORK/msf/lib" "$WORK/msf/bundle"
cp "$SOURCE/bin/msf" "$WORK/msf/bin/msf"
cp "$SOURCE/etc/config.properties" "$WORK/msf/etc/config.properties"
chmod +x "$WORK/msf/bin/msf"
MSF=$WORK/msf/bin/msf
MSF_DATA=$WORK/data
MSF_CDS=off # no class data archive: the stand-ins are no JVM
export MSF_DATA MSF_CDS
unset MSF_JAVA_OPTS MSF_START_TIMEOUT MSF_STOP_TIMEOUT MSF_CONSOLE_SOCKET
OUT=$WORK/out
passed=0
failed=0

standins= # pids of the stand-in containers started, ended by the cleanup whatever happened

# is_standin PID: whether PID is still one of this test's stand-ins, not a pid reused since by another program
is_standin() {
    [ -r "/proc/$1/cmdline" ] || return 0 # no /proc to tell: as before
    tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | grep -qF "$WORK/"
}

cleanup() {
    for standin in $standins; do
        if is_standin "$standin"; then
            kill -9 "$standin" 2>/dev/null
        fi
    done
    rm -rf "$WORK"
}
# a signal ends the test through its exit, and so its cleanup (see smoke.sh)
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

. "$HERE/checks.sh" # check NAME EXPECTED_CODE [GREP_PATTERN] -- COMMAND...

# standin_java NAME: a JAVA_HOME $WORK/NAME whose bin/java runs the script on stdin, as Java 17
standin_java() {
    mkdir -p "$WORK/$1/bin"
    cat >"$WORK/$1/bin/java"
    chmod +x "$WORK/$1/bin/java"
    echo 'JAVA_VERSION="17.0.9"' >"$WORK/$1/release"
}

# with NAME COMMAND...: COMMAND with stand-in NAME as JAVA_HOME
with() {
    java_home=$WORK/$1
    shift
    env JAVA_HOME="$java_home" "$@"
}

# recorded: notes the stand-in the pid file names, for the cleanup
recorded() {
    standins="$standins $(cat "$MSF_DATA/msf.pid" 2>/dev/null)"
}

# A start whose launcher lists bundles of bundle/<level>/ that are not active after its ready line
# (a core bundle that did not resolve, or whose activator failed) is a failed start: exit 1, the
# container running on, as after NOT READY. Exit 0 told a service manager all was well.
standin_java inactive-java <<'EOF'
#!/bin/sh
trap 'exit 0' TERM
echo "msf ready in 1 ms (1 bundles)"
echo "msf: 1 bundle(s) not active:" >&2
echo "msf:   io.msf.monitor 1.0.0 (bundle/4/msf-monitor.jar) is INSTALLED (not resolved): missing requirement" >&2
echo "msf console ready (2 bundles)"
while :; do sleep 1; done
EOF
check "a start with a bundle not active is 1, naming the bundle" 1 \
    "^msf:   io.msf.monitor 1.0.0 .* is INSTALLED" -- with inactive-java "$MSF" start
recorded
cp "$OUT" "$WORK/inactive.out"
check "and says the container runs on" 0 "^msf: started, but 1 bundle\(s\) of .*/bundle are not active .*runs on as pid [0-9]+" \
    -- cat "$WORK/inactive.out"
check "(which it does)" 0 "^msf is running" -- "$MSF" status
check "(stop)" 0 "^msf stopped" -- "$MSF" stop
standin_java problem-java <<'EOF'
#!/bin/sh
trap 'exit 0' TERM
echo "msf ready in 1 ms (1 bundles)"
echo "msf: 1 problem(s) of running bundles:" >&2
echo "msf:   io.msf.agent: cannot listen on 127.0.0.1:7420 (tcpHost/tcpPort/tls*): in use" >&2
echo "msf console ready (2 bundles)"
while :; do sleep 1; done
EOF
# a listener is tried again in the background until it opens: the start stands, and says so
check "a start with a problem of a running bundle only is 0, showing it" 0 \
    "^msf:   io.msf.agent: cannot listen" -- with problem-java "$MSF" start
recorded
check "(stop)" 0 "^msf stopped" -- "$MSF" stop

# A container that ended during stop's wait, its pid now another program's (pid reuse) or a zombie
# nobody reaps (PID 1 of a Docker container that is no init): stop waited on that pid for its whole
# timeout, then said the container was still running and told to kill -9 it. Stood in for by a java
# that turns into another program at SIGTERM, under the same pid.
standin_java reused-java <<'STANDIN'
#!/bin/sh
trap 'exec sleep 60' TERM
echo "msf ready in 1 ms (1 bundles)"
echo "msf console ready (2 bundles)"
while :; do sleep 1; done
STANDIN
check "(a container whose pid becomes another program's at its stop starts)" 0 "^msf ready in " -- \
    with reused-java "$MSF" start
recorded
check "stop sees it ended once its pid is another program's" 0 "^msf stopped" -- env MSF_STOP_TIMEOUT=5 "$MSF" stop
check "(status: not running)" 3 "^msf is not running$" -- "$MSF" status

# A stop while a start has taken the start lock but not yet launched its container (it reads the
# JDK's version and chooses the JVM options first): stop said "msf is not running", exit 0, and the
# container came up after it. Stood in for by a java without a release file that takes 3 s to
# answer -version, and 5 s more to be ready when launched.
mkdir -p "$WORK/slow-version-java/bin"
cat >"$WORK/slow-version-java/bin/java" <<'STANDIN'
#!/bin/sh
if [ "$1" = -version ]; then
    sleep 3
    echo 'openjdk version "17.0.9" 2023-10-17' >&2
    exit 0
fi
trap 'exit 0' TERM
sleep 5 # booting
echo "msf ready in 1 ms (1 bundles)"
echo "msf console ready (2 bundles)"
while :; do sleep 1; done
STANDIN
chmod +x "$WORK/slow-version-java/bin/java"
with slow-version-java "$MSF" start >"$WORK/slow-start.out" 2>&1 &
starter=$!
tries=50
until [ -s "$MSF_DATA/msf.start.lock/pid" ] || [ "$tries" -eq 0 ]; do
    tries=$((tries - 1))
    sleep 0.1 2>/dev/null || sleep 1
done
check "status during a start that has not launched its container yet says it is starting" 0 \
    "^msf is starting \(a start of it, pid [0-9]+, is in progress; home " -- "$MSF" status
check "a stop during a start that has not launched its container yet stops that container" 0 \
    "^msf stopped \(pid [0-9]+\)$" -- "$MSF" stop
wait "$starter"
start_code=$?
recorded
check "and that start says it exited" 1 "exited during start" -- \
    sh -c 'cat "$0"; exit "$1"' "$WORK/slow-start.out" "$start_code"
check "(status: not running)" 3 "^msf is not running$" -- "$MSF" status

# A container of start ignores SIGINT, as a script's background job does (the JVM leaves a signal
# ignored at its start so): a Ctrl-C where start ran, which reaches every process of its group,
# does not stop it. Stood in for by a java that would end at SIGINT (a shell cannot trap a signal
# ignored at its start either).
standin_java interrupted-java <<'STANDIN'
#!/bin/sh
trap 'exit 0' INT TERM
echo "msf ready in 1 ms (1 bundles)"
echo "msf console ready (2 bundles)"
while :; do sleep 1; done
STANDIN
check "(a container that would end at SIGINT starts)" 0 "^msf ready in " -- with interrupted-java "$MSF" start
recorded
interrupted=$(cat "$MSF_DATA/msf.pid" 2>/dev/null)
# never an empty pid: kill -INT 0 would signal this test's own process group, and whoever ran it
if [ -n "$interrupted" ]; then
    kill -INT "$interrupted" 2>/dev/null
fi
sleep 2
check "a container of start is not stopped by SIGINT (a Ctrl-C where start ran)" 0 "^msf is running" -- "$MSF" status
check "(SIGTERM stops it: stop)" 0 "^msf stopped" -- "$MSF" stop

# stop waits for the launcher's msf.stop.timeout, read from etc/config.properties as the launcher
# (java.util.Properties) reads it: "key N", blanks only between them, was not read, and stop waited
# the default 20 s (and 10 s more), giving up on a container still within its own limit. Shown by the
# limit a forced stop names, stood in for by a java that records its forced stop at SIGTERM.
standin_java forced-java <<'STANDIN'
#!/bin/sh
trap 'echo "$$" >"$MSF_DATA/msf.stop.forced"; exit 1' TERM
echo "msf ready in 1 ms (1 bundles)"
echo "msf console ready (2 bundles)"
while :; do sleep 1; done
STANDIN
cp "$WORK/msf/etc/config.properties" "$WORK/config.properties"
sed 's/^msf\.stop\.timeout = 20$/msf.stop.timeout   37/' "$WORK/config.properties" >"$WORK/msf/etc/config.properties"
check "(a container with 'msf.stop.timeout<blanks>37' in etc/config.properties starts)" 0 "^msf ready in " -- \
    with forced-java "$MSF" start
recorded
check "stop reads 'key N' in etc/config.properties as the launcher does" 1 \
    "^msf: pid [0-9]+ did not stop within msf.stop.timeout \(37 s\)" -- "$MSF" stop
cp "$WORK/config.properties" "$WORK/msf/etc/config.properties"

# A start lock whose pid cannot be written (a full disk; stood in for by a file size limit of 0, its
# signal ignored so that the write fails instead): the start says so at once and leaves no lock that
# the next start would take 10 s to find stale. The limit is for bin/msf alone: what it prints goes
# through a pipe, not a file it could not write either.
check "a start lock whose pid cannot be written is refused at once, saying how much room is left" 1 \
    "^msf: cannot take the start lock .*/msf.start.lock: its pid could not be written \(([0-9]+ KB free|no space left) on the disk of " -- \
    sh -c 'said=$( (ulimit -f 0; trap "" XFSZ; exec "$0" start) 2>&1 ); code=$?; printf "%s\n" "$said"; exit "$code"' "$MSF"
check "(and leaves no start lock behind)" 1 "" -- test -e "$MSF_DATA/msf.start.lock"

# A pid file holding 0 (by hand, or a file mended badly): kill -0 0 succeeds, for this process's own
# group, and no /proc/0 tells otherwise, so status said "msf is running (pid 0)" and stop sent SIGTERM
# to its own process group: itself, and the script that called it. In a session of its own here.
mkdir -p "$MSF_DATA"
echo 0 >"$MSF_DATA/msf.pid"
check "a pid file holding 0 is a broken one for status" 1 \
    "^msf is not running, but its pid file is left \(broken pid file .*/msf.pid, which names no pid: '0'\)" -- \
    "$MSF" status
check "and stop signals no process group, removing it" 0 "^msf is not running \(removed the broken pid file .*/msf.pid, which names no pid: '0'\)" -- \
    setsid -w "$MSF" stop
check "(which it did)" 1 "" -- test -e "$MSF_DATA/msf.pid"

# A pid file was read by dropping every character but digits: one holding -1 named pid 1 (init), and
# one of two lines, 12 and 34, pid 1234. Its first line alone is read, and it must be a pid as the
# launcher writes it (digits, no leading 0); anything else is a broken pid file, shown cut short.
echo -1 >"$MSF_DATA/msf.pid"
check "a pid file holding -1 is a broken one for status, not pid 1" 1 \
    "^msf is not running, but its pid file is left \(broken pid file .*/msf.pid, which names no pid: '-1'\)" -- \
    "$MSF" status
check "and for stop, which removes it" 0 "^msf is not running \(removed the broken pid file .*/msf.pid, which names no pid: '-1'\)" -- \
    setsid -w "$MSF" stop
check "(which it did)" 1 "" -- test -e "$MSF_DATA/msf.pid"
printf '12\n34\n' >"$MSF_DATA/msf.pid"
check "a pid file of two lines names the pid of its first, not their digits run together" 0 \
    "^msf is not running \(removed the stale pid file naming pid 12:" -- setsid -w "$MSF" stop
printf '%s\n' "pid=$(printf '%060d' 7)" >"$MSF_DATA/msf.pid"
check "a long broken pid file is shown cut short" 0 \
    "^msf is not running \(removed the broken pid file .*/msf.pid, which names no pid: 'pid=0{36}\.\.\.'\)$" -- \
    setsid -w "$MSF" stop
printf '1 2\n' >"$MSF_DATA/msf.pid"
check "a first line with more than digits is broken" 1 "which names no pid: '1 2'\)" -- "$MSF" status
# The launcher (PidFile.pidIn) reads by the same rule: a space or a sign before the digits is no pid to either
printf ' 12\n' >"$MSF_DATA/msf.pid"
check "a pid after a space is broken, as for the launcher" 1 "which names no pid: ' 12'\)" -- "$MSF" status
printf '+12\n' >"$MSF_DATA/msf.pid"
check "a pid with a sign is broken, as for the launcher" 1 "which names no pid: '\+12'\)" -- "$MSF" status
rm -f "$MSF_DATA/msf.pid"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
