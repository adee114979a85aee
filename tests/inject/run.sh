#!/bin/sh
# Failure injection: every host call that a multi-step command makes on
# the simulated host (test:///PATH) is made to fail in turn, and so is
# every write of a definition and every call that undoes a change.
#
# For each command: run it once without failure, with XLVCPU_TEST_TRACE
# listing the host calls it makes; then, from the same starting state, for
# each call "CALL N" of that list, run it again with XLVCPU_TEST_FAIL=CALL:N
# and check that it exits 1 with one line on stderr and that the state
# (persistent definitions, live definitions, the host's JSON) is exactly
# what it was.  A write of the persistent definition (and, for start and
# create, of the live one) is made to fail with chattr +i on its
# directory; live vCPU changes write no file.  Where a failure makes the command
# undo a change, each undoing call is made to fail too: then the command
# must say that the domain is left in a partial state and which, and the
# state must be that one.
#
#   sh tests/inject/run.sh BUILDDIR
#
# Prints one line per command (injection points tried and how each ended),
# "FAIL inject: COMMAND: POINT: WHAT" for each failed check, and ends with
# "inject: N passed, M failed"; exits non-zero when a check failed.
. "$(dirname "$0")/../lib.sh"
suite_needs_xlvcpu inject
start_s=$(date +%s)
# R holds the starting state, the work directory for runs where a write
# must fail (chattr +i needs a disk file system) and the results; F the
# work directory for the other runs, in memory when it can be, since
# every change is synced to disk.  W is the one the commands see:
# W/host.json, W/state, W/host.json.run.
suite_tmpdir R || exit 2
suite_tmpdir F -p /dev/shm 2>/dev/null || suite_tmpdir F || exit 2
W=$F

#---- the harness ----

cmd=setup
point=-

pass() { passed=$((passed + 1)); }
fail() {
    echo "FAIL inject: $cmd: $point: $*"
    failed=$((failed + 1))
}

# The command on W, with the words of RUN_ENV added to its environment;
# under XLVCPU_WRAPPER (valgrind) when that is set.
RUN_ENV=
x() {
    (
        export XLVCPU_HOOK_DIR="$W/hooks" $RUN_ENV
        exec ${XLVCPU_WRAPPER:-} "$xlvcpu" -c "test://$W/host.json" \
            --state-dir "$W/state" "$@" </dev/null
    )
}

# Run it; $rc, $R/out and $R/err hold the result.
run() {
    x "$@" >"$R/out" 2>"$R/err"
    rc=$?
}

errtext() { head -c 400 "$R/err" | tr '\n' '|'; }

# ok ARGS...: for building the starting state.
ok() {
    run "$@"
    if [ "$rc" -eq 0 ]; then pass; else
        fail "'$*' exited $rc: $(errtext)"
    fi
}

# W back to the starting state of every command; with "disk", W on a disk
# file system.
restore() {
    W=$F
    [ "${1:-}" = disk ] && W=$R/w
    rm -rf "$W"
    cp -a "$R/base" "$W"
}

