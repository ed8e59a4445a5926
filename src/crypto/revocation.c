/* eimza — revocation status by OCSP, then CRL (OpenSSL + libcurl). See revocation.h.
 *
 * The order inside one check: a cached OCSP answer still current at `now`; each OCSP URL of
 * the AIA; a cached CRL still current; each CRL distribution point URL. An OCSP "unknown" or
 * a refused, stale or unverifiable response falls through to the CRL; what every step said
 * is summed up in the answer's detail when nothing answered. No lock is held during network
 * I/O: two threads missing the cache at once both fetch, and the later answer is kept.
 */
#include "crypto/revocation.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "crypto/trust.h"

#define REVOC_TIMEOUT_DEFAULT 3000
#define REVOC_OCSP_MAX        (1u << 20)  /* an OCSP response larger than this is refused */
#define REVOC_CRL_MAX         (64u << 20) /* Kamu SM's CRLs are large, but not this large */
#define REVOC_SKEW            300         /* seconds of clock difference tolerated */
#define REVOC_BUCKETS         1024
#define REVOC_MAX_ENTRIES     4096

enum rkind { RK_OCSP = 1, RK_CRL };

struct rentry {
    unsigned char key[32]; /* SHA-256 of the certificate (OCSP) or of the URL (CRL) */
    enum rkind kind;
    /* OCSP */
    enum crypto_revoc_status status;
    int64_t this_update, next_update, revoked_at;
    unsigned char *der;
    size_t len;
    char url[256];
    /* CRL */
    X509_CRL *crl;
    struct rentry *next;
};

struct crypto_revoc {
    /* the store's certificates and verification settings, taken once (it is read-only): an
     * OCSP responder's chain is checked in a store made of them per response, at `now` */
    STACK_OF(X509) * certs;
    X509_VERIFY_PARAM *param;
    long timeout_ms;
    pthread_mutex_t lock;
    struct rentry *buckets[REVOC_BUCKETS];
    size_t count;
};

/* Copies the certificates and the verification settings of store into rv (under the store's
 * lock: OpenSSL sorts its object list during lookups). 0, or -1 when memory runs out. */
static int snapshot_store(struct crypto_revoc *rv, X509_STORE *store)
{
    int rc = -1;
    if (!(rv->certs = sk_X509_new_null()) || !(rv->param = X509_VERIFY_PARAM_new()) ||
        !X509_VERIFY_PARAM_set1(rv->param, X509_STORE_get0_param(store)))
        return -1;
    if (!X509_STORE_lock(store))
        return -1;
    STACK_OF(X509_OBJECT) *objs = X509_STORE_get0_objects(store);
    for (int i = 0; i < sk_X509_OBJECT_num(objs); i++) {
        X509 *x = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objs, i));
        if (!x)
            continue; /* a CRL: the trust directories hold none (trust.c) */
        if (!sk_X509_push(rv->certs, x))
            goto out;
        X509_up_ref(x);
    }
    rc = 0;
out:
    X509_STORE_unlock(store);
    return rc;
}

/* A store of the snapshot's certificates that judges validity at now (the caller frees it). */
static X509_STORE *store_at(const struct crypto_revoc *rv, int64_t now)
{
    X509_STORE *s = X509_STORE_new();
    if (!s || !X509_STORE_set1_param(s, rv->param))
        goto fail;
    X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(s), (time_t)now);
    for (int i = 0; i < sk_X509_num(rv->certs); i++)
        if (!X509_STORE_add_cert(s, sk_X509_value(rv->certs, i)))
            goto fail;
    return s;
fail:
    X509_STORE_free(s);
    return NULL;
}

int crypto_revoc_new(X509_STORE *store, long timeout_ms, struct crypto_revoc **out)
{
    struct crypto_revoc *rv = calloc(1, sizeof *rv);
    *out = NULL;
    if (!rv)
        return -1;
    if (pthread_mutex_init(&rv->lock, NULL)) {
        free(rv);
        return -1;
    }
    rv->timeout_ms = timeout_ms > 0 ? timeout_ms : REVOC_TIMEOUT_DEFAULT;
    if (snapshot_store(rv, store)) {
        crypto_revoc_free(rv);
        return -1;
    }
    *out = rv;
    return 0;
}

