#!/bin/sh
# The bash completion (xlvcpu/xlvcpu.bash-completion), in plain bash
# (--norc --noprofile, nothing of the bash-completion package): what it
# offers for lines typed up to the cursor (complete.bash hands them over
# as readline would), on a simulated host (test:///PATH) with a domain
# that is only defined, one defined and running, one running only (made
# by create) and one whose name needs quoting; that the options it offers
# are the ones each command documents and parses; and that completing
# domain names runs xlvcpu at most once, on the host and state directory
# the line names, never loads libxml2, prints nothing, and gives up on a
# host that does not answer.
#
#   sh tests/completion/run.sh BUILDDIR
#
# Prints "ok N - WHAT" per check, "not ok N - WHAT: WHY" for a failure,
# and ends with "completion: N passed, M failed".
. "$(dirname "$0")/../lib.sh"
suite_needs_xlvcpu completion
if ! command -v bash >/dev/null 2>&1; then
    echo "completion: bash is missing" >&2
    exit 2
fi
script=$top/xlvcpu/xlvcpu.bash-completion
helper=$top/tests/completion/complete.bash
suite_tmpdir T || exit 2
# "test:///tmp/tmp.X/host.json" reads "test://T/host.json" in the lines.
short() { printf '%s' "$*" | sed "s|$T|T|g"; }

#---- the host, the files, and the completion run ----

host=test://$T/host.json
state=$T/state
# (Words for a line: the temporary directory's name has no blank.)
on="xlvcpu -c $host --state-dir $state"
x() { "$xlvcpu" -c "$host" --state-dir "$state" "$@" </dev/null; }

domxml() {
    cat > "$T/dom/$1.xml" <<EOF
<domain type='xen'>
  <name>$1</name>
  <memory unit='KiB'>524288</memory>
  <vcpu placement='static' current='1'>2</vcpu>
  <os>
    <type arch='x86_64' machine='xenpv'>linux</type>
    <kernel>/boot/vmlinuz</kernel>
  </os>
</domain>
EOF
}
setup() {
    "$@" >"$T/setup.log" 2>&1 && return
    echo "completion: setup: '$*' failed: $(short "$(cat "$T/setup.log")")" >&2
    exit 2
}
mkdir "$T/dom" "$T/files" "$T/files/webdir" "$T/bin" "$T/slow" "$T/ld" ||
    exit 2
for d in db web "my dom" scratch; do
    domxml "$d"
done
setup x define "$T/dom/db.xml"
setup x define "$T/dom/web.xml"
setup x define "$T/dom/my dom.xml"
setup x start web
setup x start "my dom"
setup x create "$T/dom/scratch.xml"
: > "$T/files/web.xml"
: > "$T/files/web.cfg"
: > "$T/files/other.txt"

# First in PATH, an xlvcpu that writes its arguments to T/calls and runs
# the one under test; one that never answers for the slow host.
cat > "$T/bin/xlvcpu" <<EOF
#!/bin/sh
printf '%s\n' "\$*" >> "$T/calls"
exec "$xlvcpu" "\$@"
EOF
printf '#!/bin/sh\nexec sleep 30\n' > "$T/slow/xlvcpu"
chmod +x "$T/bin/xlvcpu" "$T/slow/xlvcpu"

# completion WORD...: what the completion offers for the line WORD... (the
# last one under the cursor), sorted, on one line, in $got; its stderr in
# T/err; its xlvcpu runs in T/calls.  It runs in T/files, with another
# host and state directory in the environment (Domain-0 only, nothing
# defined), which the line's own -c and --state-dir must win over.
# COMP_ENV holds more VAR=VALUE words for its environment, COMP_PATH the
# directory of the xlvcpu it finds.
COMP_ENV=
COMP_PATH=$T/bin
completion() {
    : > "$T/calls"
    # shellcheck disable=SC2086
    got=$(cd "$T/files" &&
          env XLVCPU_CONNECT="test://$T/elsewhere.json" \
              XLVCPU_STATE_DIR="$T/elsewhere" PATH="$COMP_PATH:$PATH" \
              $COMP_ENV bash --norc --noprofile "$helper" "$script" \
              "$@" 2>"$T/err" | tr '\n' ' ')
    got=${got% }
}

# offers WANT WORD...: the completion of WORD... is exactly WANT (the
# candidates, sorted and separated by spaces), with nothing on stderr.
offers() {
    want=$1
    shift
    completion "$@"
    what="'$(short "$*")' offers '$want'"
    if [ -s "$T/err" ]; then
        fail "$what: stderr: $(short "$(head -c 300 "$T/err")")"
    elif [ "$got" != "$want" ]; then
        fail "$what: got '$(short "$got")'"
    else
        pass "$what"
    fi
}

