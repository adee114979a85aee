#!/bin/sh
# make check-valgrind: the unit test binaries and the tests/cli and
# tests/hostile suites with every program under valgrind, where any
# memory error and any definite or indirect leak fails the run.  The
# suites run xlvcpu through XLVCPU_WRAPPER.  VALGRIND_SUITES adds more
# suites of tests/ (e.g. "scopes inject"; scopes alone takes ~25 min).
#
#   sh tests/valgrind.sh BUILDDIR
#
# Prints one line per binary or suite and ends with
# "check-valgrind: N passed, M failed"; exits non-zero when one failed.
# tests/valgrind.supp holds the few suppressions, all inside libraries
# that are not ours.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
cd "$top" || exit 2

if ! command -v valgrind >/dev/null 2>&1; then
    echo "check-valgrind: valgrind is not installed" >&2
    exit 2
fi
# 99: the status no program of ours exits with.
vg="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect"
vg="$vg --show-leak-kinds=definite,indirect --error-exitcode=99"
vg="$vg --suppressions=$top/tests/valgrind.supp"

passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# One binary: valgrind's status is the verdict, with cmocka's own.
binary() {
    name=$1
    shift
    start=$(date +%s)
    $vg "$@" >"$log" 2>&1
    rc=$?
    secs=$(($(date +%s) - start))
    if [ "$rc" -eq 0 ]; then
        passed=$((passed + 1))
        printf '%-16s ok      %4ss\n' "$name" "$secs"
    else
        failed=$((failed + 1))
        printf '%-16s FAILED  %4ss (exit %d)\n' "$name" "$secs" "$rc"
        grep -E '^==[0-9]+==|FAILED|ERROR' "$log" | head -n 40 |
            sed 's/^/    /'
    fi
}

# One suite: its own closing line counts its cases; a valgrind report
# fails the case it happened in (exit 99 and text on stderr).
suite() {
    name=$1
    shift
    start=$(date +%s)
    XLVCPU_WRAPPER=$vg "$@" >"$log" 2>&1
    rc=$?
    secs=$(($(date +%s) - start))
    p=$(sed -n 's/^[a-z0-9-]*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log" | tail -n 1)
    f=$(sed -n 's/^[a-z0-9-]*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log" | tail -n 1)
    p=${p:-0}
    f=${f:-0}
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$rc" -eq 0 ]; then
        printf '%-16s %4d passed  %4ss\n' "$name" "$p" "$secs"
    else
        printf '%-16s %4d passed, %d FAILED  %4ss (exit %d)\n' "$name" \
            "$p" "$f" "$secs" "$rc"
        grep -v '^ok ' "$log" | head -n 60 | sed 's/^/    /'
    fi
}

for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    binary "$(basename "$t")" "$t"
done
binary golden "$build/tests/golden" "$top"
suite cli sh tests/cli/run.sh "$build"
suite hostile sh tests/hostile/run.sh "$build"
for s in ${VALGRIND_SUITES:-}; do
    if [ ! -f "tests/$s/run.sh" ]; then
        echo "check-valgrind: no suite tests/$s/run.sh" >&2
        failed=$((failed + 1))
        continue
    fi
    suite "$s" sh "tests/$s/run.sh" "$build"
done

echo "check-valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
