/* eimza — the server's own HTTPS (web/http/): the certificate chain and private key eimza serve
 * presents, loaded from PEM files with GnuTLS (the TLS library of Debian's libmicrohttpd) and
 * handed to libmicrohttpd through its certificate callback, so that a new pair can be loaded
 * while the server runs: a renewed certificate is taken by the next handshake, connections
 * already open keep theirs, and a pair that does not load is refused with the old one kept.
 *
 * One web_tls per process (the callback has no argument of its own to find it by): the server
 * opens it at start and frees it after its threads have stopped. Every set of credentials
 * loaded stays in memory until then, since a handshake may still be using one that was
 * replaced; a reload costs a few kilobytes, and reloads are an administrator's rare act.
 */
#ifndef EIMZA_WEB_HTTP_TLS_H
#define EIMZA_WEB_HTTP_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct web_tls;

/* What a loaded pair is, for the log and the tests. */
struct web_tls_info {
    char subject[256]; /* the leaf's subject DN */
    char serial[80];   /* the leaf's serial in hex */
    int64_t not_after; /* Unix seconds */
    unsigned chain;    /* certificates in the chain, the leaf included */
};

/* Loads cert_file (the leaf first, then its intermediates; PEM) and key_file (PEM, not
 * encrypted) and checks that the key is the leaf's. priorities is a GnuTLS priority string,
 * checked here. Returns the object, or NULL with the reason in err. Only one may be open at a
 * time (NULL with a reason otherwise). */
struct web_tls *web_tls_open(const char *cert_file, const char *key_file, const char *priorities,
                             struct web_tls_info *info, char *err, size_t errlen);

/* The priority string given to web_tls_open, for MHD_OPTION_HTTPS_PRIORITIES. */
const char *web_tls_priorities(const struct web_tls *t);

/* The callback for MHD_OPTION_HTTPS_CERT_CALLBACK (a gnutls_certificate_retrieve_function2):
 * the current credentials of the open web_tls. */
void *web_tls_callback(void);

/* Loads the files again. With only_if_changed, only when either file's size, modification
 * time or inode differs from the last attempt (the files an administrator replaces are read
 * once per change, whether the attempt worked or not). Returns 1 when a new pair is in use
 * (info describes it), 0 when nothing changed, -1 when the files do not make a good pair
 * (err says why; the pair in use stays). */
int web_tls_reload(struct web_tls *t, bool only_if_changed, struct web_tls_info *info, char *err,
                   size_t errlen);

/* Frees every set of credentials ever loaded. Only after the server's threads have stopped. */
void web_tls_free(struct web_tls *t);

#endif
