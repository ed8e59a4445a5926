/* eimza — what eimza knows of an X.509 certificate (core/: pure data; parsing is crypto/). */
#ifndef EIMZA_CORE_CERTIFICATE_H
#define EIMZA_CORE_CERTIFICATE_H

#include <stdint.h>

#include "core/tckn.h"

#define CORE_FPR_LEN      64  /* SHA-256 of the DER, lower-case hex */
#define CORE_SERIAL_MAX   130 /* up to 64 bytes of serial as upper-case hex, + NUL */
#define CORE_DN_MAX       512
#define CORE_POLICIES_MAX 512

struct core_certificate {
    char fingerprint[CORE_FPR_LEN + 1];
    char tckn[CORE_TCKN_LEN + 1]; /* from subject serialNumber; "" when none is valid */
    char subject_name[256];       /* subject commonName (UTF-8) */
    char subject[CORE_DN_MAX];    /* subject DN, RFC 2253 order, UTF-8 */
    char serial[CORE_SERIAL_MAX]; /* certificate serial number, upper-case hex */
    char issuer[CORE_DN_MAX];     /* issuer DN, RFC 2253, UTF-8 */
    int64_t not_before;           /* Unix seconds */
    int64_t not_after;
    char policies[CORE_POLICIES_MAX]; /* certificate policy OIDs, dotted, space-separated */
    int64_t revoked_at;               /* 0 when not known to be revoked */
};

#endif
