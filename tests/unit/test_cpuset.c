/*
 * Unit tests of cpuset.c: the bitmap helpers, libvirt's cpuset syntax,
 * xl's cpus= syntax (as xl's parse_cpurange() reads it), the canonical
 * format and the NUMA layout of the ctx.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxl_utils.h>

#include "cpuset.h"

#define LV_WHAT "<vcpu cpuset='%s'>"
#define XL_WHAT "cpus='%s'"

typedef enum { LV, XL } syntax;

static int setup(void **state)
{
    xlv_ctx *ctx = calloc(1, sizeof(*ctx));

    if (!ctx)
        return -1;
    *state = ctx;
    return 0;
}

static int teardown(void **state)
{
    xlv_ctx *ctx = *state;

    xlv__ctx_numa_dispose(ctx);
    free(ctx);
    return 0;
}

static int parse(xlv_ctx *ctx, syntax syn, libxl_bitmap *bm, const char *str,
                 unsigned int limit)
{
    if (syn == LV)
        return xlv__cpuset_parse(ctx, bm, str, limit, LV_WHAT);
    return xlv__xl_cpus_parse(ctx, bm, str, limit, XL_WHAT);
}

/* Parse STR, which must succeed and format as EXPECT. */
static void parse_ok(xlv_ctx *ctx, syntax syn, const char *str,
                     unsigned int limit, const char *expect)
{
    libxl_bitmap bm;
    char *got;
    int rc;

    libxl_bitmap_init(&bm);
    rc = parse(ctx, syn, &bm, str, limit);
    if (rc)
        fail_msg("'%s' (limit %u): rc %d: %s", str, limit, rc, ctx->errmsg);
    if (xlv__bitmap_nbits(&bm) < limit)
        fail_msg("'%s': bitmap of %u bits for limit %u", str,
                 xlv__bitmap_nbits(&bm), limit);
    got = xlv__cpuset_format(&bm);
    assert_non_null(got);
    if (strcmp(got, expect))
        fail_msg("'%s' (limit %u): got '%s', expected '%s'", str, limit,
                 got, expect);
    free(got);
    libxl_bitmap_dispose(&bm);
}

/*
 * Parse STR, which must fail with RC and, unless MSG is NULL, exactly the
 * message MSG.  The bitmap passed in must come back untouched.
 */
static void parse_fail(xlv_ctx *ctx, syntax syn, const char *str,
                       unsigned int limit, int rc, const char *msg)
{
    libxl_bitmap bm;
    int r;

    libxl_bitmap_init(&bm);
    r = parse(ctx, syn, &bm, str, limit);
    if (r != rc)
        fail_msg("'%s' (limit %u): rc %d, expected %d (%s)", str, limit, r,
                 rc, ctx->errmsg);
    assert_int_equal(ctx->errcode, rc);
    if (msg && strcmp(ctx->errmsg, msg))
        fail_msg("'%s': message\n  '%s', expected\n  '%s'", str,
                 ctx->errmsg, msg);
    assert_null(strchr(ctx->errmsg, '\n'));
    assert_int_equal(bm.size, 0);
    assert_null(bm.map);
    libxl_bitmap_dispose(&bm);
}

/*
 * A bitmap of NBITS bits holding the ids in IDS, which ends with -1.
 * Allocated here rather than by the code under test.
 */
static void make_set(libxl_bitmap *bm, unsigned int nbits, const int *ids)
{
    libxl_bitmap_init(bm);
    bm->size = (nbits + 7) / 8;
    if (bm->size) {
        bm->map = calloc(bm->size, 1);
        assert_non_null(bm->map);
    }
    for (; *ids >= 0; ids++)
        libxl_bitmap_set(bm, *ids);
}

static void set_layout(xlv_ctx *ctx, const char *const *nodes,
                       unsigned int n)
{
    int rc = xlv_ctx_set_numa_nodes(ctx, nodes, n, 0);

    if (rc)
        fail_msg("set_numa_nodes: rc %d: %s", rc, ctx->errmsg);
}

