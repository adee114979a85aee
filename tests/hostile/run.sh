#!/bin/sh
# Hostile input: documents, xl.cfg files, command-line arguments, store
# entries and simulated-host states made to hurt (external entities,
# entity bombs, deep nesting, huge files, foreign encodings, NUL bytes,
# names that escape a directory or drive a terminal, symlinks, files of
# other users, numbers that overflow).  Each case runs the real xlvcpu,
# bounded in time (timeout) and address space (ulimit -v), and checks:
#
#   refused  exit 1 or 2 (never a signal), nothing on stdout, exactly one
#            line on stderr, "xlvcpu: ..." holding the expected text, with
#            no control character (C0, DEL or C1) in it; the store, the
#            live definitions and the host state exactly as they were
#            (empty *.lock files, the locking protocol, aside)
#   accepted what the manual documents as accepted, as documented
#
# Prints "ok N - CASE: exit RC, SECONDSs, MAXRSS KiB: STDERR" per case,
# "not ok N - CASE: WHY" for a failure, and ends with
# "hostile: N passed, M failed".
#
#   sh tests/hostile/run.sh BUILDDIR
#
# XLVCPU_WRAPPER (e.g. "valgrind -q --error-exitcode=99") runs xlvcpu
# under a wrapper; then the address-space limit is left off and the time
# limit (HOSTILE_TIMEOUT, seconds, default 10) is six times longer.
. "$(dirname "$0")/../lib.sh"
suite_needs_xlvcpu hostile
wrapper=${XLVCPU_WRAPPER:-}
tlimit=${HOSTILE_TIMEOUT:-10}
# 256 MiB of address space is several times what any command needs; an
# ASan build reserves terabytes of it, and a wrapper has its own needs.
vlimit=262144
rsslimit=65536
if [ -n "$wrapper" ]; then
    vlimit=
    rsslimit=
    tlimit=$((tlimit * 6))
elif ldd "$build/lib/libxlvcpu.so" 2>/dev/null | grep -q libasan; then
    vlimit=
    rsslimit=
