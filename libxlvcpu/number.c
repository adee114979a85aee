/*
 * Strict parsing of the unsigned decimal numbers found in XML and xl.cfg.
 * strtoul accepts signs, leading blanks and wraps around: not here.
 */
#include <ctype.h>

#include "private.h"

int xlv__number_parse(const char *s, uint64_t max, uint64_t *val_r)
{
    uint64_t v = 0;
    bool digits = false, range = false;

    while (isspace((unsigned char)*s))
        s++;
    for (; *s >= '0' && *s <= '9'; s++) {
        unsigned int d = (unsigned int)(*s - '0');

        digits = true;
        if (d > max || v > (max - d) / 10)
            range = true;
        else
            v = v * 10 + d;
    }
    while (isspace((unsigned char)*s))
        s++;
    if (!digits || *s)
        return XLV__NUM_BAD;
    if (range)
        return XLV__NUM_RANGE;
    *val_r = v;
    return 0;
}