# snapshot FILE: what a command may change, one line each, prefixed with
# its file: the listings of the persistent definitions (state) and of the
# live definitions (host.json.run), so that files left behind show, their
# contents, and the host without the CPU time that every look adds and
# the next free domid (Xen hands out a new one after a domain is destroyed
# too).
snapshot() {
    (
        cd "$W" || exit 1
        ls -A state host.json.run
        grep -H -v -e '"time_ns"' -e '"next_domid"' host.json \
            state/*.xml host.json.run/*.xml 2>/dev/null
    ) > "$1"
}

# part FILE PART: the lines of snapshot FILE that are of PART (state,
# host.json.run, host.json).
part() { grep "^$2/\|^$2:" "$1"; }

# What differs between snapshots A and B, on one line.
difference() {
    diff "$1" "$2" | grep '^[<>]' | head -n 6 | tr '\n' '|'
}

# rows DOM: one line "VCPU on|off HARD SOFT" per vCPU of DOM on the host
# (nothing when it is not running).
rows() {
    RUN_ENV= x vcpu-list "$1" 2>/dev/null |
        awk 'NR > 1 { print $3, ($5 == "--p" ? "off" : "on"), $7, $9 }'
}

# failed_run TEXT: the last run failed as it should: exit 1, nothing on
# stdout, one line "xlvcpu: ..." on stderr that holds TEXT.
failed_run() {
    l1= l2=
    { read -r l1; read -r l2; } < "$R/err"
    if [ "$rc" -ne 1 ]; then
        fail "exited $rc, expected 1: $(errtext)"
    elif [ -s "$R/out" ]; then
        fail "failed but printed on stdout: $(head -c 200 "$R/out")"
    elif [ -n "$l2" ] || [ "${l1#xlvcpu: }" = "$l1" ]; then
        fail "stderr is not one 'xlvcpu: ' line: $(errtext)"
    else
        case $l1 in
        *"$1"*)
            pass
            return 0
            ;;
        esac
        fail "stderr lacks '$1': $(errtext)"
    fi
    return 1
}

# err_has TEXT: the one line of the last failed_run holds TEXT.
err_has() {
    case $l1 in
    *"$1"*) pass ;;
    *) fail "stderr lacks '$1': $(errtext)" ;;
    esac
}

# The calls that change the host.
is_change() {
    case $1 in set_vcpuonline|set_vcpuaffinity|create|destroy) return 0 ;; esac
    return 1
}

# undo_calls TRACE SKIP: the changing calls of TRACE after the one that
# failed, or, with a SKIP from 0 when none was made to fail, after the
# first SKIP: those that undo a change.
undo_calls() {
    awk -v skip="$2" '
        $3 == "failed" { after = 1; next }
        $1 ~ /^(set_vcpuonline|set_vcpuaffinity|create|destroy)$/ {
            if (after || (skip >= 0 && ++n > skip)) print $1 ":" $2
        }' "$1"
}

# changes_in TRACE: how many calls of TRACE change the host.
changes_in() {
    awk '$1 ~ /^(set_vcpuonline|set_vcpuaffinity|create|destroy)$/' "$1" |
        wc -l
}

# Whether chattr +i works here (it does for root on ext4, not on tmpfs).
can_immutable() {
    mkdir "$R/probe" && chattr +i "$R/probe" 2>/dev/null || return 1
    if touch "$R/probe/x" 2>/dev/null; then
        chattr -i "$R/probe"
        return 1
    fi
    chattr -i "$R/probe"
    rmdir "$R/probe"
    return 0
}

# Make the write of MODE's definitions fail: "config" the persistent ones,
# "live" the live ones.
freeze() {
    case $1 in
    config) chattr +i "$W/state" ;;
    live) chattr +i "$W/host.json.run" ;;
    esac
}

# restored: the state is the starting state again.
restored() {
    snapshot "$R/now"
    if cmp -s "$R/before" "$R/now"; then
        pass
        n_restored=$((n_restored + 1))
    else
        fail "state not restored: $(difference "$R/before" "$R/now")"
        n_bad=$((n_bad + 1))
    fi
}

# partial WRITE: an undo failed too, after the write of WRITE's
# definition failed (none: after a host call failed).  The message must say so and
# name the state the domain is left in, and that must be the state: the
# persistent definitions as before; the live definition as far as the
# change got; each vCPU as before or as after, all as after for a change
# of the online map or a new domain, and exactly those the message names
# for pins.
partial() {
    bad=
    snapshot "$R/now"
    grep -qF "failed too" "$R/err" || bad="$bad message lacks 'failed too';"
    [ "$(part "$R/before" state)" = "$(part "$R/now" state)" ] ||
        bad="$bad persistent definition changed;"
    # as far as the change got: written unless that write failed, or
    # the change failed before it
    want=before
    [ "$1" = config ] && want=after
    [ "$(part "$R/now" host.json.run)" = "$(part "$R/$want" host.json.run)" ] ||
        bad="$bad live definitions not as $want;"
    rows "$dom" > "$R/rows.now"
    # per vCPU: "x" neither as before nor as after, "a" as after only,
    # "s" as both (the change left it as it was), "b" as before only
    states=$(paste -d '|' "$R/rows.before" "$R/rows.after" "$R/rows.now" |
        awk -F'|' '{ split($3, f, " ")
                     if ($3 == $2) print f[1], ($3 == $1 ? "s" : "a")
                     else print f[1], ($3 == $1 ? "b" : "x") }')
    # (apply changes a vCPU's online state and affinity in two calls: a
    # failed undo can leave one of them changed, which it names)
    case $kind:$states in apply:*) ;; *x*)
        bad="$bad a vcpu is neither as before nor as after;" ;; esac
    case $kind in
    set)
        n=$(grep -c ' on ' "$R/rows.after")
        cmp -s "$R/rows.after" "$R/rows.now" ||
            bad="$bad vcpus not as after;"
        grep -qF "domain '$dom' now has $n vcpus online" "$R/err" ||
            bad="$bad message does not say '$n vcpus online';"
        ;;
    pin)
        # the vCPUs named as keeping the new pin: all those changed, and
        # only vCPUs that have it
        named=$(sed -n "s/.* failed too: vcpus '\([0-9,-]*\)' of '$dom' keep the new pin.*/\1/p" "$R/err" |
            tr ',' '\n' | awk -F- '{ for (i = $1; i <= ($2 == "" ? $1 : $2); i++) print i }')
        if [ -z "$named" ]; then
            bad="$bad message names no vcpus '...' of '$dom' as keeping the new pin;"
        else
            wrong=$(echo "$states" | awk -v named=" $(echo $named) " '
                { in_named = index(named, " " $1 " ") > 0 }
                $2 == "a" && !in_named { print "vcpu", $1, "has the new pin but is not named" }
                ($2 == "b" || $2 == "x") && in_named { print "vcpu", $1, "is named but has not the new pin" }')
            [ -z "$wrong" ] || bad="$bad $(echo $wrong);"
        fi
        ;;
    apply)
        # as many vCPUs online as the message says, and the vCPUs it names
        # as keeping the new affinity have it, the others the old one
        n=$(grep -c ' on ' "$R/rows.now")
        grep -qF "domain '$dom' has $n vcpus online" "$R/err" ||
            bad="$bad message does not say '$n vcpus online';"
        named=$(sed -n "s/.* vcpus '\([0-9,-]*\)' keep the new affinity.*/\1/p" "$R/err" |
            tr ',' '\n' | awk -F- '{ for (i = $1; i <= ($2 == "" ? $1 : $2); i++) print i }')
        wrong=$(paste -d ' ' "$R/rows.before" "$R/rows.after" "$R/rows.now" |
            awk -v named=" $(echo $named) " '
                { in_named = index(named, " " $1 " ") > 0
                  b = $3 " " $4; a = $7 " " $8; n = $11 " " $12 }
                in_named && n != a { print "vcpu", $1, "is named but has not the new affinity" }
                !in_named && n != b { print "vcpu", $1, "has not its old affinity" }')
        [ -z "$wrong" ] || bad="$bad $(echo $wrong);"
        ;;
    boot)
        cmp -s "$R/rows.after" "$R/rows.now" ||
            bad="$bad domain not running as after;"
        err_text="running without a live definition"
        grep -qF "$err_text" "$R/err" ||
            bad="$bad message does not say '$err_text';"
        ;;
    esac
    if [ -z "$bad" ]; then
        pass
        n_partial=$((n_partial + 1))
    else
        fail "partial state:$bad $(errtext)"
        n_bad=$((n_bad + 1))
    fi
}