fi
gnutime=
[ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1 &&
    gnutime=/usr/bin/time

suite_tmpdir T || exit 2
H=$T/host      # the host state, its live definitions and the store
I=$T/in        # the hostile inputs: not part of what must not change
mkdir -p "$H" "$I" || exit 2

n=0
name=setup

pass() {
    n=$((n + 1))
    passed=$((passed + 1))
    echo "ok $n - $name: $*"
}
fail() {
    n=$((n + 1))
    failed=$((failed + 1))
    echo "not ok $n - $name: $*"
}

# A fingerprint of everything under $H, and of a host state elsewhere
# with its PATH.tmp and PATH.run: names, types, modes, owners, sizes,
# link targets and contents.
snapshot() {
    (cd "$H" && find . ! \( -name '*.lock' -type f -empty \) \
        -printf '%p %y %m %U %s %l\n' | LC_ALL=C sort &&
     find . -type f ! -name '*.lock' -exec md5sum {} + | LC_ALL=C sort
     if [ "$HOSTFILE" != "$H/host.json" ]; then
         find "$HOSTFILE" "$HOSTFILE.tmp" "$HOSTFILE.run" \
             -printf '%p %y %m %U %s %l\n' 2>/dev/null
         [ -f "$HOSTFILE" ] && [ ! -L "$HOSTFILE" ] && md5sum "$HOSTFILE"
     fi) | md5sum
}

# run ARGS...: xlvcpu on the host $H/host.json and the store $H/state,
# with standard input from $STDIN (default /dev/null), bounded; sets rc,
# secs and rss; stdout and stderr in $T/out and $T/err.
STDIN=/dev/null
HOSTFILE=$H/host.json
run() {
    (
        [ -n "$vlimit" ] && ulimit -v "$vlimit"
        if [ -n "$gnutime" ]; then
            exec "$gnutime" -f '%e %M' -o "$T/time" \
                timeout -s KILL "$tlimit" $wrapper "$xlvcpu" \
                -c "test://$HOSTFILE" --state-dir "$H/state" "$@"
        fi
        exec timeout -s KILL "$tlimit" $wrapper "$xlvcpu" \
            -c "test://$HOSTFILE" --state-dir "$H/state" "$@"
    ) <"$STDIN" >"${STDOUT:-$T/out}" 2>"$T/err"
    rc=$?
    secs=? rss=?
    if [ -n "$gnutime" ] && [ -s "$T/time" ]; then
        # GNU time adds "Command exited with non-zero status N" first.
        set -- $(tail -n 1 "$T/time")
        secs=${1:-?} rss=${2:-?}
    fi
}

errline() { head -c 400 "$T/err" | tr '\n' '|'; }

# The stderr of the last run is one sane line holding TEXT.
check_err() {
    if [ "$(wc -l <"$T/err")" -ne 1 ] || [ "$(wc -c <"$T/err")" -lt 2 ]
    then
        why="stderr is not one line: $(errline)"
        return 1
    fi
    if ! grep -q '^xlvcpu: ' "$T/err"; then
        why="stderr does not start with 'xlvcpu: ': $(errline)"
        return 1
    fi
    if tr -d '\n' <"$T/err" | LC_ALL=C grep -q '[[:cntrl:]]' ||
       LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$T/err"; then
        why="stderr holds a control character: $(errline | od -c | head -n 3)"
        return 1
    fi
    if ! grep -qF -- "$1" "$T/err"; then
        why="stderr lacks '$1': $(errline)"
        return 1
    fi
    return 0
}

# The last run stayed within the time and memory bounds.
check_bounds() {
    if [ "$rc" -ge 124 ]; then
        why="killed or timed out (exit $rc, limit ${tlimit}s): $(errline)"
        return 1
    fi
    if [ -n "$rsslimit" ] && [ "$rss" != "?" ] && [ "$rss" -gt "$rsslimit" ]
    then
        why="max rss ${rss} KiB is above ${rsslimit} KiB"
        return 1
    fi
    return 0
}

# refused CASE TEXT ARGS...: the command is refused as described at the
# top, with TEXT in its one line of error.
refused() {
    name=$1
    text=$2
    shift 2
    before=$(snapshot)
    run "$@"
    after=$(snapshot)
    why=
    if ! check_bounds; then
        fail "$why"
    elif [ "$rc" -ne 1 ] && [ "$rc" -ne 2 ]; then
        fail "exit $rc, expected 1 or 2: $(errline)"
    elif [ -s "$T/out" ]; then
        fail "printed on stdout: $(head -c 200 "$T/out" | tr '\n' '|')"
    elif ! check_err "$text"; then
        fail "$why"
    elif [ "$before" != "$after" ]; then
        fail "changed what is on disk"
    else
        pass "exit $rc, ${secs}s, ${rss} KiB: $(errline)"
    fi
    STDIN=/dev/null STDOUT=
    HOSTFILE=$H/host.json
}

# accepted CASE TEXT ARGS...: accepted by design (see the manual): exit
# 0, nothing on stderr, TEXT (when not empty) in the output.
accepted() {
    name="$1 (accepted)"
    text=$2
    shift 2
    run "$@"
    why=
    if ! check_bounds; then
        fail "$why"
    elif [ "$rc" -ne 0 ]; then
        fail "exit $rc, expected 0: $(errline)"
    elif [ -s "$T/err" ]; then
        fail "wrote on stderr: $(errline)"
    elif [ -n "$text" ] && ! grep -qF -- "$text" "$T/out"; then
        fail "output lacks '$text': $(head -c 200 "$T/out" | tr '\n' '|')"
    else
        pass "exit 0, ${secs}s, ${rss} KiB"
    fi
    STDIN=/dev/null
    HOSTFILE=$H/host.json
}

# What a domain needs besides its vCPUs.
BOOT='<memory unit="MiB">512</memory><os><type>linux</type><kernel>/boot/vmlinuz</kernel></os>'
# xml FILE NAME [VCPU-XML]: a domain document in $I/FILE.
xml() {
    printf '<domain type="xen"><name>%s</name>%s%s</domain>\n' "$2" \
        "${3:-<vcpu>4</vcpu>}" "$BOOT" >"$I/$1"
}
# cfg FILE TEXT: an xl.cfg file $I/FILE (TEXT through printf's %b).
CFG='name = "c"\nmemory = 512\nkernel = "/boot/vmlinuz"\n'
cfg() { printf '%b' "$2" >"$I/$1"; }
# repeat N STRING: STRING N times.
repeat() { awk -v n="$1" -v s="$2" 'BEGIN { while (n-- > 0) printf "%s", s }'; }

#---- the host: a running and a defined domain to aim at ----

xml web.xml web '<vcpu current="2">4</vcpu>'
run define "$I/web.xml"
run start web
xml idle.xml idle
run define "$I/idle.xml"
run list --all
if [ "$rc" -ne 0 ] || ! grep -q idle "$T/out"; then
    echo "hostile: cannot set the host up: $(errline)"
    echo "hostile: 0 passed, 1 failed"
    exit 1
fi

#---- XML: entities, DTDs, bombs ----

printf '<?xml version="1.0"?>\n<!DOCTYPE domain [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<domain type="xen"><name>&xxe;</name>%s</domain>\n' \
    "$BOOT" >"$I/xxe.xml"
refused "xxe: external entity SYSTEM file:///etc/passwd" "DOCTYPE" \
    define "$I/xxe.xml"
if grep -q 'root:' "$T/err"; then
    name="xxe: /etc/passwd not read"
    fail "the error shows /etc/passwd"
fi
refused "xxe: in -N create" "DOCTYPE" -N create "$I/xxe.xml"
refused "xxe: in domxml-to-native" "DOCTYPE" \
    domxml-to-native xen-xl "$I/xxe.xml"

printf '<?xml version="1.0"?>\n<!DOCTYPE domain [\n<!ENTITY %% p SYSTEM "file:///etc/passwd">\n%%p;\n]>\n<domain type="xen"><name>p</name>%s</domain>\n' \
    "$BOOT" >"$I/xxe-param.xml"
refused "xxe: parameter entity" "DOCTYPE" define "$I/xxe-param.xml"

printf '<?xml version="1.0"?>\n<!DOCTYPE domain SYSTEM "file:///etc/passwd">\n<domain type="xen"><name>d</name>%s</domain>\n' \
    "$BOOT" >"$I/dtd-file.xml"
refused "external dtd: SYSTEM file" "DOCTYPE" define "$I/dtd-file.xml"

printf '<?xml version="1.0"?>\n<!DOCTYPE domain PUBLIC "-//x//y" "http://192.0.2.1/x.dtd">\n<domain type="xen"><name>d</name>%s</domain>\n' \
    "$BOOT" >"$I/dtd-net.xml"
refused "external dtd: PUBLIC over http (no network wait)" "DOCTYPE" \
    define "$I/dtd-net.xml"

{
    printf '<?xml version="1.0"?>\n<!DOCTYPE domain [\n<!ENTITY l0 "lol">\n'
    i=1
    while [ $i -le 9 ]; do
        printf '<!ENTITY l%d "%s">\n' $i "$(repeat 10 "&l$((i - 1));")"
        i=$((i + 1))
    done
    printf ']>\n<domain type="xen"><name>&l9;</name>%s</domain>\n' "$BOOT"
} >"$I/laughs.xml"
refused "billion laughs" "DOCTYPE" define "$I/laughs.xml"

{
    printf '<?xml version="1.0"?>\n<!DOCTYPE domain [\n<!ENTITY a "%s">\n]>\n' \
        "$(repeat 50000 a)"
    printf '<domain type="xen"><name>q</name><description>%s</description>%s</domain>\n' \
        "$(repeat 50000 '&a;')" "$BOOT"
} >"$I/quadratic.xml"
refused "quadratic blowup" "DOCTYPE" define "$I/quadratic.xml"

printf '<domain type="xen"><name>&undeclared;</name>%s</domain>\n' \
    "$BOOT" >"$I/undeclared.xml"
refused "undeclared entity reference" "malformed xml" \
    define "$I/undeclared.xml"

printf '<domain type="xen" xmlns:xi="http://www.w3.org/2001/XInclude"><name>xi</name><description><xi:include href="file:///etc/passwd" parse="text"/></description>%s</domain>\n' \
    "$BOOT" >"$I/xinclude.xml"
accepted "xinclude: not processed by -N create" '"name": "xi"' \
    -N create "$I/xinclude.xml"
accepted "xinclude: defined as it is" "domain 'xi' defined" \
    define "$I/xinclude.xml"
accepted "xinclude: kept as an unknown element" \
    'xi:include href="file:///etc/passwd"' dumpxml --inactive xi
if grep -q 'root:' "$T/out"; then
    name="xinclude: /etc/passwd not read"
    fail "the output shows /etc/passwd"
fi

#---- XML: size and shape ----

{
    printf '<domain type="xen"><name>deep</name>%s' "$BOOT"
    repeat 100000 '<a>'
    repeat 100000 '</a>'
    printf '</domain>\n'
} >"$I/deep.xml"
refused "100,000 nested elements" "excessive depth" define "$I/deep.xml"

printf '<domain type="xen"><name>wide</name><vcpu>4</vcpu>%s<description>%s</description></domain>\n' \
    "$BOOT" "$(repeat 100000 '<a/>')" >"$I/wide.xml"
accepted "100,000 sibling elements (within 4 MiB)" "" \
    domxml-to-native xen-xl "$I/wide.xml"

attrs() { awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf " a%d=\"x\"", i }'; }
printf '<domain type="xen"%s><name>attrs</name>%s</domain>\n' \
    "$(attrs 100000)" "$BOOT" >"$I/attrs.xml"
refused "100,000 attributes on one element" \
    "element <domain> has more than 256 attributes" define "$I/attrs.xml"
printf '<domain type="xen"><name>attrs</name>%s<clock%s/></domain>\n' \
    "$BOOT" "$(attrs 257)" >"$I/attrs257.xml"
refused "257 attributes on one element" \
    "element <clock> has more than 256 attributes" define "$I/attrs257.xml"
printf '<domain type="xen"><name>attrs</name>%s<clock%s/></domain>\n' \
    "$BOOT" "$(attrs 256)" >"$I/attrs256.xml"
accepted "256 attributes on one element" "" -N create "$I/attrs256.xml"
printf '<domain type="xen"><name>attrs</name>%s<clock a="%s"/><!-- %s --></domain>\n' \
    "$BOOT" "$(repeat 300 '=')" "$(repeat 300 '<a=')" >"$I/attrs-eq.xml"
accepted "'=' in attribute values and comments is no attribute" "" \
    -N create "$I/attrs-eq.xml"

# 100 MB: made here, gone after.
{
    printf '<domain type="xen"><name>big</name>%s<description>' "$BOOT"
    head -c 104857600 /dev/zero | tr '\0' a
    printf '</description></domain>\n'
} >"$I/big.xml"
refused "100 MB xml file" "more than the limit of 4194304" \
    define "$I/big.xml"
STDIN=$I/big.xml
refused "100 MB xml on standard input" "larger than the limit of 4194304" \
    define -
HOSTFILE=$I/big.xml
refused "100 MB test host state" "more than the limit" list
rm -f "$I/big.xml"

mkfifo "$I/fifo.xml"
refused "a fifo with no writer as the document" "fifo.xml: empty document" \
    define "$I/fifo.xml"
refused "a directory as the document" "is a directory" define "$I"
refused "/dev/zero as the document" "larger than the limit" \
    define /dev/zero

#---- XML: encodings and bytes ----

printf '<?xml version="1.0" encoding="ISO-8859-1"?>\n<domain type="xen"><name>caf\351</name>%s</domain>\n' \
    "$BOOT" >"$I/latin1.xml"
refused "declared encoding ISO-8859-1" "encoding 'ISO-8859-1' is refused" \
    define "$I/latin1.xml"
printf '<?xml version="1.0" encoding="US-ASCII"?>\n<domain type="xen"><name>ascii</name>%s</domain>\n' \
    "$BOOT" >"$I/ascii.xml"
refused "declared encoding US-ASCII" "encoding 'US-ASCII' is refused" \
    define "$I/ascii.xml"
printf '<?xml version="1.0" encoding="EBCDIC-US"?>\n<domain type="xen"><name>e</name>%s</domain>\n' \
    "$BOOT" >"$I/ebcdic.xml"
refused "declared encoding EBCDIC-US" "encoding 'EBCDIC-US' is refused" \
    define "$I/ebcdic.xml"
printf '<?xml version="1.0"?>\n<domain type="xen"><name>e</name>%s</domain>\n' \
    "$BOOT" | iconv -f UTF-8 -t EBCDIC-US >"$I/ebcdic-raw.xml"
# define tells XML from xl.cfg by content: what is neither text is refused
# before either reader sees it; the XML reader refuses it on its own too.
refused "EBCDIC bytes, undeclared (libxml2 would detect them)" \
    "byte 2 (0xa7) is not utf-8: a domain file" define "$I/ebcdic-raw.xml"
refused "EBCDIC bytes, undeclared, as domain XML" \
    "byte 2 (0xa7) is not utf-8: domain xml must be utf-8" \
    domxml-to-native xen-xl "$I/ebcdic-raw.xml"
printf '<?xml version="1.0" encoding="UTF-16"?>\n<domain type="xen"><name>u</name>%s</domain>\n' \
    "$BOOT" | iconv -f UTF-8 -t UTF-16 >"$I/utf16.xml"
refused "UTF-16 with a byte order mark" "byte 0 (0xff) is not utf-8" \
    define "$I/utf16.xml"
refused "UTF-16 with a byte order mark, as domain XML" "nul byte" \
    domxml-to-native xen-xl "$I/utf16.xml"
printf '<?xml version="1.0" encoding="UTF-8"?>\n<domain type="xen"><name>caf\303\251</name>%s</domain>\n' \
    "$BOOT" >"$I/utf8.xml"
accepted "declared encoding UTF-8, non-ASCII name" "caf" \
    -N create "$I/utf8.xml"
printf '<domain type="xen"><name>bad\377\376</name>%s</domain>\n' \
    "$BOOT" >"$I/notutf8.xml"
refused "bytes that are not UTF-8, undeclared" "(0xff) is not utf-8" \
    define "$I/notutf8.xml"
printf '<domain type="xen"><name>nul\000byte</name>%s</domain>\n' \
    "$BOOT" >"$I/nul.xml"
refused "NUL byte in xml" "nul byte" define "$I/nul.xml"

#---- names ----

xml name-slash.xml 'a/../../etc/x'
refused "xml <name> with '/'" "character '/' is not allowed" \
    define "$I/name-slash.xml"
xml name-dotdot.xml '..'
refused "xml <name> '..'" "must not start with '.'" define "$I/name-dotdot.xml"
xml name-tab.xml 'a&#9;b'
refused "xml <name> with a tab" "control characters" define "$I/name-tab.xml"
xml name-esc.xml 'a&#27;[2Jb'
refused "xml <name> with ESC (not XML at all)" "malformed xml" \
    define "$I/name-esc.xml"
xml name-c1.xml 'a&#x85;b'
refused "xml <name> with C1 control U+0085" "control characters" \
    define "$I/name-c1.xml"
xml name-c1csi.xml "$(printf 'a\302\2332Jb')"
refused "xml <name> with C1 CSI U+009B, raw" "control characters" \
    define "$I/name-c1csi.xml"
xml name-long.xml "$(repeat 1000 n)"
refused "xml <name> of 1,000 characters" "longer than 64 characters" \
    define "$I/name-long.xml"

refused "command line name with '/'" "character '/' is not allowed" \
    vcpu-set --config web/../../../etc/passwd 1
refused "command line name '../../etc/passwd'" "must not start with '.'" \
    undefine ../../etc/passwd
refused "command line name '..'" "must not start with '.'" undefine ..
refused "command line name with ESC" "control characters" \
    vcpu-set "$(printf 'a\033[2Jb')" 1
refused "command line name with C1 CSI" "control characters" \
    dumpxml "$(printf 'a\302\233b')"
refused "command line name not UTF-8, to change" "not valid utf-8" \
    vcpu-set --config "$(printf 'a\377b')" 1
# Looking needs no valid store name: the host may run any name.
refused "command line name not UTF-8, to look" \
    "domain 'a?b' is neither running nor defined" \
    vcpucount "$(printf 'a\377b')"
refused "command line name of 1,000 characters" "longer than 64" \
    undefine "$(repeat 1000 n)"
refused "command line name with a newline" "control characters" \
    dumpxml --inactive "$(printf 'web\nx')"

cfg name-slash.cfg "${CFG}name = \"a/b\"\n"
refused "xl.cfg name= with '/'" "character '/' is not allowed" \
    domxml-from-native xen-xl "$I/name-slash.cfg"
cfg name-dotdot.cfg "${CFG}name = \"..\"\n"
refused "xl.cfg name= '..'" "must not start with '.'" \
    domxml-from-native xen-xl "$I/name-dotdot.cfg"
cfg name-esc.cfg "${CFG}name = \"a\033]0;owned\007b\"\n"
refused "xl.cfg name= with ESC and BEL" "control characters" \
    domxml-from-native xen-xl "$I/name-esc.cfg"
cfg name-c1.cfg "${CFG}name = \"a\302\205b\"\n"
refused "xl.cfg name= with C1 U+0085" "control characters" \
    domxml-from-native xen-xl "$I/name-c1.cfg"
cfg name-latin1.cfg "${CFG}name = \"caf\351\"\n"
refused "xl.cfg name= not UTF-8" "not valid utf-8" \
    domxml-from-native xen-xl "$I/name-latin1.cfg"
cfg name-long.cfg "${CFG}name = \"$(repeat 1000 n)\"\n"
refused "xl.cfg name= of 1,000 characters" "longer than 64" \
    domxml-from-native xen-xl "$I/name-long.cfg"

#---- usage errors echo what they were given, made harmless ----

refused "unknown command with ESC" "unknown command 'x?[2J'" \
    "$(printf 'x\033[2J')"
refused "unknown command with C1" "unknown command 'x??y'" \
    "$(printf 'x\302\233y')"
refused "unknown command of 1,000 characters" "..." "$(repeat 1000 c)"
refused "unknown global option with ESC" "unknown option '--x?[2J'" \
    "$(printf -- '--x\033[2J')"
refused "help for a command with ESC" "unknown command 'x?'" \
    help "$(printf 'x\033')"
refused "vcpu-set count with ESC" "count '1?[2J' is not a number" \
    vcpu-set web "$(printf '1\033[2J')"
refused "vcpu-pin vcpu with C1" "vcpu '1??' is not a number" \
    vcpu-pin web "$(printf '1\302\233')" 1
refused "vcpu-pin option with ESC" "unknown option '-?'" \
    vcpu-pin "$(printf -- '-\033')" web 0 1

#---- numbers ----

xml n-vcpu-big.xml nb '<vcpu>99999999999999999999</vcpu>'
refused "<vcpu> 2^66" "must be from 1 to 8192" define "$I/n-vcpu-big.xml"
xml n-vcpu-neg.xml nb '<vcpu>-1</vcpu>'
refused "<vcpu> -1" "not a non-negative integer" define "$I/n-vcpu-neg.xml"
xml n-vcpu-wrap.xml nb '<vcpu>4294967297</vcpu>'
refused "<vcpu> 2^32+1 (wraps to 1)" "must be from 1 to 8192" \
    define "$I/n-vcpu-wrap.xml"
xml n-vcpu-zero.xml nb '<vcpu>0</vcpu>'
refused "<vcpu> 0" "must be from 1 to 8192" define "$I/n-vcpu-zero.xml"
xml n-cur-neg.xml nb '<vcpu current="-1">4</vcpu>'
refused "current= -1" "not a non-negative integer" define "$I/n-cur-neg.xml"
xml n-cur-wrap.xml nb '<vcpu current="4294967298">4</vcpu>'
refused "current= 2^32+2 (wraps to 2)" "must be from 1 to 4" \
    define "$I/n-cur-wrap.xml"
xml n-pin-big.xml nb '<vcpu>4</vcpu><cputune><vcpupin vcpu="4294967296" cpuset="1"/></cputune>'
refused "<vcpupin vcpu=> 2^32" "vcpupin vcpu='4294967296'" \
    define "$I/n-pin-big.xml"
xml n-pin-neg.xml nb '<vcpu>4</vcpu><cputune><vcpupin vcpu="-1" cpuset="1"/></cputune>'
refused "<vcpupin vcpu=> -1" "not a non-negative integer" \
    define "$I/n-pin-neg.xml"
xml n-pin-max.xml nb '<vcpu>4</vcpu><cputune><vcpupin vcpu="4" cpuset="1"/></cputune>'
refused "<vcpupin vcpu=> at the maximum" "vcpupin vcpu='4'" \
    define "$I/n-pin-max.xml"
xml n-cpuset-4096.xml nb '<vcpu cpuset="4096">4</vcpu>'
refused "cpuset id 4096" "cpu id '4096' is not below 4096" \
    define "$I/n-cpuset-4096.xml"
xml n-cpuset-huge.xml nb '<vcpu cpuset="0-99999999999999999999">4</vcpu>'
refused "cpuset range to 10^20" "is not below 4096" \
    define "$I/n-cpuset-huge.xml"
xml n-cpuset-4095.xml nb '<vcpu cpuset="0-4095,^5">4</vcpu>'
accepted "cpuset 0-4095 (the documented limit)" '"max_vcpus": 4' \
    -N create "$I/n-cpuset-4095.xml"
xml n-pinset-big.xml nb '<vcpu>4</vcpu><cputune><vcpupin vcpu="1" cpuset="4194304"/></cputune>'
refused "-N create: vcpupin cpuset 4194304 (no 512 KiB bitmap)" \
    "cpu id '4194304' is not below 4096" -N create "$I/n-pinset-big.xml"
xml n-soft-big.xml nb '<vcpu>4</vcpu><metadata><x:cputune xmlns:x="http://xlvcpu.org/xmlns/cputune/1.0"><x:soft cpuset="4294967296"/></x:cputune></metadata>'
refused "-N create: soft cpuset 2^32" "is not below 4096" \
    -N create "$I/n-soft-big.xml"
xml n-mem-big.xml nb '<vcpu>4</vcpu><memory unit="EiB">16</memory>'
refused "<memory> 16 EiB (twice)" "" define "$I/n-mem-big.xml"
xml n-shares.xml nb '<vcpu>4</vcpu><cputune><shares>4294967297</shares></cputune>'
refused "<shares> 2^32+1" "shares" define "$I/n-shares.xml"
xml n-topo.xml nb '<vcpu>4</vcpu><cpu><topology sockets="4294967297" cores="1" threads="1"/></cpu>'
refused "<topology sockets=> 2^32+1" "topology" define "$I/n-topo.xml"

cells() {
    awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
        printf "<cell id=\"%d\" cpus=\"%d\" memory=\"1024\"/>", i, i }'
}
printf '<domain type="xen"><name>numa</name><memory>33792</memory><vcpu>33</vcpu><cpu><numa>%s</numa></cpu><os><type>linux</type><kernel>/k</kernel></os></domain>\n' \
    "$(cells 33)" >"$I/numa33.xml"
