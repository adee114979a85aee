# A domain created by plain xl create: xlvcpu lists it, resizes it and
# pins it live, by name and by id; it has no definition to change.
# e2e-types: pv pvh
. "$E2E_LIB"

name=$(guest_name e2e-xl)
own $name
guest_cfg $name 4 1 > "$E2E_TMP/$name.cfg"
from=$(guest_mark $name)
run xl create "$E2E_TMP/$name.cfg" || fail "xl create failed"
wait_guest $name "$from"
id=$(domid $name)

run xlvcpu list
expect "xlvcpu list: id name vcpus max persistent" \
    "$(xlvcpu list | awk -v n=$name '$2 == n {print $1, $2, $3, $4, $5, $6}')" \
    "$id $name running 1 4 no"
same_vcpu_list $name ||
    fail "xlvcpu vcpu-list $name differs from xl vcpu-list (10 tries)"

say "resize by name: 1 -> 2"
run xlvcpu vcpu-set $name 2 || fail "vcpu-set $name 2 failed"
wait_guest_cpus $name "online=0-1 present=0-1"
wait_xl_online $name 0-1

say "resize by id: 2 -> 3 (-i: more than the pCPUs)"
run xlvcpu vcpu-set -i "$id" 3 || fail "vcpu-set $id 3 failed"
wait_guest_cpus $name "online=0-2 present=0-2"
wait_xl_online $name 0-2

say "pin by name and by id"
run xlvcpu vcpu-pin $name 1 1 || fail "vcpu-pin $name 1 1 failed"
run xlvcpu vcpu-pin "$id" 2 0 1 || fail "vcpu-pin $id 2 0 1 failed"
run xl vcpu-list $name
expect "vCPU:hard/soft" \
    "$(xl_vcpus $name | awk '{print $1 ":" $3 "/" $4}' | tr '\n' ' ')" \
    "0:all/all 1:1/all 2:0/1 3:all/all "
expect "vcpucount" "$(xlvcpu vcpucount $name | tr -s ' ' | tr '\n' ';')" \
    "maximum live 4;current live 3;"

say "no definition: --config is refused"
out=$(xlvcpu vcpu-set --config $name 2 2>&1)
rc=$?
echo "$out"
expect "vcpu-set --config exit status" "$rc" 1
expect "xl online vCPUs after the refusal" "$(xl_online $name)" "0-2"
