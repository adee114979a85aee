# Persistence: define, change the definition, start: the domain boots with
# the configured count and pins; live-only changes are lost when it is
# destroyed (by xl) and started again, and the configured state comes back.
# e2e-types: pv pvh
. "$E2E_LIB"

name=$(guest_name e2e-persist)
own $name
guest_xml $name "<vcpu placement='static' current='1'>4</vcpu>" \
    > "$E2E_TMP/$name.xml"
run xlvcpu define "$E2E_TMP/$name.xml" || fail "xlvcpu define failed"
run xlvcpu vcpu-set --config $name 3 || fail "vcpu-set --config 3 failed"
run xlvcpu vcpu-pin --config $name 1 1 || fail "vcpu-pin --config failed"
run xlvcpu vcpu-pin --config $name 2 - 0 || fail "vcpu-pin --config failed"

# booted_as_configured: what each boot must show
booted_as_configured() {
    local id from=$1
    id=$(domid $name)
    expect "xenstore writes of cpu/N/availability (domain $id)" \
        "$(xs_availability_writes "$id")" \
        "0=online 1=online 2=online 3=offline"
    wait_guest $name "$from"
    expect "guest cpus when its init started" \
        "$(guest_boot_cpus $name "$from")" \
        "online=0-2 present=0-2 possible=0-3"
    wait_xl_online $name 0-2
    run xl vcpu-list $name
    expect "vCPU:hard/soft" \
        "$(xl_vcpus $name | awk '{print $1 ":" $3 "/" $4}' | tr '\n' ' ')" \
        "0:all/all 1:1/all 2:all/0 3:all/all "
}

say "first boot"
from=$(guest_mark $name)
run xlvcpu start $name || fail "xlvcpu start failed"
booted_as_configured "$from"

say "live-only changes: 1 vCPU, vCPU 0 on pCPU 1"
run xlvcpu vcpu-set --live $name 1 || fail "vcpu-set --live 1 failed"
run xlvcpu vcpu-pin --live $name 0 1 || fail "vcpu-pin --live failed"
wait_guest_cpus $name "online=0 present=0"
wait_xl_online $name 0
expect "vCPU 0 hard affinity" "$(xl_hard $name 0)" 1

say "xl destroy, xlvcpu start"
run xl destroy $name || fail "xl destroy failed"
wait_for 15 not_running $name || fail "$name still running after destroy"
from=$(guest_mark $name)
run xlvcpu start $name || fail "xlvcpu start after destroy failed"
booted_as_configured "$from"
