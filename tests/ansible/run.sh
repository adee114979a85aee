#!/bin/sh
# The Ansible module (contrib/ansible/library/xlvcpu_apply.py), driven by
# ansible-playbook on localhost against a simulated host: a first run
# reports changed, a second ok, check mode changes nothing, diff mode
# shows each change, a bad file fails with xlvcpu's own line.
#
#   sh tests/ansible/run.sh BUILDDIR
#
# Prints "FAIL ansible: WHAT" for each failed check, the play recaps, and
# "ansible: N passed, M failed".
. "$(dirname "$0")/../lib.sh"
suite_needs_xlvcpu ansible
if ! command -v ansible-playbook >/dev/null 2>&1; then
    echo "FAIL ansible: ansible-playbook is missing (Debian package ansible-core)"
    echo "ansible: 0 passed, 1 failed"
    exit 1
fi
suite_tmpdir T || exit 2

pass() { passed=$((passed + 1)); }
fail() { echo "FAIL ansible: $*"; failed=$((failed + 1)); }

export ANSIBLE_LIBRARY="$top/contrib/ansible/library"
export ANSIBLE_LOCAL_TEMP="$T/ansible-tmp" ANSIBLE_REMOTE_TEMP="$T/ansible-tmp"
export ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0
export ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3
# No ansible.cfg of the machine's or the caller's: an empty one of ours.
printf '[defaults]\n' > "$T/ansible.cfg"
export ANSIBLE_CONFIG="$T/ansible.cfg" HOME="$T"

x() { "$xlvcpu" -c "test://$T/host.json" --state-dir "$T/state" "$@"; }

# play NAME [ansible-playbook options...] -e files=...: run the play,
# keep its output in $T/NAME.out and its status in $rc.
play() {
    name=$1
    shift
    ansible-playbook -i localhost, "$top/tests/ansible/apply.yml" \
        -e "connect=test://$T/host.json" -e "state_dir=$T/state" \
        -e "xlvcpu=$xlvcpu" "$@" >"$T/$name.out" 2>&1
    rc=$?
    recap=$(grep -A1 '^PLAY RECAP' "$T/$name.out" | tail -n 1 |
            sed 's/  */ /g')
    echo "recap $name: $recap"
}

# recap_is NAME OK CHANGED FAILED
recap_is() {
    case $recap in
    *" ok=$2 changed=$3 "*" failed=$4 "*) pass ;;
    *) fail "$1: recap '$recap', expected ok=$2 changed=$3 failed=$4"
       sed 's/^/    /' "$T/$1.out" | tail -n 20 ;;
    esac
}

# vcpucount_is WHAT ROWS: vcpucount web, rows joined with ';'.
vcpucount_is() {
    got=$(x vcpucount web | awk '{ printf "%s %s %s;", $1, $2, $3 }')
    [ "$got" = "$2" ] && pass || fail "$1: vcpucount '$got', expected '$2'"
}

domxml() {
    cat > "$1" <<XML
<domain type='xen'>
  <name>web</name>
  <memory unit='MiB'>512</memory>
  <vcpu current='$2'>4</vcpu>
  $3
  <os>
    <type>linux</type>
    <kernel>/boot/vmlinuz</kernel>
  </os>
</domain>
XML
}
domxml "$T/web.xml" 2 ""
domxml "$T/web3.xml" 3 "<cputune><vcpupin vcpu='0' cpuset='1'/></cputune>"
domxml "$T/web1.xml" 1 ""
x define "$T/web.xml" >/dev/null && x start web >/dev/null || {
    fail "cannot define and start web on the test host"
    echo "ansible: $passed passed, $failed failed"
    exit 1
}

play first -e "files=$T/web3.xml" -e scope=both
[ "$rc" -eq 0 ] && pass || fail "first run exited $rc"
recap_is first 1 1 0
vcpucount_is "after the first run" \
    "maximum config 4;maximum live 4;current config 3;current live 3;"

play second -e "files=$T/web3.xml" -e scope=both
[ "$rc" -eq 0 ] && pass || fail "second run exited $rc"
recap_is second 1 0 0

before=$(x vcpucount web; x dumpxml --inactive web; x vcpu-list web | awk '{ print $3, $7 }')
play check --check --diff -e "files=$T/web1.xml" -e scope=both
[ "$rc" -eq 0 ] && pass || fail "check mode exited $rc"
recap_is check 1 1 0
after=$(x vcpucount web; x dumpxml --inactive web; x vcpu-list web | awk '{ print $3, $7 }')
[ "$before" = "$after" ] && pass || fail "check mode changed the domain"
for line in "-vcpus: 3 (live)" "+vcpus: 1 (live)" \
            "-hard affinity of vcpu 0: 1 (config)" \
            "+hard affinity of vcpu 0: all (config)"; do
    grep -qF -- "$line" "$T/check.out" && pass ||
        fail "check mode's diff lacks '$line'"
done

play live -e "files=$T/web1.xml" -e scope=live
recap_is live 1 1 0
vcpucount_is "after a live run" \
    "maximum config 4;maximum live 4;current config 3;current live 1;"

printf 'name = "web"\nmemory = 512\nvcpus = 9\nmaxvcpus = 4\nkernel = "/k"\n' > "$T/bad.cfg"
want=$(x apply "$T/bad.cfg" 2>&1)
play bad -e "files=$T/bad.cfg"
[ "$rc" -ne 0 ] && pass || fail "a bad file did not fail the play"
recap_is bad 0 0 1
grep -qF -- "$want" "$T/bad.out" && pass ||
    fail "a bad file: the play does not say '$want': $(grep -F 'msg' "$T/bad.out" | head -n 3)"

echo "ansible: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
