# vcpu-set on Domain-0 itself, live: down to 1 vCPU and back to 2; dom0's
# kernel and xl vcpu-list agree.  Domain-0 has no definition, so --config
# is refused.
. "$E2E_LIB"

dom0_cpus() { read -r on < /sys/devices/system/cpu/online; echo "$on"; }
dom0_cpus_are() { [ "$(dom0_cpus)" = "$1" ]; }

expect "dom0 online cpus" "$(dom0_cpus)" "0-1"
run xlvcpu vcpu-set Domain-0 1 || fail "vcpu-set Domain-0 1 failed"
wait_for 30 dom0_cpus_are 0 || fail "dom0 has cpus '$(dom0_cpus)', want '0'"
wait_xl_online Domain-0 0
run xl vcpu-list Domain-0

run xlvcpu vcpu-set Domain-0 2 || fail "vcpu-set Domain-0 2 failed"
wait_for 30 dom0_cpus_are 0-1 ||
    fail "dom0 has cpus '$(dom0_cpus)', want '0-1'"
wait_xl_online Domain-0 0-1
run xl vcpu-list Domain-0

out=$(xlvcpu vcpu-set --config Domain-0 1 2>&1)
rc=$?
echo "$out"
expect "vcpu-set --config Domain-0: exit status" "$rc" 1
expect "dom0 online cpus after the refusal" "$(dom0_cpus)" "0-1"
