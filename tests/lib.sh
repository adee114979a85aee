# The start every shell suite shares (tests/cli, docs, scopes, inject,
# hostile and the scripts of tests/unit), sourced with the suite's arguments:
#
#     . "$(dirname "$0")/../lib.sh"
#
# Afterwards:
#   top       the top of the tree
#   build     the suite's BUILDDIR argument ($1), made absolute
#   xlvcpu    $build/bin/xlvcpu
#   passed, failed   0
# and none of xlvcpu's XLVCPU_* environment variables is set (the
# harness's own XLVCPU_WRAPPER aside), so that the caller's environment
# cannot change what a suite sees.  Functions:
#
#   suite_tmpdir VAR [MKTEMP-ARG...]
#       sets VAR to a new temporary directory, removed when the suite
#       exits, with whatever a test left in it (immutable files, files of
#       other owners); non-zero when mktemp fails
#   suite_needs_xlvcpu NAME
#       exits 2 with "NAME: ... is missing" when the command is not built
#   pass MESSAGE / fail MESSAGE
#       count one check and print it as a TAP line, "ok N - MESSAGE" or
#       "not ok N - MESSAGE" (N counts both); a suite may define its own
#
# INT, TERM and HUP end the suite with status 2.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:?usage: sh $0 BUILDDIR}
case $build in /*) ;; *) build=$top/$build ;; esac
xlvcpu=$build/bin/xlvcpu
passed=0
failed=0

for suite_var in $(env | sed -n 's/^\(XLVCPU_[A-Za-z0-9_]*\)=.*/\1/p'); do
    [ "$suite_var" = XLVCPU_WRAPPER ] || unset "$suite_var"
done
unset suite_var

suite_tmps=
suite_cleanup() {
    for suite_d in $suite_tmps; do
        chattr -R -i "$suite_d" >/dev/null 2>&1
        chown -R "$(id -u)" "$suite_d" >/dev/null 2>&1
        rm -rf "$suite_d"
    done
}
trap suite_cleanup EXIT
trap 'exit 2' INT TERM HUP

suite_tmpdir() {
    suite_new=$1
    shift
    suite_d=$(mktemp -d "$@") || return 1
    suite_tmps="$suite_tmps $suite_d"
    eval "$suite_new=\$suite_d"
}

suite_tap_n=0
pass() {
    suite_tap_n=$((suite_tap_n + 1))
    passed=$((passed + 1))
    echo "ok $suite_tap_n - $*"
}
fail() {
    suite_tap_n=$((suite_tap_n + 1))
    failed=$((failed + 1))
    echo "not ok $suite_tap_n - $*"
}

suite_needs_xlvcpu() {
    if [ ! -x "$xlvcpu" ]; then
        echo "$1: $xlvcpu is missing" >&2
        exit 2
    fi
}