refused "33 vNUMA cells" "<numa> has 33 cells: at most 32" \
    define "$I/numa33.xml"
printf '<domain type="xen"><name>numa</name><memory>8388608</memory><vcpu>8192</vcpu><cpu><numa>%s</numa></cpu><os><type>linux</type><kernel>/k</kernel></os></domain>\n' \
    "$(cells 8192)" >"$I/numa8192.xml"
refused "8192 vNUMA cells (a 256 MiB distance table)" \
    "<numa> has 8192 cells" -N create "$I/numa8192.xml"
printf '<domain type="xen"><name>numa</name><memory>32768</memory><vcpu>32</vcpu><cpu><numa>%s</numa></cpu><os><type>linux</type><kernel>/k</kernel></os></domain>\n' \
    "$(cells 32)" >"$I/numa32.xml"
accepted "32 vNUMA cells" '"vnuma_nodes"' -N create "$I/numa32.xml"

refused "vcpu-set 2^66" "count '99999999999999999999' is not a number" \
    vcpu-set --config idle 99999999999999999999
refused "vcpu-set 2^32+1 (wraps to 1)" "count '4294967297' is not a number" \
    vcpu-set --config idle 4294967297
refused "vcpu-set -1 (an option, as in xl)" "unknown option '-1'" \
    vcpu-set --config idle -1
