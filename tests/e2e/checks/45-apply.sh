# xl users' way in: a guest made by "xlvcpu create" from an xl.cfg boots as
# the file says; "apply" brings a running guest to another file's vCPUs
# live (the guest sees them) and to its definition, and a second apply
# changes nothing; "start --autostart" boots a marked domain with the
# definition apply wrote, and starts nothing twice.  PVH, the type Xen
# recommends (PV and PVH share every path here but the boot).
# e2e-types: pvh
. "$E2E_LIB"

name=$(guest_name e2e-apply)
own $name
at_exit rm -f /var/lib/xlvcpu/$name.autostart

# out CMD...: run CMD with its output kept in $E2E_TMP/out, and shown.
out() {
    local rc
    echo "\$ $*"
    "$@" > "$E2E_TMP/out" 2>&1
    rc=$?
    cat "$E2E_TMP/out"
    return $rc
}

say "xlvcpu create from xl.cfg: 2 of 4 vCPUs, every vCPU on pCPU 1"
guest_cfg $name 4 2 'cpus = "1"' > "$E2E_TMP/$name.cfg"
create_and_wait $name "$E2E_TMP/$name.cfg"
wait_xl_online $name 0-1
expect "hard affinity of vCPUs 0-3 (xl vcpu-list)" \
    "$(for v in 0 1 2 3; do xl_hard $name $v; done | tr '\n' ' ')" "1 1 1 1 "

say "apply --live: 3 vCPUs, no pin"
guest_cfg $name 4 3 > "$E2E_TMP/$name-3.cfg"
out xlvcpu apply --live -i --diff "$E2E_TMP/$name-3.cfg" ||
    fail "apply --live failed"
expect "apply's last line" "$(tail -n 1 "$E2E_TMP/out")" \
    "$name: 2 changes made (live)"
wait_guest_cpus $name "online=0-2 present=0-2"
wait_xl_online $name 0-2
expect "hard affinity of vCPU 0" "$(xl_hard $name 0)" all
out xlvcpu apply --live -i "$E2E_TMP/$name-3.cfg"
expect "a second apply" "$(cat "$E2E_TMP/out")" "$name: unchanged (live)"
run xl destroy $name || fail "xl destroy failed"
wait_for 15 not_running $name || fail "$name still running after destroy"

say "define the first file, apply the second to the definition, autostart"
run xlvcpu define "$E2E_TMP/$name.cfg" || fail "define failed"
out xlvcpu apply --config "$E2E_TMP/$name-3.cfg" ||
    fail "apply --config failed"
definition_has $name 'current="3">4</vcpu>'
run xlvcpu autostart $name || fail "autostart failed"
from=$(guest_mark $name)
out xlvcpu start --autostart || fail "start --autostart failed"
expect "start --autostart's summary" "$(tail -n 1 "$E2E_TMP/out")" \
    "autostart: 1 started, 0 already running, 0 failed"
wait_guest $name "$from"
expect "guest cpus when its init started" \
    "$(guest_boot_cpus $name "$from")" "online=0-2 present=0-2 possible=0-3"
wait_xl_online $name 0-2
out xlvcpu start --autostart
expect "start --autostart again" "$(tail -n 1 "$E2E_TMP/out")" \
    "autostart: 0 started, 1 already running, 0 failed"
out xlvcpu apply --live --config "$E2E_TMP/$name-3.cfg"
expect "apply of what it runs" "$(cat "$E2E_TMP/out")" \
    "$name: unchanged (live+config)"
