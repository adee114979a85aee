# A timing ratio of calls made in rounds, and its 95 % interval:
#
#   awk -f ratio-interval.awk A B [A2 B2 ...]
#
# Each file holds one figure per line (a call's time), the K-th line of
# every file from the same round (calls made one after the other).  A
# round's ratio is (A[K] + A2[K] + ...) / (B[K] + B2[K] + ...): the
# odd-numbered files above the line, the even-numbered below.  The figure
# is the median of the rounds' ratios: the calls of a lab run drift (the
# same command takes 120 ms in one round and 220 ms in another) and the
# calls of one round share that drift, which a ratio of each tool's
# median does not cancel.  The rounds are resampled with replacement,
# 1000 times; "RATIO LOW-HIGH" is printed, the median and the 2.5th and
# 97.5th percentiles of the resamples' medians, two decimals.  The seed
# is fixed: the same files give the same output with the same awk.
FNR == 1 { name[++f] = FILENAME }
{ v[f, ++n[f]] = $1 }

# File I's figures in order, once (a file holds a few dozen): S[I, J] is
# the J-th smallest, and RANK[I, K] where the K-th line's figure went.
function sort_file(i,   k, j, t, idx) {
    for (k = 1; k <= n[i]; k++) {
        t = k
        for (j = k - 1; j >= 1 && v[i, idx[j]] > v[i, t]; j--)
            idx[j + 1] = idx[j]
        idx[j + 1] = t
    }
    for (j = 1; j <= n[i]; j++) {
        s[i, j] = v[i, idx[j]]
        rank[i, idx[j]] = j
    }
}

# The K-th smallest figure of the resample of file I that took the J-th
# smallest figure C[J] times.
function kth(i, c, k,   j, seen) {
    for (j = 1; j <= n[i]; j++) {
        seen += c[j]
        if (seen >= k)
            return s[i, j]
    }
}

# The median of the N[I] figures of file I taken C[J] times each (the
# J-th smallest).
function counted_median(i, c,   m) {
    m = n[i]
    return m % 2 ? kth(i, c, (m + 1) / 2) \
                 : (kth(i, c, m / 2) + kth(i, c, m / 2 + 1)) / 2
}

# The median of one resample of file I (lines drawn with replacement):
# how often each figure was drawn is all a median needs, not the resample
# sorted.
function resample_median(i,   k, c) {
    for (k = 1; k <= n[i]; k++)
        c[rank[i, 1 + int(rand() * n[i])]]++
    return counted_median(i, c)
}

# Sift q[R] down the max-heap q[R..SIZE].
function sift(r, size,   c, t) {
    while ((c = 2 * r) <= size) {
        if (c < size && q[c + 1] > q[c])
            c++
        if (q[r] >= q[c])
            return
        t = q[r]; q[r] = q[c]; q[c] = t
        r = c
    }
}

# Sort q[1..SIZE] ascending (heapsort: N log N, where the 1000 ratios by
# insertion took a quarter of a million moves).
function sort_q(size,   r, t) {
    for (r = int(size / 2); r >= 1; r--)
        sift(r, size)
    for (r = size; r > 1; r--) {
        t = q[1]; q[1] = q[r]; q[r] = t
        sift(1, r - 1)
    }
}

# File 1 becomes the rounds' ratios, line by line.
function round_ratios(   i, k, a, b) {
    for (i = 2; i <= f; i++)
        if (n[i] != n[1]) {
            printf "ratio-interval: %s has %d lines, %s %d: a line is a round\n", \
                name[1], n[1], name[i], n[i] > "/dev/stderr"
            exit 2
        }
    for (k = 1; k <= n[1]; k++) {
        a = b = 0
        for (i = 1; i <= f; i++)
            if (i % 2) a += v[i, k]
            else b += v[i, k]
        if (b <= 0) {
            printf "ratio-interval: round %d: nothing below the line\n", k > "/dev/stderr"
            exit 2
        }
        v[1, k] = a / b
    }
}

END {
    if (f < 2 || f % 2) {
        print "ratio-interval: want files in pairs, above and below" > "/dev/stderr"
        exit 2
    }
    round_ratios()
    sort_file(1)
    srand(1)
    for (r = 1; r <= 1000; r++)
        q[r] = resample_median(1)
    sort_q(1000)
    for (k = 1; k <= n[1]; k++)
        once[k] = 1
    printf "%.2f %.2f-%.2f\n", counted_median(1, once), q[25], q[976]
}