refused "vcpu-set -- -1" "count '-1' is not a number" \
    vcpu-set --config -- idle -1
refused "vcpu-set 0" "at least 1 vcpu" vcpu-set --config idle 0
refused "vcpu-set 0x10" "count '0x10' is not a number" \
    vcpu-set --config idle 0x10
refused "vcpu-set --maximum 2^32+1" "is not a number" \
    vcpu-set --config --maximum idle 4294967297
refused "vcpu-set --maximum 8193" "8193" \
    vcpu-set --config --maximum idle 8193
refused "vcpu-set --live 1048576" "exceeds maximum" vcpu-set --live web 1048576
refused "vcpu-pin vcpu 2^64" "vcpu '18446744073709551616' is not a number" \
    vcpu-pin --config idle 18446744073709551616 1
refused "vcpu-pin vcpu 2^32 (wraps to 0)" "vcpu '4294967296' is not a number" \
    vcpu-pin --config idle 4294967296 1
refused "vcpu-pin vcpu at the maximum" "" vcpu-pin --config idle 4 1
refused "vcpu-pin vcpu -1" "unknown option '-1'" vcpu-pin --config idle -1 1
refused "vcpu-pin cpu 4096" "cpu id '4096' is not below 4096" \
    vcpu-pin --config idle 0 4096