static void rentry_free(struct rentry *e)
{
    if (!e)
        return;
    free(e->der);
    X509_CRL_free(e->crl);
    free(e);
}

static void flush_locked(struct crypto_revoc *rv)
{
    for (size_t i = 0; i < REVOC_BUCKETS; i++) {
        for (struct rentry *e = rv->buckets[i], *next; e; e = next) {
            next = e->next;
            rentry_free(e);
        }
        rv->buckets[i] = NULL;
    }
    rv->count = 0;
}

void crypto_revoc_free(struct crypto_revoc *rv)
{
    if (!rv)
        return;
    flush_locked(rv);
    sk_X509_pop_free(rv->certs, X509_free);
    X509_VERIFY_PARAM_free(rv->param);
    pthread_mutex_destroy(&rv->lock);
    free(rv);
}

void crypto_revoc_answer_free(struct crypto_revoc_answer *a)
{
    if (!a)
        return;
    free(a->ocsp_der);
    a->ocsp_der = NULL;
    a->ocsp_len = 0;
}

static size_t bucket_of(const unsigned char *key)
{
    return ((size_t)key[0] << 8 | key[1]) % REVOC_BUCKETS;
}

static struct rentry **find_locked(struct crypto_revoc *rv, enum rkind kind,
                                   const unsigned char *key)
{
    struct rentry **pp = &rv->buckets[bucket_of(key)];
    for (; *pp; pp = &(*pp)->next)
        if ((*pp)->kind == kind && !memcmp((*pp)->key, key, 32))
            return pp;
    return pp;
}

/* Puts e in the cache in place of an older entry with the same key (takes e). */
static void cache_put(struct crypto_revoc *rv, struct rentry *e)
{
    pthread_mutex_lock(&rv->lock);
    struct rentry **pp = find_locked(rv, e->kind, e->key);
    if (*pp) {
        struct rentry *old = *pp;
        e->next = old->next;
        *pp = e;
        rentry_free(old);
    } else {
        if (rv->count >= REVOC_MAX_ENTRIES) {
            flush_locked(rv);
            pp = find_locked(rv, e->kind, e->key);
        }
        e->next = NULL;
        *pp = e;
        rv->count++;
    }
    pthread_mutex_unlock(&rv->lock);
}

/* ---- HTTP ---------------------------------------------------------------------------- */

struct body {
    unsigned char *p;
    size_t len, cap, max;
    bool too_big, nomem;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
    struct body *b = ud;
    size_t n = size * nmemb;
    if (n > b->max - b->len) {
        b->too_big = true;
        return 0;
    }
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        unsigned char *p = realloc(b->p, cap);
        if (!p) {
            b->nomem = true;
            return 0;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
    return n;
}

/* GET url (or POST body when post is not NULL). Returns 0 with the body in *out (malloc'd),
 * -1 with why in err (network, status, size), -2 on out-of-memory. */
static int http_fetch(const struct crypto_revoc *rv, const char *url, const unsigned char *post,
                      size_t postlen, const char *ctype, size_t max, unsigned char **out,
                      size_t *outlen, char *err, size_t errlen)
{
    int rc = -1;
    struct body b = {.max = max};
    struct curl_slist *hdr = NULL;
    char hbuf[128];
    CURL *c = curl_easy_init();
    if (!c) {
        rc = -2;
        goto out;
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* no SIGALRM: verification runs in threads */
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, rv->timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, rv->timeout_ms);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "eimza/" EIMZA_VERSION);
    if (post) {
        snprintf(hbuf, sizeof hbuf, "Content-Type: %s", ctype);
        if (!(hdr = curl_slist_append(NULL, hbuf))) {
            rc = -2;
            goto out;
        }
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, (const char *)post);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)postlen);
    }
    CURLcode cc = curl_easy_perform(c);
    if (b.nomem) {
        rc = -2;
        goto out;
    }
    if (b.too_big) {
        snprintf(err, errlen, "%s: response larger than %zu bytes", url, max);
        goto out;
    }
    if (cc != CURLE_OK) {
        snprintf(err, errlen, "%s: %s", url, curl_easy_strerror(cc));
        goto out;
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) {
        snprintf(err, errlen, "%s: HTTP status %ld", url, status);
        goto out;
    }
    *out = b.p;
    *outlen = b.len;
    b.p = NULL;
    rc = 0;
