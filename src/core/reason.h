/* eimza — the stable reason codes of validation and domain rules, and their messages
 * (core/: pure). One table: each code has a Turkish message that says what to do and an
 * English one. Codes never change once released: files, scripts and API clients rely on them.
 */
#ifndef EIMZA_CORE_REASON_H
#define EIMZA_CORE_REASON_H

#include <stddef.h>

enum core_lang { CORE_LANG_TR = 0, CORE_LANG_EN };

struct core_reason {
    const char *code; /* snake_case, stable */
    const char *tr;   /* Turkish: what went wrong and what to do */
    const char *en;
};
/* The table itself (reason.c; add rows there), for tests and documentation generators. */
extern const struct core_reason core_reasons[];
extern const size_t core_reasons_count;

/* The message for a code in the language asked for; a generic message for an unknown code. */
const char *core_reason_message(const char *code, enum core_lang lang);
/* True if the code is in the table. */
int core_reason_known(const char *code);

#endif
