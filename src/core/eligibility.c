/* eimza — the approvers' verdict on an application, its explanations and the ready-made
 * rejection texts (core/: pure). See eligibility.h for the decisions behind the rules.
 */
#include "core/eligibility.h"

#include <string.h>

/* One row per reason, in the fixed order of the codes; what the approver reads about it is
 * the catalogue's "verdict.<code>" (po/). */
static const struct {
    unsigned bit;
    const char *code;
} reasons[CORE_VR_COUNT] = {
    {CORE_VR_NO_PERSONNEL_RECORD, "no_personnel_record"},
    {CORE_VR_NOT_IN_SERVICE, "not_in_service"},
    {CORE_VR_ASSIGNMENT_ENDED, "assignment_ended"},
    {CORE_VR_NOT_ENTITLED, "not_entitled"},
    {CORE_VR_REMOTE_RENEWAL_LIMIT, "remote_renewal_limit"},
    {CORE_VR_LATE, "late"},
};

void core_verdict_make(const struct core_verdict_input *in, struct core_verdict *out)
{
    unsigned r = core_eligibility(in->person, in->today);
    bool limit_reached = in->remote_limit > 0 && in->remote_chain >= in->remote_limit;

    /* The wet path with its in-person check is what the limit asks for: an application
     * already on it is not held back. */
    if (limit_reached && in->method != CORE_METHOD_WET)
        r |= CORE_VR_REMOTE_RENEWAL_LIMIT;
    if (in->late)
        r |= CORE_VR_LATE;
    out->reasons = r;
    out->eligible = (r & CORE_VR_BLOCKING) == 0;
    out->wet_required = limit_reached;
}

const char *core_verdict_code(unsigned bit)
{
    for (size_t i = 0; i < CORE_VR_COUNT; i++)
        if (reasons[i].bit == bit)
            return reasons[i].code;
    return NULL;
}

unsigned core_verdict_parse(const char *code)
{
    if (!code)
        return 0;
    for (size_t i = 0; i < CORE_VR_COUNT; i++)
        if (strcmp(reasons[i].code, code) == 0)
            return reasons[i].bit;
    return 0;
}

bool core_verdict_next(unsigned set, size_t *pos, unsigned *bit)
{
    while (*pos < CORE_VR_COUNT) {
        unsigned b = reasons[(*pos)++].bit;
        if (set & b) {
            *bit = b;
            return true;
        }
    }
    return false;
}

size_t core_verdict_count(unsigned set)
{
    size_t n = 0;
    for (size_t i = 0; i < CORE_VR_COUNT; i++)
        if (set & reasons[i].bit)
            n++;
    return n;
}

const char *core_verdict_approver_text(unsigned bit, enum core_lang lang)
{
    for (size_t i = 0; i < CORE_VR_COUNT; i++)
        if (reasons[i].bit == bit)
            return core_text_of("verdict", reasons[i].code, lang);
    return NULL;
}

const char *core_verdict_short_text(unsigned bit, enum core_lang lang)
{
    for (size_t i = 0; i < CORE_VR_COUNT; i++)
        if (reasons[i].bit == bit) {
            const char *t = core_text_of("reason_short", reasons[i].code, lang);
            return t ? t : core_text_of("verdict", reasons[i].code, lang);
        }
    return NULL;
}

/* ---- ready-made rejection reasons --------------------------------------------------------- */

/* The codes and the verdict reasons they answer; the texts are the catalogue's
 * "rejection.<code>" (po/). */
const struct core_rejection core_rejections[] = {
    {"records_outdated", CORE_VR_NOT_IN_SERVICE | CORE_VR_ASSIGNMENT_ENDED | CORE_VR_NOT_ENTITLED},
    {"record_missing", CORE_VR_NO_PERSONNEL_RECORD},
    {"assignment_not_extended", CORE_VR_ASSIGNMENT_ENDED},
    {"entitlement_missing", CORE_VR_NOT_ENTITLED},
    {"in_person_check_required", CORE_VR_REMOTE_RENEWAL_LIMIT},
    {"form_data_wrong", 0},
    {"wet_original_missing", 0},
    {"other", 0},
};

const size_t core_rejections_count = sizeof core_rejections / sizeof core_rejections[0];

const struct core_rejection *core_rejection_find(const char *code)
{
    if (!code)
        return NULL;
    for (size_t i = 0; i < core_rejections_count; i++)
        if (strcmp(core_rejections[i].code, code) == 0)
            return &core_rejections[i];
    return NULL;
}

const char *core_rejection_text(const struct core_rejection *r, enum core_lang lang)
{
    const char *t = r ? core_text_of("rejection", r->code, lang) : NULL;
    return t ? t : "";
}
