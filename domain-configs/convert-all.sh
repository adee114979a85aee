#!/bin/sh
# The main job, shown: convert every example domain with the freshly built
# xlvcpu, to xl.cfg and to the libxl JSON "xl -N create" would print, and
# read each xl.cfg back to XML.  Exits non-zero if any conversion fails.
#
#   sh domain-configs/convert-all.sh [BUILDDIR]
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
xlvcpu=$build/bin/xlvcpu
failed=0
count=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

for xml in "$top"/domain-configs/*.xml; do
    name=$(basename "$xml" .xml)
    count=$((count + 1))
    echo "==== $name.xml -> xl.cfg  (xlvcpu domxml-to-native xen-xl)"
    if ! "$xlvcpu" domxml-to-native xen-xl "$xml" > "$tmp"; then
        failed=$((failed + 1))
        continue
    fi
    cat "$tmp"
    echo "==== $name.xml -> libxl JSON  (xlvcpu -N create)"
    if ! "$xlvcpu" -N create "$xml"; then
        failed=$((failed + 1))
        continue
    fi
    echo "==== that xl.cfg -> XML  (xlvcpu domxml-from-native xen-xl)"
    if ! "$xlvcpu" domxml-from-native xen-xl "$tmp"; then
        failed=$((failed + 1))
        continue
    fi
    echo
done
echo "convert-all: $((count - failed)) of $count examples converted"
[ "$failed" -eq 0 ]
