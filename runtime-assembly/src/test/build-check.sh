#!/bin/sh
# Test of the root ./msf's build check: when it builds the assembly (mvn) before handing over to
# bin/msf, and when it does not, in a throw-away copy of the project's layout with a stand-in mvn
# (records its call and writes the archive, as a build does) and a stand-in bin/msf (says what
# it was asked; `status` exits with STATUS, 3 by default: not running).
#
#   runtime-assembly/src/test/build-check.sh
#
# Ends with "N passed, N failed"; exit code 0 only if none failed.

set -u
unset CDPATH # an exported one would make the cd below print the folder too

HERE=$(cd "$(dirname "$0")" && pwd -P)
ROOT_MSF=$HERE/../../../msf
WORK=$(mktemp -d "${TMPDIR:-/tmp}/msf-build-check.XXXXXX")
# a signal ends the test through its exit, and so its cleanup (see smoke.sh)
fakes= # stand-in containers, ended with the test
trap 'for fake in $fakes; do kill "$fake" 2>/dev/null; done; rm -rf "$WORK"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
OUT=$WORK/out
passed=0
failed=0

P=$WORK/project
ASSEMBLY=$P/runtime-assembly/target/msf-1.0
for file in pom.xml bnd.bnd config/msf.log.cfg runtime-assembly/pom.xml runtime-assembly/src/main/etc/config.properties \
    runtime-assembly/src/assembly/runtime-component.xml bundles/net/pom.xml bundles/net/bnd.bnd \
    bundles/net/src/main/java/Net.java bundles/net/src/test/java/NetTest.java \
    bundles/gone/pom.xml bundles/gone/bnd.bnd bundles/gone/src/main/java/Gone.java; do
    mkdir -p "$(dirname "$P/$file")"
    echo "$file" >"$P/$file"
done
cp "$ROOT_MSF" "$P/msf"
mkdir -p "$WORK/path"
cat >"$WORK/bin-msf" <<'STUB'
#!/bin/sh
echo "bin/msf $*"
[ "$1" = status ] && exit "${STATUS:-3}"
exit 0
STUB
cat >"$WORK/path/mvn" <<STUB
#!/bin/sh
echo "mvn \$*" >>"$WORK/mvn.calls"
sleep "\${MVN_SECONDS:-0}" # as long as a build takes
mkdir -p "$ASSEMBLY/bin"
cp "$WORK/bin-msf" "$ASSEMBLY/bin/msf"
touch "$ASSEMBLY.tar.gz"
STUB
chmod +x "$P/msf" "$WORK/bin-msf" "$WORK/path/mvn"
PATH=$WORK/path:$PATH
export PATH

# built: the assembly there, every source older than its archive (times set, not taken from the
# clock: a file's time is as coarse as a clock tick, so two touches in a row may give the same)
built() {
    mkdir -p "$ASSEMBLY/bin"
    cp "$WORK/bin-msf" "$ASSEMBLY/bin/msf"
    find "$P" -exec touch -t 202001010000 {} +
    touch -t 202101010000 "$ASSEMBLY.tar.gz"
    rm -f "$WORK/mvn.calls"
}

# built_by_msf: as built, but by ./msf, which records what it built from (the record as old as
# the archive)
built_by_msf() {
    built
    rm -rf "$ASSEMBLY" "$ASSEMBLY.tar.gz"
    "$P/msf" status >/dev/null 2>&1
    touch -t 202101010000 "$ASSEMBLY.tar.gz" "$ASSEMBLY.sources"
    rm -f "$WORK/mvn.calls"
}

# changed FILE: a source edited since the build
changed() {
    touch -t 202201010000 "$P/$1"
}

