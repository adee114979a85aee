#!/bin/sh
# The shared library exports exactly the functions the header declares,
# under the version nodes of libxlvcpu.map (1.0's, and 1.1's for what 1.1
# added: a program that uses it then fails to load on a 1.0 library
# instead of failing at the first call), and has the right soname.
#   sh tests/unit/test_exports.sh BUILDDIR
. "$(dirname "$0")/../lib.sh"
so=$build/lib/libxlvcpu.so.1
result() {
    if [ "$1" = ok ]; then passed=$((passed + 1)); else echo "FAIL exports: $2"; failed=$((failed + 1)); fi
}
declared=$(grep -A1 '^XLV_API$' "$top/libxlvcpu/libxlvcpu.h" | grep -oE 'xlv_[a-z_]+\(' | tr -d '(' | sort)
exported=$(nm -D --defined-only "$so" | awk '$2 == "T" {print $3}' | sed 's/@.*//' | sort)
if [ "$declared" = "$exported" ]; then result ok; else
    result no "header and library differ: $(printf '%s\n' "$declared" > /tmp/xlv-d.$$; printf '%s\n' "$exported" | diff /tmp/xlv-d.$$ - ; rm -f /tmp/xlv-d.$$)"
fi
if nm -D --defined-only "$so" | grep -q ' xlv__'; then result no "private xlv__ symbols are exported"; else result ok; fi
if objdump -T "$so" | grep -q 'LIBXLVCPU_1.0 *xlv_ctx_new'; then result ok; else result no "symbols lack the LIBXLVCPU_1.0 version"; fi
# What 1.1 added, and only that, carries LIBXLVCPU_1.1.
added=$(objdump -T "$so" | awk 'NF > 1 && $(NF-1) == "LIBXLVCPU_1.1" && $NF ~ /^xlv_/ { print $NF }' | sort | tr '\n' ' ')
want="xlv_apply_result_free xlv_apply_result_get_change_scope xlv_apply_result_get_new xlv_apply_result_get_old xlv_apply_result_get_scope xlv_apply_result_get_what xlv_apply_result_length xlv_domain_apply xlv_domain_entry_is_autostart xlv_domain_from_file xlv_domain_set_autostart "
if [ "$added" = "$want" ]; then result ok; else result no "LIBXLVCPU_1.1 holds '$added', not '$want'"; fi
if objdump -p "$so" | grep -q 'SONAME *libxlvcpu.so.1$'; then result ok; else result no "soname is not libxlvcpu.so.1"; fi
echo "exports: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
