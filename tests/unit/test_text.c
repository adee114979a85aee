/*
 * Unit tests of text.c: what may be a name or be shown in a message
 * (UTF-8 without C0, DEL or C1 controls), and the sanitiser every error
 * message goes through.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "private.h"

#define CTL "control characters are not allowed"
#define UTF "it is not valid utf-8"

static void check_problem(const char *s, const char *want)
{
    const char *got = xlv__text_problem(s);

    if (!want)
        assert_null(got);
    else
        assert_string_equal(got, want);
}

static void test_problem(void **state)
{
    (void)state;
    check_problem("", NULL);
    check_problem("web01", NULL);
    check_problem("caf\xc3\xa9", NULL);                 /* U+00E9 */
    check_problem("\xc2\xa0", NULL);                    /* U+00A0: past C1 */
    check_problem("\xf0\x9f\x90\xa7", NULL);            /* U+1F427 */
    check_problem("a\tb", CTL);
    check_problem("a\x1b[2J", CTL);
    check_problem("a\x7f", CTL);
    check_problem("a\xc2\x80", CTL);                    /* U+0080 */
    check_problem("a\xc2\x85", CTL);                    /* U+0085, NEL */
    check_problem("a\xc2\x9b" "2J", CTL);               /* U+009B, CSI */
    check_problem("a\xc2\x9f", CTL);                    /* U+009F */
    check_problem("caf\xe9", UTF);                      /* Latin-1 */
    check_problem("\xc0\x80", UTF);                     /* overlong NUL */
    check_problem("\xc1\x9b", UTF);                     /* overlong CSI */
    check_problem("\xe0\x80\x9b", UTF);                 /* overlong CSI */
    check_problem("\xed\xa0\x80", UTF);                 /* a surrogate */
    check_problem("\xf4\x90\x80\x80", UTF);             /* above U+10FFFF */
    check_problem("\xe2\x82", UTF);                     /* cut short */
    check_problem("\x80", UTF);                         /* lone continuation */
    check_problem("\xff", UTF);
}

static void check_sanitize(const char *in, const char *want)
{
    char *s = strdup(in);

    assert_non_null(s);
    xlv__text_sanitize(s);
    assert_string_equal(s, want);
    free(s);
}

static void test_sanitize(void **state)
{
    (void)state;
    check_sanitize("domain 'web01'", "domain 'web01'");
    check_sanitize("caf\xc3\xa9", "caf\xc3\xa9");
    check_sanitize("a\nb\rc\x1b[2J\x07", "a?b?c?[2J?");
    check_sanitize("a\x7f", "a?");
    check_sanitize("a\xc2\x9b" "2J", "a??2J");
    check_sanitize("caf\xe9!", "caf?!");
    check_sanitize("\xe2\x82", "??");
    check_sanitize("\xc0\x80x", "??x");
}

static void test_error_message(void **state)
{
    xlv_ctx *ctx = calloc(1, sizeof(*ctx));

    (void)state;
    assert_non_null(ctx);
    xlv__error(ctx, XLV_ERR_INVAL, "name '%s'", "a\x1b]0;x\x07\xc2\x85\xff");
    assert_string_equal(xlv_ctx_error(ctx), "name 'a?]0;x????" "'");
    free(ctx);
}

static void test_utf8_valid(void **state)
{
    size_t bad = 99;

    (void)state;
    assert_true(xlv__utf8_valid("", 0, &bad));
    assert_true(xlv__utf8_valid("<a>\xc3\xa9</a>\n\t", 12, &bad));
    /* C0 and C1 are valid UTF-8: which are allowed is XML's business. */
    assert_true(xlv__utf8_valid("\x1b\xc2\x85", 3, &bad));
    assert_false(xlv__utf8_valid("<a>\xe9</a>", 8, &bad));
    assert_int_equal(bad, 3);
    /* A sequence cut by the end of the buffer, not read past it. */
    assert_false(xlv__utf8_valid("ab\xe2\x82\xac", 4, &bad));
    assert_int_equal(bad, 2);
    assert_true(xlv__utf8_valid("ab\xe2\x82\xac", 5, &bad));
    /* EBCDIC "<?xm", which libxml2 would detect and convert. */
    assert_false(xlv__utf8_valid("\x4c\x6f\xa7\x94", 4, &bad));
    assert_int_equal(bad, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_problem),
        cmocka_unit_test(test_sanitize),
        cmocka_unit_test(test_error_message),
        cmocka_unit_test(test_utf8_valid),
    };

    return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
