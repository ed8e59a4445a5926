/* eimza — verification of a CAdES-BES signature over an application's content (crypto/).
 *
 * A verifier is made once (trust anchors, accepted policies, revocation options) and then
 * verifies any number of signatures, from any number of threads at once. A verification
 * answers with one of the stable codes of docs/INTERFACES.md (core/reason.h has their
 * messages), taken in this order — the first failing step decides:
 *
 *  1. malformed                  not a DER/BER CMS SignedData over id-data, bytes after it,
 *                                more than 32 certificates in it; also (found in step 3) a
 *                                signer certificate whose fields eimza cannot read
 *  2. content_mismatch           attached: the encapsulated content is not exactly `content`;
 *                                detached: the messageDigest attribute is not the digest of
 *                                `content`
 *  3. signature_invalid          not exactly one signer; signed attributes missing or
 *                                repeated (contentType = id-data, messageDigest, and
 *                                signingCertificate or signingCertificateV2 whose first
 *                                certificate hash — and issuer/serial when given — is the
 *                                signer's certificate); the signer's certificate not in the
 *                                CMS; the signature over the signed attributes does not
 *                                verify; attached content whose digest is not messageDigest;
 *                                WEAK ALGORITHMS: an MD5 or SHA-1 digest or signature, a key
 *                                under RSA-2048 / EC-256 (the signer's or any in the chain), a
 *                                certificate signed with MD5/SHA-1, a SHA-1 ESS v2 hash. (The
 *                                ESS v1 signingCertificate attribute is SHA-1 by definition and
 *                                is accepted as an identifier.) RSASSA-PSS is not supported.
 *  4. chain_untrusted            no chain from the signer's certificate to a trust anchor
 *                                (intermediates from the CMS or the trust directories), or a
 *                                CA certificate of the chain outside its validity at `now`
 *  5. certificate_expired, certificate_not_yet_valid   the signer's certificate at `now`
 *  6. not_qualified              no accepted certificate policy, or QC statement
 *                                0.4.0.1862.1.1 or 2.16.792.1.61.0.1.5070.1.1 missing
 *  7. key_usage                  no keyUsage extension with nonRepudiation
 *  8. tckn_mismatch              the subject serialNumber is not expected_tckn
 *  9. certificate_revoked, revocation_unknown   OCSP (AIA), then CRL (distribution point);
 *                                unknown is accepted only with allow_unknown_revocation
 *
 * No extended key usage is required (OpenSSL's CMS_verify would demand e-mail protection);
 * the qualified profile is what steps 6-7 check. Revocation is checked for the signer's
 * certificate only. Decoded certificates and built chains are cached inside the verifier
 * (chains only on success; dates are checked against `now` on every call).
 */
#ifndef EIMZA_CRYPTO_CMS_VERIFY_H
#define EIMZA_CRYPTO_CMS_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/certificate.h"

#define CRYPTO_NES_POLICY "2.16.792.1.2.1.1.5.7.1.1" /* Kamu SM's NES policy */

struct crypto_verifier_opts {
    const char *const *trust_dirs; /* directories of PEM/DER certificates (anchors and */
    size_t ntrust_dirs;            /* intermediates); at least one certificate in all */
    const char *const *policies;   /* accepted certificate policy OIDs, dotted; NULL or */
    size_t npolicies;              /* 0: CRYPTO_NES_POLICY alone */
    bool allow_unknown_revocation; /* accept when neither OCSP nor CRL answers */
    long revocation_timeout_ms;    /* per HTTP exchange; 0: 3000 */
    size_t cache_max;              /* certificates kept decoded; 0: 4096 */
};

struct crypto_verifier;

/* Makes a verifier (loads the trust directories). Returns 0, or -1 with an English message
 * in err. Free with crypto_verifier_free. */
int crypto_verifier_new(const struct crypto_verifier_opts *o, struct crypto_verifier **out,
                        char *err, size_t errlen);
void crypto_verifier_free(struct crypto_verifier *v);

struct crypto_verify_result {
    const char *code; /* NULL: accepted; else one of the codes above (static string) */
    char detail[256]; /* English, for logs; no personal data */
    bool have_signer; /* signer and signer_der are set (from step 3 on) */
    struct core_certificate signer;
    unsigned char *signer_der; /* the signer's certificate as found in the CMS */
    size_t signer_der_len;
    unsigned char *ocsp_der; /* the OCSP response that answered step 9 (NULL otherwise) */
    size_t ocsp_len;
    char *checks_json; /* every step taken and its outcome, a JSON object for the evidence:
                          {"result":..,"checks":[{"check":..,"ok":..,...}],"signer":{..}} */
};

/* Verifies cms[0..cmslen) (DER, or BER that OpenSSL reads) against content[0..contentlen)
 * for the applicant expected_tckn at `now` (Unix seconds). Fills *r (release it with
 * crypto_verify_result_free even on error). Returns 0 when a verdict was reached (r->code),
 * -1 on an internal failure (out of memory; r->detail says so). */
int crypto_verify_cades(struct crypto_verifier *v, const unsigned char *cms, size_t cmslen,
                        const unsigned char *content, size_t contentlen, const char *expected_tckn,
                        int64_t now, struct crypto_verify_result *r);
void crypto_verify_result_free(struct crypto_verify_result *r);

/* The signer's certificate DER of a result (for store_certificate_put); NULL when the
 * verification stopped before a signer was found. Owned by r. */
const unsigned char *crypto_verify_result_signer_der(const struct crypto_verify_result *r,
                                                     size_t *len);

#endif