refused "vcpu-pin cpu range to 2^66" "is not below 4096" \
    vcpu-pin --live web 0 0-99999999999999999999
refused "vcpu-pin soft cpu 2^32" "is not below 4096" \
    vcpu-pin --config idle 0 - 4294967296
refused "-N vcpu-pin cpu 4194304" "cpu id '4194304' is not below 4096" \
    -N vcpu-pin --config idle 0 4194304
refused "vcpu-pin node 2^32" "" vcpu-pin --live web 0 node:4294967296
refused "domid 2^32 (wraps to 0)" "domain '4294967296' is neither" \
    vcpu-set --live 4294967296 1
refused "domid 2^64+1" "domain '18446744073709551617' is neither" \
    vcpucount 18446744073709551617
refused "domid -1" "domain '-1' is neither" vcpu-set --live -- -1 1
refused "domid 32752 (above Xen's)" "domain '32752' is neither" \
    vcpu-set --live 32752 1

cfg x-vcpus-big.cfg "${CFG}vcpus = 99999999999999999999\n"
refused "xl.cfg vcpus= 10^20" "must be at most 8192" \
    domxml-from-native xen-xl "$I/x-vcpus-big.cfg"
cfg x-vcpus-neg.cfg "${CFG}vcpus = -1\n"
refused "xl.cfg vcpus= -1" "config parsing error" \
    domxml-from-native xen-xl "$I/x-vcpus-neg.cfg"
