#!/bin/sh
# The shared library's ABI is the one recorded in libxlvcpu/libxlvcpu.abi
# (libabigail's XML, made by "make abi-baseline"): abidiff finds no
# change in the functions and types of libxlvcpu.h (the structs behind
# its opaque handles are private: libxlvcpu.abignore).  An intended change
# (a new function in a new version node) updates the baseline in the same
# commit; anything else is a break that callers built against 1.0 would
# meet at run time.
#   sh tests/unit/test_abi.sh BUILDDIR
. "$(dirname "$0")/../lib.sh"
case $build in
*asan*) echo "abi: 0 passed, 0 failed (skipped in the sanitizer build)"
        exit 0 ;;
esac
if ! command -v abidiff >/dev/null 2>&1; then
    echo "FAIL abi: abidiff is missing (Debian package abigail-tools)"
    echo "abi: 0 passed, 1 failed"
    exit 1
fi
so=$build/lib/libxlvcpu.so.1
base=$top/libxlvcpu/libxlvcpu.abi
report=$(abidiff --headers-dir1 "$top/libxlvcpu" --headers-dir2 "$top/libxlvcpu" \
                 --suppressions "$top/libxlvcpu/libxlvcpu.abignore" \
                 "$base" "$so" 2>&1)
rc=$?
if [ $rc -eq 0 ]; then
    echo "abi: 1 passed, 0 failed"
    exit 0
fi
echo "FAIL abi: $so differs from $base (abidiff status $rc):"
echo "$report" | sed 's/^/    /'
echo "abi: if the change is meant, run 'make abi-baseline' and commit it"
echo "abi: 0 passed, 1 failed"
exit 1