# check NAME EXPECTED_BUILDS -- COMMAND...: runs COMMAND, then compares how many times mvn ran
# (0 or 1) and checks that the stand-in bin/msf was run then
check() {
    name=$1 expected=$2
    shift 3
    "$@" >"$OUT" 2>&1
    builds=$(cat "$WORK/mvn.calls" 2>/dev/null | wc -l | tr -d ' ')
    if [ "$builds" -ne "$expected" ]; then
        failed=$((failed + 1))
        echo "FAIL $name: $builds build(s), expected $expected"
        sed 's/^/    | /' "$OUT" | tail -n 20
    elif ! grep -q "^bin/msf " "$OUT"; then
        failed=$((failed + 1))
        echo "FAIL $name: bin/msf was not run"
        sed 's/^/    | /' "$OUT" | tail -n 20
    else
        passed=$((passed + 1))
        echo "ok   $name"
    fi
}

built
check "up to date: start builds nothing" 0 -- "$P/msf" start
built
changed bundles/net/src/main/java/Net.java
check "a bundle's source changed: start builds" 1 -- "$P/msf" start
check "and then it is up to date" 0 -- sh -c 'rm -f "$1"; "$2" start' sh "$WORK/mvn.calls" "$P/msf"
built
changed runtime-assembly/src/assembly/runtime-component.xml
check "the assembly descriptor changed: start builds" 1 -- "$P/msf" start
built
changed config/msf.log.cfg
check "a default configuration changed: run builds" 1 -- "$P/msf" run
built
changed bundles/net/src/test/java/NetTest.java
check "a test changed: start builds nothing" 0 -- "$P/msf" start
built
rm "$P/bundles/net/src/main/java/Net.java"
check "a source deleted: start builds" 1 -- "$P/msf" start
echo "bundles/net/src/main/java/Net.java" >"$P/bundles/net/src/main/java/Net.java"
built
rm -r "$P/bundles/gone"
check "a bundle module removed: start builds" 1 -- "$P/msf" start
built_by_msf
check "built by ./msf, unchanged: start builds nothing" 0 -- "$P/msf" start
built_by_msf
rm "$P/bundles/net/bnd.bnd"
touch -t 202001010000 "$P/bundles/net"
check "a module's bnd.bnd removed since ./msf built: start builds" 1 -- "$P/msf" start
echo "bundles/net/bnd.bnd" >"$P/bundles/net/bnd.bnd"
built_by_msf
echo "an older copy" >"$P/bundles/net/src/main/java/Net.java"
touch -t 202001010000 "$P/bundles/net/src/main/java/Net.java"
check "a source put back with an older time since ./msf built: start builds" 1 -- "$P/msf" start
built_by_msf
rm "$P/bundles/net/src/main/java/Net.java"
check "a source deleted since ./msf built: start builds" 1 -- "$P/msf" start
echo "bundles/net/src/main/java/Net.java" >"$P/bundles/net/src/main/java/Net.java"
# editors' files beside a source (their folder's time changes as they come and go)
built_by_msf
echo swap >"$P/bundles/net/src/main/java/.Net.java.swp"
check "a vim swap file in a bundle's src/main: start builds nothing" 0 -- "$P/msf" start
changed bundles/net/src/main/java/Net.java
check "and a source changed beside it: start builds" 1 -- "$P/msf" start
rm "$P/bundles/net/src/main/java/.Net.java.swp"
built_by_msf
echo backup >"$P/bundles/net/src/main/java/Net.java~"
echo auto-save >"$P/bundles/net/src/main/java/#Net.java#"
ln -s user@host.1234:1 "$P/bundles/net/src/main/java/.#Net.java"
check "emacs's backup, auto-save and lock files in a bundle's src/main: start builds nothing" 0 -- "$P/msf" start
rm "$P/bundles/net/src/main/java/Net.java~"
check "nor once the backup is gone" 0 -- "$P/msf" start
rm "$P/bundles/net/src/main/java/#Net.java#" "$P/bundles/net/src/main/java/.#Net.java"
built_by_msf
echo swap >"$P/bundles/net/src/main/java/.Net.java.swo"
touch -t 202001010000 "$P/bundles/net/src/main/java/.Net.java.swo" "$P/bundles/net/src/main/java"
check "a swap file as old as the sources (not in the fingerprint either): start builds nothing" 0 -- "$P/msf" start
rm "$P/bundles/net/src/main/java/.Net.java.swo"
built
echo swap >"$P/bundles/net/src/main/java/.Net.java.swp"
check "built by a Maven run of its own: a swap file's folder time builds (a deletion looks the same)" 1 -- \
    "$P/msf" start