# runs N WHAT: the last completion ran xlvcpu N times.
runs() {
    count=$(wc -l < "$T/calls")
    if [ "$count" -eq "$1" ]; then
        pass "$2 runs xlvcpu $1 time(s)"
    else
        fail "$2 runs xlvcpu $count times, not $1:" \
             "$(short "$(tr '\n' '|' < "$T/calls")")"
    fi
}

#---- commands ----

commands=$("$xlvcpu" help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
all=$(printf '%s\n' "$commands" | LC_ALL=C sort | tr '\n' ' ')
all=${all% }
if [ "$(printf '%s\n' "$commands" | wc -l)" -ge 15 ]; then
    pass "'xlvcpu help' lists the commands"
else
    fail "'xlvcpu help' lists the commands: got '$commands'"
fi
offers "$all" xlvcpu ''
offers "vcpu-list vcpu-pin vcpu-set vcpucount" xlvcpu vc
offers "define domxml-from-native domxml-to-native dumpxml" xlvcpu d
offers "create" xlvcpu -N -q cr
offers "vcpu-set" xlvcpu --state-dir "$state" vcpu-se
offers "vcpu-set" xlvcpu help vcpu-s
offers "" xlvcpu nosuchcommand ''
runs 0 "completing a command"

#---- global options ----

globals="--connect --help --json --state-dir --version -N -V -c -h -q"
offers "$globals" xlvcpu -
offers "--state-dir" xlvcpu --st
offers "--json" xlvcpu -N --j
for o in $globals; do
    case $o in
    -c | --connect) "$xlvcpu" "$o" "$host" >/dev/null 2>"$T/err" ;;
    --state-dir) "$xlvcpu" "$o" "$state" >/dev/null 2>"$T/err" ;;
    *) "$xlvcpu" "$o" >/dev/null 2>"$T/err" ;;
    esac
    if grep -q "unknown option" "$T/err"; then
        fail "xlvcpu takes the global option '$o': $(cat "$T/err")"
    else
        pass "xlvcpu takes the global option '$o'"
    fi
done
offers "webdir" xlvcpu --state-dir ''
offers "webdir" xlvcpu --state-dir=w
offers "webdir" xlvcpu -q --state-dir=
offers "" xlvcpu -c ''
offers "" xlvcpu --connect=te
offers "" xlvcpu --version ''

#---- each command's options ----

# documented CMD: the options "xlvcpu help CMD" shows (its usage line, and
# the lines that start with an option), sorted, on one line.
documented() {
    "$xlvcpu" help "$1" | {
        IFS= read -r usage
        printf '%s\n' "$usage" | grep -oE '[[| ]--?[A-Za-z][a-z-]*' |
            cut -c2-
        sed -n 's/^  \(-[^ ,]*\(, -[^ ,]*\)*\).*/\1/p' | sed 's/,//g' |
            tr ' ' '\n'
    } | LC_ALL=C sort -u | tr '\n' ' ' | sed 's/ $//'
}

# Another host, to ask each command about each option with web defined.
host2=test://$T/host2.json
state2=$T/state2
x2() { "$xlvcpu" -c "$host2" --state-dir "$state2" "$@" </dev/null; }
setup x2 define "$T/dom/web.xml"

# parses CMD OPT: "CMD OPT", or "CMD OPT web", ends otherwise (status, or
# stderr with the option's name) than it does with an option CMD does not
# know in its place.
parses() {
    case $2 in
    --*) other=--no-such-option ;;
    *) other=-Z ;;
    esac
    for dom in "" web; do
        # shellcheck disable=SC2086
        a=$(x2 "$1" "$2" $dom 2>&1 >/dev/null; echo "exit $?")
        # shellcheck disable=SC2086
        b=$(x2 "$1" "$other" $dom 2>&1 >/dev/null; echo "exit $?")
        [ "$a" != "$(printf '%s\n' "$b" | sed "s/$other/$2/g")" ] && return 0
    done
    return 1
}

offers "--config --current --ignore-host --live --maximum" \
    xlvcpu vcpu-set --
for c in $commands; do
    offers "$(documented "$c")" xlvcpu "$c" -
    for o in $got; do
        if parses "$c" "$o"; then
            pass "'xlvcpu $c' parses '$o'"
        else
            fail "'xlvcpu $c' parses '$o': it says what it says of '$other'"
        fi
    done
done
# (parses can tell an option that is not the command's.)
if parses vcpu-set --force; then
    fail "'xlvcpu vcpu-set' does not parse '--force': parses says it does"
else
    pass "'xlvcpu vcpu-set' does not parse '--force'"
fi
offers "--live" xlvcpu vcpu-pin -f web 0 --li
offers "" xlvcpu start web -
offers "" xlvcpu start --autostart ''
offers "--disable" xlvcpu autostart --d
offers "" xlvcpu autostart web --d

#---- domain names ----

