/* eimza — importing certificates and CRLs (app/: the use case behind `eimza import
 * certificates`).
 *
 * Each file may hold PEM (any number of certificates and CRLs) or DER (a certificate or a CRL).
 * Certificates are stored by fingerprint, so importing a file again changes nothing. eimza
 * tracks the personal certificates of staff: a certificate whose subject serialNumber holds no
 * valid T.C. Kimlik No is refused ("no_tckn"), and CA certificates are skipped (trust anchors
 * are configured separately, not imported). CRLs mark the certificates they list revoked;
 * serials eimza does not know are counted, not errors.
 *
 * A new certificate of a holder whose newest application is approved or later (and that it
 * is newer than the certificate the application renews) completes that application in the
 * certificate's own transaction (app/card_flow.h): linked to it and its card, the state
 * completed, the holder told; the older certificate is then superseded.
 *
 * Files are independent: a file that cannot be read or an object that is refused is reported
 * and the import goes on with the rest. Each certificate and each revocation is its own
 * transaction, so what was stored before a database failure stays stored (running the import
 * again is harmless). One audit entry records the counts.
 *
 * Reason codes reported: "file_unreadable" (the file cannot be opened or read, or is larger
 * than APP_CERTS_MAX_FILE), "not_certificate" (a block or file that is not a certificate or
 * CRL), "certificate_malformed" (one that does not decode, or whose names do not fit),
 * "no_tckn", "certificate_conflict" (another certificate with the same issuer and serial is
 * already stored).
 */
#ifndef EIMZA_APP_IMPORT_CERTS_H
#define EIMZA_APP_IMPORT_CERTS_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define APP_CERTS_MAX_FILE (256u * 1024 * 1024) /* a national CRL can be tens of MB */

/* What the caller is told while the import runs; any hook may be NULL; the strings are valid
 * only during the call and hold no personal data (no T.C. Kimlik No, no names). */
struct app_certs_hooks {
    void *ctx;
    /* A refused object (index: its 1-based position in the file), or a whole file (index 0).
     * detail is a short English note. */
    void (*reject)(void *ctx, const char *file, unsigned index, const char *code,
                   const char *detail);
    /* A CA certificate that was skipped. */
    void (*skipped)(void *ctx, const char *file, unsigned index, const char *detail);
};

enum app_certs_status {
    APP_CERTS_OK = 0,  /* every object imported (or already known) */
    APP_CERTS_PARTIAL, /* some objects refused; the others imported */
    APP_CERTS_EFILE,   /* some file could not be read; the others imported */
    APP_CERTS_ESTORE,  /* the database failed; the import stopped there */
    APP_CERTS_EAUDIT,  /* imported, but writing the audit entry failed */
    APP_CERTS_ENOMEM,
};

struct app_certs_result {
    long files_failed;    /* files that could not be read */
    long certificates;    /* certificates read (all that decoded, whatever became of them) */
    long inserted;        /* stored now */
    long known;           /* already stored before */
    long no_tckn;         /* refused: no valid T.C. Kimlik No */
    long ca_skipped;      /* CA certificates skipped */
    long rejected;        /* objects refused for any reason (no_tckn included) */
    long crls;            /* CRLs read */
    long revoked;         /* revocations applied now */
    long already_revoked; /* listed certificates that were already marked revoked */
    long unknown_serials; /* listed serials of certificates eimza does not know */
    long completed;       /* applications the new certificates completed (app/card_flow.h) */
    char detail[512];     /* on ESTORE/EAUDIT/ENOMEM: what went wrong (English) */
};

/* Imports files[0..nfiles) into s (whose schema is current). All certificates of all files
 * are stored before any CRL is applied, so the order of the files does not matter. actor is
 * the audit actor ("cli"); now (Unix seconds) the audit entry's time. Fills *res always. */
enum app_certs_status app_import_certificates(struct store *s, const char *const *files,
                                              size_t nfiles, const char *actor, int64_t now,
                                              const struct app_certs_hooks *hooks,
                                              struct app_certs_result *res);

#endif