out:
    free(b.p);
    curl_slist_free_all(hdr);
    curl_easy_cleanup(c);
    return rc;
}

static bool http_url(const char *u)
{
    return !strncmp(u, "http://", 7) || !strncmp(u, "https://", 8);
}

/* Appends "; note" to detail, cutting what does not fit (it is a log line). */
static void add_note(char *detail, size_t cap, const char *note)
{
    size_t len = strlen(detail), n = strlen(note);
    if (len && len + 2 < cap) {
        memcpy(detail + len, "; ", 2);
        len += 2;
    }
    if (n > cap - 1 - len)
        n = cap - 1 - len;
    memcpy(detail + len, note, n);
    detail[len + n] = '\0';
}

/* ---- OCSP ---------------------------------------------------------------------------- */

/* Asks one responder. Returns 1 with *a filled (GOOD or REVOKED; the entry to cache in *ce
 * when the answer has a nextUpdate), 0 when it gave no usable answer (note in a->detail),
 * -1 on out-of-memory. */
static int ocsp_ask(struct crypto_revoc *rv, const char *url, X509 *cert, const unsigned char *sha,
                    X509 *issuer, int64_t now, struct crypto_revoc_answer *a, struct rentry **ce)
{
    int rc = -1, st, reason = -1;
    OCSP_CERTID *id = NULL, *id2 = NULL;
    OCSP_REQUEST *req = NULL;
    OCSP_RESPONSE *resp = NULL;
    OCSP_BASICRESP *bs = NULL;
    STACK_OF(X509) *issuers = NULL;
    X509_STORE *at = NULL;
    unsigned char *reqder = NULL, *body = NULL;
    size_t bodylen = 0;
    char note[300];
    ASN1_GENERALIZEDTIME *rev = NULL, *thisupd = NULL, *nextupd = NULL;
    int64_t tu = 0, nu = 0, ra = 0;

    if (!(id = OCSP_cert_to_id(NULL, cert, issuer)) || !(id2 = OCSP_CERTID_dup(id)) ||
        !(req = OCSP_REQUEST_new()) || !OCSP_request_add0_id(req, id2))
        goto out;
    id2 = NULL; /* now the request's */
    int reqlen = i2d_OCSP_REQUEST(req, &reqder);
    if (reqlen <= 0)
        goto out;
    int hr = http_fetch(rv, url, reqder, (size_t)reqlen, "application/ocsp-request", REVOC_OCSP_MAX,
                        &body, &bodylen, note, sizeof note);
    if (hr == -2)
        goto out;
    rc = 0;
    if (hr) {
        add_note(a->detail, sizeof a->detail, note);
        goto out;
    }
    const unsigned char *p = body;
    if (!(resp = d2i_OCSP_RESPONSE(NULL, &p, (long)bodylen)) || p != body + bodylen) {
        snprintf(note, sizeof note, "%s: not an OCSP response", url);
        add_note(a->detail, sizeof a->detail, note);
        goto out;
    }
    if ((st = OCSP_response_status(resp)) != OCSP_RESPONSE_STATUS_SUCCESSFUL ||
        !(bs = OCSP_response_get1_basic(resp))) {
        snprintf(note, sizeof note, "%s: OCSP response status %s", url,
                 OCSP_response_status_str(st));
        add_note(a->detail, sizeof a->detail, note);
        goto out;
    }
    /* The issuer itself may sign; a delegated responder must be certified by the issuer for
     * OCSP signing (OCSP_basic_verify checks both, the signature, and the responder's chain to
     * the trust store). The chain is judged at `now`, not by the real clock: OpenSSL takes
     * the time from the store's settings, and the shared store must not change, so a store
     * of the same certificates with the time set is made for this response. */
    if (!(issuers = sk_X509_new_null()) || !sk_X509_push(issuers, issuer) ||
        !(at = store_at(rv, now)))
        goto out_nomem;
    if (OCSP_basic_verify(bs, issuers, at, 0) <= 0) {
        snprintf(note, sizeof note, "%s: OCSP response signature not trusted", url);
        add_note(a->detail, sizeof a->detail, note);
        goto out;
    }
    if (!OCSP_resp_find_status(bs, id, &st, &reason, &rev, &thisupd, &nextupd)) {
        snprintf(note, sizeof note, "%s: OCSP response does not name the certificate", url);
        add_note(a->detail, sizeof a->detail, note);
        goto out;
    }
    if (crypto_asn1_time_unix(thisupd, &tu) || (nextupd && crypto_asn1_time_unix(nextupd, &nu)) ||
        tu > now + REVOC_SKEW || (nextupd && nu < now - REVOC_SKEW)) {
        snprintf(note, sizeof note, "%s: OCSP response not current", url);
        add_note(a->detail, sizeof a->detail, note);
        goto out;
    }
    if (st == V_OCSP_CERTSTATUS_UNKNOWN) {
        snprintf(note, sizeof note, "%s: OCSP status unknown", url);
        add_note(a->detail, sizeof a->detail, note);
        goto out;
    }
    if (st == V_OCSP_CERTSTATUS_REVOKED && (!rev || crypto_asn1_time_unix(rev, &ra)))
        ra = tu;
    a->status = st == V_OCSP_CERTSTATUS_GOOD ? CRYPTO_REVOC_GOOD : CRYPTO_REVOC_REVOKED;
    a->source = "ocsp";
    a->this_update = tu;
    a->next_update = nu;
    a->revoked_at = a->status == CRYPTO_REVOC_REVOKED ? ra : 0;
    snprintf(a->url, sizeof a->url, "%s", url);
    if (nu) {
        struct rentry *e = calloc(1, sizeof *e);
        if (!e || !(e->der = malloc(bodylen))) {
            free(e);
            goto out_nomem;
        }
        memcpy(e->key, sha, 32);
        e->kind = RK_OCSP;
        e->status = a->status;
        e->this_update = tu;
        e->next_update = nu;
        e->revoked_at = a->revoked_at;
        memcpy(e->der, body, bodylen);
        e->len = bodylen;
        snprintf(e->url, sizeof e->url, "%s", url);
        *ce = e;
    }
    a->ocsp_der = body;
    a->ocsp_len = bodylen;
    body = NULL;
    rc = 1;
    goto out;
out_nomem:
    rc = -1;
out:
    ERR_clear_error();
    X509_STORE_free(at);
    sk_X509_free(issuers);
    OCSP_BASICRESP_free(bs);
    OCSP_RESPONSE_free(resp);
    OPENSSL_free(reqder);
    free(body);
    OCSP_REQUEST_free(req);
    OCSP_CERTID_free(id2);
    OCSP_CERTID_free(id);
    return rc;
}

