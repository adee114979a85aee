# vcpu-pin: --live and --config, hard and soft, -f, online and offline
# vCPUs; a pinned vCPU unplugged and plugged again keeps its pin.
# e2e-types: pv pvh
. "$E2E_LIB"

name=$(guest_name e2e-pin)
own $name
guest_xml $name "<vcpu placement='static' current='2'>4</vcpu>" \
    > "$E2E_TMP/$name.xml"
run xlvcpu define "$E2E_TMP/$name.xml" || fail "xlvcpu define failed"
from=$(guest_mark $name)
run xlvcpu start $name || fail "xlvcpu start failed"
wait_guest $name "$from"
keep_definition $name

pin() { run xlvcpu vcpu-pin "$@" || fail "vcpu-pin $* failed"; }
affinity() { xl_affinity $name "$1"; }
config_has() { definition_has $name "$1"; }
config_unchanged() { definition_unchanged $name "$1"; }

say "--live, hard, online vCPU 1"
pin --live $name 1 1
expect "vCPU 1 hard/soft" "$(affinity 1)" "1/all"
config_unchanged "vcpu-pin --live"

say "--live, soft only, online vCPU 0"
pin --live $name 0 - 1
expect "vCPU 0 hard/soft" "$(affinity 0)" "all/1"

say "--live, hard and soft, offline vCPU 3"
expect "vCPU 3 is offline" "$(xl_vcpus $name | awk '$1 == 3 {print $2}')" \
    offline
pin --live $name 3 1 0
expect "vCPU 3 hard/soft" "$(affinity 3)" "1/0"

say "-f --live, offline vCPU 2"
pin -f --live $name 2 0
expect "vCPU 2 hard/soft" "$(affinity 2)" "0/all"
config_unchanged "vcpu-pin --live"

say "--config: nothing changes now"
pin --config $name 1 0
pin --config $name 2 - 1
expect "vCPU 1 hard/soft" "$(affinity 1)" "1/all"
expect "vCPU 2 hard/soft" "$(affinity 2)" "0/all"
config_has '<vcpupin vcpu="1" cpuset="0"/>'
config_has '<xlvcpu:vcpusoft vcpu="2" cpuset="1"/>'

say "--live --config: both"
pin --live --config $name 0 0
expect "vCPU 0 hard/soft" "$(affinity 0)" "0/1"
config_has '<vcpupin vcpu="0" cpuset="0"/>'

say "pins survive unplug and plug: down to 1, then up to 4"
run xlvcpu vcpu-set --live $name 1 || fail "vcpu-set --live 1 failed"
wait_guest_cpus $name "online=0 present=0"
wait_xl_online $name 0
expect "vCPU 1 hard/soft, unplugged" "$(affinity 1)" "1/all"
run xlvcpu vcpu-set --live -i $name 4 || fail "vcpu-set --live -i 4 failed"
wait_guest_cpus $name "online=0-3 present=0-3"
wait_xl_online $name 0-3
run xl vcpu-list $name
got=$(xl_vcpus $name | awk '{print $1 ":" $3 "/" $4}' | tr '\n' ' ')
expect "vCPU:hard/soft after plug" "$got" "0:0/1 1:1/all 2:0/all 3:1/0 "
