/* eimza — the staff roles' view of personal data (see privacy.h). */
#include "app/privacy.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/tckn.h"
#include "core/validate.h"

enum access { MASKED = 0, ON_REQUEST, FULL };

/* role x field (privacy.h): no role sees any in every view; approvers the T.C. Kimlik No on
 * request. */
static const struct {
    const char *role;
    enum access access[APP_PII__COUNT];
} pii_rule[] = {
    {"approver", {[APP_PII_TCKN] = ON_REQUEST, [APP_PII_EMAIL] = MASKED, [APP_PII_PHONE] = MASKED}},
    {"operator", {[APP_PII_TCKN] = MASKED, [APP_PII_EMAIL] = MASKED, [APP_PII_PHONE] = MASKED}},
    {"admin", {[APP_PII_TCKN] = MASKED, [APP_PII_EMAIL] = MASKED, [APP_PII_PHONE] = MASKED}},
};

static enum access access_of(const struct app_staff *who, enum app_pii kind)
{
    for (size_t i = 0;
         who && (unsigned)kind < APP_PII__COUNT && i < sizeof pii_rule / sizeof pii_rule[0]; i++)
        if (!strcmp(pii_rule[i].role, who->role))
            return pii_rule[i].access[kind];
    return MASKED;
}

static bool sees_full(const struct app_staff *who, enum app_pii kind)
{
    return access_of(who, kind) == FULL;
}

bool app_pii_on_request(const struct app_staff *who, enum app_pii kind)
{
    return access_of(who, kind) == ON_REQUEST;
}

void app_pii_view(const struct app_staff *who, enum app_pii kind, const char *v, char *out,
                  size_t cap)
{
    if (!cap)
        return;
    out[0] = '\0';
    if (!v || !*v || (unsigned)kind >= APP_PII__COUNT)
        return;
    if (sees_full(who, kind)) {
        snprintf(out, cap, "%s", v);
        return;
    }
    switch (kind) {
    case APP_PII_TCKN: {
        char m[CORE_TCKN_LEN + 1];
        core_tckn_mask(v, m);
        snprintf(out, cap, "%s", m);
        break;
    }
    case APP_PII_EMAIL:
        core_email_mask(v, out, cap);
        break;
    case APP_PII_PHONE: {
        char m[CORE_PHONE_LEN + 1];
        core_phone_mask(v, m);
        snprintf(out, cap, "%s", m);
        break;
    }
    case APP_PII__COUNT:
        break;
    }
}