/* A cached OCSP answer still current at now: 1 (copied into *a), 0 none, -1 no memory. */
static int ocsp_cached(struct crypto_revoc *rv, const unsigned char *sha, int64_t now,
                       struct crypto_revoc_answer *a)
{
    int rc = 0;
    pthread_mutex_lock(&rv->lock);
    struct rentry *e = *find_locked(rv, RK_OCSP, sha);
    if (e && now < e->next_update && e->this_update <= now + REVOC_SKEW) {
        rc = -1;
        if (!(a->ocsp_der = malloc(e->len)))
            goto out;
        memcpy(a->ocsp_der, e->der, e->len);
        a->ocsp_len = e->len;
        a->status = e->status;
        a->source = "ocsp";
        a->cached = true;
        a->this_update = e->this_update;
        a->next_update = e->next_update;
        a->revoked_at = e->revoked_at;
        memcpy(a->url, e->url, sizeof a->url);
        rc = 1;
    }
out:
    pthread_mutex_unlock(&rv->lock);
    return rc;
}

/* ---- CRL ----------------------------------------------------------------------------- */

/* The CRL of url: cached if still current at now, else fetched and checked against issuer
 * (name, signature, dates). Returns 1 with *out (a reference), 0 when none is usable (note
 * added), -1 on out-of-memory. */
