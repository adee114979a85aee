#!/bin/sh
# The C program of a manual page's EXAMPLES section, as a reader would
# type it in: the first .nf/.fi block there holding main(), with the roff
# escapes the page uses (\e, \-, \&) undone.
#
#   tests/man-example.sh PAGE > prog.c
set -eu
[ $# -eq 1 ] || { echo "usage: $0 PAGE" >&2; exit 2; }
prog=$(awk '
    /^\.SH / { in_examples = ($0 ~ /^\.SH EXAMPLES/); next }
    !in_examples || done { next }
    /^\.nf/ { block = ""; in_block = 1; next }
    /^\.fi/ && in_block {
        in_block = 0
        if (block ~ /int main\(/) { printf "%s", block; done = 1 }
        next
    }
    in_block { block = block $0 "\n" }
    END { exit done ? 0 : 1 }
' "$1") || { echo "$0: $1 has no program in EXAMPLES" >&2; exit 1; }
printf '%s\n' "$prog" | sed -e 's/\\e/\\/g' -e 's/\\-/-/g' -e 's/\\&//g'
