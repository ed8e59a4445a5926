/* eimza — the staff's search and the full T.C. Kimlik No on request (see admin.h, "search";
 * issue 17, point 11).
 *
 * A search by name reads every application's name in the asker's scope (one narrow statement,
 * store_app_names) and compares them here, because the comparison is Turkish: case with the two
 * i's (core_tr_fold), and the plain look-alikes of the Turkish letters (ç c, ğ g, ı/İ i, ö o,
 * ş s, ü u) taken as the same letter, since many keyboards and people type them so. Neither
 * database can do that in SQL without a stored key; the names of a province's (or every)
 * application are a few megabytes at most, read in one pass.
 */
#include "app/admin_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/privacy.h"
#include "core/tckn.h"
#include "core/trtext.h"
#include "util/log.h"

#define NUMBER_ALPHABET "0123456789ABCDEFGHJKMNPQRSTVWXYZ" /* Crockford's base32 */
#define KEY_MAX         (2 * CORE_NAME_MAX + 8)

/* ---- reading the query ------------------------------------------------------------------- */

/* The value of "q" in a URL's query (the printed form's QR code): its first q=, up to the next
 * '&' or '#', percent-decoded into out. False when there is none or it does not fit. */
static bool url_q(const char *s, char *out, size_t cap)
{
    const char *qm = strchr(s, '?');
    for (const char *p = qm; p && *p;) {
        p++;
        if (!strncmp(p, "q=", 2)) {
            size_t n = 0;
            for (p += 2; *p && *p != '&' && *p != '#'; p++) {
                int c = (unsigned char)*p;
                if (c == '%' && p[1] && p[2]) {
                    char hex[3] = {p[1], p[2], 0};
                    char *end;
                    c = (int)strtol(hex, &end, 16);
                    if (*end)
                        return false;
                    p += 2;
                } else if (c == '+') {
                    c = ' ';
                }
                if (n + 1 >= cap)
                    return false;
                out[n++] = (char)c;
            }
            out[n] = '\0';
            return n > 0;
        }
        p = strchr(p, '&');
    }
    return false;
}

/* An application number as typed: 10 characters of the alphabet in any case, O read as 0 and
 * I, L as 1 (Crockford's rule). */
static bool as_number(const char *q, char out[APP_NUMBER_LEN + 1])
{
    size_t n = strlen(q);
    if (n != APP_NUMBER_LEN)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = q[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c == 'O')
            c = '0';
        else if (c == 'I' || c == 'L')
            c = '1';
        if (!strchr(NUMBER_ALPHABET, c) || !c)
            return false;
        out[i] = c;
    }
    out[n] = '\0';
    return true;
}

/* Digits only, once spaces and dashes are left out: true with 11 of them in out. */
static bool as_tckn(const char *q, char out[CORE_TCKN_LEN + 1])
{
    size_t n = 0;
    for (const char *p = q; *p; p++) {
        if (*p == ' ' || *p == '-' || *p == '\t')
            continue;
        if (*p < '0' || *p > '9' || n == CORE_TCKN_LEN)
            return false;
        out[n++] = *p;
    }
    out[n] = '\0';
    return n == CORE_TCKN_LEN;
}

/* The search key of a name: core_tr_fold's Turkish upper case, then each Turkish letter as its
 * plain look-alike (Ç C, Ğ G, İ I, Ö O, Ş S, Ü U). -1 when the text is not UTF-8 or too long. */
static int name_key(const char *in, char *out, size_t cap)
{
    static const struct {
        const char *from;
        char to;
    } plain[] = {{"Ç", 'C'}, {"Ğ", 'G'}, {"İ", 'I'}, {"Ö", 'O'}, {"Ş", 'S'}, {"Ü", 'U'}};
    char folded[KEY_MAX];
    if (core_tr_fold(in, strlen(in), folded, sizeof folded) < 0)
        return -1;
    size_t n = 0;
    for (const char *p = folded; *p;) {
        char c = *p;
        size_t len = 1;
        for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
            if (!strncmp(p, plain[i].from, strlen(plain[i].from))) {
                c = plain[i].to;
                len = strlen(plain[i].from);
                break;
            }
        if (n + 1 >= cap)
            return -1;
        out[n++] = c;
        p += len;
    }
    out[n] = '\0';
    return (int)n;
}

/* ---- the matches ---------------------------------------------------------------------------- */