static int crl_get(struct crypto_revoc *rv, const char *url, X509 *cert, X509 *issuer, int64_t now,
                   X509_CRL **out, bool *cached, struct crypto_revoc_answer *a)
{
    int rc = -1;
    unsigned char key[32], *body = NULL;
    size_t bodylen = 0;
    char note[300];
    X509_CRL *crl = NULL;
    int64_t tu = 0, nu = 0;
    *out = NULL;
    *cached = false;
    if (!EVP_Digest(url, strlen(url), key, NULL, EVP_sha256(), NULL))
        return -1;
    pthread_mutex_lock(&rv->lock);
    struct rentry *e = *find_locked(rv, RK_CRL, key);
    if (e && now < e->next_update && e->this_update <= now + REVOC_SKEW &&
        X509_CRL_up_ref(e->crl)) {
        crl = e->crl;
        tu = e->this_update;
        nu = e->next_update;
    }
    pthread_mutex_unlock(&rv->lock);
    if (crl) {
        *out = crl;
        *cached = true;
        return 1;
    }
    int hr = http_fetch(rv, url, NULL, 0, NULL, REVOC_CRL_MAX, &body, &bodylen, note, sizeof note);
    if (hr == -2)
        goto out;
    rc = 0;
    if (hr) {
        add_note(a->detail, sizeof a->detail, note);
        goto out;
    }
    const unsigned char *p = body;
    const char *bad = NULL;
    EVP_PKEY *ikey = X509_get0_pubkey(issuer);
    if (!(crl = d2i_X509_CRL(NULL, &p, (long)bodylen)) || p != body + bodylen)
        bad = "not a DER CRL";
    else if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_issuer_name(cert)))
        bad = "CRL of another issuer";
    else if (!ikey || X509_CRL_verify(crl, ikey) != 1)
        bad = "CRL signature does not verify";
    else if (crypto_asn1_time_unix(X509_CRL_get0_lastUpdate(crl), &tu) ||
             (X509_CRL_get0_nextUpdate(crl) &&
              crypto_asn1_time_unix(X509_CRL_get0_nextUpdate(crl), &nu)) ||
             tu > now + REVOC_SKEW || (nu && nu < now - REVOC_SKEW))
        bad = "CRL not current";
    if (bad) {
        snprintf(note, sizeof note, "%s: %s", url, bad);
        add_note(a->detail, sizeof a->detail, note);
        goto out;
    }
    if (nu) {
        struct rentry *ne = calloc(1, sizeof *ne);
        if (!ne || !X509_CRL_up_ref(crl)) {
            free(ne);
            rc = -1;
            goto out;
        }
        memcpy(ne->key, key, 32);
        ne->kind = RK_CRL;
        ne->crl = crl;
        ne->this_update = tu;
        ne->next_update = nu;
        cache_put(rv, ne);
    }
    *out = crl;
    crl = NULL;
    rc = 1;
out:
    ERR_clear_error();
    X509_CRL_free(crl);
    free(body);
    return rc;
}

