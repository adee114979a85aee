#!/bin/sh
# The manual pages: both lint clean, and xlvcpu(1) documents everything
# the command has, each in its place, so that neither can change alone.
# What the command has is read from where it is defined, never from a
# list kept here:
#
#   commands and     "xlvcpu help" and "xlvcpu help CMD", made from the
#   their options    command table (xlvcpu/cmdtable.c, the one usage
#                    text); every option a parser in xlvcpu/ takes must
#                    be in that help
#   global options   the arguments xlvcpu/main.c compares with
#   environment      the getenv() names and XLVCPU_* names of xlvcpu/*.c
#                    (the library reads none); the hooks' variables, from
#                    libxlvcpu/*.c
#   exit statuses    the EXIT_* constants of xlvcpu/xlvcpu.h, the only
#                    place that defines any
#   files            the default directories of libxlvcpu/libxlvcpu.h,
#                    the names the store, the hooks, the simulated host
#                    and the XML module use, the systemd unit and where
#                    the Makefile installs it
#
# The page is read through tests/docs/manindex.awk: its sections, the
# tags of its lists and the text of each entry.  Lint: mandoc -T lint
# -W all, groff -man -ww -z (PostScript and UTF-8) and man --warnings=w
# at 80 columns, as man shows a page, must say nothing at all.
#
# Prints "ok N - WHAT" or "not ok N - WHAT" per check, and ends with
# "docs: N passed, M failed".
#
#   sh tests/docs/run.sh BUILDDIR
. "$(dirname "$0")/../lib.sh"
suite_needs_xlvcpu docs
suite_tmpdir T || exit 2

page1=$top/man/xlvcpu.1
page3=$top/man/libxlvcpu.3
src=$top/xlvcpu
lib=$top/libxlvcpu

# check WHAT COMMAND...: one check, passed when COMMAND succeeds.
check() {
    what=$1
    shift
    if "$@"; then pass "$what"; else fail "$what"; fi
}
# at_least N FILE: FILE has N lines or more (a source that was read).
at_least() {
    [ "$(wc -l < "$2")" -ge "$1" ]
}

# ---- lint ----

# silent WHAT COMMAND...: passed when COMMAND exits 0 and prints nothing
# on either output; else its first lines follow the failure.
silent() {
    what=$1
    shift
    "$@" >"$T/lint" 2>&1
    rc=$?
    if [ "$rc" -eq 0 ] && [ ! -s "$T/lint" ]; then
        pass "$what"
    else
        fail "$what: exit $rc, $(wc -l < "$T/lint") lines"
        head -n 10 "$T/lint" | sed 's/^/#   /'
    fi
}

# man as a reader runs it, with the page's own preprocessor line, at 80
# columns, without the caller's options or pager; the page itself goes
# to a file, and must not be empty.
man_warnings() {
    env -u MANOPT -u MANROFFOPT -u MANPAGER -u PAGER -u MANSECT \
        LC_ALL=C.UTF-8 MANWIDTH=80 \
        man --warnings=w -l "$1" 2>&1 >"$T/man.out" || return
    [ -s "$T/man.out" ] || echo "man printed no page"
}

installed() {
    command -v "$1" >/dev/null 2>&1
}
for tool in mandoc:mandoc groff:groff-base man:man-db; do
    check "${tool%%:*} is installed (Debian package ${tool#*:})" \
        installed "${tool%%:*}"
done
for page in "$page1" "$page3"; do
    p=man/$(basename "$page")
    silent "$p: mandoc -T lint -W all says nothing" \
        mandoc -T lint -W all "$page"
    silent "$p: groff -man -ww -z says nothing" groff -man -ww -z "$page"
    silent "$p: groff -man -ww -z -Tutf8 says nothing" \
        groff -man -ww -z -Tutf8 "$page"
    silent "$p: man --warnings=w at 80 columns says nothing" \
        man_warnings "$page"
done

# ---- the page, indexed: SECTION <TAB> ENTRY <TAB> KIND <TAB> TEXT ----

idx=$T/xlvcpu.1.idx
awk -f "$top/tests/docs/manindex.awk" "$page1" >"$idx"
check "man/xlvcpu.1 is indexed" at_least 100 "$idx"

