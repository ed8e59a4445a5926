/* eimza — `personnel show`: the record, eligibility and current certificate as JSON. See
 * personnel_show.h. JSON is built with jansson only (never by pasting strings). */
#include "app/personnel_show.h"

#include <jansson.h>
#include <string.h>

#include "core/date.h"
#include "core/personnel.h"
#include "core/rules.h"
#include "core/validate.h"

const char *app_tckn_parse(const char *s, char out[CORE_TCKN_LEN + 1])
{
    struct core_personnel p;
    core_personnel_clear(&p);
    out[0] = '\0';
    const char *code = core_personnel_set(&p, CORE_PF_TCKN, s, strlen(s));
    if (code)
        return code;
    memcpy(out, p.tckn, CORE_TCKN_LEN + 1);
    return NULL;
}

/* "YYYY-MM-DD", or null for CORE_DATE_NONE. */
static json_t *show_date(int32_t d)
{
    if (d == CORE_DATE_NONE)
        return json_null();
    char buf[CORE_DATE_STRLEN + 1];
    core_date_format(d, buf);
    return json_string(buf);
}

/* "YYYY-MM-DDTHH:MM:SSZ" for Unix seconds t. */
static json_t *show_time(int64_t t)
{
    int32_t day = core_date_from_unix(t);
    int64_t sec = t - core_date_to_unix(day);
    char date[CORE_DATE_STRLEN + 1], buf[32];
    core_date_format(day, date);
    snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", date, (int)(sec / 3600), (int)(sec / 60 % 60),
             (int)(sec % 60));
    return json_string(buf);
}

/* Adds key: value to o, taking value's reference; false when memory ran out. */
static bool show_set(json_t *o, const char *key, json_t *value)
{
    return value && json_object_set_new(o, key, value) == 0;
}

static json_t *show_policies(const char *list)
{
    json_t *a = json_array();
    const char *p = list;
    while (a && *p) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (n && json_array_append_new(a, json_stringn(p, n)) != 0) {
            json_decref(a);
            return NULL;
        }
        p += n;
    }
    return a;
}

static json_t *show_certificate(const struct core_certificate *c, int64_t now)
{
    const char *status = c->revoked_at         ? "revoked"
                         : now < c->not_before ? "not_yet_valid"
                         : now >= c->not_after ? "expired"
                                               : "valid";
    int64_t left = c->not_after - now;
    left = left >= 0 ? left / 86400 : -((-left + 86399) / 86400); /* rounded down */
    json_t *o = json_object();
    if (o && show_set(o, "serial", json_string(c->serial)) &&
        show_set(o, "issuer", json_string(c->issuer)) &&
        show_set(o, "subject", json_string(c->subject)) &&
        show_set(o, "not_before", show_time(c->not_before)) &&
        show_set(o, "not_after", show_time(c->not_after)) &&
        show_set(o, "fingerprint", json_string(c->fingerprint)) &&
        show_set(o, "policies", show_policies(c->policies)) &&
        show_set(o, "revoked", json_boolean(c->revoked_at != 0)) &&
        show_set(o, "revoked_at", c->revoked_at ? show_time(c->revoked_at) : json_null()) &&
        show_set(o, "status", json_string(status)) && show_set(o, "days_left", json_integer(left)))
        return o;
    json_decref(o);
    return NULL;
}

/* Every certificate of the holder, the current one first, each with its place in the holder's
 * history: "revoked", "superseded" (a newer one was issued), "expired", or "current". */
struct show_all {
    json_t *arr;
    int64_t now;
    bool first, bad;
};

static int show_one(void *ctx, int64_t id, const struct core_certificate *c)
{
    struct show_all *x = ctx;
    (void)id;
    const char *status = c->revoked_at            ? "revoked"
                         : !x->first              ? "superseded"
                         : x->now >= c->not_after ? "expired"
                                                  : "current";
    x->first = false;
    json_t *o = json_object();
    if (!o || !show_set(o, "serial", json_string(c->serial)) ||
        !show_set(o, "issuer", json_string(c->issuer)) ||
        !show_set(o, "not_before", show_time(c->not_before)) ||
        !show_set(o, "not_after", show_time(c->not_after)) ||
        !show_set(o, "fingerprint", json_string(c->fingerprint)) ||
        !show_set(o, "revoked_at", c->revoked_at ? show_time(c->revoked_at) : json_null()) ||
        !show_set(o, "status", json_string(status)) || json_array_append_new(x->arr, o) != 0) {
        x->bad = true;
        return 1;
    }
    return 0;
}