defined="db my\\ dom web"
running="Domain-0 my\\ dom scratch web"
any="Domain-0 db my\\ dom scratch web"
# shellcheck disable=SC2086
{
    offers "$any" $on vcpu-set ''
    if [ "$(cat "$T/calls")" = "-c $host vcpu-list" ]; then
        pass "it runs 'xlvcpu -c URI vcpu-list' with the line's URI"
    else
        fail "it runs 'xlvcpu -c URI vcpu-list' with the line's URI:" \
             "$(short "$(tr '\n' '|' < "$T/calls")")"
    fi
    for c in vcpu-set vcpu-pin vcpucount dumpxml; do
        offers "$any" $on "$c" ''
        runs 1 "completing the domain of $c"
    done
    offers "$running" $on vcpu-list ''
    offers "$running" $on vcpu-list web ''
    offers "db" $on start ''
    for c in undefine autostart "autostart --disable" "dumpxml --inactive"
    do
        offers "$defined" $on $c ''
        runs 0 "completing the domain of $c"
    done
    offers "web" $on vcpu-set w
    offers "my\\ dom" $on dumpxml 'my\ d'
    offers "$any" $on vcpu-set --live --config ''
    offers "scratch" $on vcpu-pin -f --live -- s
    offers "" $on vcpu-set web ''
    offers "" $on list ''
    runs 0 "completing after list"
    offers "all" $on vcpu-pin web ''
    offers "all" $on vcpu-pin --live web a
    offers "all" $on vcpu-pin web 1 ''
    offers "all" $on vcpu-pin web 1 2-3 ''
    offers "" $on vcpu-pin web 1 2-3 all ''
}
offers "$any" xlvcpu "--connect=$host" "--state-dir=$state" vcpu-set ''
COMP_ENV="XLVCPU_CONNECT=$host XLVCPU_STATE_DIR=$state"
offers "$any" xlvcpu vcpu-set ''
COMP_ENV=
offers "Domain-0" xlvcpu vcpu-set ''
COMP_ENV="HOME=$T"
# shellcheck disable=SC2088
offers "$defined" xlvcpu --state-dir '~/state' undefine ''
COMP_ENV=

#---- files and the format ----

offers "web.cfg web.xml webdir" xlvcpu create we
offers "web.cfg web.xml webdir" xlvcpu -N define we
offers "web.cfg web.xml webdir" xlvcpu apply --check web.xml we
offers "web.xml webdir" xlvcpu domxml-to-native xen-xl we
offers "web.cfg web.xml webdir" xlvcpu domxml-from-native xen-xl we
offers "xen-xl" xlvcpu domxml-to-native ''
offers "xen-xl" xlvcpu domxml-from-native x
offers "" xlvcpu create web.xml ''
offers "" xlvcpu domxml-to-native xen-xl web.xml ''

#---- fast, quiet, bounded ----

# shellcheck disable=SC2086
{
    COMP_ENV="LD_DEBUG=files LD_DEBUG_OUTPUT=$T/ld/trace"
    offers "$any" $on vcpu-set ''
    COMP_ENV=
    runs 1 "completing a domain name"
    if ! grep -l "file=libxlvcpu.so" "$T"/ld/trace.* >/dev/null 2>&1; then
        fail "the loader's trace shows xlvcpu's libraries"
    elif grep -Eq "file=(libxml2|.*libxlvcpu-xml)" "$T"/ld/trace.*; then
        fail "completing a domain name does not load libxml2:" \
             "$(grep -El "file=(libxml2|.*libxlvcpu-xml)" "$T"/ld/trace.*)"
    else
        pass "completing a domain name does not load libxml2"
    fi
    # The same trace sees libxml2 when xlvcpu loads it.
    rm -f "$T"/ld/trace.*
    LD_DEBUG=files LD_DEBUG_OUTPUT=$T/ld/trace x dumpxml web >/dev/null
    if grep -q "file=libxml2" "$T"/ld/trace.*; then
        pass "the loader's trace shows libxml2 when dumpxml loads it"
    else
        fail "the loader's trace shows libxml2 when dumpxml loads it"
    fi
}
# A host that fails: xlvcpu says so on stderr, the completion does not.
bad="test://$T/no/such/dir/host.json"
"$xlvcpu" -c "$bad" vcpu-list >/dev/null 2>"$T/err"
if [ -s "$T/err" ]; then
    pass "xlvcpu vcpu-list on a broken host prints an error"
else
    fail "xlvcpu vcpu-list on a broken host prints an error"
fi
offers "$defined" xlvcpu -c "$bad" --state-dir "$state" vcpucount ''
# A host that does not answer: the defined names, after 2 s.
COMP_PATH=$T/slow
start=$(date +%s)
# shellcheck disable=SC2086
offers "$defined" $on vcpu-set ''
took=$(($(date +%s) - start))
COMP_PATH=$T/bin
if [ "$took" -le 6 ]; then
    pass "a host that does not answer is given up on (${took} s)"
else
    fail "a host that does not answer is given up on: ${took} s"
fi

echo "completion: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
