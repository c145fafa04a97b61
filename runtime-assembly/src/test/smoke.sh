#!/bin/sh
# Smoke test of a built assembly through bin/msf, as an operator would use it:
# status, start (ready line), refusing a second start, exec over data/msf.sock (and a console
# socket configured elsewhere, found through data/msf.sock.path or MSF_CONSOLE_SOCKET), exec and
# console under the C locale, the demo services talking through the agent, live changes saved
# into etc/, stop, exit codes, an install folder with a space in its path, two starts at once and
# the start lock, an etc/config.properties the launcher cannot read, a System.exit and a stop 0
# told, a stale pid file naming another data folder's container, arguments and environment values
# refused, the wait of stop, a shared data folder refused, one another user cannot see into, the
# console log truncated in place.
#
#   runtime-assembly/src/test/smoke.sh [ASSEMBLY_DIR]
#
# ASSEMBLY_DIR defaults to the newest runtime-assembly/target/msf-*/ (build it first:
# mvn -B -q -DskipTests -pl runtime-assembly -am install). The test runs a throw-away copy of the
# assembly (it deploys, undeploys and restarts), so the assembly you may be using is not touched.
# Ends with "N passed, N failed"; exit code 0 only if none failed.

set -u
unset CDPATH # an exported one would make the cd below print the folder too

HERE=$(cd "$(dirname "$0")" && pwd -P)
ASSEMBLY=${1:-$(ls -dt "$HERE"/../../target/msf-*/ 2>/dev/null | head -n 1)}
[ -n "$ASSEMBLY" ] && [ -x "$ASSEMBLY/bin/msf" ] || {
    echo "smoke: no assembly (bin/msf) at '${ASSEMBLY}'; build it first" >&2
    exit 2
}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/msf-smoke.XXXXXX")
cp -R "$ASSEMBLY" "$WORK/msf"
MSF="$WORK/msf/bin/msf"
export MSF_DATA="$WORK/data"
OUT="$WORK/out"
passed=0
failed=0

fakes= # stand-in processes of the pid file checks

cleanup() {
    "$MSF" stop >/dev/null 2>&1
    MSF_DATA="$WORK/msf home/data" "$WORK/msf home/bin/msf" stop >/dev/null 2>&1
    for fake in $fakes; do
        kill "$fake" 2>/dev/null
    done
    # a container bin/msf lost track of (a failed check) must not outlive the test
    for leftover in $(pgrep -f -- "-Dmsf.data=$MSF_DATA "); do
        kill -9 "$leftover" 2>/dev/null
    done
    rm -rf "$WORK"
}
# a signal ends the test through its exit, and so its cleanup: a trap of the signal alone would
# clean up, then go on with the checks in a folder that is gone
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

. "$HERE/checks.sh" # check NAME EXPECTED_CODE [GREP_PATTERN] -- COMMAND...

# wait_for PATTERN FILE SECONDS: succeeds as soon as FILE has a line matching PATTERN (grep -E),
# fails (printing the pattern) if none came within SECONDS.
wait_for() {
    tries=$3
    while [ "$tries" -gt 0 ]; do
        grep -Eq "$1" "$2" 2>/dev/null && return 0
        tries=$((tries - 1))
        sleep 1
    done
    grep -Eq "$1" "$2" 2>/dev/null && return 0
    echo "no line matching /$1/ in $2 within $3 s"
    return 1
}

# exec_until SECONDS COMMAND: exec, again every second until it answers
exec_until() {
    tries=$1
    shift
    until "$MSF" exec "$@" 2>/dev/null; do
        tries=$((tries - 1))
        [ "$tries" -gt 0 ] || { "$MSF" exec "$@"; return 1; }
        sleep 1
    done
}

# inode_until SECONDS FILE: prints FILE's inode as soon as it exists, looking every second
inode_until() {
    tries=$1
    until [ -e "$2" ]; do
        tries=$((tries - 1))
        [ "$tries" -gt 0 ] || { echo "no $2 within $1 s"; return 1; }
        sleep 1
    done
    stat -c %i "$2"
}

# said_or_show PATTERN FILE SECONDS: wait_for's, showing the launcher's own lines if it fails
said_or_show() {
    wait_for "$@" || { grep '^msf: ' "$2"; return 1; }
}

# not_running_within SECONDS: succeeds as soon as status says the container is not running
not_running_within() {
    tries=$1
    while [ "$tries" -gt 0 ]; do
        "$MSF" status >/dev/null 2>&1 || return 0
        tries=$((tries - 1))
        sleep 1
    done
    echo "still running after $1 s"
    return 1
}

# list_until PATTERN: msf:list, again every second until a line matches (at most 30 s)
list_until() {
    tries=30
    while [ "$tries" -gt 0 ] && ! "$MSF" exec 'msf:list' | grep -Eq "$1"; do
        tries=$((tries - 1))
        sleep 1
    done
    "$MSF" exec 'msf:list'
}

check "status before start is 3" 3 "not running" -- "$MSF" status
# a mistyped command is named before the help, which alone left one wondering what went wrong
check "an unknown command is refused, naming it" 2 "^msf: unknown command: stat$" -- "$MSF" stat
check "no command at all is refused, saying so" 2 "^msf: a command is needed$" -- "$MSF"
# as typed: dash's echo (/bin/sh here) took its backslashes for escapes, and \c cut the line short
check "an unknown command is named as typed, backslashes and all" 2 '^msf: unknown command: st\\cat$' -- "$MSF" 'st\cat'
# the help gives the default JVM options themselves: it named a variable of the script
check "the help gives the JVM options MSF_JAVA_OPTS replaces" 0 "" -- sh -c \
    'defaults=$(sed -n "s/^DEFAULT_JAVA_OPTS=\"\(.*\)\"\$/\1/p" "$1")
    [ -n "$defaults" ] && "$1" help | tr -s " \n" "  " | grep -qF -- "replacing the defaults $defaults;"' sh "$MSF"
check "start prints the ready line" 0 "^msf ready in [0-9]+ ms \([0-9]+ bundles\)" -- "$MSF" start
check "console log has the ready line" 0 "^msf ready in" -- cat "$MSF_DATA/log/console.out"
# bin/msf records no archive of its own on Java 25+ (the JVM crashes after an in-process dump)
JAVA_CMD=${JAVA_HOME:+$JAVA_HOME/bin/}java
JAVA_MAJOR=$("$JAVA_CMD" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\)$/\1/p')
if [ "${JAVA_MAJOR:-0}" -ge 25 ]; then
    check "on Java $JAVA_MAJOR the first start records no class data archive" 1 "" -- \
        sh -c 'tr "\0" " " </proc/$(cat "$MSF_DATA/msf.pid")/cmdline | grep -q RecordDynamicDumpInfo'
else
    check "the first start records a class data archive" 0 "" -- \
        wait_for "^msf: class data archive written: $MSF_DATA/classes-[0-9]+\.jsa$" "$MSF_DATA/log/console.out" 60
fi
# what the JVM itself prints about its options, the archive or native access (bin/msf adds options
# of its own by Java version: .ci/run runs this test on Java 25 too)
JVM_NOISE='^\[[0-9.]+s\]\[(error|warning) *\]|^WARNING: (A restricted|A terminally|sun\.misc|Use --)|VM warning'
# Succeeds when log $1 has such a line. Not of msf's options: the JVM's warning that its pid's
# /tmp/hsperfdata file is held by a JVM of another pid namespace sharing /tmp (a build in a container).
jvm_noise() {
    grep -E "$JVM_NOISE" "$1" | grep -Ev '^\[[0-9.]+s\]\[warning *\]\[perf,memops *\] Cannot use file .* because it is locked by another process' | grep -q .
}
check "the JVM printed no warning or error" 1 "" -- jvm_noise "$MSF_DATA/log/console.out"
# every entry of msf.init.classes names a bundle that started and a class it could set up
# (the launcher reports any other on the console)
check "the start-up classes were set up in the background" 1 "" -- \
    grep -q "msf.init.classes" "$MSF_DATA/log/console.out"
