/*
 * The command's --json output, written with yajl's generator: a value
 * is built up with the calls below and printed whole, followed by a
 * newline, by json_print().  A failed call is remembered and reported
 * by json_print(), so that the building code needs no checks of its own.
 */
#ifndef XLVCPU_JSON_OUT_H
#define XLVCPU_JSON_OUT_H

#include <stdbool.h>

struct command;
typedef struct json_out json_out;

/* A new, empty document in *J_R, freed with json_free() (NULL is
 * accepted).  Returns EXIT_OK, or EXIT_FAILED after "xlvcpu: CMD: ..."
 * on stderr when out of memory. */
int json_start(const struct command *cmd, json_out **j_r);
void json_free(json_out *j);

void json_map_open(json_out *j);
void json_map_close(json_out *j);
void json_array_open(json_out *j);
void json_array_close(json_out *j);

/* A map key or a string value: any bytes of valid UTF-8, escaped as
 * JSON needs. */
void json_string(json_out *j, const char *s);
void json_int(json_out *j, long long n);
void json_bool(json_out *j, bool b);
/* A number with DIGITS digits after the point, as printf's "%.*f". */
void json_fixed(json_out *j, double v, int digits);

/* A member of the map being built: KEY and its value (for a string, a
 * NULL S is JSON's null). */
void json_member_string(json_out *j, const char *key, const char *s);
void json_member_int(json_out *j, const char *key, long long n);
void json_member_bool(json_out *j, const char *key, bool b);

/*
 * Print the document and a newline on stdout.  Returns EXIT_OK, or
 * EXIT_FAILED after "xlvcpu: CMD: ..." on stderr when building it failed
 * (out of memory, a string that is not UTF-8) or stdout could not take
 * it.
 */
int json_print(json_out *j, const struct command *cmd);

#endif /* XLVCPU_JSON_OUT_H */