struct ids {
    int64_t v[APP_SEARCH_MAX];
    size_t n;
    long found;
};

static int add_id(void *ctx, int64_t id)
{
    struct ids *r = ctx;
    if (r->n < APP_SEARCH_MAX)
        r->v[r->n++] = id;
    r->found++;
    return 0;
}

/* The query's words, each a key of its own: a name matches when every word is in its key. */
struct name_match {
    struct ids *ids;
    char words[8][KEY_MAX];
    size_t nwords;
};

static int match_name(void *ctx, int64_t id, const char *first, const char *last)
{
    struct name_match *m = ctx;
    char full[KEY_MAX], key[KEY_MAX];
    snprintf(full, sizeof full, "%s %s", first ? first : "", last ? last : "");
    if (name_key(full, key, sizeof key) < 0)
        return 0;
    for (size_t i = 0; i < m->nwords; i++)
        if (!strstr(key, m->words[i]))
            return 0;
    return add_id(m->ids, id);
}

/* Splits the folded query into words (at most 8; longer queries are refused before). */
static size_t query_words(const char *key, char words[8][KEY_MAX])
{
    size_t n = 0;
    for (const char *p = key; *p && n < 8;) {
        p += strspn(p, " ");
        size_t len = strcspn(p, " ");
        if (len) {
            snprintf(words[n++], KEY_MAX, "%.*s", (int)len, p);
            p += len;
        }
    }
    return n;
}

/* The letters of a key (what "at least two letters" counts). */
static size_t letters(const char *key)
{
    size_t n = 0;
    for (const char *p = key; *p; p++)
        n += *p != ' ';
    return n;
}

static enum app_status search_names(struct store *s, int province, const char *q, struct ids *ids,
                                    struct app_err *err)
{
    struct name_match *m = calloc(1, sizeof *m);
    char key[KEY_MAX];
    enum app_status st = APP_OK;
    if (!m)
        return app__fail(err, APP_EINTERNAL, NULL);
    m->ids = ids;
    if (name_key(q, key, sizeof key) < 0 || letters(key) < 2) {
        app_err_field(err, "q", "search_too_short");
        st = app__fail(err, APP_EINVAL, "invalid_fields");
    } else if ((m->nwords = query_words(key, m->words)) > 0) {
        enum store_err e = store_app_names(s, province, match_name, m);
        if (e != STORE_OK)
            st = app__store_err(s, e, "searching by name", NULL, NULL, err);
    }
    free(m);
    return st;
}

/* Why a query is refused, or NULL: its length, then its characters; out gets it trimmed with
 * its white space folded. */
static const char *clean_query(const char *q, char *out, size_t cap)
{
    size_t n = q ? strlen(q) : 0;
    const char *bad = n > APP_SEARCH_Q_MAX ? "too_long" : NULL;
    if (!bad && n)
        bad = core_text_check_code(core_text_check(q, n, 0));
    if (!bad && (!n || core_tr_normalize(q, n, out, cap) < 0))
        bad = n ? "not_utf8" : "search_empty";
    if (!bad && !*out)
        bad = "search_empty";
    return bad;
}

/* The query checked and cleaned; an address (the printed form's QR code, typed by a hand-held
 * scanner) gives its q= value instead. */
static enum app_status read_query(const char *q, char *out, size_t cap, struct app_err *err)
{
    char inner[APP_SEARCH_Q_MAX + 1];
    const char *bad = clean_query(q, out, cap);
    if (!bad && (strstr(out, "://") || !strncmp(out, "/yonetim/", 9)))
        bad = url_q(out, inner, sizeof inner) ? clean_query(inner, out, cap) : "search_empty";
    if (!bad)
        return APP_OK;
    app_err_field(err, "q", bad);
    return app__fail(err, APP_EINVAL, "invalid_fields");
}

enum app_status app_admin_search(const struct app_ctx *c, const char *q,
                                 int (*fn)(void *ctx, const struct app_queue_item *it), void *ctx,
                                 struct app_search_result *out, struct app_err *err)
{
    struct store *s = c->db;
    const struct app_staff *who;
    char query[APP_SEARCH_Q_MAX + 1], number[APP_NUMBER_LEN + 1], tckn[CORE_TCKN_LEN + 1];
    struct ids *ids = NULL;
    enum app_status st;
    enum store_err e;