check "status while running is 0" 0 "msf is running \(pid [0-9]+" -- "$MSF" status
check "a second start is refused" 1 "already running" -- "$MSF" start
check "data folder is owner-only" 0 "^drwx------" -- ls -ld "$MSF_DATA"
check "the echo endpoints are open" 0 "echo-uds" -- "$MSF" exec net:list

check "exec lb lists the msf bundles" 0 "io\.msf\.shell|msf shell" -- "$MSF" exec 'lb -s'
# the Gogo JLine console (bundle/console/) starts after the ready line, headless in the background
check "the console bundles start after the ready line" 0 "" -- \
    awk '/^msf ready in /{r=NR} /^msf console ready \(2 bundles\)/{c=NR} END{exit !(r && c > r)}' "$MSF_DATA/log/console.out"
check "the headless console probes no terminal" 1 "" -- grep -q "system terminal" "$MSF_DATA/log/console.out"
check "exec has the Gogo JLine commands (pipe, grep)" 0 "Active.*jline" -- "$MSF" exec 'lb -s | grep jline'
# a session's dumb terminal (SessionTerminal, JLine wired by dynamic import): grep writes no colour
# escapes into output taken elsewhere, ls lists, less is refused instead of spinning on the CPU
check "exec output of grep has no terminal escapes" 1 "" -- sh -c '"$1" exec "lb -s | grep jline" | grep -q "$(printf "\033")"' sh "$MSF"
check "exec ls lists a folder" 0 "^etc$" -- "$MSF" exec "ls $WORK/msf"
check "exec less is refused, saying why" 1 "less needs a terminal" -- "$MSF" exec "less $WORK/msf/etc/msf.log.cfg"
check "exec echo" 0 "^hello msf$" -- "$MSF" exec 'echo hello msf'
# an exported CDPATH made bin/msf, run by a relative path, take two lines for its install folder
check "exec by a relative path under an exported CDPATH" 0 "^cdpath$" -- \
    sh -c 'cd "$1" && CDPATH=. exec msf/bin/msf exec "echo cdpath"' sh "$WORK"
# the C locale (a service manager's, ssh without LANG) made the client read words and input as
# ASCII; the value comes back as the command returned it, in UTF-8 whatever the container's locale
check "exec under the C locale keeps non-ASCII words" 0 "^héllo wörld$" -- \
    env LC_ALL=C "$MSF" exec "x = 'héllo wörld'; \$x"
printf '%s\n' "x = 'héllo wörld'; \$x" >"$WORK/console-input"
# input that is no terminal is a script: each line run as exec runs it, without prompts
check "console under the C locale keeps non-ASCII input" 0 "^héllo wörld$" -- \
    sh -c 'LC_ALL=C "$1" console <"$2"' sh "$MSF" "$WORK/console-input"
printf '%s\n' "echo before" "no-such-command-xyz" "echo after" >"$WORK/console-script"
check "a console script runs every line and is 1 when one failed" 1 "line 2 failed" -- \
    sh -c '"$1" console <"$2"' sh "$MSF" "$WORK/console-script"
cp "$OUT" "$WORK/console-script.out"
check "and ran the line after it" 0 "^after$" -- cat "$WORK/console-script.out"
check "exec msf:services shows the core services" 0 "mempool" -- "$MSF" exec 'msf:services'
cp "$OUT" "$WORK/services"
check "no core service is missing" 1 "" -- grep -qiw "missing" "$WORK/services"
check "exec of an unknown command is 1" 1 "" -- "$MSF" exec 'no-such-command-xyz'

# the demo services (deployed from etc/msf.service~*.cfg) talk through the agent: upnp's synchronous GET and RPC at start, then
# a round of async RPC, SET and GET, with dlna's NOTIFY and publication of its new state
# the log's records go to msf.log only: start keeps them out of console.out (msf.log.console=false)
LOG="$MSF_DATA/log/msf.log"
check "console.out holds no record of the log" 1 "" -- grep -Eq ' (INFO|WARN|ERROR) +\[io\.msf\.' "$MSF_DATA/log/console.out"
check "and says where they went" 0 "^msf.log: records go to .*/log/msf.log, not to standard output" -- cat "$MSF_DATA/log/console.out"
check "upnp reached dlna (sync GET)" 0 "" -- wait_for "upnp -> dlna GET \(sync, timeout [0-9]+ ms\): state 'idle'" "$LOG" 30
check "upnp called dlna.library over RPC" 0 "" -- wait_for "upnp -> dlna.library MediaLibrary.tracks\(\) \(RPC, sync\): 4 tracks" "$LOG" 10
check "dlna answered upnp's async SET" 0 "" -- wait_for "upnp -> dlna SET 'playing .*' \(async\): was 'idle'" "$LOG" 15
check "dlna's NOTIFY reached upnp" 0 "" -- wait_for "upnp <- dlna NOTIFY state changed: 'playing " "$LOG" 5
check "dlna's publication reached upnp" 0 "" -- wait_for "upnp <- dlna.state.changed publication: 'playing " "$LOG" 5
check "upnp read the state back (async GET)" 0 "" -- wait_for "upnp -> dlna GET \(async\): 'playing " "$LOG" 5
check "no demo exchange failed" 1 "" -- grep -Eq "(WARN|ERROR) +\[io\.msf\.(upnp|dlna)\]" "$LOG"
check "agent:send reaches upnp" 0 "rounds? with dlna" -- "$MSF" exec 'agent:send upnp 1'
check "agent:send to nobody is PEER_OFFLINE" 1 "PEER_OFFLINE" -- "$MSF" exec 'agent:send nobody 1'
check "agent:peers lists the demo handlers" 0 "dlna.library" -- "$MSF" exec 'agent:peers'
check "msf:list shows the deployed demos" 0 "upnp" -- "$MSF" exec 'msf:list'
check "msf:health answers" 0 "overall" -- "$MSF" exec 'msf:health'
check "proc:list answers" 0 "" -- "$MSF" exec 'proc:list'
# live changes made from the console are saved into the files they came from (README walkthrough)
check "msf:param set applies a parameter" 0 "" -- "$MSF" exec 'msf:param set upnp intervalMillis 500'
check "and saves it into etc/msf.service~upnp.cfg" 0 "" -- \
    wait_for "^param\.intervalMillis *= *500 *$" "$WORK/msf/etc/msf.service~upnp.cfg" 10
check "log:level sets a bundle's level" 0 "" -- "$MSF" exec 'log:level io.msf.net DEBUG'
check "and saves it into etc/msf.log.cfg" 0 "" -- \
    wait_for "^bundleLevels *= *.*io\.msf\.net.{0,3}DEBUG" "$WORK/msf/etc/msf.log.cfg" 10