# undo_points FAILSPEC MODE TRACE SKIP: for each undoing call of TRACE
# (see undo_calls), run again with it failing too.
undo_points() {
    for u in $(undo_calls "$3" "$4"); do
        point="${1:+$1,}$u${2:+ + $2 write}"
        n_points=$((n_points + 1))
        if [ -n "$2" ]; then
            restore disk
            freeze "$2"
        else
            restore
        fi
        : > "$R/trace.u"
        RUN_ENV="XLVCPU_TEST_FAIL=${1:+$1,}$u XLVCPU_TEST_TRACE=$R/trace.u"
        run $args
        RUN_ENV=
        [ -n "$2" ] && chattr -R -i "$W"
        if ! grep -qx "${u%%:*} ${u#*:} failed" "$R/trace.u"; then
            fail "the undoing call was not made"
            n_bad=$((n_bad + 1))
        elif failed_run "failed too"; then
            partial "${2:-none}"
        else
            n_bad=$((n_bad + 1))
        fi
    done
}

# inject KIND DOM MODES ARGS...: the injection points of the command ARGS
# on domain DOM.  KIND says what a failed undo leaves (set, pin, apply,
# boot); MODES the definition writes to make fail ("config", "live", or
# "-").
inject() {
    kind=$1 dom=$2 modes=$3
    shift 3
    args="$*"
    cmd=$(echo "$*" | sed "s|$R/||g")
    point=-
    n_points=0 n_restored=0 n_partial=0 n_bad=0
    t0=$(date +%s%N)
    live_config=false
    case " $args " in *" --live "*" --config "*) live_config=true ;; esac

    restore
    snapshot "$R/before"
    rows "$dom" > "$R/rows.before"
    restore
    RUN_ENV="XLVCPU_TEST_TRACE=$R/trace.ok"
    : > "$R/trace.ok"
    run $args
    RUN_ENV=
    if [ "$rc" -ne 0 ] || [ -s "$R/err" ]; then
        fail "without failure: exited $rc: $(errtext)"
        return
    fi
    pass
    snapshot "$R/after"
    rows "$dom" > "$R/rows.after"
    if cmp -s "$R/before" "$R/after"; then
        fail "changes nothing: a useless injection target"
        return
    fi
    skip=$(changes_in "$R/trace.ok")
    if [ "$skip" -eq 0 ]; then
        fail "XLVCPU_TEST_TRACE lists no call that changes the host: $(tr '\n' ' ' < "$R/trace.ok")"
        return
    fi

    # each host call fails
    while read -r call nth; do
        point="$call:$nth"
        n_points=$((n_points + 1))
        restore
        : > "$R/trace.f"
        RUN_ENV="XLVCPU_TEST_FAIL=$call:$nth XLVCPU_TEST_TRACE=$R/trace.f"
        run $args
        RUN_ENV=
        if ! failed_run "injected failure of $call call $nth"; then
            n_bad=$((n_bad + 1))
            continue
        fi
        if $live_config && is_change "$call"; then
            err_has "the persistent definition was not changed either"
        fi
        restored
        undo_points "$call:$nth" "" "$R/trace.f" -1
    done < "$R/trace.ok"

    # each definition write fails
    for mode in $modes; do
        [ "$mode" = - ] && continue
        if [ "$immutable" = no ]; then
            continue
        fi
        point="$mode write"
        n_points=$((n_points + 1))
        restore disk
        freeze "$mode"
        : > "$R/trace.f"
        RUN_ENV="XLVCPU_TEST_TRACE=$R/trace.f"
        run $args
        RUN_ENV=
        chattr -R -i "$W"
        case $kind in
        boot) text="was destroyed again" ;;
        *) text="undone" ;;
        esac
        if ! failed_run "$text"; then
            n_bad=$((n_bad + 1))
            continue
        fi
        restored
        undo_points "" "$mode" "$R/trace.f" "$skip"
    done

    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    bad_text=
    [ "$n_bad" -gt 0 ] && bad_text=", $n_bad BAD"
    echo "inject: $cmd: $n_points points: $n_restored restored, $n_partial documented partial$bad_text ($ms ms)"
    total_points=$((total_points + n_points))
}
total_points=0