# lines SECTION [KIND]: the text of the lines of SECTION (of KIND).
lines() {
    awk -F '\t' -v s="$1" -v k="${2:-}" \
        '$1 == s && (k == "" || $3 == k) { print $4 }' "$idx"
}
# entry SECTION NAME [KIND]: the lines (of KIND) of the entries of
# SECTION whose tag starts with NAME, followed by a blank or a comma.
entry() {
    awk -F '\t' -v s="$1" -v c="$2" -v k="${3:-}" '$1 == s &&
        ($2 == c || index($2, c " ") == 1 || index($2, c ",") == 1) &&
        (k == "" || $3 ~ k) { print $4 }' "$idx"
}
# has_word WORD: standard input has WORD, not as a part of a longer name
# or option.
has_word() {
    w=$(printf '%s' "$1" | sed 's/[].[^$*+?(){}|\\/]/\\&/g')
    grep -Eq -e "(^|[^A-Za-z0-9_-])$w(\$|[^A-Za-z0-9_-])"
}
# has_line LINE: standard input has the line LINE.
has_line() {
    grep -Fqx -e "$1"
}
is_tag() {              # SECTION TAG: a list of SECTION has TAG
    lines "$1" tag0 | has_line "$2"
}
in_tag() {              # SECTION WORD: a tag of SECTION has WORD
    lines "$1" tag0 | has_word "$2"
}
entry_has() {           # SECTION NAME WORD: the entry NAME has WORD
    entry "$1" "$2" | has_word "$3"
}
# define_of FILE MACRO: the string a #define of FILE gives MACRO.
define_of() {
    sed -n "s/^#define $2 \"\\([^\"]*\\)\".*/\\1/p" "$1"
}

# ---- commands and their options ----

"$xlvcpu" help >"$T/help" 2>&1
check "xlvcpu help exits 0" [ $? -eq 0 ]
awk '/^commands:$/ { f = 1; next } /^$/ { f = 0 } f { print $1 }' \
    "$T/help" >"$T/commands"
check "xlvcpu help lists the commands" at_least 10 "$T/commands"

# The options of a command's usage line, and of the start of its option
# lines ("  -i, --ignore-host  allow ...").
usage_options() {
    sed -n '1s/^usage: xlvcpu //p' "$1" |
        grep -Eo '(^|[][|[:space:]])--?[A-Za-z][A-Za-z-]*' |
        sed 's/^[][|[:space:]]//'
}
help_options() {
    usage_options "$1"
    sed -n 's/^  \(-\)/\1/p' "$1" | awk '{
        for (i = 1; i <= NF; i++) {
            sub(/,$/, "", $i)
            if ($i !~ /^--?[A-Za-z][A-Za-z-]*$/)
                break
            print $i
        }
    }'
}
has_entry() {           # CMD: COMMANDS has an entry for CMD
    entry COMMANDS "$1" tag0 | grep -q .
}
# described CMD OPTION: the entry of CMD describes OPTION: it is in the
# entry's text or one of its own tags, or the entry is "CMD OPTION".
described() {
    entry COMMANDS "$1" "^(tag|text)\$" | has_word "$2" ||
        entry COMMANDS "$1" tag0 | has_line "$1 $2"
}
# scoped CMD OPTION: the entry of CMD takes a scope, OPTION is a tag
# under SCOPES, and SCOPES names CMD before its list.
scoped() {
    entry COMMANDS "$1" tag0 | grep -q scope &&
        lines SCOPES tag0 | awk '{ print $1 }' | has_line "$2" &&
        awk -F '\t' '$1 == "SCOPES" && $2 == ""' "$idx" | has_word "$1"
}

: >"$T/help-options"
for c in $(cat "$T/commands"); do
    "$xlvcpu" help "$c" >"$T/help.$c" 2>&1
    check "command $c: xlvcpu help $c exits 0" [ $? -eq 0 ]
    lines SYNOPSIS text | grep -E "^xlvcpu $c( |\$)" >"$T/syn.$c"
    check "command $c: in SYNOPSIS" [ -s "$T/syn.$c" ]
    check "command $c: an entry under COMMANDS" has_entry "$c"
    for o in $(usage_options "$T/help.$c" | sort -u); do
        check "command $c: $o in its SYNOPSIS" has_word "$o" <"$T/syn.$c"
    done
    for o in $(help_options "$T/help.$c" | sort -u); do
        echo "$o" >>"$T/help-options"
        if described "$c" "$o"; then
            pass "command $c: $o described in its entry under COMMANDS"
        else
            check "command $c: $o in its entry, or under SCOPES" \
                scoped "$c" "$o"
        fi
    done
done