check "the files keep their comments" 0 "" -- grep -q "^#" "$WORK/msf/etc/msf.log.cfg"
# on the monitor's port of the assembly tested (one given its own ports, as beside other containers)
MONITOR_PORT=$(sed -n 's/^port *= *\([0-9][0-9]*\) *$/\1/p' "$WORK/msf/etc/msf.monitor.cfg")
check "/metrics serves Prometheus text" 0 "^msf_" -- bash -c 'exec 3<>/dev/tcp/127.0.0.1/$1 &&
    printf "GET /metrics HTTP/1.0\r\n\r\n" >&3 && grep -m 1 "^msf_" <&3' sh "${MONITOR_PORT:-9464}"

# msf.console `socket` put elsewhere: the console rebinds there without a restart and writes its
# path to data/msf.sock.path, where bin/msf finds it; MSF_CONSOLE_SOCKET overrides that
# socket_path_is PATH: until data/msf.sock.path names PATH (at most 30 s)
socket_path_is() {
    tries=30
    until [ "$(cat "$MSF_DATA/msf.sock.path" 2>/dev/null)" = "$1" ]; do
        tries=$((tries - 1))
        [ "$tries" -gt 0 ] || { echo "msf.sock.path: '$(cat "$MSF_DATA/msf.sock.path" 2>&1)', not '$1'"; return 1; }
        sleep 1
    done
}
CONSOLE_CFG="$WORK/msf/etc/msf.console.cfg"
cp "$CONSOLE_CFG" "$WORK/msf.console.cfg.orig"
mkdir -m 700 "$WORK/run"
sed -i "s|^socket = .*|socket = $WORK/run/c.sock|" "$CONSOLE_CFG"
check "the console moves to a configured socket and says where" 0 "" -- socket_path_is "$WORK/run/c.sock"
check "its path file is owner-only" 0 "^-rw-------" -- ls -l "$MSF_DATA/msf.sock.path"
check "the default socket is gone" 1 "" -- test -e "$MSF_DATA/msf.sock"
check "exec finds the configured socket" 0 "^moved$" -- "$MSF" exec 'echo moved'
check "console finds it too" 0 "^there$" -- sh -c 'echo "echo there" | "$0" console' "$MSF"
check "MSF_CONSOLE_SOCKET overrides it" 2 "no such socket" -- \
    env MSF_CONSOLE_SOCKET="$WORK/run/none.sock" "$MSF" exec 'echo x'
check "MSF_CONSOLE_SOCKET reaches a container without its MSF_DATA" 0 "^told$" -- \
    env MSF_DATA="$WORK/elsewhere" MSF_CONSOLE_SOCKET="$WORK/run/c.sock" "$MSF" exec 'echo told'
cp "$WORK/msf.console.cfg.orig" "$CONSOLE_CFG"
check "back at the default socket" 0 "" -- socket_path_is "$MSF_DATA/msf.sock"
check "exec finds it there" 0 "^back$" -- "$MSF" exec 'echo back'
check "help names MSF_CONSOLE_SOCKET" 0 "MSF_CONSOLE_SOCKET" -- "$MSF" help
# the console's socket deleted while it runs (a clean-up, a slip of rm): exec says so, the console makes it again
rm "$MSF_DATA/msf.sock"
check "exec without the console's socket says the container runs without it" 2 \
    "^msf: the container runs \(pid [0-9]+\), but its console socket $MSF_DATA/msf.sock is not there: deleted while it ran" \
    -- "$MSF" exec 'echo x'
check "the console listens on it again within 5 s" 0 "^made again$" -- exec_until 15 'echo made again'
check "saying so" 0 "WARN .*console socket $MSF_DATA/msf.sock was deleted or replaced while the console listened on it" -- \
    cat "$MSF_DATA/log/msf.log"
# an endpoint's socket file deleted while it listens (agent.sock: clients outside join through it) is linked again
agent_socket=$(stat -c %i "$MSF_DATA/agent.sock")
rm "$MSF_DATA/agent.sock"
check "the agent's socket is linked again within 5 s, the same socket" 0 "^$agent_socket$" -- \
    inode_until 15 "$MSF_DATA/agent.sock"
check "saying so" 0 "WARN .*its socket file $MSF_DATA/agent.sock was deleted while the endpoint listened; linked it" -- \
    cat "$MSF_DATA/log/msf.log"

# the deployer brings back exactly the configured set after a restart
check "msf:undeploy upnp" 0 "" -- "$MSF" exec 'msf:undeploy upnp'
check "restart without upnp" 0 "msf ready" -- "$MSF" restart
check "dlna came back" 0 "^dlna .*ACTIVE" -- list_until "^dlna .*ACTIVE"
cp "$OUT" "$WORK/list"
if [ "${JAVA_MAJOR:-0}" -lt 25 ]; then
    check "the restart mapped the archive" 0 "XX:SharedArchiveFile=$MSF_DATA/classes-" -- \
        sh -c 'tr "\0" " " </proc/$(cat "$MSF_DATA/msf.pid")/cmdline; echo'
fi
check "and recorded none" 1 "" -- grep -q "class data archive written" "$MSF_DATA/log/console.out"
check "a JVM crash report would go to data/log" 0 "XX:ErrorFile=$MSF_DATA/log/hs_err_pid%p.log" -- \
    sh -c 'tr "\0" " " </proc/$(cat "$MSF_DATA/msf.pid")/cmdline; echo'
# a JDK not built for glibc takes the option, but says at once that it cannot trim (and bin/msf leaves it out)
if "$JAVA_CMD" -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=5000 -version >"$WORK/trim" 2>&1 &&
    ! grep -q "trim is not supported" "$WORK/trim"; then
    check "this JVM can trim its native heap, so it does" 0 "XX:TrimNativeHeapInterval=5000" -- \
        sh -c 'tr "\0" " " </proc/$(cat "$MSF_DATA/msf.pid")/cmdline; echo'
fi
check "the restarted JVM printed no warning or error" 1 "" -- jvm_noise "$MSF_DATA/log/console.out"
check "upnp did not come back" 1 "" -- grep -q "^upnp " "$WORK/list"
check "msf:deploy upnp" 0 "" -- "$MSF" exec 'msf:deploy upnp msf-upnp.jar pid=msf.demo.upnp'
touch "$WORK/msf/lib/"*.jar # an upgraded class path makes the archive stale
check "restart with upnp" 0 "msf ready" -- "$MSF" restart
if [ "${JAVA_MAJOR:-0}" -lt 25 ]; then
    check "a stale archive is recorded again" 0 "" -- \
        wait_for "^msf: class data archive written: " "$MSF_DATA/log/console.out" 60
fi
check "both came back" 0 "^upnp .*ACTIVE" -- list_until "^upnp .*ACTIVE"
check "upnp talks to dlna again" 0 "rounds? with dlna" -- "$MSF" exec 'agent:send upnp 1'

# The pid file removed by hand (or by a start that lost a race to a run): the container is found
# by the pid it wrote into the lock it holds, data/msf.pid.lock
running=$(cat "$MSF_DATA/msf.pid")
mv "$MSF_DATA/msf.pid" "$WORK/msf.pid.saved"
check "without its pid file, status finds the container" 0 "msf is running \(pid $running," -- "$MSF" status
check "and start refuses to start another" 1 "^msf: already running \(pid $running\)$" -- "$MSF" start
mv "$WORK/msf.pid.saved" "$MSF_DATA/msf.pid"
check "stop is 0" 0 "msf stopped" -- "$MSF" stop
check "the container stopped on SIGTERM" 0 "SIGTERM received" -- cat "$MSF_DATA/log/console.out"
check "pid file removed" 1 "" -- test -e "$MSF_DATA/msf.pid"
check "and the console's path file" 1 "" -- test -e "$MSF_DATA/msf.sock.path"
check "status after stop is 3" 3 "not running" -- "$MSF" status
check "exec without a container is 2" 2 "not running" -- "$MSF" exec 'lb'
check "stop when stopped is 0" 0 "not running" -- "$MSF" stop