rm "$P/bundles/net/src/main/java/.Net.java.swp"
built_by_msf
touch -t 202201010000 "$ASSEMBLY.tar.gz"
touch -t 201901010000 "$P/bundles/net/src/main/java/Net.java" "$P/pom.xml"
check "built since by a Maven run of its own: the times decide" 0 -- "$P/msf" start
built
changed bundles/net/src/main/java/Net.java
check "status builds nothing" 0 -- "$P/msf" status
check "nor does exec" 0 -- "$P/msf" exec lb
check "nor a start with MSF_NO_BUILD=1" 0 -- env MSF_NO_BUILD=1 "$P/msf" start
check "nor one while a container of the assembly runs" 0 -- env STATUS=0 "$P/msf" start
check "nor one while a container may run (status 4: another user's data folder)" 0 -- env STATUS=4 "$P/msf" start
# a container of the assembly on another data folder (MSF_DATA of another shell), which status of
# this one does not see: the build replaced the jars and configuration under it. Stood in for by a
# process with the launcher's class name and -Dmsf.home=<the assembly> on its command line.
sh -c 'while :; do sleep 1; done' io.msf.launcher.Main "-Dmsf.home=$(cd "$ASSEMBLY" && pwd -P)" \
    "-Dmsf.data=$WORK/elsewhere" </dev/null >/dev/null 2>&1 &
fakes="$fakes $!"
check "nor one while a container of the assembly runs on another data folder" 0 -- "$P/msf" start
kill $fakes 2>/dev/null
fakes= # killed: the exit need not, and their pids may be another program's by then
built
changed bundles/net/src/main/java/Net.java
check "and once it has stopped, start builds" 1 -- sh -c 'sleep 1; exec "$0" start' "$P/msf"
built
rm -rf "$ASSEMBLY" "$ASSEMBLY.tar.gz"
check "no assembly: any command builds it" 1 -- "$P/msf" status
# Two starts at once (two terminals, a script and an operator) both found the sources changed and
# both ran mvn install in the same tree. The second waits for the first's build, then finds it built.
built
changed bundles/net/src/main/java/Net.java
check "two starts at once: one builds, the other waits for it and builds nothing" 1 -- \
    env MVN_SECONDS=2 sh -c '"$0" start & "$0" start; wait $!' "$P/msf"
check "(and the build lock is gone)" 0 -- \
    sh -c 'rm -f "$0" && test ! -e "$1" && "$2" status' "$WORK/mvn.calls" "$P/runtime-assembly/target/msf-build.lock" "$P/msf"
# one left by a ./msf killed with SIGKILL (its pid gone) is removed by the next
built
changed bundles/net/src/main/java/Net.java
sh -c 'exit 0' &
gone=$!
wait "$gone"
mkdir "$P/runtime-assembly/target/msf-build.lock" && echo "$gone" >"$P/runtime-assembly/target/msf-build.lock/pid"
check "a build lock whose ./msf is gone: start removes it and builds" 1 -- "$P/msf" start
built
changed bundles/net/src/main/java/Net.java
mkdir "$P/runtime-assembly/target/msf-build.lock" "$P/runtime-assembly/target/msf-build.lock.break"
check "one whose ./msf died before writing its pid (and while breaking a lock): removed after 2 s, start builds" 1 -- \
    "$P/msf" start
built
check "run by a relative path under an exported CDPATH: start finds the assembly, builds nothing" 0 -- \
    sh -c 'cd "$1" && CDPATH=. exec project/msf start' sh "$WORK"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
