#!/bin/sh
# Every change xlvcpu makes, and every change it refuses, is one syslog
# line; a dry run and a read log nothing.  Checked against a syslogd of
# the test's own (busybox) on a /dev/log of its own, in a private mount
# namespace: needs root, unshare and busybox, as CI has them.
#   sh tests/unit/test_audit.sh BUILDDIR
. "$(dirname "$0")/../lib.sh"

if [ "${AUDIT_INSIDE:-}" != 1 ]; then
    if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null ||
       ! command -v busybox >/dev/null; then
        echo "audit: not run: needs root, unshare and busybox"
        echo "audit: 0 passed, 0 failed"
        exit 0
    fi
    suite_tmpdir T || exit 2
    AUDIT_INSIDE=1 T=$T unshare --mount --propagation private \
        sh "$0" "$build"
    exit $?
fi

# In the namespace: a /dev with what the command and syslogd use.
mount -t tmpfs -o mode=755 tmpfs /dev || exit 2
mknod -m 666 /dev/null c 1 3
mknod -m 666 /dev/zero c 1 5
mknod -m 666 /dev/urandom c 1 9
mknod -m 666 /dev/random c 1 8
busybox syslogd -n -O "$T/messages" &
syslogd=$!
trap 'kill $syslogd 2>/dev/null' EXIT
i=0
while [ ! -S /dev/log ] && [ $i -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
done

check() { # WHAT GOT WANT
    if [ "$2" = "$3" ]; then passed=$((passed + 1)); else
        echo "FAIL audit: $1: got '$2', want '$3'"
        failed=$((failed + 1))
    fi
}
x() {
    "$build/bin/xlvcpu" -c "test://$T/host.json" --state-dir "$T/state" \
        "$@" > /dev/null 2>&1
}
# The xlvcpu lines logged so far, once there are N of them (syslogd
# writes them a moment later).
lines() { # N
    local i=0
    while [ "$(grep -c 'xlvcpu\[' "$T/messages" 2>/dev/null)" -lt "$1" ] &&
          [ $i -lt 50 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    grep 'xlvcpu\[' "$T/messages" 2>/dev/null | sed 's/^.*xlvcpu\[[0-9]*\]: //'
}

cat > "$T/web.xml" <<'EOF'
<domain type='xen'>
  <name>web</name>
  <memory unit='MiB'>256</memory>
  <vcpu placement='static' current='2'>4</vcpu>
  <os><type arch='x86_64' machine='xenpv'>linux</type>
      <kernel>/boot/vmlinuz</kernel></os>
</domain>
EOF
check "define" "$(x define "$T/web.xml"; echo $?)" 0
check "vcpu-set --config" "$(x vcpu-set --config web 3; echo $?)" 0
check "a dry run" "$(x -N vcpu-set --config web 1; echo $?)" 0
check "a read" "$(x vcpucount web; echo $?)" 0
check "a refused change" "$(x vcpu-set --config web 9; echo $?)" 1
check "vcpu-pin --config" "$(x vcpu-pin --config web 0 1; echo $?)" 0

uid=$(id -u)
lines 4 > "$T/got"
cat > "$T/want" <<EOF
uid=$uid domain=web define: store definition scope=config result=ok
uid=$uid domain=web vcpu-set: vcpus 2 -> 3 scope=config result=ok
uid=$uid domain=web vcpu-set: vcpus -> 9 scope=config result=failed: count '9' exceeds maximum '4' of domain 'web'
uid=$uid domain=web vcpu-pin: vcpu 0 hard 1 soft - scope=config result=ok
EOF
check "the log" "$(cat "$T/got")" "$(cat "$T/want")"
check "facility and levels" \
    "$(grep 'xlvcpu\[' "$T/messages" | awk '{ print $5 }' | tr '\n' ' ')" \
    "user.info user.info user.warn user.info "

echo "audit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