# An install folder with a space in its path (and so its data folder): the JVM options that name a
# file there (the crash report, the class data archive) reach java whole
SPACED="$WORK/msf home"
cp -R "$WORK/msf" "$SPACED"
rm -rf "$SPACED/data"
export SPACED
spaced() {
    MSF_DATA="$SPACED/data" "$SPACED/bin/msf" "$@"
}
check "a start from a folder with a space in its path is ready" 0 "^msf ready in [0-9]+ ms" -- spaced start
check "its exec answers" 0 "^spaced out$" -- spaced exec 'echo spaced out'
check "its crash report would go to its data/log" 0 "XX:ErrorFile=$SPACED/data/log/hs_err_pid%p.log" -- \
    sh -c 'tr "\0" " " </proc/$(cat "$SPACED/data/msf.pid")/cmdline; echo'
if [ "${JAVA_MAJOR:-0}" -lt 25 ]; then
    check "its class data archive is written" 0 "" -- \
        wait_for "^msf: class data archive written: $SPACED/data/classes-[0-9]+\.jsa$" "$SPACED/data/log/console.out" 60
fi
check "and it stops" 0 "msf stopped" -- spaced stop

# two starts at once (say a service manager and an operator): one takes the data folder's start
# lock, starts the container and prints its ready line with its pid; the other is refused at
# once, naming that start, and launches no JVM (so neither moves the other's console log away)
"$MSF" start >"$WORK/start1" 2>&1 &
first=$!
"$MSF" start >"$WORK/start2" 2>&1 &
second=$!
# refused_within SECONDS: until the output of either start has the refusal
refused_within() {
    tries=$(($1 * 5))
    until grep -Eq "^msf: another start of this container is in progress \(pid [0-9]+\)$" \
        "$WORK/start1" "$WORK/start2" 2>/dev/null; do
        tries=$((tries - 1))
        [ "$tries" -gt 0 ] || { echo "neither start was refused within $1 s"; return 1; }
        sleep 0.2 2>/dev/null || sleep 1
    done
}
check "of two starts at once, one is refused at once" 0 "" -- refused_within 10
wait "$first"
code1=$?
wait "$second"
code2=$?
if [ "$code1" -eq 0 ]; then
    winner=$first winner_out=$WORK/start1 loser_code=$code2 loser_out=$WORK/start2
else
    winner=$second winner_out=$WORK/start2 loser_code=$code1 loser_out=$WORK/start1
fi
running=$(cat "$MSF_DATA/msf.pid" 2>/dev/null)
check "the other reports ready with the running container's pid" 0 "^msf ready in [0-9]+ ms .*\(pid ${running:-none}\)$" -- \
    cat "$winner_out"
check "and only that" 0 "^1$" -- sh -c 'cat "$0" | wc -l | tr -d " "' "$winner_out"
check "the refused one exits 1, naming the start in progress" 0 \
    "^1 msf: another start of this container is in progress \(pid $winner\)$" -- \
    sh -c 'echo "$0 $(cat "$1")"' "$loser_code" "$loser_out"
check "the refused start launched no JVM" 1 "" -- grep -q "cannot start" "$MSF_DATA/log/console.out"
check "and the start lock is gone" 1 "" -- test -e "$MSF_DATA/msf.start.lock"
check "after two starts at once, status finds the container" 0 "msf is running \(pid ${running:-none}" -- "$MSF" status
check "after two starts at once, one launcher runs" 0 "^1$" -- \
    sh -c 'pgrep -f -- "-Dmsf.data=$MSF_DATA " | wc -l | tr -d " "'
check "and stop stops it" 0 "msf stopped" -- "$MSF" stop
check "leaving no launcher behind" 0 "^0$" -- \
    sh -c 'pgrep -f -- "-Dmsf.data=$MSF_DATA " | wc -l | tr -d " "'

# etc/config.properties the launcher cannot read: the start is refused naming the line, not with the
# words of Properties.load ("Malformed \uxxxx encoding.") or of the UTF-8 decoder ("Input length = 1")
PROPS="$WORK/msf/etc/config.properties"
cp "$PROPS" "$WORK/config.properties.good"
lines=$(wc -l < "$PROPS" | tr -d ' ')
printf 'msf.smoke = C:\\\\users\\uZZZZ\n' >> "$PROPS"
check "a broken \\u escape in etc/config.properties is refused, naming its line" 1 \
    "cannot start: etc/config.properties:$((lines + 1)): '.uZZZZ' at column 22 is no unicode escape" -- "$MSF" start
cp "$WORK/config.properties.good" "$PROPS"
printf 'msf.smoke = caf\351\n' >> "$PROPS"
check "and a line that is not UTF-8, naming the line and the byte" 1 \
    "cannot start: etc/config.properties:$((lines + 1)): not UTF-8 \(byte 0xe9 at byte 16 of the line\)" -- "$MSF" start
cp "$WORK/config.properties.good" "$PROPS"

# System.exit from code running in the container (here a console command's) stops it through the
# launcher's shutdown hook, which says who called it, from where
check "start, for a System.exit" 0 "^msf ready in" -- "$MSF" start
"$MSF" exec '((bundle 0) loadClass java.lang.System) exit 3' >/dev/null 2>&1
check "a System.exit stops the container" 0 "" -- not_running_within 30
check "cleanly: no pid file left (status 3, not 1)" 3 "^msf is not running$" -- "$MSF" status
check "and console.out names the thread that called it and from where" 0 \
    "^msf: the JVM is shutting down, stopping: System.exit called by thread 'pipe-\(\(bundle 0\) loadClass" -- \
    cat "$MSF_DATA/log/console.out"
check "with its frames" 0 "^[[:space:]]at org.apache.felix.gogo.runtime.Reflective.invoke" -- cat "$MSF_DATA/log/console.out"
# and the framework stopped from inside (stop 0 at the console), which is no stop request either
check "start, for a stop 0" 0 "^msf ready in" -- "$MSF" start
"$MSF" exec 'stop 0' >/dev/null 2>&1
check "stop 0 stops the container" 0 "" -- not_running_within 30
check "and console.out says it stopped from inside" 0 \
    "^msf: the framework was stopped from inside the container: its system bundle \(bundle 0\) was stopped \(" -- \
    cat "$MSF_DATA/log/console.out"

# The start lock while a start waits for its container, stood in for by a java that never gets
# ready (MSF_CDS=off: no class data archive of this data folder is touched): another start and a
# restart are refused, stop still stops that container (and the start says so), the lock goes with
# a start killed by a signal it can trap, and one left by a start killed with SIGKILL (or by a
# pid reused after a reboot) does not block the next start.
mkdir -p "$WORK/hanging-java/bin"
cat >"$WORK/hanging-java/bin/java" <<'EOF'
#!/bin/sh
echo "stand-in launcher, never ready"
while :; do sleep 1; done
EOF
chmod +x "$WORK/hanging-java/bin/java"
echo 'JAVA_VERSION="17.0.9"' >"$WORK/hanging-java/release"
# hanging_start OUT: a start with the stand-in in the background (its pid in $starter) that has
# taken the lock and recorded the stand-in's pid (in $standin)
hanging_start() {
    JAVA_HOME="$WORK/hanging-java" MSF_CDS=off "$MSF" start >"$1" 2>&1 &
    starter=$!
    standin=
    tries=100
    until [ "$(cat "$MSF_DATA/msf.start.lock/pid" 2>/dev/null)" = "$starter" ] &&
        standin=$(cat "$MSF_DATA/msf.pid" 2>/dev/null) && [ -n "$standin" ] &&
        [ "$standin" != "$starter" ] && grep -q "never ready" "$MSF_DATA/log/console.out" 2>/dev/null; do
        tries=$((tries - 1))
        [ "$tries" -gt 0 ] || break
        sleep 0.1 2>/dev/null || sleep 1
    done
    fakes="$fakes $standin"
}
hanging_start "$WORK/hanging1"
check "a start during a start is refused" 1 "^msf: another start of this container is in progress \(pid $starter\)$" -- \
    "$MSF" start
