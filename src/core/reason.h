/* eimza — the stable reason codes of validation and domain rules, and their messages
 * (core/: pure). Each code has a Turkish message that says what to do and an English one,
 * kept in the catalogue under "reason.<code>" (core/catalogue.h, po/). Codes never change once
 * released: files, scripts and API clients rely on them.
 */
#ifndef EIMZA_CORE_REASON_H
#define EIMZA_CORE_REASON_H

#include <stddef.h>

#include "core/catalogue.h" /* enum core_lang */

/* The message for a code in the language asked for; a generic message for an unknown code. */
const char *core_reason_message(const char *code, enum core_lang lang);
/* True if the code has a message. */
int core_reason_known(const char *code);

#endif
