/* eimza — the SoftHSM2 side of the ca/ token tests (header-only, static functions): the demo
 * PKI with its in-house CA token (scripts/demo-pki.sh), blank cards (scripts/demo-token.sh
 * --blank), the module's functions for looking at a card independently of ca/, and an HTTP
 * responder in a thread of the test that answers OCSP requests and serves the CRL with the
 * engine (what `eimza serve` will do once the app layer wires it).
 *
 * SoftHSM2 reads its token directory when the module is initialised, so every token a test
 * needs is made before the first ca_open of the process, or between a ca_close and the next
 * ca_open; the module's functions here are only used while no engine is open. */
#ifndef EIMZA_TESTS_CA_TOKEN_H
#define EIMZA_TESTS_CA_TOKEN_H

#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>

#include <p11-kit/pkcs11.h>

#include "ca_test.h"

#define TK_TRANSPORT_PIN    "000000"
#define TK_TRANSPORT_SO_PIN "00000000"

struct tk {
    struct cat_dir d;
    char pki[160];    /* d.path/pki */
    char module[128]; /* libsofthsm2.so */
    char ca_pin[64];
    char ocsp_url[64], crl_url[64];
    int port;
};

/* A TCP port on 127.0.0.1 that was free a moment ago, from 20000-32767 (below the kernel's
 * ephemeral range, as tests/lib.sh's free_port). */
