# Sourced by the assembly's shell tests: OUT (a file), passed and failed (counts) are the caller's.

# check NAME EXPECTED_CODE [GREP_PATTERN] -- COMMAND...: runs COMMAND, compares its exit code and
# (if given) looks for the pattern in its output.
check() {
    name=$1 expected=$2 pattern=$3
    shift 4
    "$@" >"$OUT" 2>&1
    code=$?
    if [ "$code" -ne "$expected" ]; then
        failed=$((failed + 1))
        echo "FAIL $name: exit code $code, expected $expected"
        sed 's/^/    | /' "$OUT" | tail -n 20
    elif [ -n "$pattern" ] && ! grep -Eq "$pattern" "$OUT"; then
        failed=$((failed + 1))
        echo "FAIL $name: output lacks /$pattern/"
        sed 's/^/    | /' "$OUT" | tail -n 20
    else
        passed=$((passed + 1))
        echo "ok   $name"
    fi
}
