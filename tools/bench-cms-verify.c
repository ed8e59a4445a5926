/* eimza — benchmark tool: full CAdES-BES verifications per second, in process.
 *
 * Makes a throwaway PKI (tests/unit/crypto/pki_fixture.h: root, NES-style sub-CA, an RSA-2048
 * signer with the qualified profile, a real `openssl ocsp` responder), signs a typical
 * application text detached with `openssl cms -sign -cades`, then verifies it over and over
 * with one verifier for the given time. The first verification fetches the OCSP answer and
 * builds the chain; the timed ones take both from the verifier's caches, as a busy server
 * does. Every verification must be accepted, or the tool fails. bench/cms_verify.sh runs it.
 *
 *   bench-cms-verify [SECONDS]      (default 3)
 * Prints: "verify/s N" (and a few facts on stderr).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tests/unit/crypto/pki_fixture.h"
#include "crypto/cms_verify.h"

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One verification that must be accepted. Returns 0. */
static int verify_once(struct crypto_verifier *v, const unsigned char *cms, size_t cmslen,
                       const char *content, size_t clen)
{
    struct crypto_verify_result r;
    int vr = crypto_verify_cades(v, cms, cmslen, (const unsigned char *)content, clen, PKI_TCKN,
                                 (int64_t)time(NULL), &r);
    int rc = vr == 0 && !r.code ? 0 : -1;
    if (rc)
        fprintf(stderr, "bench-cms-verify: not accepted: %s (%s)\n", r.code ? r.code : "error",
                r.detail);
    crypto_verify_result_free(&r);
    return rc;
}

int main(int argc, char **argv)
{
    int rc = 1;
    double seconds = argc > 1 ? strtod(argv[1], NULL) : 3.0;
    struct pki_fixture f;
    struct crypto_verifier *v = NULL;
    unsigned char *cms = NULL;
    size_t cmslen = 0;
    char content[1200], trust[200], err[256];
    int clen;
    if (seconds <= 0 || seconds > 60) {
        fprintf(stderr, "usage: bench-cms-verify [SECONDS (0-60]]\n");
        return 2;
    }
    if (pki_create(&f, true) || pki_start_ocsp(&f)) {
        fprintf(stderr, "bench-cms-verify: could not make the test PKI in %s\n", f.dir);
        goto out;
    }
    /* About the size of a real application's signed content. */
    clen = snprintf(content, sizeof content,
                    "Aşağıda yazılı bütün bilgilerin doğru olduğunu, aksi halde doğacak bütün "
                    "zararlardan sorumlu olduğumu beyan ederim. Bu formdaki bilgilere göre "
                    "şahsıma bir nitelikli elektronik sertifika hazırlanmasını talep ederim.\n"
                    "BAŞVURU NO: 2024-000123\nBAŞVURU TARİHİ: 2024-05-06\nAD: AYŞE\n"
                    "SOYAD: YILMAZ\nTC KİMLİK NUMARASI: %s\nEPOSTA: ayse.yilmaz@meb.gov.tr\n"
                    "ADRES: Atatürk Mah. Cumhuriyet Cad. No: 1, 72100 Merkez/BATMAN\n"
                    "KURUM ADI: Batman Anadolu Lisesi\n",
                    PKI_TCKN);
    if (pki_write(&f, "content.txt", content, (size_t)clen) ||
        pki_sign(&f, "good", "content.txt", "good.p7s", "-certfile sub.pem") ||
        !(cms = pki_read(&f, "good.p7s", &cmslen))) {
        fprintf(stderr, "bench-cms-verify: signing failed (see %s/log.txt)\n", f.dir);
        goto out;
    }
    snprintf(trust, sizeof trust, "%s/trust", f.dir);
    const char *dirs[] = {trust};
    struct crypto_verifier_opts o = {.trust_dirs = dirs, .ntrust_dirs = 1};
    if (crypto_verifier_new(&o, &v, err, sizeof err)) {
        fprintf(stderr, "bench-cms-verify: %s\n", err);
        goto out;
    }
    /* The first one fetches the OCSP answer and builds the chain: not timed. */
    if (verify_once(v, cms, cmslen, content, (size_t)clen))
        goto out;
    long n = 0;
    double t0 = mono(), t;
    do {
        for (int i = 0; i < 64; i++, n++)
            if (verify_once(v, cms, cmslen, content, (size_t)clen))
                goto out;
        t = mono();
    } while (t - t0 < seconds);
    fprintf(stderr, "bench-cms-verify: %ld verifications in %.2f s, CMS %zu bytes, content %d\n", n,
            t - t0, cmslen, clen);
    printf("verify/s %.0f\n", (double)n / (t - t0));
    rc = 0;
out:
    crypto_verifier_free(v);
    free(cms);
    pki_destroy(&f);
    return rc;
}
