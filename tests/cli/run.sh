#!/bin/sh
# CLI tests: for each cases/NAME.args (one argument per line, run from the
# top of the tree), xlvcpu must exit with NAME.rc (default 0), print
# NAME.out on stdout when that file exists (else nothing, for a failure),
# and NAME.err on stderr when that file exists.  @TOP@ in .args, .out and
# .err stands for the top of the tree, @XEN_VERSION@ in .out for the
# version of libxenlight that pkg-config gives, which the build used.
#
#   sh tests/cli/run.sh BUILDDIR
#
# XLVCPU_WRAPPER, when set, is a command (words split on blanks) that
# xlvcpu is run under, e.g. "valgrind -q --error-exitcode=99".
. "$(dirname "$0")/../lib.sh"
suite_needs_xlvcpu cli
cases=$top/tests/cli/cases
suite_tmpdir tmp || exit 2

fail() {
    echo "FAIL cli: $1: $2"
    failed=$((failed + 1))
}

xen_version=$(pkg-config --modversion xenlight 2>/dev/null)
xen_version=${xen_version:-unknown}

cd "$top" || exit 2
for args in "$cases"/*.args; do
    name=$(basename "$args" .args)
    want_rc=0
    [ -f "$cases/$name.rc" ] && want_rc=$(cat "$cases/$name.rc")
    # Build the argument list from the lines of the file, safely.
    set --
    while IFS= read -r line || [ -n "$line" ]; do
        set -- "$@" "$(printf '%s' "$line" | sed "s|@TOP@|$top|g")"
    done < "$args"
    ${XLVCPU_WRAPPER:-} "$xlvcpu" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    rc=$?
    ok=1
    if [ "$rc" != "$want_rc" ]; then
        fail "$name" "exit $rc, expected $want_rc; stderr: $(head -c 300 "$tmp/err")"
        ok=0
    fi
    if [ $ok = 1 ] && [ -f "$cases/$name.out" ]; then
        sed -e "s|@TOP@|$top|g" -e "s|@XEN_VERSION@|$xen_version|g" \
            "$cases/$name.out" > "$tmp/want"
        if ! cmp -s "$tmp/want" "$tmp/out"; then
            fail "$name" "stdout differs: $(diff "$tmp/want" "$tmp/out" | head -n 20)"
            ok=0
        fi
    elif [ $ok = 1 ] && [ "$want_rc" != 0 ] && [ -s "$tmp/out" ]; then
        fail "$name" "a failing command printed on stdout"
        ok=0
    fi
    if [ $ok = 1 ] && [ -f "$cases/$name.err" ]; then
        sed "s|@TOP@|$top|g" "$cases/$name.err" > "$tmp/want"
        if ! cmp -s "$tmp/want" "$tmp/err"; then
            fail "$name" "stderr differs: $(diff "$tmp/want" "$tmp/err" | head -n 20)"
            ok=0
        fi
    fi
    if [ $ok = 1 ] && [ "$want_rc" != 0 ] && [ "$(wc -l < "$tmp/err")" -lt 1 ]; then
        fail "$name" "a failing command printed no error"
        ok=0
    fi
    [ $ok = 1 ] && passed=$((passed + 1))
done
echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
