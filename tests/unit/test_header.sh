#!/bin/sh
# The public header compiles on its own, as strict C99 and as C++, and
# declares nothing outside the xlv_ / XLV_ / LIBXLVCPU_ names.
#   sh tests/unit/test_header.sh BUILDDIR
. "$(dirname "$0")/../lib.sh"
suite_tmpdir tmp || exit 2
check() {
    if "$@" >"$tmp/log" 2>&1; then
        passed=$((passed + 1))
    else
        echo "FAIL header: $*"
        cat "$tmp/log"
        failed=$((failed + 1))
    fi
}
printf '#include "libxlvcpu.h"\nint main(void) { return XLV_ERR_INVAL < 0 ? 0 : 1; }\n' > "$tmp/c.c"
check cc -std=c99 -pedantic -Wall -Wextra -Werror -I"$top/libxlvcpu" -c "$tmp/c.c" -o "$tmp/c.o"
check cc -std=c89 -pedantic -Wall -Werror -Wno-long-long -I"$top/libxlvcpu" -fsyntax-only "$tmp/c.c"
if command -v g++ >/dev/null 2>&1; then
    cp "$tmp/c.c" "$tmp/cxx.cc"
    check g++ -std=c++11 -pedantic -Wall -Wextra -Werror -I"$top/libxlvcpu" -c "$tmp/cxx.cc" -o "$tmp/cxx.o"
fi
# Every name the header defines carries our prefix: macros, typedefs,
# enumerators and functions.
h=$top/libxlvcpu/libxlvcpu.h
names=$( { grep -oE '^#define +[A-Za-z_][A-Za-z0-9_]*' "$h" | awk '{print $2}'
           grep -oE '^\} *[A-Za-z_][A-Za-z0-9_]*;' "$h" | tr -d '};' | tr -d ' '
           grep -oE '^typedef struct [a-z_]+ [a-z_]+;' "$h" | awk '{print $4}' | tr -d ';'
           grep -oE '^ +[A-Z_]+ = ' "$h" | awk '{print $1}'
           grep -A1 '^XLV_API$' "$h" | grep -oE '[a-z_]+\(' | tr -d '('; } | sort -u)
bad=$(printf '%s\n' "$names" | grep -vE '^(xlv_|XLV_|LIBXLVCPU_H$)')
check test -n "$names" -a -z "$bad"
[ -n "$bad" ] && echo "unprefixed names: $bad"
echo "header: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
