# The 95 % interval of a ratio of medians, by bootstrap:
#
#   awk -f ratio-interval.awk A B [A2 B2 ...]
#
# Each file holds one figure per line (a call's time).  The ratio is
# (median(A) + median(A2) + ...) / (median(B) + median(B2) + ...): the
# odd-numbered files above the line, the even-numbered below.  Each file
# is resampled with replacement, 1000 times; the ratios' 2.5th and 97.5th
# percentiles are printed as "LOW-HIGH", two decimals.  The seed is
# fixed: the same files give the same interval with the same awk.
FNR == 1 { f++ }
{ v[f, ++n[f]] = $1 }

# The median of one resample of file I.
function resample_median(i,   k, j, t, s, m) {
    m = n[i]
    for (k = 1; k <= m; k++) {
        t = v[i, 1 + int(rand() * m)]
        for (j = k - 1; j >= 1 && s[j] > t; j--)
            s[j + 1] = s[j]
        s[j + 1] = t
    }
    return m % 2 ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2
}

END {
    if (f < 2 || f % 2) {
        print "ratio-interval: want files in pairs, above and below" > "/dev/stderr"
        exit 2
    }
    srand(1)
    for (r = 1; r <= 1000; r++) {
        a = b = 0
        for (i = 1; i <= f; i++)
            if (i % 2) a += resample_median(i)
            else b += resample_median(i)
        q[r] = b > 0 ? a / b : 0
    }
    for (r = 2; r <= 1000; r++) {
        t = q[r]
        for (j = r - 1; j >= 1 && q[j] > t; j--)
            q[j + 1] = q[j]
        q[j + 1] = t
    }
    printf "%.2f-%.2f\n", q[25], q[976]
}