    app_err_clear(err);
    memset(out, 0, sizeof *out);
    if (app__who(c, &who, err) != APP_OK || read_query(q, query, sizeof query, err) != APP_OK)
        return err->status;
    int province = app__scope_province(who, 0);
    if (!(ids = calloc(1, sizeof *ids)))
        return app__fail(err, APP_EINTERNAL, NULL);

    if (as_tckn(query, tckn)) {
        out->kind = APP_SEARCH_TCKN;
        if (!core_tckn_valid(tckn, CORE_TCKN_LEN)) {
            app_err_field(err, "q", "tckn_checksum");
            st = app__fail(err, APP_EINVAL, "invalid_fields");
            goto out;
        }
        e = store_app_ids_of(s, tckn, province, add_id, ids);
        if (e != STORE_OK) {
            st = app__store_err(s, e, "searching by T.C. Kimlik No", NULL, NULL, err);
            goto out;
        }
    } else if (as_number(query, number)) {
        out->kind = APP_SEARCH_NUMBER;
        struct store_application a;
        e = store_app_by_number(s, number, &a);
        if (e == STORE_OK && strcmp(a.state, "draft") != 0)
            add_id(ids, a.id); /* its province is checked with the others below */
        else if (e != STORE_OK && e != STORE_ENOTFOUND) {
            st = app__store_err(s, e, "searching by number", NULL, NULL, err);
            goto out;
        }
        if (ids->n == 0 && strspn(query, "0123456789") == 0) { /* all letters: a name too? */
            out->kind = APP_SEARCH_NAME;
            if ((st = search_names(s, province, query, ids, err)) != APP_OK)
                goto out;
        }
    } else {
        out->kind = APP_SEARCH_NAME;
        if ((st = search_names(s, province, query, ids, err)) != APP_OK)
            goto out;
    }

    /* each match as the queue shows it; one of another province (the number search), or one
     * gone meanwhile, is not found */
    for (size_t i = 0; i < ids->n; i++) {
        struct store_application a;
        struct core_personnel p;
        struct app_application view;
        struct app_queue_item it;
        struct app_err e1;
        bool has_p;
        st = app__load_scoped(s, who, ids->v[i], &a, &p, &has_p, &e1);
        if (st == APP_EFORBIDDEN || st == APP_ENOTFOUND) {
            ids->found--;
            continue;
        }
        if (st == APP_OK)
            st = app__queue_item(s, &c->set->portal, &a, has_p ? &p : NULL, NULL, c->now, &view,
                                 &it, &e1);
        if (st != APP_OK) {
            *err = e1;
            goto out;
        }
        if (fn(ctx, &it) != 0)
            break;
    }
    out->found = ids->found;
    st = APP_OK;
out:
    free(ids);
    return st;
}

/* ---- the full T.C. Kimlik No on request ------------------------------------------------------ */

enum app_status app_admin_tckn(const struct app_ctx *c, int64_t id, char out[CORE_TCKN_LEN + 1],
                               struct app_err *err)
{
    struct store *s = c->db;
    const struct app_staff *who;
    struct store_application a;
    struct core_personnel p;
    char actor[APP__ACTOR_MAX];
    bool has_p;
    enum store_err e;
    enum app_status st;

    app_err_clear(err);
    out[0] = '\0';
    if (app__who(c, &who, err) != APP_OK)
        return err->status;
    if (!app_pii_on_request(who, APP_PII_TCKN))
        return app__fail(err, APP_EFORBIDDEN, "forbidden_role");
    if ((e = store_tx_begin(s)) != STORE_OK)
        return app__store_err(s, e, "starting a transaction", NULL, NULL, err);
    if ((st = app__load_scoped(s, who, id, &a, &p, &has_p, err)) != APP_OK) {
        store_tx_rollback(s);
        return st;
    }
    app__staff_actor(who, actor);
    if ((e = app__audit(s, c->now, actor, "pii.tckn_view", a.number, NULL)) == STORE_OK)
        e = store_tx_commit(s);
    else
        store_tx_rollback(s);
    if (e != STORE_OK)
        return app__store_err(s, e, "auditing a look at a T.C. Kimlik No", "not_found", NULL, err);
    ulog(ULOG_INFO, "admin.tckn_view", "application=%s staff=%s", a.number, who->username);
    snprintf(out, CORE_TCKN_LEN + 1, "%s", a.tckn);
    return APP_OK;
}
