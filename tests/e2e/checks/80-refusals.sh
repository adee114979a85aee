# Refusals behave as on the test host (test:///, the simulated Xen the
# unit tests use), with the same exit status and message, and change
# nothing: not Xen's view of the vCPUs, not xenstore, not the definitions.
# The running domain is paused, so that only a change made by a command
# can change what Xen shows of it.
# e2e-types: pv pvh
. "$E2E_LIB"

name=$(guest_name e2e-refuse)
stopped=$(guest_name e2e-stopped)
own $name $stopped
for d in $name $stopped; do
    guest_xml $d "<vcpu placement='static' current='2'>4</vcpu>" \
        > "$E2E_TMP/$d.xml"
    run xlvcpu define "$E2E_TMP/$d.xml" || fail "xlvcpu define $d failed"
done
run xlvcpu start $name || fail "xlvcpu start failed"
run xl pause $name || fail "xl pause failed"
id=$(domid $name)

# The test host shaped like the lab: 2 pCPUs, Domain-0 with 2 vCPUs, the
# same definitions, and the running one under the same id.
T=$E2E_TMP/test
mkdir -p "$T"
cat > "$T/host.json" <<JSON
{"pcpus": 2, "numa": ["0-1"], "next_domid": $id, "domains": [
  {"domid": 0, "name": "Domain-0", "type": "pv", "max_vcpus": 2,
   "memory_kib": 786432, "vcpus": [
     {"online": true, "hard": "all", "soft": "all", "time_ns": 0, "cpu": 0},
     {"online": true, "hard": "all", "soft": "all", "time_ns": 0, "cpu": 1}]}]}
JSON
on_test() { xlvcpu -c "test://$T/host.json" --state-dir "$T/state" "$@"; }
for d in $name $stopped; do
    on_test define "$E2E_TMP/$d.xml" >/dev/null || fail "test host: define"
done
on_test start $name || fail "test host: start failed"

# What Xen shows of the vCPUs, what xenstore asks of the guest, and the
# stored definitions (persistent ones, and the live one of $name).
snapshot() {
    xl vcpu-list $name $stopped 2>&1 |
        awk 'NR > 1 { print $1, $3, $5 ~ /p/ ? "offline" : "online", $7, $9 }'
    xenstore-ls "/local/domain/$id/cpu"
    cat /var/lib/xlvcpu/$name.xml /var/lib/xlvcpu/$stopped.xml \
        /run/xlvcpu/$name.xml
}

# refused WHAT ARGS...: xlvcpu ARGS fails on Xen as on the test host and
# changes nothing.
refused() {
    local what=$1 xen test xrc trc
    shift
    echo "\$ xlvcpu $*"
    xen=$(xlvcpu "$@" 2>&1)
    xrc=$?
    test=$(on_test "$@" 2>&1)
    trc=$?
    echo "xen ($xrc): $xen"
    echo "test ($trc): $test"
    snapshot > "$E2E_TMP/after"
    expect "$what: exit status on xen" "$xrc" 1
    expect "$what: exit status on the test host" "$trc" 1
    expect "$what: message" "$xen" "$test"
    if ! cmp -s "$E2E_TMP/before" "$E2E_TMP/after"; then
        diff "$E2E_TMP/before" "$E2E_TMP/after"
        cp "$E2E_TMP/after" "$E2E_TMP/before"
        fail "$what: the refusal changed the domain"
    fi
    say "ok: $what: refused, nothing changed"
}

snapshot > "$E2E_TMP/before"
cat "$E2E_TMP/before"
refused "count above the maximum" vcpu-set $name 5
refused "count above the maximum, --live --config" \
    vcpu-set --live --config $name 5
refused "count below 1" vcpu-set $name 0
refused "overcommit without -i" vcpu-set $name 3
refused "overcommit without -i, --live --config" \
    vcpu-set --live --config $name 4
refused "--live on a stopped domain" vcpu-set --live $stopped 2
refused "--live pin on a stopped domain" vcpu-pin --live $stopped 0 1
refused "--maximum on a running domain" vcpu-set --maximum $name 3
refused "vcpu id out of range" vcpu-pin $name 4 1
refused "vcpu id out of range, --config" vcpu-pin --config $name 9 1
refused "vcpu id out of range, stopped domain" vcpu-pin $stopped 4 1
refused "vcpu-pin all with nothing to pin" vcpu-pin $name all - -
