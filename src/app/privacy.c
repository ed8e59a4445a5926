/* eimza — the staff roles' view of personal data (see privacy.h). */
#include "app/privacy.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/tckn.h"
#include "core/validate.h"

/* role x field: true = in full. Every staff role sees masked values today (privacy.h). */
static const struct {
    const char *role;
    bool full[APP_PII__COUNT];
} pii_rule[] = {
    {"approver", {[APP_PII_TCKN] = false, [APP_PII_EMAIL] = false, [APP_PII_PHONE] = false}},
    {"operator", {[APP_PII_TCKN] = false, [APP_PII_EMAIL] = false, [APP_PII_PHONE] = false}},
    {"admin", {[APP_PII_TCKN] = false, [APP_PII_EMAIL] = false, [APP_PII_PHONE] = false}},
};

static bool sees_full(const struct app_staff *who, enum app_pii kind)
{
    for (size_t i = 0; who && i < sizeof pii_rule / sizeof pii_rule[0]; i++)
        if (!strcmp(pii_rule[i].role, who->role))
            return pii_rule[i].full[kind];
    return false;
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