/* Deterministic, whatever the libc: xorshift32. */
static uint32_t next_random(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* ---- bitmap helpers ------------------------------------------------- */

static void test_bitmap_alloc(void **state)
{
    xlv_ctx *ctx = *state;
    libxl_bitmap bm;

    libxl_bitmap_init(&bm);
    assert_int_equal(xlv__bitmap_alloc(ctx, &bm, 0), 0);
    assert_int_equal(bm.size, 0);
    assert_int_equal(xlv__bitmap_nbits(&bm), 0);

    assert_int_equal(xlv__bitmap_alloc(ctx, &bm, 9), 0);
    assert_int_equal(bm.size, 2);
    assert_int_equal(xlv__bitmap_nbits(&bm), 16);
    assert_int_equal(xlv__bitmap_count(&bm), 0);

    /* Reallocation frees the old map (LeakSanitizer/valgrind check it)
     * and clears every bit. */
    libxl_bitmap_set(&bm, 3);
    assert_int_equal(xlv__bitmap_alloc(ctx, &bm, XLV_MAX_PCPUS), 0);
    assert_int_equal(bm.size, XLV_MAX_PCPUS / 8);
    assert_int_equal(xlv__bitmap_count(&bm), 0);
    assert_int_equal(xlv__bitmap_alloc(ctx, &bm, 8), 0);
    assert_int_equal(bm.size, 1);
    libxl_bitmap_dispose(&bm);
}

static void test_bitmap_copy(void **state)
{
    xlv_ctx *ctx = *state;
    static const int ids[] = { 0, 5, 63, -1 };
    libxl_bitmap src, dst, empty;

    make_set(&src, 64, ids);
    libxl_bitmap_init(&dst);
    libxl_bitmap_init(&empty);

    assert_int_equal(xlv__bitmap_copy(ctx, &dst, &src), 0);
    assert_int_equal(dst.size, src.size);
    assert_ptr_not_equal(dst.map, src.map);
    assert_true(libxl_bitmap_equal(&dst, &src, 0));
    /* Independent: changing the copy leaves the source alone. */
    libxl_bitmap_set(&dst, 1);
    assert_false(libxl_bitmap_test(&src, 1));

    /* Copying a size-0 bitmap gives size 0 and frees what DST held. */
    assert_int_equal(xlv__bitmap_copy(ctx, &dst, &empty), 0);
    assert_int_equal(dst.size, 0);
    assert_null(dst.map);

    /* Onto itself: a no-op, not a use after free. */
    assert_int_equal(xlv__bitmap_copy(ctx, &src, &src), 0);
    assert_int_equal(xlv__bitmap_count(&src), 3);

    libxl_bitmap_dispose(&src);
    libxl_bitmap_dispose(&dst);
}

static void test_bitmap_count_last(void **state)
{
    static const int ids[] = { 0, 7, 8, 100, 4095, -1 };
    static const int none[] = { -1 };
    static const int zero[] = { 0, -1 };
    libxl_bitmap bm, empty0, emptyn, z;

    (void)state;
    make_set(&bm, XLV_MAX_PCPUS, ids);
    assert_int_equal(xlv__bitmap_count(&bm), 5);
    assert_int_equal(xlv__bitmap_last(&bm), 4095);
    libxl_bitmap_reset(&bm, 4095);
    assert_int_equal(xlv__bitmap_last(&bm), 100);
    libxl_bitmap_set_any(&bm);
    assert_int_equal(xlv__bitmap_count(&bm), 4096);

    make_set(&empty0, 0, none);
    make_set(&emptyn, 77, none);
    make_set(&z, 3, zero);
    assert_int_equal(xlv__bitmap_count(&empty0), 0);
    assert_int_equal(xlv__bitmap_last(&empty0), -1);
    assert_int_equal(xlv__bitmap_count(&emptyn), 0);
    assert_int_equal(xlv__bitmap_last(&emptyn), -1);
    assert_int_equal(xlv__bitmap_last(&z), 0);
    assert_int_equal(xlv__bitmap_count(&z), 1);

    libxl_bitmap_dispose(&bm);
    libxl_bitmap_dispose(&empty0);
    libxl_bitmap_dispose(&emptyn);
    libxl_bitmap_dispose(&z);
}

static void test_bitmap_equal(void **state)
{
    static const int ids[] = { 1, 9, -1 };
    static const int more[] = { 1, 9, 200, -1 };
    static const int other[] = { 1, 8, -1 };
    static const int none[] = { -1 };
    libxl_bitmap small, big, bigger, diff, e0, e1;

    (void)state;
    make_set(&small, 16, ids);
    make_set(&big, 4096, ids);
    make_set(&bigger, 4096, more);
    make_set(&diff, 16, other);
    make_set(&e0, 0, none);
    make_set(&e1, 64, none);

    /* Bits past the shorter map count as clear. */
    assert_true(libxl_bitmap_equal(&small, &big, 0));
    assert_true(libxl_bitmap_equal(&big, &small, 0));
    assert_false(libxl_bitmap_equal(&small, &bigger, 0));
    assert_false(libxl_bitmap_equal(&bigger, &small, 0));
    assert_false(libxl_bitmap_equal(&small, &diff, 0));
    assert_true(libxl_bitmap_equal(&e0, &e1, 0));
    assert_true(libxl_bitmap_equal(&e1, &e0, 0));
    assert_true(libxl_bitmap_equal(&e0, &e0, 0));
    assert_false(libxl_bitmap_equal(&e0, &small, 0));
    assert_false(libxl_bitmap_equal(&small, &e1, 0));

    libxl_bitmap_dispose(&small);
    libxl_bitmap_dispose(&big);
    libxl_bitmap_dispose(&bigger);
    libxl_bitmap_dispose(&diff);
    libxl_bitmap_dispose(&e0);
    libxl_bitmap_dispose(&e1);
}

static void test_bitmap_test(void **state)
{
    static const int ids[] = { 0, 15, -1 };
    static const int none[] = { -1 };
    libxl_bitmap bm, e0;

    (void)state;
    make_set(&bm, 16, ids);
    make_set(&e0, 0, none);
    assert_true(libxl_bitmap_test(&bm, 0));
    assert_false(libxl_bitmap_test(&bm, 1));
    assert_true(libxl_bitmap_test(&bm, 15));
    assert_false(libxl_bitmap_test(&bm, 16));
    assert_false(libxl_bitmap_test(&bm, 4096));
    assert_false(libxl_bitmap_test(&bm, UINT32_MAX));
    assert_false(libxl_bitmap_test(&e0, 0));
    libxl_bitmap_dispose(&bm);
    libxl_bitmap_dispose(&e0);
}

static void test_bitmap_is_first_n(void **state)
{
    static const int first4[] = { 0, 1, 2, 3, -1 };
    static const int shifted[] = { 1, 2, 3, 4, -1 };
    static const int gap[] = { 0, 1, 3, -1 };
    static const int none[] = { -1 };
    libxl_bitmap a, b, c, e0, en;

    (void)state;
    make_set(&a, 8, first4);
    make_set(&b, 8, shifted);
    make_set(&c, 8, gap);
    make_set(&e0, 0, none);
    make_set(&en, 8, none);

    assert_true(xlv__bitmap_is_first_n(&a, 4));
    assert_false(xlv__bitmap_is_first_n(&a, 3));
    assert_false(xlv__bitmap_is_first_n(&a, 5));
    assert_false(xlv__bitmap_is_first_n(&b, 4));
    assert_false(xlv__bitmap_is_first_n(&c, 3));
    assert_true(xlv__bitmap_is_first_n(&e0, 0));
    assert_true(xlv__bitmap_is_first_n(&en, 0));
    assert_false(xlv__bitmap_is_first_n(&en, 1));
    assert_false(xlv__bitmap_is_first_n(&a, 0));
    /* More than the map can hold. */
    assert_false(xlv__bitmap_is_first_n(&a, 100));
    libxl_bitmap_set_any(&en);
    assert_true(xlv__bitmap_is_first_n(&en, 8));

    libxl_bitmap_dispose(&a);
    libxl_bitmap_dispose(&b);
    libxl_bitmap_dispose(&c);
    libxl_bitmap_dispose(&e0);
    libxl_bitmap_dispose(&en);
}

/* ---- libvirt syntax ------------------------------------------------- */

static void test_lv_ids_and_ranges(void **state)
{
    xlv_ctx *ctx = *state;

    parse_ok(ctx, LV, "0", 8, "0");
    parse_ok(ctx, LV, "5", 8, "5");
    parse_ok(ctx, LV, "7", 8, "7");
    parse_ok(ctx, LV, "0-3", 8, "0-3");
    parse_ok(ctx, LV, "2-2", 8, "2");
    parse_ok(ctx, LV, "0,2,4", 8, "0,2,4");
    parse_ok(ctx, LV, "3,1,2", 8, "1-3");
    parse_ok(ctx, LV, "5,5,5", 8, "5");
    parse_ok(ctx, LV, "0-5,3-7", 8, "0-7");
    parse_ok(ctx, LV, "4-6,0-5", 8, "0-6");
    parse_ok(ctx, LV, "1-2,2-3", 8, "1-3");
    parse_ok(ctx, LV, "0-7", 8, "0-7");
    parse_ok(ctx, LV, "007", 8, "7");
    parse_ok(ctx, LV, "0000-0001", 8, "0-1");
    parse_ok(ctx, LV, "0-4095", XLV_MAX_PCPUS, "0-4095");
    parse_ok(ctx, LV, "4095", XLV_MAX_PCPUS, "4095");
    parse_ok(ctx, LV, "1", 2, "1");
    parse_ok(ctx, LV, "0", 1, "0");
}

static void test_lv_exclusions(void **state)
{
    xlv_ctx *ctx = *state;

    parse_ok(ctx, LV, "0-7,^3", 8, "0-2,4-7");
    /* Items apply from left to right, as in libvirt's virBitmapParse. */
    parse_ok(ctx, LV, "^3,0-7", 8, "0-7");
    parse_ok(ctx, LV, "0-3,^1,1", 8, "0-3");
    parse_ok(ctx, LV, "0-3,1,^1", 8, "0,2-3");
    parse_ok(ctx, LV, "^0-1,0-3", 8, "0-3");
    parse_ok(ctx, LV, "0-7,^2-4", 8, "0-1,5-7");
    parse_ok(ctx, LV, "0-7,^2-4,^3-5", 8, "0-1,6-7");
    parse_ok(ctx, LV, "0-3,^9", 16, "0-3");
    parse_ok(ctx, LV, "0-4095,^1-4094", XLV_MAX_PCPUS, "0,4095");

    parse_fail(ctx, LV, "^0", 8, XLV_ERR_INVAL,
               "<vcpu cpuset='^0'>: the set is empty");
    parse_fail(ctx, LV, "^0-3,^5", 8, XLV_ERR_INVAL, NULL);
    parse_fail(ctx, LV, "0,^0", 8, XLV_ERR_INVAL, NULL);
    parse_fail(ctx, LV, "1-3,^0-7", 8, XLV_ERR_INVAL, NULL);
    /* Even an exclusion is checked against the limit. */
    parse_fail(ctx, LV, "0-3,^8", 8, XLV_ERR_INVAL,
               "<vcpu cpuset='0-3,^8'>: cpu id '8' is not below 8");
    parse_fail(ctx, LV, "0-3,^3-1", 8, XLV_ERR_INVAL,
               "<vcpu cpuset='0-3,^3-1'>: range '3-1' is reversed");
}

static void test_lv_limit(void **state)
{
    xlv_ctx *ctx = *state;

    parse_fail(ctx, LV, "8", 8, XLV_ERR_INVAL,
               "<vcpu cpuset='8'>: cpu id '8' is not below 8");
    parse_fail(ctx, LV, "0-8", 8, XLV_ERR_INVAL,
               "<vcpu cpuset='0-8'>: cpu id '8' is not below 8");
    parse_fail(ctx, LV, "4096", XLV_MAX_PCPUS, XLV_ERR_INVAL,
               "<vcpu cpuset='4096'>: cpu id '4096' is not below 4096");
    parse_fail(ctx, LV, "4095-4096", XLV_MAX_PCPUS, XLV_ERR_INVAL, NULL);
    parse_fail(ctx, LV, "0", 0, XLV_ERR_INVAL,
               "<vcpu cpuset='0'>: cpu id '0' is not below 0");
    parse_fail(ctx, LV, "1", 1, XLV_ERR_INVAL, NULL);
}

static void test_lv_huge_numbers(void **state)
{
    xlv_ctx *ctx = *state;

    /* None of these may wrap around to a small id. */
    parse_fail(ctx, LV, "99999999999999999999", XLV_MAX_PCPUS, XLV_ERR_INVAL,
               "<vcpu cpuset='99999999999999999999'>: cpu id "
               "'99999999999999999999' is not below 4096");
    parse_fail(ctx, LV, "18446744073709551616", XLV_MAX_PCPUS, XLV_ERR_INVAL,
               NULL);
    parse_fail(ctx, LV, "18446744073709551617", XLV_MAX_PCPUS, XLV_ERR_INVAL,
               NULL);
    parse_fail(ctx, LV, "4294967296", XLV_MAX_PCPUS, XLV_ERR_INVAL, NULL);
    parse_fail(ctx, LV, "4294967297", XLV_MAX_PCPUS, XLV_ERR_INVAL, NULL);
    parse_fail(ctx, LV, "0-4294967296", XLV_MAX_PCPUS, XLV_ERR_INVAL, NULL);
    parse_fail(ctx, LV, "4294967296-1", XLV_MAX_PCPUS, XLV_ERR_INVAL,
               "<vcpu cpuset='4294967296-1'>: cpu id '4294967296' is not "
               "below 4096");
}

static void test_lv_syntax_errors(void **state)
{
    xlv_ctx *ctx = *state;
    static const char *const bad[] = {
        "-1", "1-", "-3", "a", "1,,2", ",1", "1,", ",", "0x1", "+1", "1.5",
        "1 - 3", "1 -3", "1- 3", "^", "^^1", "^ 1", "1-2-3", "1--2", "all",
        "0-3,x", "1 2", "\xef\xbc\x91", "1;2", "\v1", "1\n", "^-1", "node:0",
    };
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        parse_fail(ctx, LV, bad[i], 8, XLV_ERR_INVAL, NULL);
}

static void test_lv_empty(void **state)
{
    xlv_ctx *ctx = *state;

    parse_fail(ctx, LV, "", 8, XLV_ERR_INVAL,
               "<vcpu cpuset=''>: the set is empty");
    parse_fail(ctx, LV, "   ", 8, XLV_ERR_INVAL,
               "<vcpu cpuset='   '>: the set is empty");
    parse_fail(ctx, LV, "\t", 8, XLV_ERR_INVAL, NULL);
}

static void test_lv_blanks(void **state)
{
    xlv_ctx *ctx = *state;

    parse_ok(ctx, LV, " 1-3 , 5 ", 8, "1-3,5");
    parse_ok(ctx, LV, "\t0,\t2\t", 8, "0,2");
    parse_ok(ctx, LV, "0-7 , ^3", 8, "0-2,4-7");
    parse_ok(ctx, LV, " \t 6 \t ", 8, "6");
}

static void test_lv_messages(void **state)
{
    xlv_ctx *ctx = *state;
    libxl_bitmap bm;
    char long_value[200], expect[XLV_ERRMSG_MAX];
    size_t i;
    int rc;

    parse_fail(ctx, LV, "0-3,x", 8, XLV_ERR_INVAL,
               "<vcpu cpuset='0-3,x'>: unexpected 'x'");
    parse_fail(ctx, LV, "3-1", 8, XLV_ERR_INVAL,
               "<vcpu cpuset='3-1'>: range '3-1' is reversed");
    parse_fail(ctx, LV, "1,,2", 8, XLV_ERR_INVAL,
               "<vcpu cpuset='1,,2'>: item 2 is empty");
    parse_fail(ctx, LV, "1,", 8, XLV_ERR_INVAL,
               "<vcpu cpuset='1,'>: item 2 is empty");
    parse_fail(ctx, LV, "1 - 3", 8, XLV_ERR_INVAL,
               "<vcpu cpuset='1 - 3'>: unexpected blank in '1 - 3'");
    parse_fail(ctx, LV, "1-", 8, XLV_ERR_INVAL,
               "<vcpu cpuset='1-'>: item '1-' is incomplete");
    parse_fail(ctx, LV, "-1", 8, XLV_ERR_INVAL,
               "<vcpu cpuset='-1'>: unexpected '-1'");
    parse_fail(ctx, LV, "2,1x", 8, XLV_ERR_INVAL,
               "<vcpu cpuset='2,1x'>: unexpected 'x'");

    /* Input is never a format, and control characters do not break the
     * message into lines. */
    parse_fail(ctx, LV, "%s%n", 8, XLV_ERR_INVAL,
               "<vcpu cpuset='%s%n'>: unexpected '%s%n'");
    parse_fail(ctx, LV, "0,\n1", 8, XLV_ERR_INVAL,
               "<vcpu cpuset='0,?1'>: unexpected '?1'");
    parse_fail(ctx, LV, "1\r\n", 8, XLV_ERR_INVAL, NULL);

    /* A long value is clipped to 80 characters. */
    for (i = 0; i + 2 < sizeof(long_value); i += 2)
        memcpy(long_value + i, "0,", 2);
    strcpy(long_value + i, "x");
    snprintf(expect, sizeof(expect), "<vcpu cpuset='%.77s...'>: "
             "unexpected 'x'", long_value);
    parse_fail(ctx, LV, long_value, 8, XLV_ERR_INVAL, expect);

    /* WHAT: "%%" is a percent sign, and a NULL WHAT still says which. */
    libxl_bitmap_init(&bm);
    rc = xlv__cpuset_parse(ctx, &bm, "9", 8, "100%% of <cpuset='%s'>");
    assert_int_equal(rc, XLV_ERR_INVAL);
    assert_string_equal(ctx->errmsg,
                        "100% of <cpuset='9'>: cpu id '9' is not below 8");
    rc = xlv__cpuset_parse(ctx, &bm, "9", 8, NULL);
    assert_int_equal(rc, XLV_ERR_INVAL);
    assert_string_equal(ctx->errmsg, "'9': cpu id '9' is not below 8");
    libxl_bitmap_dispose(&bm);
}

static void test_lv_huge_input(void **state)
{
    xlv_ctx *ctx = *state;
    size_t n = 100000;
    char *s = malloc(n + 1);
    libxl_bitmap bm;
    int rc;

    /* One 100,000-digit number: an error, clipped, not a hang. */
    assert_non_null(s);
    memset(s, '9', n);
    s[n] = '\0';
    libxl_bitmap_init(&bm);
    rc = xlv__cpuset_parse(ctx, &bm, s, XLV_MAX_PCPUS, LV_WHAT);
    assert_int_equal(rc, XLV_ERR_INVAL);
    assert_true(strlen(ctx->errmsg) < 200);
    assert_non_null(strstr(ctx->errmsg, "...'>: cpu id '"));
    assert_non_null(strstr(ctx->errmsg, "...' is not below 4096"));
    free(s);
    libxl_bitmap_dispose(&bm);
}

/* Long lists with overlapping ranges and exclusions, against a model. */
static void test_many_items(void **state)
{
    xlv_ctx *ctx = *state;
    enum { N_ITEMS = 10000, LIMIT = XLV_MAX_PCPUS };
    static bool xl_model[LIMIT];
    char *s = malloc(N_ITEMS * 12 + 1);
    libxl_bitmap bm;
    uint32_t seed = 7;
    size_t len = 0;
    unsigned int k, a, b, i;
    int rc;

    assert_non_null(s);
    memset(xl_model, 0, sizeof(xl_model));
    for (k = 0; k < N_ITEMS; k++) {
        bool neg = next_random(&seed) % 3 == 0;

        a = next_random(&seed) % LIMIT;
        b = a + next_random(&seed) % 64;
        if (b >= LIMIT)
            b = LIMIT - 1;
        if (k % 1000 == 0)
            b = LIMIT - 1;      /* a few wide ranges */
        len += (size_t)sprintf(s + len, "%s%s%u-%u", k ? "," : "",
                               neg ? "^" : "", a, b);
        for (i = a; i <= b; i++)
            xl_model[i] = !neg;
    }

    libxl_bitmap_init(&bm);
    rc = xlv__cpuset_parse(ctx, &bm, s, LIMIT, LV_WHAT);
    assert_int_equal(rc, 0);
    for (i = 0; i < LIMIT; i++)
        assert_int_equal(libxl_bitmap_test(&bm, i), xl_model[i]);

    rc = xlv__xl_cpus_parse(ctx, &bm, s, LIMIT, XL_WHAT);
    assert_int_equal(rc, 0);
    for (i = 0; i < LIMIT; i++)
        assert_int_equal(libxl_bitmap_test(&bm, i), xl_model[i]);

    free(s);
    libxl_bitmap_dispose(&bm);
}

static void test_parse_replaces_set(void **state)
{
    xlv_ctx *ctx = *state;
    libxl_bitmap bm;
    uint8_t *old;

    libxl_bitmap_init(&bm);
    assert_int_equal(xlv__cpuset_parse(ctx, &bm, "1", 16, LV_WHAT), 0);
    assert_int_equal(xlv__bitmap_nbits(&bm), 16);

    /* A failure leaves SET as it was. */
    old = bm.map;
    assert_int_equal(xlv__cpuset_parse(ctx, &bm, "1,x", 4096, LV_WHAT),
                     XLV_ERR_INVAL);
    assert_ptr_equal(bm.map, old);
    assert_int_equal(bm.size, 2);
    assert_true(libxl_bitmap_test(&bm, 1));
    assert_int_equal(xlv__bitmap_count(&bm), 1);
    assert_int_equal(xlv__xl_cpus_parse(ctx, &bm, "^1", 4096, XL_WHAT),
                     XLV_ERR_INVAL);
    assert_ptr_equal(bm.map, old);

    /* Success reallocates it for the new limit. */
    assert_int_equal(xlv__cpuset_parse(ctx, &bm, "2", 4096, LV_WHAT), 0);
    assert_int_equal(xlv__bitmap_nbits(&bm), 4096);
    assert_false(libxl_bitmap_test(&bm, 1));
    assert_int_equal(xlv__xl_cpus_parse(ctx, &bm, "3", 9, XL_WHAT), 0);
    assert_int_equal(xlv__bitmap_nbits(&bm), 16);
    assert_int_equal(xlv__bitmap_count(&bm), 1);
    assert_true(libxl_bitmap_test(&bm, 3));
    libxl_bitmap_dispose(&bm);
}

/* ---- format --------------------------------------------------------- */

static void check_format(const libxl_bitmap *bm, const char *expect)
{
    char *s = xlv__cpuset_format(bm);

    assert_non_null(s);
    assert_string_equal(s, expect);
    free(s);
}

static void test_format(void **state)
{
    static const int none[] = { -1 };
    static const int zero[] = { 0, -1 };
    static const int pair[] = { 0, 1, -1 };
    static const int mixed[] = { 0, 2, 3, 4, 9, -1 };
    static const int bytes[] = { 7, 8, 15, 16, 24, 31, -1 };
    static const int top[] = { 4094, 4095, -1 };
    static const int lone[] = { 4095, -1 };
    libxl_bitmap bm;

    (void)state;
    make_set(&bm, 0, none);
    check_format(&bm, "");
    libxl_bitmap_dispose(&bm);
    make_set(&bm, 64, none);
    check_format(&bm, "");
    libxl_bitmap_dispose(&bm);
    make_set(&bm, 8, zero);
    check_format(&bm, "0");
    libxl_bitmap_dispose(&bm);
    make_set(&bm, 8, pair);
    check_format(&bm, "0-1");
    libxl_bitmap_dispose(&bm);
    make_set(&bm, 16, mixed);
    check_format(&bm, "0,2-4,9");
    libxl_bitmap_dispose(&bm);
    make_set(&bm, 32, bytes);
    check_format(&bm, "7-8,15-16,24,31");
    libxl_bitmap_dispose(&bm);
    make_set(&bm, 4096, top);
    check_format(&bm, "4094-4095");
    libxl_bitmap_dispose(&bm);
    make_set(&bm, 4096, lone);
    check_format(&bm, "4095");
    libxl_bitmap_set_any(&bm);
    check_format(&bm, "0-4095");
    libxl_bitmap_reset(&bm, 2048);
    check_format(&bm, "0-2047,2049-4095");
    libxl_bitmap_dispose(&bm);
}

/* parse(format(x)) == x, for random sets of every density. */
static void test_format_round_trip(void **state)
{
    xlv_ctx *ctx = *state;
    libxl_bitmap x, y;
    uint32_t seed = 20240611;
    unsigned int round, i, density, nbits;
    char *s;

    libxl_bitmap_init(&y);
    for (round = 0; round < 300; round++) {
        nbits = 1 + next_random(&seed) % XLV_MAX_PCPUS;
        density = next_random(&seed) % 101;
        libxl_bitmap_init(&x);
        assert_int_equal(xlv__bitmap_alloc(ctx, &x, nbits), 0);
        for (i = 0; i < nbits; i++) {
            if (next_random(&seed) % 100 < density)
                libxl_bitmap_set(&x, (int)i);
        }
        if (!xlv__bitmap_count(&x))
            libxl_bitmap_set(&x, (int)(next_random(&seed) % nbits));
        s = xlv__cpuset_format(&x);
        assert_non_null(s);
        if (xlv__cpuset_parse(ctx, &y, s, nbits, LV_WHAT))
            fail_msg("round %u: '%.60s': %s", round, s, ctx->errmsg);
        assert_true(libxl_bitmap_equal(&x, &y, 0));
        if (xlv__xl_cpus_parse(ctx, &y, s, nbits, XL_WHAT))
            fail_msg("round %u: '%.60s': %s", round, s, ctx->errmsg);
        assert_true(libxl_bitmap_equal(&x, &y, 0));
        free(s);
        libxl_bitmap_dispose(&x);
    }
    libxl_bitmap_dispose(&y);
}

/* ---- xl syntax ------------------------------------------------------ */

static void test_xl_basic(void **state)
{
    xlv_ctx *ctx = *state;

    parse_ok(ctx, XL, "all", 8, "0-7");
    parse_ok(ctx, XL, "all", XLV_MAX_PCPUS, "0-4095");
    parse_ok(ctx, XL, "all", 9, "0-8");
    parse_ok(ctx, XL, "all,^0", 8, "1-7");
    parse_ok(ctx, XL, "all,^0-3,^7", 8, "4-6");
    parse_ok(ctx, XL, "3", 8, "3");
    parse_ok(ctx, XL, "2-5", 8, "2-5");
    parse_ok(ctx, XL, "0-3,5,^1", 8, "0,2-3,5");
    parse_ok(ctx, XL, "0-7,^2-4", 8, "0-1,5-7");
    parse_ok(ctx, XL, "007", 8, "7");
    parse_ok(ctx, XL, " 1-3 , 5 ", 8, "1-3,5");
    parse_ok(ctx, XL, "7", 8, "7");
    parse_fail(ctx, XL, "8", 8, XLV_ERR_INVAL,
               "cpus='8': cpu id '8' is not below 8");
    parse_fail(ctx, XL, "4096", XLV_MAX_PCPUS, XLV_ERR_INVAL, NULL);
    parse_fail(ctx, XL, "99999999999999999999", XLV_MAX_PCPUS,
               XLV_ERR_INVAL, NULL);
    parse_fail(ctx, XL, "3-1", 8, XLV_ERR_INVAL,
               "cpus='3-1': range '3-1' is reversed");
}

/* xl applies items in order to an empty set (parse_cpurange()). */
static void test_xl_order(void **state)
{
    xlv_ctx *ctx = *state;

    parse_fail(ctx, XL, "^1", 8, XLV_ERR_INVAL,
               "cpus='^1': the set is empty");
    parse_ok(ctx, XL, "^1,0-3", 8, "0-3");
    parse_ok(ctx, XL, "0-3,^1,1", 8, "0-3");
    parse_ok(ctx, XL, "0-3,^1-2,2", 8, "0,2-3");
    parse_ok(ctx, XL, "all,^3,3", 8, "0-7");
    parse_fail(ctx, XL, "0-3,^0-7", 8, XLV_ERR_INVAL, NULL);
    parse_fail(ctx, XL, "0,^0", 8, XLV_ERR_INVAL, NULL);
}

static void test_xl_all(void **state)
{
    xlv_ctx *ctx = *state;

    /* As xl: "nodes:all" is every cpu, "^all" is refused. */
    parse_ok(ctx, XL, "nodes:all", 8, "0-7");
    parse_ok(ctx, XL, "node:all,^1", 8, "0,2-7");
    parse_fail(ctx, XL, "^all", 8, XLV_ERR_INVAL,
               "cpus='^all': '^all' cannot be excluded");
    parse_fail(ctx, XL, "0,^nodes:all", 8, XLV_ERR_INVAL, NULL);
    parse_fail(ctx, XL, "All", 8, XLV_ERR_INVAL,
               "cpus='All': unexpected 'All'");
    parse_fail(ctx, XL, "all1", 8, XLV_ERR_INVAL, NULL);
    parse_fail(ctx, XL, "all-3", 8, XLV_ERR_INVAL, NULL);
    parse_fail(ctx, XL, "all", 0, XLV_ERR_INVAL,
               "cpus='all': the set is empty");
}

static void test_xl_lexical(void **state)
{
    xlv_ctx *ctx = *state;
    static const char *const bad[] = {
        "-1", "1-", "-3", "a", "0x1", "+1", "1.5", "1 - 3", "1 -3", "^",
        "^^1", "1-2-3", "node", "node:", "nodes:", "node:x", "node:-1",
        "NODE:0", "node 0", "node:0:1", ":0", "0-3,x",
    };
    size_t i;

    /* strtok_r() in xl drops empty items: they are not errors there. */
    parse_ok(ctx, XL, "1,,2", 8, "1-2");
    parse_ok(ctx, XL, ",1,", 8, "1");
    parse_fail(ctx, XL, "1, ,2", 8, XLV_ERR_INVAL,
               "cpus='1, ,2': item 2 is empty");
    parse_fail(ctx, XL, ",", 8, XLV_ERR_INVAL, "cpus=',': the set is empty");
    parse_fail(ctx, XL, "", 8, XLV_ERR_INVAL, "cpus='': the set is empty");
    parse_fail(ctx, XL, " ", 8, XLV_ERR_INVAL, NULL);
    /* strtoul() skips blanks before a number, so xl takes these. */
    parse_ok(ctx, XL, "0-3,^ 1", 8, "0,2-3");
    parse_ok(ctx, XL, "1- 3", 8, "1-3");
    parse_fail(ctx, XL, "1 -3", 8, XLV_ERR_INVAL,
               "cpus='1 -3': unexpected blank in '1 -3'");

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        parse_fail(ctx, XL, bad[i], 8, XLV_ERR_INVAL, NULL);
    parse_fail(ctx, XL, "node:", 8, XLV_ERR_INVAL,
               "cpus='node:': item 'node:' is incomplete");
}

static void test_xl_nodes_unknown(void **state)
{
    xlv_ctx *ctx = *state;

    parse_fail(ctx, XL, "node:0", 8, XLV_ERR_UNSUPPORTED,
               "cpus='node:0': 'node:0' needs the host's numa layout, "
               "which is not known here");
    parse_fail(ctx, XL, "0-3,^nodes:0-1", 8, XLV_ERR_UNSUPPORTED,
               "cpus='0-3,^nodes:0-1': '^nodes:0-1' needs the host's numa "
               "layout, which is not known here");
    parse_fail(ctx, XL, "^node:0", 8, XLV_ERR_UNSUPPORTED, NULL);
    /* A bad item before the node item is reported as such. */
    parse_fail(ctx, XL, "x,node:0", 8, XLV_ERR_INVAL, NULL);
}

static void test_xl_nodes(void **state)
{
    xlv_ctx *ctx = *state;
    static const char *const layout[] = { "0-3", "4-7" };

    set_layout(ctx, layout, 2);
    parse_ok(ctx, XL, "node:1", 8, "4-7");
    parse_ok(ctx, XL, "node:0", XLV_MAX_PCPUS, "0-3");
    parse_ok(ctx, XL, "nodes:1", 8, "4-7");
    parse_ok(ctx, XL, "node:0-1", 8, "0-7");
    parse_ok(ctx, XL, "nodes:0-1", 8, "0-7");
    parse_ok(ctx, XL, "nodes:0-1,^5", 8, "0-4,6-7");
    parse_ok(ctx, XL, "all,^node:0", 8, "4-7");
    parse_ok(ctx, XL, "node:0,6", 8, "0-3,6");
    parse_ok(ctx, XL, "nodes:0-1,^node:1,5", 8, "0-3,5");
    parse_ok(ctx, XL, "node:1-1", 8, "4-7");
    parse_ok(ctx, XL, "node:01", 8, "4-7");
    parse_ok(ctx, XL, "^node: 0,node: 1", 8, "4-7");
    parse_fail(ctx, XL, "^node:0", 8, XLV_ERR_INVAL,
               "cpus='^node:0': the set is empty");
    parse_fail(ctx, XL, "node:2", 8, XLV_ERR_INVAL,
               "cpus='node:2': numa node '2' does not exist (host has 2)");
    parse_fail(ctx, XL, "nodes:0-5", 8, XLV_ERR_INVAL,
               "cpus='nodes:0-5': numa node '5' does not exist "
               "(host has 2)");
    parse_fail(ctx, XL, "nodes:99999999999999999999", 8, XLV_ERR_INVAL,
               "cpus='nodes:99999999999999999999': numa node "
               "'99999999999999999999' does not exist (host has 2)");
    parse_fail(ctx, XL, "nodes:1-0", 8, XLV_ERR_INVAL,
               "cpus='nodes:1-0': range '1-0' is reversed");
    /* The node's cpus must fit below the limit too. */
    parse_fail(ctx, XL, "node:1", 6, XLV_ERR_INVAL,
               "cpus='node:1': numa node '1' has cpu 7, which is not "
               "below 6");
    parse_ok(ctx, XL, "node:0", 6, "0-3");
}

static void test_numa_layout(void **state)
{
    xlv_ctx *ctx = *state;
    static const char *const two[] = { "0-3", "4-7" };
    static const char *const one[] = { "0-1" };
    static const char *const bad[] = { "0-3", "x" };
    static const char *const toobig[] = { "4096" };
    static const char *const hole[] = { "0-3", "", "4-7" };
    static const char *const null_item[] = { "0", NULL };
    const char **many;
    unsigned int i;

    set_layout(ctx, two, 2);
    assert_int_equal(ctx->n_numa_nodes, 2);
    assert_int_equal(xlv__bitmap_nbits(&ctx->numa_nodes[0]), XLV_MAX_PCPUS);
    /* Replacing a layout frees the old one (LeakSanitizer checks). */
    set_layout(ctx, one, 1);
    assert_int_equal(ctx->n_numa_nodes, 1);
    assert_true(xlv__bitmap_is_first_n(&ctx->numa_nodes[0], 2));

    /* Failures keep the layout that was there. */
    assert_int_equal(xlv_ctx_set_numa_nodes(ctx, bad, 2, 0), XLV_ERR_INVAL);
    assert_string_equal(ctx->errmsg, "numa node 1 cpus 'x': unexpected 'x'");
    assert_int_equal(xlv_ctx_set_numa_nodes(ctx, toobig, 1, 0),
                     XLV_ERR_INVAL);
    assert_string_equal(ctx->errmsg, "numa node 0 cpus '4096': cpu id "
                        "'4096' is not below 4096");
    assert_int_equal(xlv_ctx_set_numa_nodes(ctx, two, 2, 1), XLV_ERR_INVAL);
    assert_int_equal(xlv_ctx_set_numa_nodes(ctx, two, 0, 0), XLV_ERR_INVAL);
    assert_int_equal(xlv_ctx_set_numa_nodes(ctx, NULL, 2, 0), XLV_ERR_INVAL);
    assert_int_equal(xlv_ctx_set_numa_nodes(ctx, null_item, 2, 0),
                     XLV_ERR_INVAL);
    assert_int_equal(ctx->n_numa_nodes, 1);
    assert_true(xlv__bitmap_is_first_n(&ctx->numa_nodes[0], 2));
    parse_ok(ctx, XL, "node:0", 8, "0-1");

    /* A node with memory only has no cpus. */
    set_layout(ctx, hole, 3);
    parse_ok(ctx, XL, "nodes:0-2", 8, "0-7");
    parse_ok(ctx, XL, "node:0,node:1", 8, "0-3");
    parse_fail(ctx, XL, "node:1", 8, XLV_ERR_INVAL,
               "cpus='node:1': the set is empty");

    /* 1024 nodes is the most. */
    many = calloc(1025, sizeof(*many));
    assert_non_null(many);
    for (i = 0; i < 1025; i++)
        many[i] = "0";
    assert_int_equal(xlv_ctx_set_numa_nodes(ctx, many, 1025, 0),
                     XLV_ERR_INVAL);
    assert_int_equal(ctx->n_numa_nodes, 3);
    set_layout(ctx, many, 1024);
    assert_int_equal(ctx->n_numa_nodes, 1024);
    parse_ok(ctx, XL, "node:1023", 8, "0");
    free(many);

    /* Dispose is idempotent, and node items fail again afterwards. */
    xlv__ctx_numa_dispose(ctx);
    xlv__ctx_numa_dispose(ctx);
    assert_null(ctx->numa_nodes);
    assert_int_equal(ctx->n_numa_nodes, 0);
    parse_fail(ctx, XL, "node:0", 8, XLV_ERR_UNSUPPORTED, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_bitmap_alloc),
        T(test_bitmap_copy),
        T(test_bitmap_count_last),
        T(test_bitmap_equal),
        T(test_bitmap_test),
        T(test_bitmap_is_first_n),
        T(test_lv_ids_and_ranges),
        T(test_lv_exclusions),
        T(test_lv_limit),
        T(test_lv_huge_numbers),
        T(test_lv_syntax_errors),
        T(test_lv_empty),
        T(test_lv_blanks),
        T(test_lv_messages),
        T(test_lv_huge_input),
        T(test_many_items),
        T(test_parse_replaces_set),
        T(test_format),
        T(test_format_round_trip),
        T(test_xl_basic),
        T(test_xl_order),
        T(test_xl_all),
        T(test_xl_lexical),
        T(test_xl_nodes_unknown),
        T(test_xl_nodes),
        T(test_numa_layout),
#undef T
    };

    return cmocka_run_group_tests_name("cpuset", tests, NULL, NULL);
}