# Every option a parser of xlvcpu/ takes is in the help of a command:
# getopt_long's tables, parse_scope()'s short options, and the options
# compared by hand.
{
    grep -ho '{ *"[a-z][a-z-]*", *[a-z]*_argument' "$src"/cmd_*.c \
        "$src"/connect.c | sed 's/{ *"\([^"]*\)".*/--\1/'
    sed -n 's/.*parse_scope([^"]*"\([A-Za-z]*\)".*/\1/p' "$src"/cmd_*.c |
        fold -w 1 | sed 's/^/-/'
    grep -ho 'strcmp([^,]*, *"--*[A-Za-z][A-Za-z-]*")' "$src"/cmd_*.c |
        sed 's/.*"\(.*\)")/\1/'
} | sort -u >"$T/parsed-options"
check "the options of xlvcpu/'s parsers are found" \
    at_least 10 "$T/parsed-options"
for o in $(cat "$T/parsed-options"); do
    check "option $o of a parser: in a command's help" \
        has_line "$o" <"$T/help-options"
done

# ---- global options ----

grep -ho '\(strcmp\|is_option\)(a, *"[^"]*")' "$src"/main.c |
    sed 's/.*"\(.*\)")/\1/' | sort -u >"$T/globals"
check "the global options of xlvcpu/main.c are found" \
    at_least 8 "$T/globals"
for o in $(cat "$T/globals"); do
    check "global option $o: under GLOBAL OPTIONS" \
        in_tag "GLOBAL OPTIONS" "$o"
done
# What help and the usage line offer, main.c takes.
{
    sed -n '/^global options:$/,/^$/s/^  \(-[^ ]*\).*/\1/p' "$T/help"
    sed -n '1s/^usage: xlvcpu //p' "$T/help" |
        grep -Eo '\[--?[A-Za-z][A-Za-z-]*' | tr -d '['
} | sort -u >"$T/help-globals"
check "xlvcpu help lists global options" at_least 5 "$T/help-globals"
for o in $(cat "$T/help-globals"); do
    check "global option $o of help: taken by main.c" \
        has_line "$o" <"$T/globals"
done
lines SYNOPSIS text | head -n 1 >"$T/syn"
for o in $(sed -n '1s/^usage: xlvcpu //p' "$T/help" |
           grep -Eo '\[--?[A-Za-z][A-Za-z-]*' | tr -d '['); do
    check "global option $o of the usage line: in SYNOPSIS" \
        has_word "$o" <"$T/syn"
done

# --version prints what the page says it prints; the pages' headers name
# the versions of the command and of the library.
"$xlvcpu" --version >"$T/version" 2>&1
check "--version exits 0" [ $? -eq 0 ]
check "--version prints one line" [ "$(wc -l < "$T/version")" -eq 1 ]
shape() { sed -E 's/[0-9]+(\.[0-9]+)+/V/g'; }
entry "GLOBAL OPTIONS" --version | shape >"$T/version-doc"
check "--version: its entry shows the form it prints" \
    grep -Fq -e "$(shape < "$T/version")" "$T/version-doc"
