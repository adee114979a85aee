#!/bin/sh
# The lab's timer (tests/e2e/e2e-time.c), built here as the lab's image
# builds it: one figure, the wall time in microseconds, or with -r four,
# "WALL CPU FAULTS SWITCHES"; the command's output thrown away and its
# status passed on; a sleep takes its time and little CPU, a busy loop
# CPU; no command is refused (2), one that cannot run gives 127.
#   sh tests/unit/test_e2e_time.sh BUILDDIR
. "$(dirname "$0")/../lib.sh"
suite_tmpdir tmp || exit 2
cc -O2 -Wall -Wextra -Werror -o "$tmp/e2e-time" "$top/tests/e2e/e2e-time.c" ||
    { echo "e2e-time: cannot build tests/e2e/e2e-time.c" >&2; exit 2; }
t=$tmp/e2e-time

# check WHAT CONDITION...: one check (tests/lib.sh: pass, fail).
check() { w=$1; shift; if "$@"; then pass "$w"; else fail "$w"; fi; }
# fields LINE: how many numbers LINE holds, and nothing else.
fields() {
    echo "$1" | awk '{ for (i = 1; i <= NF; i++) if ($i !~ /^[0-9]+$/) { print -1; exit }
                       print NF }'
}

out=$("$t" echo hello)
check "one figure: '$out'" [ "$(fields "$out")" = 1 ]
out=$("$t" -r echo hello)
check "-r, four figures and not the command's output: '$out'" \
    [ "$(fields "$out")" = 4 ]
set -- $out
check "-r, a command has page faults: '$out'" [ "$3" -gt 0 ]

out=$("$t" -r sleep 0.3)
set -- $out
check "a sleep of 0.3 s takes 0.3 s or more: '$out'" [ "$1" -ge 300000 ]
check "and less than a tenth of that in CPU: '$out'" [ "$2" -lt 30000 ]
out=$("$t" -r sh -c 'i=0; while [ $i -lt 100000 ]; do i=$((i + 1)); done')
set -- $out
check "a busy loop's CPU is its wall time or less, and over 10 ms: '$out'" \
    [ "$2" -le $(($1 + 10000)) -a "$2" -gt 10000 ]

out=$("$t" -r sh -c 'exit 3')
rc=$?
check "the command's status: $rc" [ "$rc" = 3 ]
check "a failed command's figures all the same: '$out'" \
    [ "$(fields "$out")" = 4 ]
out=$("$t" -r "$tmp/no-such-command" 2>"$tmp/err")
rc=$?
check "a command that cannot run: 127" [ "$rc" = 127 ]
check "and says why" grep -q "e2e-time: exec" "$tmp/err"
for args in "" "-r"; do
    # shellcheck disable=SC2086
    out=$("$t" $args 2>"$tmp/err")
    rc=$?
    check "no command after '$args': 2, nothing printed ('$out')" \
        [ "$rc" = 2 -a -z "$out" ]
    check "and the usage" grep -q "usage: e2e-time \[-r\] CMD" "$tmp/err"
done
echo "e2e-time: $passed passed, $failed failed"
[ "$failed" = 0 ]