cfg x-maxvcpus-wrap.cfg "${CFG}maxvcpus = 4294967297\nvcpus = 1\n"
refused "xl.cfg maxvcpus= 2^32+1" "must be at most 8192" \
    domxml-from-native xen-xl "$I/x-maxvcpus-wrap.cfg"
cfg x-maxvcpus-hex.cfg "${CFG}maxvcpus = 0xffffffffffffffffff\n"
refused "xl.cfg maxvcpus= 0xff..ff (72 bits)" "maxvcpus" \
    domxml-from-native xen-xl "$I/x-maxvcpus-hex.cfg"
cfg x-vcpus-zero.cfg "${CFG}vcpus = 0\n"
refused "xl.cfg vcpus= 0" "vcpus" domxml-from-native xen-xl "$I/x-vcpus-zero.cfg"
cfg x-cpus-4096.cfg "${CFG}vcpus = 2\ncpus = \"0-4096\"\n"
refused "xl.cfg cpus= 0-4096" "cpu id '4096' is not below 4096" \
    domxml-from-native xen-xl "$I/x-cpus-4096.cfg"
cfg x-cpus-list.cfg "${CFG}vcpus = 2\ncpus = [ \"1\", \"2\", \"3\" ]\n"
refused "xl.cfg cpus= list longer than the vcpus" "3 entries for 2 vcpus" \
    domxml-from-native xen-xl "$I/x-cpus-list.cfg"
cfg x-avail-big.cfg "${CFG}vcpus = 2\nvcpu_avail = 99999999999999999999999\n"
refused "xl.cfg vcpu_avail= 10^23" "vcpu_avail" \
    domxml-from-native xen-xl "$I/x-avail-big.cfg"
cfg x-memory-big.cfg "${CFG}memory = 99999999999999999999\n"
refused "xl.cfg memory= 10^20" "must be at most" \
    domxml-from-native xen-xl "$I/x-memory-big.cfg"
cfg x-weight.cfg "${CFG}cpu_weight = 4294967297\n"
refused "xl.cfg cpu_weight= 2^32+1" "must be at most 65535" \
    domxml-from-native xen-xl "$I/x-weight.cfg"
cfg x-topo.cfg "${CFG}vcpus = 2\ncpu_topology = \"sockets=99999999999,dies=1,cores=1,threads=1\"\n"
refused "xl.cfg cpu_topology sockets= 10^11" "cpu_topology" \
    domxml-from-native xen-xl "$I/x-topo.cfg"
vn=$(awk 'BEGIN { for (i = 0; i < 33; i++)
    printf "%s[\"pnode=0\",\"size=1\",\"vcpus=%d\"]", i ? "," : "", i }')
cfg x-vnuma33.cfg "${CFG}maxvcpus = 33\nvnuma = [ $vn ]\n"
refused "xl.cfg vnuma= 33 cells" "33 cells, at most 32" \
    domxml-from-native xen-xl "$I/x-vnuma33.cfg"

#---- xl.cfg: syntax, keys, bytes ----

cfg x-unknown.cfg "${CFG}no_such_key = 1\nvif2 = [ 'x' ]\n"
accepted "xl.cfg unknown keys are ignored (XL.CFG: other keys)" \
    "<name>c</name>" domxml-from-native xen-xl "$I/x-unknown.cfg"
if grep -q no_such_key "$T/out"; then
    name="xl.cfg unknown keys: not carried into the xml"
    fail "the output holds the unknown key"
fi
cfg x-syntax.cfg "${CFG}vcpus = [[[[\n"
refused "xl.cfg unclosed lists" "config parsing error" \
    domxml-from-native xen-xl "$I/x-syntax.cfg"
cfg x-syntax2.cfg "${CFG}vcpus 2\n"
refused "xl.cfg key without =" "config parsing error" \
    domxml-from-native xen-xl "$I/x-syntax2.cfg"
cfg x-string.cfg "${CFG}kernel = \"unterminated\n"
refused "xl.cfg unterminated string" "config parsing error" \
    domxml-from-native xen-xl "$I/x-string.cfg"
