/* eimza — the server's certificate and key for HTTPS, reloadable. See tls.h.
 *
 * GnuTLS gives libmicrohttpd a certificate through gnutls_certificate_retrieve_function2: on
 * every handshake MHD's credentials ask our callback, which answers with the set loaded last.
 * A set is the chain as GnuTLS's pcert structures plus the private key; the callback takes the
 * current one under a mutex, and a set once handed out is never freed before the server has
 * stopped (a handshake may hold it across a reload). */
#include "web/http/tls.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#define WEB_TLS_CHAIN_MAX 8          /* certificates in the chain file */
#define WEB_TLS_FILE_MAX  (1L << 20) /* bytes of a PEM file */

struct web_tls_cred {
    gnutls_pcert_st pcert[WEB_TLS_CHAIN_MAX];
    unsigned n;
    gnutls_privkey_t key;
    struct web_tls_cred *older; /* the sets loaded before, kept until web_tls_free */
};

/* What a file was when it was last read: a change of any of these is a new file. */
struct web_tls_stamp {
    bool present;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
};

struct web_tls {
    char cert_file[1024], key_file[1024], priorities[256];
    struct web_tls_stamp cert_seen, key_seen;
    pthread_mutex_t mu;
    struct web_tls_cred *current; /* under mu */
};

/* The one open object, for the callback (GnuTLS gives it no argument of ours). */
static pthread_mutex_t web_tls_global_mu = PTHREAD_MUTEX_INITIALIZER;
static struct web_tls *web_tls_global;

static void web_tls_cred_free(struct web_tls_cred *c)
{
    while (c) {
        struct web_tls_cred *older = c->older;
        for (unsigned i = 0; i < c->n; i++)
            gnutls_pcert_deinit(&c->pcert[i]);
        if (c->key)
            gnutls_privkey_deinit(c->key);
        free(c);
        c = older;
    }
}

/* The file at path as it is now (present false when it cannot be looked at). */
static void web_tls_stamp_of(const char *path, struct web_tls_stamp *out)
{
    struct stat st;
    memset(out, 0, sizeof *out);
    if (stat(path, &st) != 0)
        return;
    out->present = true;
    out->dev = st.st_dev;
    out->ino = st.st_ino;
    out->size = st.st_size;
    out->mtime = st.st_mtim;
}

