/* eimza — the messages of the reason codes (core/: pure). See reason.h.
 *
 * Every refusal anywhere in eimza has an entry "reason.<code>" in the catalogue (po/eimza.pot,
 * po/en.po): a stable snake_case code, a Turkish message that tells the person what to do
 * next, and an English one. To add a code, add an entry there; test_reason.c checks that the
 * codes are snake_case and have both messages. Codes never change once released.
 */
#include "core/reason.h"

const char *core_reason_message(const char *code, enum core_lang lang)
{
    const char *t = code && *code ? core_text_of("reason", code, lang) : NULL;
    if (!t)
        t = core_text("fallback.reason", lang);
    return t ? t : "";
}

int core_reason_known(const char *code)
{
    return code && *code && core_text_of("reason", code, CORE_LANG_TR) != NULL;
}