cfg x-nul.cfg "${CFG}kernel = \"/boot/a\000b\"\n"
refused "NUL byte in xl.cfg" "NUL byte" \
    domxml-from-native xen-xl "$I/x-nul.cfg"
printf 'x = %s\n' "$(repeat 100000 '[')" >"$I/x-deep.cfg"
refused "xl.cfg 100,000 nested lists" "config parsing error" \
    domxml-from-native xen-xl "$I/x-deep.cfg"
cfg x-empty.cfg ""
refused "empty xl.cfg" "name" domxml-from-native xen-xl "$I/x-empty.cfg"
{ printf '%b' "$CFG"; printf 'extra = "'; head -c 5000000 /dev/zero |
  tr '\0' e; printf '"\n'; } >"$I/x-big.cfg"
refused "5 MB xl.cfg" "more than the limit of 4194304" \
    domxml-from-native xen-xl "$I/x-big.cfg"
rm -f "$I/x-big.cfg"

#---- the store: symlinks, owners, modes ----

ln -s "$H/state/idle.xml" "$H/state/evil.xml"
refused "definition that is a symlink: read" "is a symlink: refused" \
    dumpxml --inactive evil
refused "definition that is a symlink: change" "is a symlink: refused" \
    vcpu-set --config evil 1
refused "definition that is a symlink: remove" "is a symlink: refused" \
    undefine evil
# define replaces the link itself, never what it points to (as
# tests/unit/test_store.c test_read_symlink has it).
xml evil.xml evil
before_idle=$(md5sum <"$H/state/idle.xml")
accepted "definition that is a symlink: define replaces the link" \
    "domain 'evil' defined" define "$I/evil.xml"
name="definition that is a symlink: its target untouched"
if [ -L "$H/state/evil.xml" ] ||
   [ "$(md5sum <"$H/state/idle.xml")" != "$before_idle" ]; then
    fail "the link is still there or its target changed"
else
    pass "a regular file replaced the link"
fi
run undefine evil
ln -s /etc/passwd "$H/state/passwd.xml"
refused "definition symlinked to /etc/passwd" "is a symlink: refused" \
    dumpxml --inactive passwd
rm -f "$H/state/passwd.xml"

mv "$H/state" "$H/state.real"
ln -s state.real "$H/state"
refused "store directory that is a symlink" "is a symlink: refused" \
    list --all
rm -f "$H/state"
mv "$H/state.real" "$H/state"

chmod 0777 "$H/state"
refused "store directory writable by others" \
    "writable by group or others: refused" list --all
chmod 0700 "$H/state"
chmod 0666 "$H/state/idle.xml"
refused "definition writable by others" \
    "writable by group or others: refused" dumpxml --inactive idle
chmod 0600 "$H/state/idle.xml"

if chown nobody "$H/state/idle.xml" 2>/dev/null; then
    refused "definition owned by another user" "is owned by uid" \
        vcpu-set --config idle 1
    chown "$(id -u)" "$H/state/idle.xml"
    chown nobody "$H/state"
    refused "store directory owned by another user" "is owned by uid" \
        list --all
    chown "$(id -u)" "$H/state"
else
    n=$((n + 1)); passed=$((passed + 1))
    echo "ok $n - # SKIP files of another user need root"
fi

#---- the test host: its state file ----

cp "$H/host.json" "$I/host-real.json"
ln -s "$I/host-real.json" "$I/host-link.json"
HOSTFILE=$I/host-link.json
refused "test host state that is a symlink" "is a symlink: refused" list
ln -s "$I/nowhere.json" "$I/host-dangling.json"
HOSTFILE=$I/host-dangling.json
refused "test host state that is a dangling symlink" \
    "is a symlink: refused" vcpu-set --live 0 1
[ -e "$I/nowhere.json" ] && { name="dangling symlink"; fail "its target was created"; }
cp "$H/host.json" "$I/host-ww.json"
chmod 0666 "$I/host-ww.json"
HOSTFILE=$I/host-ww.json
refused "test host state writable by others" \
    "writable by group or others: refused" list
cp "$H/host.json" "$I/host-other.json"
if chown nobody "$I/host-other.json" 2>/dev/null; then
    HOSTFILE=$I/host-other.json
    refused "test host state owned by another user" "is owned by uid" list
else
    n=$((n + 1)); passed=$((passed + 1))
    echo "ok $n - # SKIP files of another user need root"
fi
mkfifo "$I/host-fifo.json"
HOSTFILE=$I/host-fifo.json
refused "test host state that is a fifo" "not a regular file" list
HOSTFILE=$I/host-dir
mkdir "$I/host-dir"
refused "test host state that is a directory" "not a regular file" list

# state FILE JSON: a test host state in $I/FILE, mode 0600.
state() { printf '%s' "$2" >"$I/$1"; chmod 0600 "$I/$1"; }
hostcase() {
    f=$1
    shift
    HOSTFILE=$I/$f
    refused "$@"
}
D0='{"domid": 0, "name": "Domain-0", "max_vcpus": 1}'
state j-trunc.json "{\"pcpus\": 4, \"domains\": [$D0"
hostcase j-trunc.json "truncated test host json" "corrupt state" list
head -c 700 "$H/host.json" >"$I/j-trunc2.json"; chmod 0600 "$I/j-trunc2.json"
hostcase j-trunc2.json "test host json cut at 700 bytes" "corrupt state" \
    vcpu-set --live web 1