# domxml FILE NAME MAX CURRENT [CPUTUNE [SOFT-METADATA [EXTRA]]]: a PV
# domain with an unknown element that every change must keep.
domxml() {
    _tune= _meta=
    [ -n "${5:-}" ] && _tune="<cputune>$5</cputune>"
    [ -n "${6:-}" ] && _meta="<metadata><xlvcpu:cputune xmlns:xlvcpu='http://xlvcpu.org/xmlns/cputune/1.0'>$6</xlvcpu:cputune></metadata>"
    cat > "$1" <<EOF
<domain type='xen'>
  <name>$2</name>
  $_meta
  <memory unit='KiB'>524288</memory>
  <vcpu placement='static' current='$4'>$3</vcpu>
  ${7:-}
  $_tune
  <os>
    <type arch='x86_64' machine='xenpv'>linux</type>
    <kernel>/boot/vmlinuz</kernel>
  </os>
  <devices>
    <x-unknown keep='yes'/>
  </devices>
</domain>
EOF
}

#---- the starting state ----

if can_immutable; then immutable=yes; else
    immutable=no
    echo "inject: chattr +i does not work here: definition write failures not tested"
fi

# A domain that plain xl started: on the host, with no definitions.
cat > "$W/host.json" <<'EOF'
{
  "pcpus": 8,
  "numa": ["0-3", "4-7"],
  "domains": [
    { "domid": 0, "name": "Domain-0", "max_vcpus": 2, "memory_kib": 1048576,
      "vcpus": [ { "online": true }, { "online": true } ] },
    { "domid": 7, "name": "xlguest", "type": "pv", "max_vcpus": 4,
      "memory_kib": 262144,
      "vcpus": [ { "online": true }, { "online": true, "hard": "2-3" },
                 { "online": false }, { "online": false } ] }
  ]
}
EOF
mkdir "$W/hooks"
domxml "$R/web.xml" web 6 3 "<vcpupin vcpu='0' cpuset='1'/>" \
    "<xlvcpu:vcpusoft vcpu='1' cpuset='4-5'/>"