__attribute__((unused)) static int tk_free_port(void)
{
    static unsigned seed;
    if (!seed)
        seed = (unsigned)getpid() ^ (unsigned)time(NULL);
    for (int tries = 0; tries < 200; tries++) {
        int port = 20000 + (int)(rand_r(&seed) % 12768);
        struct sockaddr_in a = {.sin_family = AF_INET,
                                .sin_port = htons((uint16_t)port),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        int s = socket(AF_INET, SOCK_STREAM, 0);
        if (s < 0)
            return -1;
        int ok = !bind(s, (struct sockaddr *)&a, sizeof a);
        close(s);
        if (ok)
            return port;
    }
    return -1;
}

/* The demo PKI in a fresh directory (one holder, the applicant, whose certificate ends 45
 * days from today), SOFTHSM2_CONF pointing at its token directory. 0, -1 on failure, 77
 * when SoftHSM2 or OpenSC is missing. */
__attribute__((unused)) static int tk_setup(struct tk *t)
{
    static const char *const modules[] = {"/usr/lib/softhsm/libsofthsm2.so",
                                          "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                                          "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so"};
    const char *src = getenv("EIMZA_SOURCE_DIR");
    char conf[200];
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < sizeof modules / sizeof modules[0] && !t->module[0]; i++)
        if (access(modules[i], R_OK) == 0)
            snprintf(t->module, sizeof t->module, "%s", modules[i]);
    if (!t->module[0] || system("command -v softhsm2-util pkcs11-tool >/dev/null") != 0)
        return 77;
    if (!src || cat_dir_make(&t->d))
        return -1;
    snprintf(t->pki, sizeof t->pki, "%s/pki", t->d.path);
    if ((t->port = tk_free_port()) < 0)
        return -1;
    snprintf(t->ocsp_url, sizeof t->ocsp_url, "http://127.0.0.1:%d/ocsp", t->port);
    snprintf(t->crl_url, sizeof t->crl_url, "http://127.0.0.1:%d/kurum.crl", t->port);
    static const char spec[] = "10000000146\tapplicant\t45\tTEST KİŞİ\n";
    if (cat_write(&t->d, "spec.tsv", spec, sizeof spec - 1) ||
        cat_sh(&t->d, "EIMZA_PKI_PORT=%d '%s/scripts/demo-pki.sh' pki spec.tsv", t->port, src)) {
        char *out = cat_read(&t->d, "out.txt", NULL);
        fprintf(stderr, "demo-pki.sh failed:\n%s\n", out ? out : "");
        free(out);
        return -1;
    }
    char *pin = cat_read(&t->d, "pki/hsm/ca.pin", NULL);
    if (!pin)
        return -1;
    snprintf(t->ca_pin, sizeof t->ca_pin, "%.*s", (int)strcspn(pin, "\n"), pin);
    free(pin);
    snprintf(conf, sizeof conf, "%s/hsm/softhsm2.conf", t->pki);
    setenv("SOFTHSM2_CONF", conf, 1);
    return 0;
}

/* n new blank cards; their serials into serials[0..n). 0 or -1. */
__attribute__((unused)) static int tk_blank(struct tk *t, int n, char (*serials)[17])
{
    const char *src = getenv("EIMZA_SOURCE_DIR");
    if (cat_sh(&t->d, "'%s/scripts/demo-token.sh' --blank %d pki/hsm", src, n))
        return -1;
    char *out = cat_read(&t->d, "out.txt", NULL), *p = out;
    int k = 0;
    while (p && *p && k < n) {
        size_t len = strcspn(p, "\n");
        if (len == 0 || len > 16)
            break;
        memcpy(serials[k], p, len);
        serials[k][len] = '\0';
        k++;
        p += len + (p[len] == '\n');
    }
    free(out);
    return k == n ? 0 : -1;
}

/* The engine's settings for the demo CA token and this test's responder. */
__attribute__((unused)) static struct ca_config tk_config(const struct tk *t)
{
    struct ca_config c = {
        .ca_module = t->module,
        .ca_token_label = "eimza-demo-ca",
        .ca_key_label = "kurum-nes",
        .ca_pin = t->ca_pin,
        .transport_pin = TK_TRANSPORT_PIN,
        .transport_so_pin = TK_TRANSPORT_SO_PIN,
        .ocsp_url = t->ocsp_url,
        .crl_url = t->crl_url,
    };
    return c;
}

/* ---- the module's functions, independently of ca/ --------------------------------------- */

struct tk_p11 {
    void *dl;
    CK_FUNCTION_LIST *f;
};

__attribute__((unused)) static int tk_p11_open(struct tk_p11 *p, const char *module)
{
    CK_C_GetFunctionList gfl;
    memset(p, 0, sizeof *p);
    if (!(p->dl = dlopen(module, RTLD_NOW)) ||
        !(gfl = (CK_C_GetFunctionList)dlsym(p->dl, "C_GetFunctionList")) || gfl(&p->f) != CKR_OK ||
        p->f->C_Initialize(NULL) != CKR_OK)
        return -1;
    return 0;
}

__attribute__((unused)) static void tk_p11_close(struct tk_p11 *p)
{
    if (p->f)
        p->f->C_Finalize(NULL);
    if (p->dl)
        dlclose(p->dl);
    memset(p, 0, sizeof *p);
}

static void tk_field(char *dst, size_t cap, const CK_UTF8CHAR *src, size_t n)
{
    while (n > 0 && src[n - 1] == ' ')
        n--;
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* The slot of the token with that label, or with that serial (whichever is not NULL). */
__attribute__((unused)) static int tk_p11_slot(struct tk_p11 *p, const char *label,
                                               const char *serial, CK_SLOT_ID *out)
{
    CK_SLOT_ID slots[128];
    CK_ULONG n = 128;
    int found = 0;
    if (p->f->C_GetSlotList(CK_TRUE, slots, &n) != CKR_OK)
        return -1;
    for (CK_ULONG i = 0; i < n; i++) {
        CK_TOKEN_INFO ti;
        char l[33], s[17];
        if (p->f->C_GetTokenInfo(slots[i], &ti) != CKR_OK)
            continue;
        tk_field(l, sizeof l, ti.label, sizeof ti.label);
        tk_field(s, sizeof s, ti.serialNumber, sizeof ti.serialNumber);
        if ((label && strcmp(l, label) == 0) || (serial && strcmp(s, serial) == 0)) {
            *out = slots[i];
            found++;
        }
    }
    return found == 1 ? 0 : -1;
}

/* Every object the session sees, up to cap; the number found. */
__attribute__((unused)) static int tk_p11_objects(struct tk_p11 *p, CK_SESSION_HANDLE s,
                                                  CK_OBJECT_HANDLE *h, int cap)
{
    CK_ULONG n = 0;
    if (p->f->C_FindObjectsInit(s, NULL, 0) != CKR_OK)
        return -1;
    CK_RV rv = p->f->C_FindObjects(s, h, (CK_ULONG)cap, &n);
    p->f->C_FindObjectsFinal(s);
    return rv == CKR_OK ? (int)n : -1;
}

__attribute__((unused)) static CK_RV tk_p11_login(struct tk_p11 *p, CK_SESSION_HANDLE s,
                                                  CK_USER_TYPE who, const char *pin)
{
    return p->f->C_Login(s, who, (CK_UTF8CHAR *)pin, (CK_ULONG)strlen(pin));
}

/* ---- an OCSP and CRL responder over HTTP, in a thread ------------------------------------ */

struct tk_server {
    int fd, port;
    pthread_t th;
    struct ca *ca;
    const struct ca_registry *reg;
    volatile int stop;
    int served;
};

/* Reads one HTTP request (headers and a Content-Length body, 16 KiB at most) from c. */
static int tk_read_request(int c, char *buf, size_t cap, size_t *hlen, size_t *total)
{
    size_t got = 0, need = 0;
    char *end = NULL;
    for (;;) {
        ssize_t n = read(c, buf + got, cap - 1 - got);
        if (n <= 0)
            return -1;
        got += (size_t)n;
        buf[got] = '\0';
        if (!end && (end = strstr(buf, "\r\n\r\n"))) {
            *hlen = (size_t)(end - buf) + 4;
            const char *cl = strcasestr(buf, "\r\nContent-Length:");
            need = *hlen + (cl && cl < end ? (size_t)strtoul(cl + 17, NULL, 10) : 0);
            if (need >= cap)
                return -1;
        }
        if (end && got >= need) {
            *total = need;
            return 0;
        }
        if (got >= cap - 1)
            return -1;
    }
}

static void *tk_serve(void *arg)
{
    struct tk_server *s = arg;
    static char buf[16384];
    while (!s->stop) {
        int c = accept(s->fd, NULL, NULL);
        if (c < 0)
            continue;
        size_t hlen = 0, total = 0;
        unsigned char *der = NULL;
        size_t len = 0;
        struct ca_status st;
        const char *type = "application/ocsp-response";
        if (tk_read_request(c, buf, sizeof buf, &hlen, &total) == 0) {
            if (strncmp(buf, "POST /ocsp ", 11) == 0)
                ca_ocsp(s->ca, s->reg, (unsigned char *)buf + hlen, total - hlen, time(NULL), &der,
                        &len, &st);
            else if (strncmp(buf, "GET /kurum.crl ", 15) == 0 &&
                     ca_crl(s->ca, s->reg, (uint64_t)s->served + 1, time(NULL), &der, &len, &st) ==
                         CA_OK)
                type = "application/pkix-crl";
        }
        char hdr[200];
        int hl = der ? snprintf(hdr, sizeof hdr,
                                "HTTP/1.0 200 OK\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                                "Connection: close\r\n\r\n",
                                type, len)
                     : snprintf(hdr, sizeof hdr,
                                "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n"
                                "Connection: close\r\n\r\n");
        if (write(c, hdr, (size_t)hl) == hl && (!der || write(c, der, len) == (ssize_t)len))
            s->served++;
        shutdown(c, SHUT_WR);
        close(c);
        free(der);
    }
    return NULL;
}

__attribute__((unused)) static int tk_server_start(struct tk_server *s, int port, struct ca *ca,
                                                   const struct ca_registry *reg)
{
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int one = 1;
    memset(s, 0, sizeof *s);
    s->ca = ca;
    s->reg = reg;
    s->port = port;
    if ((s->fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
        setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
        bind(s->fd, (struct sockaddr *)&a, sizeof a) || listen(s->fd, 16) ||
        pthread_create(&s->th, NULL, tk_serve, s)) {
        if (s->fd >= 0)
            close(s->fd);
        s->fd = -1;
        return -1;
    }
    return 0;
}

__attribute__((unused)) static void tk_server_stop(struct tk_server *s)
{
    if (s->fd < 0)
        return;
    s->stop = 1;
    shutdown(s->fd, SHUT_RDWR); /* accept() returns */
    pthread_join(s->th, NULL);
    close(s->fd);
    s->fd = -1;
}

#endif