static json_t *show_eligibility(const struct core_personnel *p, int64_t now)
{
    unsigned verdict = core_eligibility(p, core_date_tr_from_unix(now));
    json_t *o = json_object(), *reasons = json_array();
    if (!o || !reasons)
        goto fail;
    for (unsigned bit = 1; bit && bit <= verdict; bit <<= 1) {
        const char *code = (verdict & bit) ? core_inelig_code(bit) : NULL;
        if (code && json_array_append_new(reasons, json_string(code)) != 0)
            goto fail;
    }
    if (!show_set(o, "eligible", json_boolean(verdict == 0)))
        goto fail;
    if (json_object_set_new(o, "reasons", reasons) != 0) {
        reasons = NULL; /* set_new took it even on failure */
        goto fail;
    }
    return o;
fail:
    json_decref(reasons);
    json_decref(o);
    return NULL;
}

enum app_show_err app_personnel_show(struct store *s, const char *tckn, int64_t now, char **json)
{
    enum app_show_err ret = APP_SHOW_ENOMEM;
    struct core_personnel p;
    struct core_certificate c;
    json_t *o = NULL, *cert = NULL;
    struct show_all all = {NULL, 0, true, false};
    *json = NULL;

    enum store_err e = store_personnel_get(s, tckn, &p);
    if (e != STORE_OK) {
        ret = e == STORE_ENOTFOUND ? APP_SHOW_ENOTFOUND
              : e == STORE_ENOMEM  ? APP_SHOW_ENOMEM
                                   : APP_SHOW_ESTORE;
        goto out;
    }
    e = store_certificate_current(s, tckn, &c);
    if (e == STORE_OK) {
        cert = show_certificate(&c, now);
        if (!cert)
            goto out;
    } else if (e == STORE_ENOTFOUND) {
        cert = json_null();
    } else {
        ret = e == STORE_ENOMEM ? APP_SHOW_ENOMEM : APP_SHOW_ESTORE;
        goto out;
    }

    all.arr = json_array();
    all.now = now;
    if (!all.arr)
        goto out;
    e = store_certificates_of(s, tckn, show_one, &all);
    if (e != STORE_OK || all.bad) {
        ret = e == STORE_OK || e == STORE_ENOMEM ? APP_SHOW_ENOMEM : APP_SHOW_ESTORE;
        goto out;
    }

    const char *province_name = core_province_name(p.province);
    o = json_object();
    if (!o || !show_set(o, "tckn", json_string(p.tckn)) ||
        !show_set(o, "first_name", json_string(p.first_name)) ||
        !show_set(o, "last_name", json_string(p.last_name)) ||
        !show_set(o, "birth_place", json_string(p.birth_place)) ||
        !show_set(o, "birth_date", show_date(p.birth_date)) ||
        !show_set(o, "institution_code", json_string(p.institution_code)) ||
        !show_set(o, "institution_name", json_string(p.institution_name)) ||
        !show_set(o, "registry_no", json_string(p.registry_no)) ||
        !show_set(o, "province", json_integer(p.province)) ||
        !show_set(o, "province_name", province_name ? json_string(province_name) : json_null()) ||
        !show_set(o, "district", json_string(p.district)) ||
        !show_set(o, "unit", json_string(p.unit)) || !show_set(o, "title", json_string(p.title)) ||
        !show_set(o, "duty_status", json_string(core_duty_code(p.duty))) ||
        !show_set(o, "assignment_end", show_date(p.assignment_end)) ||
        !show_set(o, "entitled", json_boolean(p.entitled)) ||
        !show_set(o, "email", json_string(p.email)) ||
        !show_set(o, "mobile_phone", json_string(p.mobile_phone)) ||
        !show_set(o, "eligibility", show_eligibility(&p, now)))
        goto out;
    if (json_object_set_new(o, "certificate", cert) != 0) {
        cert = NULL;
        goto out;
    }
    cert = NULL;
    int r = json_object_set_new(o, "certificates", all.arr);
    all.arr = NULL; /* the object's now, even when it failed */
    if (r != 0)
        goto out;
    *json = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (*json)
        ret = APP_SHOW_OK;
out:
    json_decref(all.arr);
    json_decref(cert);
    json_decref(o);
    return ret;
}