state j-empty.json ""
hostcase j-empty.json "empty test host json" "the file is empty" list
state j-garbage.json "$(head -c 300 /dev/urandom | tr -d '\000' | LC_ALL=C tr '{}[]' 'abcd')"
hostcase j-garbage.json "random bytes as test host json" "corrupt state" list
state j-array.json "[1, 2]"
hostcase j-array.json "test host json not an object" "not an object" list
state j-unknown.json '{"pcpus": 4, "evil": 1}'
hostcase j-unknown.json "unknown member" "unknown key 'evil'" list
state j-twice.json '{"pcpus": 4, "pcpus": 8}'
hostcase j-twice.json "member given twice" "appears twice" list
state j-deep.json "$(repeat 100000 '[')"
hostcase j-deep.json "100,000 nested arrays" "nested deeper than" list
state j-nul.json '{"domains": [{"domid": 0, "name": "a\u0000b", "max_vcpus": 1}]}'
hostcase j-nul.json "\\u0000 in a name" "u0000" list
state j-c1.json '{"domains": [{"domid": 0, "name": "a\u0085b", "max_vcpus": 1}]}'
hostcase j-c1.json "C1 control U+0085 in a name" "control character" list
state j-esc.json '{"domains": [{"domid": 0, "name": "a\u001b[2Jb", "max_vcpus": 1}]}'
hostcase j-esc.json "ESC in a name" "control character" list
state j-latin1.json "$(printf '{"domains": [{"domid": 0, "name": "caf\351", "max_vcpus": 1}]}')"
hostcase j-latin1.json "name not UTF-8" "corrupt state" list
state j-pcpus-big.json '{"pcpus": 99999999999999999999999}'
hostcase j-pcpus-big.json "pcpus 10^23" "is not an integer" list
state j-pcpus-neg.json '{"pcpus": -1}'
hostcase j-pcpus-neg.json "pcpus -1" "is not between 1 and 4096" list
state j-pcpus-4097.json '{"pcpus": 4097}'
hostcase j-pcpus-4097.json "pcpus 4097" "is not between 1 and 4096" list
state j-pcpus-float.json '{"pcpus": 1e400}'
hostcase j-pcpus-float.json "pcpus 1e400" "is not an integer" list
state j-domid.json '{"domains": [{"domid": 4294967296, "name": "a", "max_vcpus": 1}]}'
hostcase j-domid.json "domid 2^32" "is not between 0 and 32751" list
state j-domid-neg.json '{"domains": [{"domid": -1, "name": "a", "max_vcpus": 1}]}'
hostcase j-domid-neg.json "domid -1" "is not between 0 and 32751" list
state j-maxv.json '{"domains": [{"domid": 0, "name": "a", "max_vcpus": 2147483648}]}'
hostcase j-maxv.json "max_vcpus 2^31" "max_vcpus" list
state j-time.json '{"domains": [{"domid": 0, "name": "a", "max_vcpus": 1, "vcpus": [{"online": true, "time_ns": -5}]}]}'
hostcase j-time.json "time_ns -5" "time_ns" list
state j-cpu.json '{"domains": [{"domid": 0, "name": "a", "max_vcpus": 1, "vcpus": [{"online": true, "cpu": 9223372036854775808}]}]}'
hostcase j-cpu.json "vcpu cpu 2^63" "cpu" list
state j-hard.json '{"domains": [{"domid": 0, "name": "a", "max_vcpus": 1, "vcpus": [{"online": true, "hard": "0-4096"}]}]}'
hostcase j-hard.json "hard affinity to cpu 4096" "4096" list
state j-numa.json '{"pcpus": 4, "numa": ["0-99999999999"]}'
hostcase j-numa.json "numa node cpus to 10^11" "not below 4" list
state j-next.json '{"next_domid": 18446744073709551616}'
hostcase j-next.json "next_domid 2^64" "not an integer" list
state j-vcpus.json "{\"domains\": [{\"domid\": 0, \"name\": \"a\", \"max_vcpus\": 2, \"vcpus\": [$(repeat 3 '{"online": true},'){\"online\": true}]}]}"
hostcase j-vcpus.json "more vcpus than max_vcpus" "vcpus" list

# A running domain may have a name the store cannot hold: look at it,
# but nothing that would lock or write by that name.
state j-dotdot.json '{"domains": [{"domid": 0, "name": "Domain-0", "max_vcpus": 1}, {"domid": 3, "name": "../../etc/passwd", "max_vcpus": 2}]}'
HOSTFILE=$I/j-dotdot.json
accepted "running domain named ../../etc/passwd: listed" "../../etc/passwd" \
    vcpu-list
hostcase j-dotdot.json "running domain named ../../etc/passwd: vcpu-set" \
    "domain name '../../etc/passwd': must not start with '.'" \
    vcpu-set --live 3 1
HOSTFILE=$I/j-dotdot.json
accepted "running domain named ../../etc/passwd: dumpxml by domid" \
    "<name>../../etc/passwd</name>" dumpxml 3
name="running domain named ../../etc/passwd: no run directory made"
if [ -e "$I/j-dotdot.json.run" ]; then
    fail "$I/j-dotdot.json.run was created"
else
    pass "none"
fi

#---- the environment ----

export XLVCPU_TEST_FAIL=set_vcpuonline:99999999999999999999
refused "XLVCPU_TEST_FAIL call number 10^20" \
    "call number '99999999999999999999' is not a whole number" list
export XLVCPU_TEST_FAIL="$(printf 'x\033[2J:1')"
refused "XLVCPU_TEST_FAIL with ESC" "unknown call 'x?[2J'" list
export XLVCPU_TEST_FAIL="$(repeat 1000 'physinfo:1,')physinfo:1"
refused "XLVCPU_TEST_FAIL with 1,001 items" "more than 32 items" list
unset XLVCPU_TEST_FAIL
HOSTFILE=$I/$(repeat 5000 h)
refused "test host path of 5,000 bytes" "not a usable file name" list

#---- output that cannot be written ----

# A command whose output is lost fails, in one line, as a write error,
# not a success with nothing printed.  (The first look at the test host
# writes its state: made before, so that the cases can show nothing
# changes.)
run list
: >"$T/out"
for c in "help vcpu-set" list vcpucount\ 0 \
         "domxml-to-native xen-xl $top/domain-configs/hvm-win.xml"; do
    STDOUT=/dev/full
    # shellcheck disable=SC2086
    refused "${c%% *} to a full device" "${c%% *}: cannot write the output" $c
done

echo "hostile: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