static bool web_tls_stamp_eq(const struct web_tls_stamp *a, const struct web_tls_stamp *b)
{
    return a->present == b->present && a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

/* Reads a whole file of at most WEB_TLS_FILE_MAX bytes into *out (gnutls_free'd by the
 * caller through web_tls_datum_wipe). 0, or -1 with the reason in err. */
static int web_tls_read(const char *path, const char *what, gnutls_datum_t *out, char *err,
                        size_t errlen)
{
    struct stat st;
    int rc = -1, fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    out->data = NULL;
    out->size = 0;
    if (fd < 0) {
        snprintf(err, errlen, "%s %s: %s", what, path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
        st.st_size > WEB_TLS_FILE_MAX) {
        snprintf(err, errlen, "%s %s: not a regular file of 1 byte to 1 MiB", what, path);
        goto out;
    }
    out->data = gnutls_malloc((size_t)st.st_size + 1);
    if (!out->data) {
        snprintf(err, errlen, "%s: out of memory", what);
        goto out;
    }
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, out->data + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    if (got != (size_t)st.st_size) {
        snprintf(err, errlen, "%s %s: read error", what, path);
        goto out;
    }
    out->data[got] = '\0';
    out->size = (unsigned)got;
    rc = 0;
out:
    close(fd);
    if (rc < 0 && out->data) {
        gnutls_free(out->data);
        out->data = NULL;
    }
    return rc;
}

static void web_tls_datum_wipe(gnutls_datum_t *d)
{
    if (d->data) {
        gnutls_memset(d->data, 0, d->size);
        gnutls_free(d->data);
    }
    d->data = NULL;
    d->size = 0;
}

/* The leaf's subject, serial and end, for the log. */
static void web_tls_describe(const struct web_tls_cred *c, struct web_tls_info *info)
{
    gnutls_x509_crt_t crt = NULL;
    gnutls_datum_t dn = {NULL, 0};
    unsigned char serial[40];
    size_t slen = sizeof serial;
    memset(info, 0, sizeof *info);
    info->chain = c->n;
    if (gnutls_x509_crt_init(&crt) < 0)
        return;
    if (gnutls_x509_crt_import(crt, &c->pcert[0].cert, GNUTLS_X509_FMT_DER) == 0) {
        if (gnutls_x509_crt_get_dn3(crt, &dn, 0) == 0)
            snprintf(info->subject, sizeof info->subject, "%.*s", (int)dn.size, dn.data);
        if (gnutls_x509_crt_get_serial(crt, serial, &slen) == 0)
            for (size_t i = 0; i < slen && 2 * i + 2 < sizeof info->serial; i++)
                snprintf(info->serial + 2 * i, 3, "%02x", serial[i]);
        info->not_after = (int64_t)gnutls_x509_crt_get_expiration_time(crt);
    }
    gnutls_free(dn.data);
    gnutls_x509_crt_deinit(crt);
}

/* Whether key is the private half of the leaf's public key. */
static bool web_tls_key_matches(const struct web_tls_cred *c)
{
    gnutls_pubkey_t pub = NULL;
    unsigned char a[64], b[64];
    size_t alen = sizeof a, blen = sizeof b;
    bool ok = false;
    if (gnutls_pubkey_init(&pub) < 0)
        return false;
    if (gnutls_pubkey_import_privkey(pub, c->key, 0, 0) == 0 &&
        gnutls_pubkey_get_key_id(pub, GNUTLS_KEYID_USE_SHA256, a, &alen) == 0 &&
        gnutls_pubkey_get_key_id(c->pcert[0].pubkey, GNUTLS_KEYID_USE_SHA256, b, &blen) == 0)
        ok = alen == blen && memcmp(a, b, alen) == 0;
    gnutls_pubkey_deinit(pub);
    return ok;
}

/* Loads t's files into a new set. Returns it, or NULL with the reason in err. The files'
 * stamps are recorded first, whatever the outcome. */
static struct web_tls_cred *web_tls_load(struct web_tls *t, char *err, size_t errlen)
{
    gnutls_datum_t cert = {NULL, 0}, key = {NULL, 0};
    struct web_tls_cred *c = calloc(1, sizeof *c);
    bool ok = false;
    int r;
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    web_tls_stamp_of(t->cert_file, &t->cert_seen);
    web_tls_stamp_of(t->key_file, &t->key_seen);
    if (web_tls_read(t->cert_file, "tls_cert", &cert, err, errlen) < 0 ||
        web_tls_read(t->key_file, "tls_key", &key, err, errlen) < 0)
        goto out;
    c->n = WEB_TLS_CHAIN_MAX;
    r = gnutls_pcert_list_import_x509_raw(c->pcert, &c->n, &cert, GNUTLS_X509_FMT_PEM,
                                          GNUTLS_X509_CRT_LIST_FAIL_IF_UNSORTED);
    if (r < 0 || c->n == 0) {
        c->n = 0;
        snprintf(err, errlen,
                 "tls_cert %s: no chain of PEM certificates, leaf first, at most %d (%s)",
                 t->cert_file, WEB_TLS_CHAIN_MAX, r < 0 ? gnutls_strerror(r) : "none found");
        goto out;
    }
    if ((r = gnutls_privkey_init(&c->key)) < 0 ||
        (r = gnutls_privkey_import_x509_raw(c->key, &key, GNUTLS_X509_FMT_PEM, NULL, 0)) < 0) {
        snprintf(err, errlen, "tls_key %s: not an unencrypted PEM private key (%s)", t->key_file,
                 gnutls_strerror(r));
        goto out;
    }
    if (!web_tls_key_matches(c)) {
        snprintf(err, errlen, "tls_key %s is not the key of the certificate in tls_cert %s",
                 t->key_file, t->cert_file);
        goto out;
    }
    ok = true;
out:
    web_tls_datum_wipe(&cert);
    web_tls_datum_wipe(&key);
    if (!ok) {
        web_tls_cred_free(c);
        c = NULL;
    }
    return c;
}

/* gnutls_certificate_retrieve_function2: the set in use now. */
static int web_tls_retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_rdn, int nreqs,
                            const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
                            gnutls_pcert_st **pcert, unsigned int *pcert_length,
                            gnutls_privkey_t *privkey)
{
    struct web_tls_cred *c = NULL;
    (void)session;
    (void)req_ca_rdn;
    (void)nreqs;
    (void)pk_algos;
    (void)pk_algos_length;
    pthread_mutex_lock(&web_tls_global_mu);
    struct web_tls *t = web_tls_global;
    if (t) {
        pthread_mutex_lock(&t->mu);
        c = t->current;
        pthread_mutex_unlock(&t->mu);
    }
    pthread_mutex_unlock(&web_tls_global_mu);
    if (!c)
        return -1;
    *pcert = c->pcert;
    *pcert_length = c->n;
    *privkey = c->key;
    return 0;
}

void *web_tls_callback(void)
{
    /* MHD takes the function through its options' pointer slot */
    return (void *)web_tls_retrieve;
}

const char *web_tls_priorities(const struct web_tls *t)
{
    return t->priorities;
}

struct web_tls *web_tls_open(const char *cert_file, const char *key_file, const char *priorities,
                             struct web_tls_info *info, char *err, size_t errlen)
{
    struct web_tls *t = NULL;
    gnutls_priority_t prio = NULL;
    const char *where = NULL;
    int r;
    if (!cert_file || !*cert_file || !key_file || !*key_file) {
        snprintf(err, errlen, "HTTPS needs both tls_cert and tls_key");
        return NULL;
    }
    if (strlen(cert_file) >= sizeof t->cert_file || strlen(key_file) >= sizeof t->key_file ||
        strlen(priorities) >= sizeof t->priorities) {
        snprintf(err, errlen, "tls_cert, tls_key or tls_priorities is too long");
        return NULL;
    }
    if ((r = gnutls_priority_init(&prio, priorities, &where)) < 0) {
        snprintf(err, errlen, "tls_priorities '%s': %s (at '%.40s')", priorities,
                 gnutls_strerror(r), where ? where : "");
        return NULL;
    }
    gnutls_priority_deinit(prio);
    t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    snprintf(t->cert_file, sizeof t->cert_file, "%s", cert_file);
    snprintf(t->key_file, sizeof t->key_file, "%s", key_file);
    snprintf(t->priorities, sizeof t->priorities, "%s", priorities);
    pthread_mutex_init(&t->mu, NULL);
    t->current = web_tls_load(t, err, errlen);
    if (!t->current)
        goto fail;
    pthread_mutex_lock(&web_tls_global_mu);
    bool taken = web_tls_global != NULL;
    if (!taken)
        web_tls_global = t;
    pthread_mutex_unlock(&web_tls_global_mu);
    if (taken) {
        snprintf(err, errlen, "HTTPS is already served by this process");
        goto fail;
    }
    if (info)
        web_tls_describe(t->current, info);
    return t;
fail:
    web_tls_cred_free(t->current);
    pthread_mutex_destroy(&t->mu);
    free(t);
    return NULL;
}

int web_tls_reload(struct web_tls *t, bool only_if_changed, struct web_tls_info *info, char *err,
                   size_t errlen)
{
    if (only_if_changed) {
        struct web_tls_stamp sc, sk;
        web_tls_stamp_of(t->cert_file, &sc);
        web_tls_stamp_of(t->key_file, &sk);
        if (web_tls_stamp_eq(&sc, &t->cert_seen) && web_tls_stamp_eq(&sk, &t->key_seen))
            return 0;
    }
    struct web_tls_cred *c = web_tls_load(t, err, errlen);
    if (!c)
        return -1;
    pthread_mutex_lock(&t->mu);
    c->older = t->current;
    t->current = c;
    pthread_mutex_unlock(&t->mu);
    if (info)
        web_tls_describe(c, info);
    return 1;
}

void web_tls_free(struct web_tls *t)
{
    if (!t)
        return;
    pthread_mutex_lock(&web_tls_global_mu);
    if (web_tls_global == t)
        web_tls_global = NULL;
    pthread_mutex_unlock(&web_tls_global_mu);
    web_tls_cred_free(t->current);
    pthread_mutex_destroy(&t->mu);
    free(t);
}
