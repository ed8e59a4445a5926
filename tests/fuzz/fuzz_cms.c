/* eimza — libFuzzer driver: the CAdES/CMS entry (crypto/cms_verify.c).
 *
 * The input is the DER (or BER) an applicant posts as their signature. One verifier is made
 * at start-up over a fixed trust store (tests/fuzz/cms-trust/: the root of a small PKI made
 * by tests/fuzz/make-seeds.sh, whose signatures over FUZZ_CMS_CONTENT are the seed corpus),
 * exactly as `eimza serve` makes its own; each input is verified against the fixed content,
 * T.C. Kimlik No and clock. The PKI's certificates name no OCSP or CRL address, so revocation
 * answers "unknown" without the network, and unknown is allowed so that a seed runs every
 * step. The certificate cache is kept small so that eviction is exercised too.
 * Besides the sanitizers, the driver checks the result's promises: a verdict always comes
 * with its checks JSON, an accepted one names the signer, and a refusal has a code. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cms_verify.h"

#ifndef FUZZ_CMS_TRUST_DIR
#error "FUZZ_CMS_TRUST_DIR: the directory of the fuzz PKI's root (tests/fuzz/CMakeLists.txt)"
#endif

/* What the seeds sign (tests/fuzz/make-seeds.sh writes the same bytes). */
#define FUZZ_CMS_CONTENT "eimza fuzz: başvuru 2026-000001\n"
#define FUZZ_CMS_TCKN    "10000000146"
#define FUZZ_CMS_NOW     1893456000 /* 2030-01-01T00:00:00Z, inside every validity period */

static struct crypto_verifier *verifier;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const char *const dirs[] = {FUZZ_CMS_TRUST_DIR};
    struct crypto_verifier_opts o = {.trust_dirs = dirs,
                                     .ntrust_dirs = 1,
                                     .allow_unknown_revocation = true,
                                     .revocation_timeout_ms = 100,
                                     .cache_max = 16};
    char err[256];
    (void)argc;
    (void)argv;
    if (crypto_verifier_new(&o, &verifier, err, sizeof err)) {
        fprintf(stderr, "fuzz_cms: no verifier: %s\n", err);
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct crypto_verify_result r;
    static const char content[] = FUZZ_CMS_CONTENT;
    if (crypto_verify_cades(verifier, data, size, (const unsigned char *)content,
                            sizeof content - 1, FUZZ_CMS_TCKN, FUZZ_CMS_NOW, &r) == 0) {
        if (!r.checks_json || (!r.code && !r.have_signer) || (r.code && !*r.code))
            abort();
    }
    crypto_verify_result_free(&r);
    return 0;
}
