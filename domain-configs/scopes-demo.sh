#!/bin/sh
# The live half of the demo: one example domain through the scopes on a
# simulated Xen host (test:///), so that a newcomer sees what --config and
# --live change without a hypervisor.  Each command is shown as typed,
# followed by what it printed.  Exits non-zero if a step does not do what
# the demo says it does.
#
#   sh domain-configs/scopes-demo.sh [BUILDDIR]
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
xlvcpu=$build/bin/xlvcpu
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$top/domain-configs" || exit 1
failed=0

# step WANT-STATUS COMMENT ARGS...: show "$ xlvcpu ARGS", run it on the
# demo's host and store, and check its exit status.
step() {
    want=$1 comment=$2
    shift 2
    echo
    echo "# $comment"
    echo "\$ xlvcpu $*"
    "$xlvcpu" -c "test://$tmp/host.json" --state-dir "$tmp/state" "$@" 2>&1
    status=$?
    if [ "$status" -ne "$want" ]; then
        echo "scopes-demo: exit status $status, expected $want" >&2
        failed=$((failed + 1))
    fi
}

echo "==== scopes on a simulated host ($tmp/host.json)"
step 0 "a persistent definition: 8 vcpus, 2 online at boot" \
    define pv-current-lt-max.xml
step 0 "the next boot gets 4 online; nothing runs yet" \
    vcpu-set --config build-runner03 4
step 0 "boot it as defined" start build-runner03
step 0 "hot-plug to 6 now; the next boot keeps 4" \
    vcpu-set --live build-runner03 6
step 0 "maximum and current, config and live" vcpucount build-runner03
step 0 "as xl vcpu-list" vcpu-list build-runner03
step 3 "what the xl.cfg twin would change (exit 3: something would)" \
    apply --live --config --check --diff pv-current-lt-max.cfg
step 0 "make both scopes match the file" \
    apply --live --config pv-current-lt-max.cfg
step 0 "a second run changes nothing" \
    apply --live --config pv-current-lt-max.cfg
step 0 "both scopes back at 2" vcpucount build-runner03
echo
if [ "$failed" -eq 0 ]; then
    echo "scopes-demo: every step did what it says"
else
    echo "scopes-demo: $failed steps did not"
fi
[ "$failed" -eq 0 ]
