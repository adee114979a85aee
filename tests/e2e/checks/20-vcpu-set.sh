# vcpu-set on a running domain: --live up and down (the guest sees it, xl
# agrees, the persistent definition stays as it was), --config changes
# nothing live, --live --config changes both; a request replaces one the
# guest has not taken yet.
# e2e-types: pv pvh
. "$E2E_LIB"

name=$(guest_name e2e-set)
own $name
guest_xml $name "<vcpu placement='static' current='2'>4</vcpu>" \
    > "$E2E_TMP/$name.xml"
run xlvcpu define "$E2E_TMP/$name.xml" || fail "xlvcpu define failed"
from=$(guest_mark $name)
run xlvcpu start $name || fail "xlvcpu start failed"
wait_guest $name "$from"
keep_definition $name

# Counts: "maximum config, maximum live, current config, current live".
counts() {
    xlvcpu vcpucount $name | awk '{ printf "%s%s", sep, $3; sep = " " }'
}
config_unchanged() { definition_unchanged $name "$1"; }

say "--live up: 2 -> 4 (more than the 2 pCPUs: -i)"
run xlvcpu vcpu-set --live -i $name 4 || fail "vcpu-set --live -i 4 failed"
expect "xenstore online vCPUs" "$(xs_online $name)" "0-3"
wait_guest_cpus $name "online=0-3 present=0-3"
wait_xl_online $name 0-3
config_unchanged "vcpu-set --live 4"
expect "vcpucount (max config/live, current config/live)" "$(counts)" \
    "4 4 2 4"

say "--live down: 4 -> 1"
run xlvcpu vcpu-set --live $name 1 || fail "vcpu-set --live 1 failed"
expect "xenstore online vCPUs" "$(xs_online $name)" "0"
wait_guest_cpus $name "online=0 present=0"
wait_xl_online $name 0
config_unchanged "vcpu-set --live 1"

say "--config: 3 at the next boot, nothing now"
run xlvcpu vcpu-set --config $name 3 || fail "vcpu-set --config 3 failed"
expect "xenstore online vCPUs" "$(xs_online $name)" "0"
sleep 2
expect "guest cpus after --config" "$(guest_cpus $name)" "online=0 present=0"
expect "xl online vCPUs after --config" "$(xl_online $name)" "0"
definition_has $name 'current="3">4</vcpu>'
expect "vcpucount" "$(counts)" "4 4 3 1"

say "--live --config: 2, now and at the next boot"
run xlvcpu vcpu-set --live --config $name 2 ||
    fail "vcpu-set --live --config 2 failed"
expect "xenstore online vCPUs" "$(xs_online $name)" "0-1"
wait_guest_cpus $name "online=0-1 present=0-1"
wait_xl_online $name 0-1
expect "vcpucount" "$(counts)" "4 4 2 2"
run xl vcpu-list $name

# A request replaces one the guest has not taken yet: xenstore holds what
# was asked last, and the guest ends there, though Xen still ran the
# vCPUs asked before when the second request came.
say "--live 3, and at once 2: the guest ends at 2"
run xlvcpu vcpu-set --live -i $name 3 || fail "vcpu-set --live -i 3 failed"
run xlvcpu vcpu-set --live $name 2 || fail "vcpu-set --live 2 failed"
expect "xenstore online vCPUs" "$(xs_online $name)" "0-1"
nap 3
wait_guest_cpus $name "online=0-1 present=0-1"
wait_xl_online $name 0-1
