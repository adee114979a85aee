#!/bin/sh
# The peers' table put into the README (tests/e2e/peers-readme): the
# lines between the markers replaced, everything else kept byte for byte,
# the file's mode kept; a README without both markers, or with them in
# the wrong order or twice, and a missing or empty table are refused with
# one line and change nothing.
#   sh tests/unit/test_e2e_peers_readme.sh BUILDDIR
. "$(dirname "$0")/../lib.sh"
suite_tmpdir tmp || exit 2
splice=$top/tests/e2e/peers-readme

printf '| new | table |\n|---|---|\n' > "$tmp/table"
cat > "$tmp/README.md" <<'EOF'
# Title

<!-- peers-table begin: make peers, build/e2e/peers.md -->
| old | table |
| old | row |
<!-- peers-table end -->

after
EOF
chmod 640 "$tmp/README.md"
cat > "$tmp/want" <<'EOF'
# Title

<!-- peers-table begin: make peers, build/e2e/peers.md -->
| new | table |
|---|---|
<!-- peers-table end -->

after
EOF
sh "$splice" "$tmp/table" "$tmp/README.md" > "$tmp/out" 2>&1
rc=$?
[ "$rc" = 0 ] && cmp -s "$tmp/README.md" "$tmp/want" &&
    pass "the table between the markers, the rest kept" ||
    fail "splice: exit $rc, $(cat "$tmp/out"; diff "$tmp/want" "$tmp/README.md")"
[ "$(stat -c %a "$tmp/README.md")" = 640 ] && pass "mode kept" ||
    fail "mode $(stat -c %a "$tmp/README.md")"
ls -a "$tmp" | grep -q peers-readme && fail "a temporary file was left" ||
    pass "no temporary file left"

# refused BAD-README-TEXT WHAT: one line on stderr, exit 2, no change.
refused() {
    printf '%s\n' "$1" > "$tmp/bad.md"
    cp "$tmp/bad.md" "$tmp/bad.before"
    sh "$splice" "$tmp/table" "$tmp/bad.md" > /dev/null 2> "$tmp/err"
    rc=$?
    if [ "$rc" = 2 ] && [ "$(wc -l < "$tmp/err")" = 1 ] &&
       cmp -s "$tmp/bad.md" "$tmp/bad.before"; then
        pass "$2: refused, unchanged"
    else
        fail "$2: exit $rc, $(cat "$tmp/err")"
    fi
}
refused 'no markers' "no markers"
refused '<!-- peers-table begin -->' "no end marker"
refused '<!-- peers-table end -->
x
<!-- peers-table begin -->' "end before begin"
refused '<!-- peers-table begin -->
<!-- peers-table end -->
<!-- peers-table begin -->
<!-- peers-table end -->' "two tables"

: > "$tmp/empty"
sh "$splice" "$tmp/empty" "$tmp/README.md" > /dev/null 2> "$tmp/err"
rc=$?
[ "$rc" = 2 ] && grep -q "the table '$tmp/empty' is empty" "$tmp/err" &&
    cmp -s "$tmp/README.md" "$tmp/want" &&
    pass "empty table: refused, unchanged" ||
    fail "empty table: exit $rc, $(cat "$tmp/err")"
sh "$splice" "$tmp/missing" "$tmp/README.md" > /dev/null 2> "$tmp/err"
rc=$?
[ "$rc" = 2 ] && grep -q "cannot read the table '$tmp/missing'" "$tmp/err" &&
    pass "missing table: refused" ||
    fail "missing table: exit $rc, $(cat "$tmp/err")"

# The project's README has its markers.
[ "$(grep -c '^<!-- peers-table begin' "$top/README.md")" = 1 ] &&
    [ "$(grep -c '^<!-- peers-table end -->$' "$top/README.md")" = 1 ] &&
    pass "README.md has one pair of markers" ||
    fail "README.md's markers of the peers' table"
echo "e2e-peers-readme: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