check "man/xlvcpu.1: .TH names the version --version prints" \
    [ "$(awk -F '"' '/^\.TH/ { print $4 }' "$page1")" = \
      "$(cut -d ' ' -f 1,2 "$T/version")" ]
check "man/libxlvcpu.3: .TH names libxlvcpu.h's XLV_VERSION" \
    [ "$(awk -F '"' '/^\.TH/ { print $4 }' "$page3")" = \
      "libxlvcpu $(define_of "$lib/libxlvcpu.h" XLV_VERSION)" ]

# ---- exit statuses ----

sed -n 's/^ *\(EXIT_[A-Z_]*\) = \([0-9][0-9]*\),.*/\1 \2/p' \
    "$src"/xlvcpu.h >"$T/exits"
check "the exit statuses of xlvcpu/xlvcpu.h are found" at_least 3 "$T/exits"
check "no other file of xlvcpu/ defines an exit status" \
    sh -c '! grep -n "define *EXIT_\|EXIT_[A-Z_]* *= *[0-9]" "$@"' - \
        $(ls "$src"/*.c "$src"/*.h | grep -v '/xlvcpu\.h$')
for e in $(grep -ho 'EXIT_[A-Z_]*' "$src"/*.c | sort -u); do
    check "$e, used in xlvcpu/, is defined in xlvcpu.h" \
        sh -c 'cut -d " " -f 1 "$2" | grep -qx "$1"' - "$e" "$T/exits"
done
sed -n 's/^exit status: //p' "$T/help" >"$T/help-exits"
while read -r name code; do
    check "exit status $code ($name): under EXIT STATUS" \
        is_tag "EXIT STATUS" "$code"
    check "exit status $code ($name): in xlvcpu help" \
        has_word "$code" <"$T/help-exits"
done <"$T/exits"
for code in $(lines "EXIT STATUS" tag0); do
    check "EXIT STATUS $code: an exit status of xlvcpu.h" \
        sh -c 'cut -d " " -f 2 "$2" | grep -qx "$1"' - "$code" "$T/exits"
done

# ---- environment ----

{
    grep -ho 'getenv("[^"]*")' "$src"/*.c | sed 's/getenv("\(.*\)")/\1/'
    grep -ho '"XLVCPU_[A-Z0-9_]*"' "$src"/*.c | tr -d '"'
} | sort -u >"$T/env"
check "the variables xlvcpu/ reads are found" at_least 5 "$T/env"
check "the library reads no environment variable" \
    sh -c '! grep -n "getenv" "$@"' - "$lib"/*.c "$lib"/*.h
for v in $(cat "$T/env"); do
    check "variable $v: under ENVIRONMENT" is_tag ENVIRONMENT "$v"
done
for v in $(lines ENVIRONMENT tag0); do
    check "ENVIRONMENT $v: read by xlvcpu/" has_line "$v" <"$T/env"
done
grep -ho '"XLVCPU_[A-Z0-9_]*=' "$lib"/*.c | tr -d '"=' | sort -u \
    >"$T/hook-env"
check "the hooks' variables are found in libxlvcpu/" at_least 5 "$T/hook-env"
for v in $(cat "$T/hook-env"); do
    check "hook variable $v: under HOOKS" is_tag HOOKS "$v"
done
for v in $(lines HOOKS tag0); do
    check "HOOKS $v: given to hooks by libxlvcpu/" \
        has_line "$v" <"$T/hook-env"
done

# ---- files ----

state=$(define_of "$lib/libxlvcpu.h" XLV_DEFAULT_STATE_DIR)
run=$(define_of "$lib/libxlvcpu.h" XLV_DEFAULT_RUN_DIR)
hooks=$(define_of "$lib/libxlvcpu.h" XLV_DEFAULT_HOOK_DIR)
locks=$(define_of "$lib/store.c" LOCKS_DIR)
def=$(define_of "$lib/store.c" DEF_SUFFIX)
mark=$(define_of "$lib/store.c" MARK_SUFFIX)
lock=$(sed -n 's/.*"%s\(\.[a-z]*\)", name).*/\1/p' "$lib/store.c")
soname=$(define_of "$lib/xml_module.h" XLV__XML_MODULE_SONAME)
# XLV__XML_MODULE_PATH is "DIR/" XLV__XML_MODULE_SONAME.
mod_re='^#define XLV__XML_MODULE_PATH "\([^"]*\)" XLV__XML_MODULE_SONAME$'
moddir=$(sed -n "s/$mod_re/\\1/p" "$lib/xml_module.h")
unit=$(basename "$src"/*.service.in .in)
unitdir=$(sed -n 's/^SYSTEMDUNITDIR ?= \$(PREFIX)/PREFIX/p' "$top/Makefile")
for v in state run hooks locks def mark lock soname moddir unit unitdir; do
    eval "val=\$$v"
    check "files: $v is found in the sources ('$val')" [ -n "$val" ]
done

check "file $state/: under FILES" is_tag FILES "$state/"
check "file $state/NAME$def: in the state directory's entry" \
    entry_has FILES "$state/" "NAME$def"
check "file $state/NAME$mark: under FILES" is_tag FILES "$state/NAME$mark"
check "file $state/$locks/NAME$lock: under FILES" \
    is_tag FILES "$state/$locks/NAME$lock"
check "file $run/: under FILES" is_tag FILES "$run/"
check "file $hooks/: under FILES" is_tag FILES "$hooks/"
for d in $(grep -ho '"[a-z-]*\.d"' "$lib"/*.c | tr -d '"' | sort -u); do
    check "hook directory $d: in the hook directory's entry" \
        entry_has FILES "$hooks/" "$d"
done
check "file $moddir$soname: under FILES" is_tag FILES "LIBDIR/$moddir$soname"
lines FILES tag0 | grep "/$unit\$" >"$T/unit-tag"
check "file $unit: under FILES" [ -s "$T/unit-tag" ]
entry FILES "$(head -n 1 "$T/unit-tag")" >"$T/unit-entry"
check "file $unit: its entry says where make install puts it ($unitdir)" \
    grep -Fq -e "$unitdir" "$T/unit-entry"
for s in $(sed -n 's/.*concat(ctx, [^,]*, [a-z]*, "\(\.[a-z]*\)").*/\1/p' \
               "$lib/host_test.c" | sort -u) \
         $(sed -n 's/.*"%\.\*s\(\.[a-z]*\)".*/\1/p' "$lib/conn.c"); do
    check "simulated host's file PATH$s: under FILES" in_tag FILES "PATH$s"
done

echo "docs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