check "so is a restart, which stops nothing" 1 "in progress \(pid $starter\)" -- "$MSF" restart
check "so is a run, which launches nothing" 1 "^msf: another start of this container is in progress \(pid $starter\)$" -- \
    "$MSF" run
check "stop during a start stops its container" 0 "msf stopped \(pid $standin\)" -- "$MSF" stop
wait "$starter"
check "and that start says it exited" 1 "exited during start" -- sh -c 'cat "$0"; exit "$1"' "$WORK/hanging1" "$?"
check "and leaves no start lock" 1 "" -- test -e "$MSF_DATA/msf.start.lock"

hanging_start "$WORK/hanging2"
kill -TERM "$starter"
wait "$starter"
check "a start ended by SIGTERM leaves no start lock" 1 "" -- test -e "$MSF_DATA/msf.start.lock"
check "(its container still runs; stop stops it)" 0 "msf stopped \(pid $standin\)" -- "$MSF" stop

hanging_start "$WORK/hanging3"
kill -KILL "$starter"
wait "$starter" 2>/dev/null
check "a start killed with SIGKILL leaves its lock" 0 "^$starter$" -- cat "$MSF_DATA/msf.start.lock/pid"
check "(stop stops its container)" 0 "msf stopped \(pid $standin\)" -- "$MSF" stop
check "which does not block the next start" 0 "^msf ready in [0-9]+ ms .*\(pid [0-9]+\)$" -- "$MSF" start
check "whose lock is gone when it is ready" 1 "" -- test -e "$MSF_DATA/msf.start.lock"
check "(stop)" 0 "msf stopped" -- "$MSF" stop
# a stale lock whose pid is now another program's, and one whose maker died before writing its pid
sh -c 'while :; do sleep 1; done' </dev/null >/dev/null 2>&1 &
fakes="$fakes $!"
mkdir "$MSF_DATA/msf.start.lock"
echo "$!" >"$MSF_DATA/msf.start.lock/pid"
check "a lock naming another program's pid is stale" 1 "not ready" -- \
    env JAVA_HOME="$WORK/hanging-java" MSF_CDS=off MSF_START_TIMEOUT=1 "$MSF" start
check "(stop)" 0 "msf stopped" -- "$MSF" stop
mkdir "$MSF_DATA/msf.start.lock"
check "so is a lock without a pid, after 2 s" 1 "not ready" -- \
    env JAVA_HOME="$WORK/hanging-java" MSF_CDS=off MSF_START_TIMEOUT=1 "$MSF" start
check "(stop)" 0 "msf stopped" -- "$MSF" stop
check "no start lock is left" 1 "" -- test -e "$MSF_DATA/msf.start.lock"
# start waits as long as the launcher does (msf.ready.timeout, here from MSF_JAVA_OPTS) and 15 s more
check "start waits for the launcher's own msf.ready.timeout, and 15 s more" 1 "not ready after 15 s" -- \
    env JAVA_HOME="$WORK/hanging-java" MSF_CDS=off MSF_JAVA_OPTS="-Dmsf.ready.timeout=0" "$MSF" start
check "(stop)" 0 "msf stopped" -- "$MSF" stop

# A pid file left by a crash or a reboot whose pid now belongs to the container of another data
# folder (say a sibling child of the supervisor) is stale: status, stop, start and the launcher
# (run) all leave that container alone. It is stood in for by a process with the launcher's
# class name and -Dmsf.data=<its folder> on its command line, as bin/msf and the supervisor start one.
fake_container() {
    sh -c 'while :; do sleep 1; done' io.msf.launcher.Main "-Dmsf.data=$1" </dev/null >/dev/null 2>&1 &
    fake=$!
    fakes="$fakes $fake"
}
mkdir -p "$WORK/sibling/data"
fake_container "$WORK/sibling/data"
sibling=$fake
echo "$sibling" >"$MSF_DATA/msf.pid"
check "status calls the pid of another folder's container stale (1: a pid file is left)" 1 "stale pid file" -- "$MSF" status
check "stop does not signal that container" 0 "not running" -- "$MSF" stop
check "which still runs" 0 "" -- kill -0 "$sibling"
if ! kill -0 "$sibling" 2>/dev/null; then # (stopped by mistake) another, for the checks below
    fake_container "$WORK/sibling/data"
    sibling=$fake
fi
echo "$sibling" >"$MSF_DATA/msf.pid"
check "start does not refuse for it" 0 "^msf ready in " -- "$MSF" start
check "and stop stops this folder's container" 0 "msf stopped" -- "$MSF" stop
# run: the launcher reads the pid file itself (start has recorded its own pid by then)
echo "$sibling" >"$MSF_DATA/msf.pid"
"$MSF" run </dev/null >"$WORK/run.out" 2>&1 &
runner=$!
check "nor does run (the launcher's check)" 0 "" -- wait_for "^msf ready in " "$WORK/run.out" 60
check "whose container status finds" 0 "msf is running \(pid $runner" -- "$MSF" status
check "and stop stops" 0 "msf stopped" -- "$MSF" stop
wait "$runner"
check "the other folder's container still runs" 0 "" -- kill -0 "$sibling"
# its data folder deleted (or moved) under a running container: bin/msf lost it (status "not running",
# stop stopped nothing, a start ran a second container beside it), so it stops, saying why, exit code 1
GONE_DATA="$WORK/gone-data"
MSF_DATA="$GONE_DATA" MSF_CDS=off "$MSF" run </dev/null >"$WORK/gone.out" 2>&1 &
gone=$!
check "a container on a data folder of its own" 0 "" -- wait_for "^msf ready in " "$WORK/gone.out" 60
rm -rf "$GONE_DATA"
# (the folder, or the lock file in it if the watch looks while rm -rf is half way)
check "stops once that folder is deleted, saying why" 0 "" -- said_or_show "^msf: (its data folder $GONE_DATA \(the framework cache, the pid file, the sockets\) was deleted or moved|$GONE_DATA/msf.pid.lock was deleted) while the container ran: bin/msf can no longer find this container \(pid $gone\).*stopping \(exit code 1\)" "$WORK/gone.out" 30
check "and ends" 0 "" -- sh -c 'for i in $(seq 30); do kill -0 "$1" 2>/dev/null || exit 0; sleep 1; done; exit 1' sh "$gone"
kill "$gone" 2>/dev/null
wait "$gone"
gone_code=$?
check "with exit code 1" 0 "" -- test "$gone_code" = 1
# this folder named another way (a symlink, a trailing /) is still this folder
ln -s "$MSF_DATA" "$WORK/data-link"
fake_container "$WORK/data-link/"
echo "$fake" >"$MSF_DATA/msf.pid"
check "status finds this folder's container by its real path" 0 "msf is running \(pid $fake" -- "$MSF" status
check "start refuses while it runs" 1 "already running \(pid $fake" -- "$MSF" start
check "stop signals it" 0 "msf stopped \(pid $fake" -- "$MSF" stop

