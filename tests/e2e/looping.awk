# Whether a guest's vCPUs all loop on one instruction, from samples of
# where they are (lib.sh, guest_looping):
#
#   state VCPU STATE        a line of xl vcpu-list (STATE: r, b, p, -)
#   rip VCPU ADDRESS [SYMBOL]   a line of xenctx
#
# Exits 0, printing "SYMBOL (ADDRESS)" of the lowest address, when two or
# more vCPUs were sampled, none is blocked, two or more of them were seen
# at one address or the byte after it, and every other sample is in the
# int3 handler (a SYMBOL naming int3): an int3 that the guest kernel has
# patched away, which the emulator still executes on every CPU (the
# handler finds no int3 there, goes back to it, and so on; a sample may
# catch a vCPU on either side).  Exits 1 otherwise, and when a vCPU has
# fewer than two rip samples.  (One vCPU at one address may be waiting on
# an emulated device, each sample catching it at the same exit: not
# judged here.)

# The value of the last 8 hex digits of S (awk's numbers hold them
# exactly; the higher digits must match as text).
function low32(s,    i, v) {
    s = tolower(substr(s, length(s) - 7))
    v = 0
    for (i = 1; i <= length(s); i++)
        v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
    return v
}

$1 == "state" && $3 ~ /b/ { blocked = 1 }
$1 == "rip" { n[$2]++ }
$1 == "rip" && $4 ~ /int3/ { next }
$1 == "rip" {
    at[$2]++
    samples++
    high = substr($3, 1, length($3) - 8)
    if (samples == 1) { first_high = high; lo = hi = low32($3) }
    if (high != first_high) differ = 1
    v = low32($3)
    if (v < lo) lo = v
    if (v > hi) hi = v
    if (v == lo) { where = $3; sym = $4 }
}
END {
    if (blocked || differ || !samples || hi - lo > 1)
        exit 1
    for (c in n) {
        if (n[c] < 2)
            exit 1
        vcpus++
    }
    for (c in at)
        vcpus_at++
    if (vcpus < 2 || vcpus_at < 2)
        exit 1
    printf "%s (%s)\n", sym != "" ? sym : "?", where
    exit 0
}