/* Tries the CRL distribution points. Same returns as ocsp_ask. */
static int crl_check(struct crypto_revoc *rv, X509 *cert, X509 *issuer, int64_t now,
                     struct crypto_revoc_answer *a)
{
    int rc = 0;
    STACK_OF(DIST_POINT) *dps = X509_get_ext_d2i(cert, NID_crl_distribution_points, NULL, NULL);
    if (!dps) {
        add_note(a->detail, sizeof a->detail, "no CRL distribution point");
        return 0;
    }
    for (int i = 0; rc == 0 && i < sk_DIST_POINT_num(dps); i++) {
        DIST_POINT *dp = sk_DIST_POINT_value(dps, i);
        if (!dp->distpoint || dp->distpoint->type != 0 || dp->CRLissuer)
            continue; /* relative names and indirect CRLs: not supported */
        GENERAL_NAMES *gns = dp->distpoint->name.fullname;
        for (int j = 0; rc == 0 && j < sk_GENERAL_NAME_num(gns); j++) {
            GENERAL_NAME *gn = sk_GENERAL_NAME_value(gns, j);
            char url[256];
            if (gn->type != GEN_URI)
                continue;
            const ASN1_IA5STRING *u = gn->d.uniformResourceIdentifier;
            int ulen = ASN1_STRING_length(u);
            if (ulen <= 0 || (size_t)ulen >= sizeof url)
                continue;
            memcpy(url, ASN1_STRING_get0_data(u), (size_t)ulen);
            url[ulen] = '\0';
            if (strlen(url) != (size_t)ulen || !http_url(url))
                continue;
            X509_CRL *crl = NULL;
            bool cached = false;
            if ((rc = crl_get(rv, url, cert, issuer, now, &crl, &cached, a)) != 1)
                continue;
            X509_REVOKED *r = NULL;
            a->source = "crl";
            a->cached = cached;
            crypto_asn1_time_unix(X509_CRL_get0_lastUpdate(crl), &a->this_update);
            a->next_update = 0;
            if (X509_CRL_get0_nextUpdate(crl))
                crypto_asn1_time_unix(X509_CRL_get0_nextUpdate(crl), &a->next_update);
            snprintf(a->url, sizeof a->url, "%s", url);
            if (X509_CRL_get0_by_cert(crl, &r, cert) == 1) {
                a->status = CRYPTO_REVOC_REVOKED;
                if (crypto_asn1_time_unix(X509_REVOKED_get0_revocationDate(r), &a->revoked_at))
                    a->revoked_at = a->this_update;
            } else {
                a->status = CRYPTO_REVOC_GOOD;
            }
            X509_CRL_free(crl);
        }
    }
    sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
    ERR_clear_error();
    return rc;
}

int crypto_revoc_check(struct crypto_revoc *rv, X509 *cert, const unsigned char sha256[32],
                       X509 *issuer, int64_t now, struct crypto_revoc_answer *a)
{
    int rc;
    memset(a, 0, sizeof *a);
    a->status = CRYPTO_REVOC_UNKNOWN;
    a->source = "none";
    if ((rc = ocsp_cached(rv, sha256, now, a)) != 0)
        return rc < 0 ? -1 : 0;
    STACK_OF(OPENSSL_STRING) *urls = X509_get1_ocsp(cert);
    rc = 0;
    for (int i = 0; rc == 0 && i < sk_OPENSSL_STRING_num(urls); i++) {
        const char *url = sk_OPENSSL_STRING_value(urls, i);
        struct rentry *ce = NULL;
        if (!http_url(url) || strlen(url) >= sizeof a->url)
            continue;
        if ((rc = ocsp_ask(rv, url, cert, sha256, issuer, now, a, &ce)) == 1 && ce)
            cache_put(rv, ce);
    }
    if (!urls)
        add_note(a->detail, sizeof a->detail, "no OCSP URL");
    X509_email_free(urls); /* frees a string stack, despite its name */
    if (rc == 0)
        rc = crl_check(rv, cert, issuer, now, a);
    if (rc < 0) {
        crypto_revoc_answer_free(a);
        return -1;
    }
    return 0;
}