# A start whose launcher fails after it has claimed the pid file (and removes it on its way out)
# reports that failure, and nothing about the missing file. A stand-in java does what such a
# launcher does to the pid file; MSF_CDS=off: no class data archive of this data folder is touched.
mkdir -p "$WORK/failing-java/bin"
cat >"$WORK/failing-java/bin/java" <<'EOF'
#!/bin/sh
for a; do case $a in -Dmsf.data=*) data=${a#-Dmsf.data=} ;; esac; done
tries=300 # until bin/msf has recorded this process (the pid is kept through nohup's exec)
while [ "$(cat "$data/msf.pid" 2>/dev/null)" != "$$" ] && [ "$tries" -gt 0 ]; do
    sleep 0.1 2>/dev/null || sleep 1
    tries=$((tries - 1))
done
rm -f "$data/msf.pid"
echo "msf: cannot start: stand-in launcher failure" >&2
exit 1
EOF
chmod +x "$WORK/failing-java/bin/java"
echo 'JAVA_VERSION="17.0.9"' >"$WORK/failing-java/release"
check "a start whose launcher failed says so" 1 "exited during start" -- \
    env JAVA_HOME="$WORK/failing-java" MSF_CDS=off "$MSF" start
cp "$OUT" "$WORK/failed-start"
check "and nothing about the pid file it removed" 1 "" -- grep -q "msf\.pid" "$WORK/failed-start"

# A pid file left by a container that ended without a clean stop (a crash, kill -9): status exits 1,
# as an LSB init script's ("dead and pid file exists"), not 3 ("not running")
sh -c 'exit 0' &
gone=$!
wait "$gone"
echo "$gone" >"$MSF_DATA/msf.pid"
check "status with the pid file of a process that is gone is 1, naming the file" 1 "not running.*stale pid file $MSF_DATA/msf.pid" -- \
    "$MSF" status
check "stop clears it, saying so" 0 "not running \(removed the stale pid file naming pid $gone:" -- "$MSF" stop
check "after which status is 3" 3 "^msf is not running$" -- "$MSF" status

# A container whose framework does not stop within msf.stop.timeout ends itself by force (exit code
# 1), recording its pid in data/msf.stop.forced first: stop says so and exits 1; restart starts a
# fresh container all the same. Stood in for by a java that does just that at SIGTERM.
mkdir -p "$WORK/hung-stop-java/bin"
cat >"$WORK/hung-stop-java/bin/java" <<'EOF'
#!/bin/sh
for a; do case $a in -Dmsf.data=*) data=${a#-Dmsf.data=} ;; esac; done
trap 'echo "$$" >"$data/msf.stop.forced"; exit 1' TERM
echo "msf ready in 1 ms (1 bundles)"
echo "msf console ready (2 bundles)"
while :; do sleep 1; done
EOF
chmod +x "$WORK/hung-stop-java/bin/java"
echo 'JAVA_VERSION="17.0.9"' >"$WORK/hung-stop-java/release"
hung_stop() {
    JAVA_HOME="$WORK/hung-stop-java" MSF_CDS=off MSF_JAVA_OPTS="-Dmsf.stop.timeout=7" "$MSF" "$@"
}
check "(a container that will hang in its stop starts)" 0 "^msf ready in " -- hung_stop start
fakes="$fakes $(cat "$MSF_DATA/msf.pid" 2>/dev/null)"
check "a stop the container had to force is 1, saying so" 1 \
    "^msf: pid [0-9]+ did not stop within msf.stop.timeout \(7 s\) and was ended by force" -- hung_stop stop
check "and leaves neither its pid file nor its record" 1 "" -- \
    sh -c 'test -e "$1/msf.pid" || test -e "$1/msf.stop.forced"' sh "$MSF_DATA"
check "(it starts again)" 0 "^msf ready in " -- hung_stop start
fakes="$fakes $(cat "$MSF_DATA/msf.pid" 2>/dev/null)"
check "a restart whose stop was forced says so" 0 "ended by force" -- hung_stop restart
cp "$OUT" "$WORK/restart"
check "then starts a fresh container" 0 "^msf ready in " -- cat "$WORK/restart"
fakes="$fakes $(cat "$MSF_DATA/msf.pid" 2>/dev/null)"
check "(stop, forced again)" 1 "ended by force" -- hung_stop stop

# What the launcher reports after its ready line (bundles not active, problems of running bundles:
# the agent's port taken by another process) is shown by start too, not only in console.out.
# Stood in for by a java that prints such a report.
mkdir -p "$WORK/problem-java/bin"
cat >"$WORK/problem-java/bin/java" <<'EOF'
#!/bin/sh
trap 'exit 0' TERM
echo "msf ready in 1 ms (1 bundles)"
echo "msf: 1 problem(s) of running bundles:" >&2
echo "msf:   io.msf.agent: cannot listen on 127.0.0.1:7420 (tcpHost/tcpPort/tls*): in use" >&2
echo "msf console ready (2 bundles)"
while :; do sleep 1; done
EOF
chmod +x "$WORK/problem-java/bin/java"
echo 'JAVA_VERSION="17.0.9"' >"$WORK/problem-java/release"
check "start shows the problems the launcher lists after its ready line" 0 \
    "^msf:   io.msf.agent: cannot listen on 127.0.0.1:7420" -- env JAVA_HOME="$WORK/problem-java" MSF_CDS=off "$MSF" start
fakes="$fakes $(cat "$MSF_DATA/msf.pid" 2>/dev/null)"
check "(the stand-in stops)" 0 "" -- env JAVA_HOME="$WORK/problem-java" MSF_CDS=off "$MSF" stop

# Arguments and environment values bin/msf cannot take are refused, naming them, before anything
# is done (usage error, 2): "stop now" stopped the container all the same, "console lb" dropped the
# command, a MSF_STOP_TIMEOUT of "30s" ended stop or restart half-way with the shell's "Illegal
# number" (restart: the container stopped, none started again), one of MSF_START_TIMEOUT ended
# start right after it had launched the container, and MSF_CDS=false was taken for on. Stood in
# for by a java that is ready at once.
mkdir -p "$WORK/ready-java/bin"
cat >"$WORK/ready-java/bin/java" <<'EOF'
#!/bin/sh
echo "msf ready in 1 ms (1 bundles)"
echo "msf console ready (2 bundles)"
while :; do sleep 1; done
EOF
chmod +x "$WORK/ready-java/bin/java"
echo 'JAVA_VERSION="17.0.9"' >"$WORK/ready-java/release"
# ready_java [NAME=VALUE...] COMMAND...: COMMAND with the stand-in as JAVA_HOME
ready_java() {
    env JAVA_HOME="$WORK/ready-java" MSF_CDS=off "$@"
}
check "(a container that is ready at once starts)" 0 "^msf ready in " -- ready_java "$MSF" start
standin=$(cat "$MSF_DATA/msf.pid" 2>/dev/null)
fakes="$fakes $standin"
check "stop with an argument is refused, naming it" 2 "^msf: stop takes no arguments, not: now$" -- \
    ready_java "$MSF" stop now
check "and stops nothing" 0 "msf is running \(pid ${standin:-none}" -- "$MSF" status
check "status with an argument is refused" 2 "^msf: status takes no arguments, not: -v$" -- "$MSF" status -v
check "console with an argument is refused, not opened" 2 "^msf: console takes no arguments, not: lb$" -- \
    sh -c '"$0" console lb </dev/null' "$MSF"
check "restart with an argument is refused" 2 "^msf: restart takes no arguments, not: now$" -- \
    ready_java "$MSF" restart now
check "a MSF_STOP_TIMEOUT that is no whole number is refused by stop, naming it" 2 \
    "^msf: MSF_STOP_TIMEOUT must be a whole number of seconds \(at most 9 digits\), not '30s'$" -- \
    ready_java MSF_STOP_TIMEOUT=30s "$MSF" stop
check "and by restart" 2 "^msf: MSF_STOP_TIMEOUT must be a whole number of seconds \(at most 9 digits\), not '30s'$" -- \
    ready_java MSF_STOP_TIMEOUT=30s "$MSF" restart
check "which stop nothing" 0 "msf is running \(pid ${standin:-none}" -- "$MSF" status
check "(stop)" 0 "msf stopped" -- "$MSF" stop
check "a MSF_START_TIMEOUT that is no whole number is refused by start, naming it" 2 \
    "^msf: MSF_START_TIMEOUT must be a whole number of seconds \(at most 9 digits\), not '1.5'$" -- \
    ready_java MSF_START_TIMEOUT=1.5 "$MSF" start
check "so is a MSF_CDS other than on or off" 2 "^msf: MSF_CDS must be on or off, not 'false'$" -- \
    env JAVA_HOME="$WORK/ready-java" MSF_CDS=false "$MSF" start
check "neither started a container" 3 "^msf is not running$" -- "$MSF" status

# Numbers with a leading zero are decimal: the shell read 08 or 09 as a bad octal number and ended
# start (its container launched) or stop (its container signalled) half-way with "Illegal number",
# and 010 as 8
check "a MSF_START_TIMEOUT with a leading zero is taken as decimal" 0 "^msf ready in " -- \
    ready_java MSF_START_TIMEOUT=08 MSF_JAVA_OPTS="-Dmsf.stop.timeout=09" "$MSF" start
fakes="$fakes $(cat "$MSF_DATA/msf.pid" 2>/dev/null)"
check "so is a msf.stop.timeout with one on the container's command line" 0 "^msf stopped" -- "$MSF" stop

# The data folder is made owner-only at every start, so a shared one is refused: MSF_DATA=/tmp
# made /tmp owner-only, closed to every other user and program of the machine.
mkdir -m 1777 "$WORK/shared"
check "a start on a shared folder (sticky bit, as /tmp) is refused, naming it" 1 \
    "^msf: MSF_DATA is $WORK/shared, a folder shared with others" -- \
    env JAVA_HOME="$WORK/ready-java" MSF_CDS=off MSF_DATA="$WORK/shared" "$MSF" start
check "and leaves it as it was" 0 "^drwxrwxrwt" -- ls -ld "$WORK/shared"
check "so is a run" 1 "^msf: MSF_DATA is $WORK/shared, a folder shared with others" -- \
    env JAVA_HOME="$WORK/ready-java" MSF_CDS=off MSF_DATA="$WORK/shared" "$MSF" run
# the folder it suggests instead is the shared one's msf, without a double slash (one given as /
# was told to use //msf)
check "a shared folder given with a trailing slash is offered its msf beneath" 1 \
    "give it a folder of its own \\(such as $WORK/shared/msf\\)$" -- \
    env JAVA_HOME="$WORK/ready-java" MSF_CDS=off MSF_DATA="$WORK/shared/" "$MSF" start
check "(stop, nothing started)" 0 "not running" -- env MSF_DATA="$WORK/shared" "$MSF" stop

# The data folder is owner-only: another user (an operator who forgot sudo -u) cannot look into it,
# and stop said "msf is not running" (exit 0), status 3 and exec "not running" while the container
# ran. They say they cannot tell, naming the folder. The other user: nobody when this test runs as
# root (root may look into any folder), else this user with the folder's permissions taken away.
# Stood in for by the java that is ready at once.
check "(a container that is ready at once starts)" 0 "^msf ready in " -- ready_java "$MSF" start
standin=$(cat "$MSF_DATA/msf.pid" 2>/dev/null)
fakes="$fakes $standin"
if [ "$(id -u)" -eq 0 ]; then
    chmod 755 "$WORK" # nobody reaches bin/msf, not the data folder
    other_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
else
    chmod 000 "$MSF_DATA"
    other_user() { "$@"; }
fi
check "status as another user is 4 (unknown), naming the folder" 4 \
    "^msf: cannot tell whether msf runs: $MSF_DATA is owner-only" -- other_user "$MSF" status
check "stop as another user is 1, stopping nothing" 1 "^msf: cannot tell whether msf runs" -- other_user "$MSF" stop
check "exec as another user is 2" 2 "^msf: cannot tell whether msf runs" -- other_user "$MSF" exec lb
if [ "$(id -u)" -eq 0 ]; then
    chmod 700 "$WORK"
else
    chmod 700 "$MSF_DATA"
fi
check "the container still runs" 0 "msf is running \(pid ${standin:-none}" -- "$MSF" status
check "(stop)" 0 "msf stopped" -- "$MSF" stop

# The console log of start can be rotated by truncating it in place (logrotate's copytruncate: it
# grows for as long as the container runs): the container writes on from its start, where it wrote
# at its old offset, after a hole of NUL bytes as large as the file had been. Stood in for by a
# java that is ready at once, then writes a line every 0.2 s.
mkdir -p "$WORK/chatty-java/bin"
cat >"$WORK/chatty-java/bin/java" <<'EOF'
#!/bin/sh
echo "msf ready in 1 ms (1 bundles)"
echo "msf console ready (2 bundles)"
while :; do echo "a line of the log, and another one after it"; sleep 0.2 2>/dev/null || sleep 1; done
EOF
chmod +x "$WORK/chatty-java/bin/java"
echo 'JAVA_VERSION="17.0.9"' >"$WORK/chatty-java/release"
check "(a container that writes a line every 0.2 s starts)" 0 "^msf ready in " -- \
    env JAVA_HOME="$WORK/chatty-java" MSF_CDS=off "$MSF" start
fakes="$fakes $(cat "$MSF_DATA/msf.pid" 2>/dev/null)"
# written_from_start FILE: FILE has a line of the stand-in at the start of a line, and no NUL byte
# (counted in one read: the stand-in goes on writing)
written_from_start() {
    wait_for "^a line of the log" "$1" 10 && [ "$(tr -dc '\000' <"$1" | wc -c | tr -d ' ')" -eq 0 ]
}
wait_for "^a line of the log" "$MSF_DATA/log/console.out" 10
: >"$MSF_DATA/log/console.out"
check "its console log, truncated in place, goes on from its start" 0 "" -- \
    written_from_start "$MSF_DATA/log/console.out"
check "(stop)" 0 "msf stopped" -- "$MSF" stop

# A container whose launcher reports NOT READY (after its msf.ready.timeout) is reported as such at
# once: start said "not ready after 60 s" (its own wait, which had not passed). Stood in for by a
# java that reports NOT READY at once.
mkdir -p "$WORK/not-ready-java/bin"
cat >"$WORK/not-ready-java/bin/java" <<'EOF'
#!/bin/sh
echo "msf: NOT READY after 45 s; no service registered for: a.B. The container keeps running." >&2
while :; do sleep 1; done
EOF
chmod +x "$WORK/not-ready-java/bin/java"
echo 'JAVA_VERSION="17.0.9"' >"$WORK/not-ready-java/release"
check "a container that reports NOT READY is not ready by its own timeout, not start's" 1 \
    "^msf: not ready: the container gave up waiting for its services \(msf.ready.timeout\) and runs on as pid [0-9]+" -- \
    env JAVA_HOME="$WORK/not-ready-java" MSF_CDS=off "$MSF" start
fakes="$fakes $(cat "$MSF_DATA/msf.pid" 2>/dev/null)"
check "(stop)" 0 "msf stopped" -- "$MSF" stop

# A bundle whose start hangs holds the framework's climb: the launcher reported only once the climb was
# over, so msf.ready.timeout never ended the wait and no NOT READY named the level not reached (start gave
# up with its own "not ready after N s"). A real container, with a bundle at level 2 asleep in its start.
mkdir -p "$WORK/hang/src" "$WORK/hang/classes"
cat >"$WORK/hang/src/Activator.java" <<'EOF'
package hang;
public class Activator implements org.osgi.framework.BundleActivator {
    public void start(org.osgi.framework.BundleContext context) throws InterruptedException {
        Thread.sleep(12_000);
    }
    public void stop(org.osgi.framework.BundleContext context) {
    }
}
EOF
printf 'Bundle-ManifestVersion: 2\nBundle-SymbolicName: smoke.hang\nBundle-Version: 1.0.0\nBundle-Activator: hang.Activator\nImport-Package: org.osgi.framework\n' \
    >"$WORK/hang/MANIFEST.MF"
javac --release 17 -cp "$(ls "$WORK"/msf/lib/org.apache.felix.framework-*.jar)" -d "$WORK/hang/classes" \
    "$WORK/hang/src/Activator.java" && jar cfm "$WORK/msf/bundle/2/smoke-hang.jar" "$WORK/hang/MANIFEST.MF" \
    -C "$WORK/hang/classes" .
check "a bundle whose start hangs: NOT READY at msf.ready.timeout, naming the level not reached" 1 \
    "^msf: NOT READY after 4 s; start level 5 not reached \(level 2 still starting\)" -- env MSF_JAVA_OPTS="-Dmsf.ready.timeout=4" "$MSF" start
check "(stop, once the bundle's start returned)" 0 "msf stopped" -- "$MSF" stop
rm -f "$WORK/msf/bundle/2/smoke-hang.jar"

# stop waits for the running container's own msf.stop.timeout (and 10 s more), the one of its
# command line, not one of the environment stop runs in: it gave up on a container still stopping
# within its own, telling to kill -9 it. Stood in for by a java that takes 13 s to stop, started
# with a msf.stop.timeout of 30 s, stopped from an environment that says 1 s (stop would wait 11 s).
mkdir -p "$WORK/slow-stop-java/bin"
cat >"$WORK/slow-stop-java/bin/java" <<'EOF'
#!/bin/sh
trap 'sleep 13; exit 0' TERM
echo "msf ready in 1 ms (1 bundles)"
echo "msf console ready (2 bundles)"
while :; do sleep 1; done
EOF
chmod +x "$WORK/slow-stop-java/bin/java"
echo 'JAVA_VERSION="17.0.9"' >"$WORK/slow-stop-java/release"
check "(a container that takes 13 s to stop starts, its msf.stop.timeout 30 s)" 0 "^msf ready in " -- \
    env JAVA_HOME="$WORK/slow-stop-java" MSF_CDS=off MSF_JAVA_OPTS="-Dmsf.stop.timeout=30" "$MSF" start
fakes="$fakes $(cat "$MSF_DATA/msf.pid" 2>/dev/null)"
check "stop waits for the container's own msf.stop.timeout, not its environment's" 0 "^msf stopped" -- \
    env MSF_JAVA_OPTS="-Dmsf.stop.timeout=1" "$MSF" stop

# The native heap trim is added by the JDK's version and C library (its release file): a JVM without
# the option would not start, and one not built for glibc would print a warning at every start. A
# stand-in java prints the options bin/msf gives it.
mkdir -p "$WORK/options-java/bin"
cat >"$WORK/options-java/bin/java" <<'EOF'
#!/bin/sh
printf '%s\n' "$@"
EOF
chmod +x "$WORK/options-java/bin/java"
# trims VERSION [MSF_JAVA_OPTS [LIBC]]: whether bin/msf adds the 5 s trim for a JDK of that version
# built for that C library (default gnu, glibc's), its release file written in a JDK's order;
# exit 2 if bin/msf did not get as far as starting java, so that a "none" is not a start that failed
trims() {
    printf 'JAVA_VERSION="%s"\nLIBC="%s"\n' "$1" "${3:-gnu}" >"$WORK/options-java/release"
    env JAVA_HOME="$WORK/options-java" MSF_DATA="$WORK/options-data" MSF_CDS=off \
        ${2:+MSF_JAVA_OPTS="$2"} "$MSF" run >"$WORK/options" 2>&1
    grep -qx 'io\.msf\.launcher\.Main' "$WORK/options" || { cat "$WORK/options"; return 2; }
    grep -x -- "-XX:TrimNativeHeapInterval=5000" "$WORK/options"
}
for version in 17.0.10 17.0.15 21.0.2 22 25.0.3; do
    check "Java $version trims its native heap" 0 "" -- trims "$version"
done
for version in 17 17.0.9 20.0.2 21.0.1; do
    check "Java $version has no such option: none" 1 "" -- trims "$version"
done
check "MSF_JAVA_OPTS naming it has the last word" 1 "" -- trims 17.0.15 "-Xmx64m -XX:TrimNativeHeapInterval=0"
check "a JDK built for musl cannot trim: none" 1 "" -- trims 21.0.5 "" musl
check "nor one for macOS" 1 "" -- trims 21.0.5 "" default
# MSF_JAVA_OPTS is split into words, which are not file names: "-Dx=*.cfg" reached java as the
# names of the working folder's files that matched it
mkdir -p "$WORK/globs" && touch "$WORK/globs/-Dx=a.cfg"
check "an option with a * reaches java as it is" 0 "^-Dx=\*\.cfg$" -- \
    sh -c 'cd "$1" && env JAVA_HOME="$2" MSF_DATA="$3" MSF_CDS=off MSF_JAVA_OPTS="-Dx=*.cfg" "$4" run' sh \
    "$WORK/globs" "$WORK/options-java" "$WORK/options-data" "$MSF"

# A JAVA_HOME without bin/java is refused, naming it, rather than passed over for the PATH's java
# (here the stand-in above, which would print the options it got)
check "a JAVA_HOME without bin/java is refused, naming it" 1 "^msf: JAVA_HOME is $WORK/no-jdk, which has no bin/java" -- \
    env JAVA_HOME="$WORK/no-jdk" PATH="$WORK/options-java/bin:$PATH" MSF_DATA="$WORK/options-data" MSF_CDS=off "$MSF" run

# exec and console on a Java too old for the client: not run (2), not a command that failed (1)
printf 'JAVA_VERSION="%s"\n' 11.0.2 >"$WORK/options-java/release"
check "exec on Java 11 is refused as not run, naming the version" 2 "is Java 11; the client needs Java 17 or newer" -- \
    env JAVA_HOME="$WORK/options-java" MSF_CONSOLE_SOCKET="$WORK/nowhere.sock" "$MSF" exec msf:services

# bin/msf's logic against stand-in javas only (no JVM, no port): its own script, also run alone
check "bin/msf's checks with stand-in javas pass (bin-msf-check.sh)" 0 " 0 failed$" -- \
    sh "$HERE/bin-msf-check.sh" "$ASSEMBLY"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
