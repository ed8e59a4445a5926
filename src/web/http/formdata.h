/* eimza — the fields of a submitted HTML form (application/x-www-form-urlencoded), for the
 * pages' POST handlers (web/http/).
 *
 * The body is decoded once into name/value pairs ('+' is a space, %XX a byte). A body that
 * is not well formed (a bad escape, a name or value that is not valid UTF-8 or holds a NUL,
 * more than WEB_FORMDATA_MAX_FIELDS fields) is refused as a whole: a handler sees either
 * every field or none, never a guess. Ownership: the struct owns the decoded copies;
 * web_formdata_free() releases them (safe on a zeroed struct and after a failed parse).
 */
#ifndef EIMZA_WEB_HTTP_FORMDATA_H
#define EIMZA_WEB_HTTP_FORMDATA_H

#include <stddef.h>

#define WEB_FORMDATA_MAX_FIELDS 128

struct web_formdata {
    size_t n;
    char *names[WEB_FORMDATA_MAX_FIELDS];  /* NUL-terminated, decoded */
    char *values[WEB_FORMDATA_MAX_FIELDS]; /* NUL-terminated, decoded */
    char *mem;                             /* one allocation holding them all */
};

/* Parses body[0..len). Returns 0, or -1 when the body is malformed or memory runs out (f is
 * then empty). */
int web_formdata_parse(struct web_formdata *f, const char *body, size_t len);

/* The value of the first field called name, or NULL when there is none. */
const char *web_formdata_get(const struct web_formdata *f, const char *name);

void web_formdata_free(struct web_formdata *f);

#endif