domxml "$R/one.xml" one 4 1
domxml "$R/four.xml" four 4 4 "<vcpupin vcpu='3' cpuset='6'/>"
domxml "$R/big.xml" big 12 2
# pins, a default cpuset, soft affinity and a sparse online map, for start
domxml "$R/app.xml" app 6 3 "<vcpupin vcpu='1' cpuset='7'/>" \
    "<xlvcpu:soft cpuset='4-7'/><xlvcpu:vcpusoft vcpu='2' cpuset='6'/>" \
    "<vcpus><vcpu id='0' enabled='yes'/><vcpu id='1' enabled='no'/>
     <vcpu id='2' enabled='yes'/><vcpu id='3' enabled='yes'/>
     <vcpu id='4' enabled='no'/><vcpu id='5' enabled='no'/></vcpus>"
sed -i "s/<vcpu placement='static'/& cpuset='0-5'/" "$R/app.xml"
# and a transient one, for create
domxml "$R/tr.xml" tr 4 2 "<vcpupin vcpu='1' cpuset='3'/><vcpupin vcpu='3' cpuset='2'/>" \
    "<xlvcpu:soft cpuset='0-1'/>"
sparse=batch-worker07
for d in web one four big app; do
    ok define "$R/$d.xml"
done
ok define "$top/domain-configs/pv-sparse-online.xml"
for d in web one four big $sparse; do
    ok start $d
done
# the live side differs from the persistent one
ok vcpu-pin --live web 2 3
ok vcpu-pin --live web 4 5-6 2
cp -a "$W" "$R/base"
rm -rf "$W"

#---- the commands ----

# vcpu-set, both scopes, up and down, beyond the host's pCPUs
inject set web "config" vcpu-set --live --config web 5
inject set web "config" vcpu-set --live --config web 1
inject set big "config" vcpu-set -i --live --config big 10
# vcpu-set live: several vCPUs at once, sparse maps, a domain from xl
inject set one "-" vcpu-set --live one 4
inject set four "-" vcpu-set --live four 1
inject set $sparse "-" vcpu-set --live $sparse 5
inject set $sparse "-" vcpu-set --live $sparse 1
inject set $sparse "config" vcpu-set --live --config $sparse 4
inject set xlguest "-" vcpu-set --live xlguest 4
# the default scope of a running domain is live
inject set web "-" vcpu-set web 6

# vcpu-pin, both scopes: hard, soft, both; online and offline vCPUs
inject pin web "config" vcpu-pin --live --config web 0 3
inject pin web "config" vcpu-pin --live --config web 1 - 6-7
inject pin web "config" vcpu-pin --live --config web 2 5 1
inject pin web "config" vcpu-pin --live --config web 4 2 6-7
inject pin web "config" vcpu-pin --live --config web 5 all 3
inject pin web "-" vcpu-pin --live web 5 7
# every vCPU
inject pin four "config" vcpu-pin --live --config four all 6 2-3
inject pin four "config" vcpu-pin --live --config four all all all
inject pin four "-" vcpu-pin four all 0-1
inject pin xlguest "-" vcpu-pin --live xlguest all 5 6

# apply: pins, soft affinity and the online map at once, live and config;
# a sparse map live; the default scope
domxml "$R/web-apply.xml" web 6 4 \
    "<vcpupin vcpu='0' cpuset='2'/><vcpupin vcpu='2' cpuset='3'/><vcpupin vcpu='3' cpuset='7'/>" \
    "<xlvcpu:vcpusoft vcpu='1' cpuset='4-5'/>"
inject apply web "config" apply --live --config "$R/web-apply.xml"
domxml "$R/sparse-apply.xml" $sparse 6 3 "<vcpupin vcpu='1' cpuset='0'/>" "" \
    "<vcpus><vcpu id='0' enabled='yes'/><vcpu id='1' enabled='yes'/>
     <vcpu id='2' enabled='no'/><vcpu id='3' enabled='yes'/>
     <vcpu id='4' enabled='no'/><vcpu id='5' enabled='no'/></vcpus>"
inject apply $sparse "-" apply --live "$R/sparse-apply.xml"
domxml "$R/four-apply.xml" four 4 2 "" "<xlvcpu:soft cpuset='1-2'/>"
inject apply four "-" apply "$R/four-apply.xml"

# start and create
inject boot app "live" start app
inject boot tr "live" create "$R/tr.xml"

echo "inject: $total_points injection points in $(( $(date +%s) - start_s )) s"
echo "inject: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
