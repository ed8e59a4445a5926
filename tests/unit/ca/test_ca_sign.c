/* The in-house card in use: a card made by the engine (ca/) signs through the card-side
 * signer (sign/, what `eimza sign` and the agent run, PIN given as on --pin-fd), and the
 * server's verifier (crypto/cms_verify.h) accepts the CAdES signature against the demo chain
 * (demo root + in-house CA), with the revocation answered over HTTP by the engine's OCSP
 * (signed by its delegated responder, whose certificate the verifier accepts because the CA
 * issued it for OCSP signing); after the registry revokes the certificate, the verifier says
 * certificate_revoked, from the OCSP answer. `openssl
 * cms -verify` agrees independently. Once with an RSA-2048 card, once with an EC P-256 one.
 * (Linked with sign/ and crypto/ besides ca/: see CMakeLists.txt.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <openssl/ocsp.h>

#include "ca/ca.h"
#include "ca_token.h"
#include "crypto/cms_verify.h"
#include "sign/sign.h"

static const char content[] = "Başvuru No: 2026-000042\r\nYeni kartımla imzalıyorum.\r\n";

struct fix {
    struct tk t;
    char blank[2][17];
    struct reg reg;
    struct ca_registry registry;
};

static int setup(void **state)
{
    static struct fix f;
    int rc = tk_setup(&f.t);
    if (rc == 77) {
        fprintf(stderr, "skipped: SoftHSM2 or OpenSC is missing\n");
        exit(77);
    }
    if (rc || tk_blank(&f.t, 2, f.blank) ||
        cat_sh(&f.t.d, "mkdir trust && cp pki/root/root.pem pki/inhouse/ca.pem trust/") ||
        cat_write(&f.t.d, "content.txt", content, sizeof content - 1))
        return -1;
    f.registry = (struct ca_registry){reg_status, reg_each, &f.reg, reg_record};
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fix *f = *state;
    if (f)
        cat_dir_remove(&f->t.d);
    return 0;
}

/* Whether the OCSP response the verifier kept as evidence was signed by the in-house CA's
 * delegated responder (not by the CA key), and its revocation step says it came from OCSP. */
static bool by_delegated_responder(struct fix *f, const struct crypto_verify_result *r)
{
    char path[200];
    snprintf(path, sizeof path, "%s/pki/inhouse/ca.pem", f->t.d.path);
    FILE *fp = fopen(path, "r");
    X509 *ca = fp ? PEM_read_X509(fp, NULL, NULL, NULL) : NULL, *signer = NULL;
    const unsigned char *p = r->ocsp_der;
    OCSP_RESPONSE *resp = p ? d2i_OCSP_RESPONSE(NULL, &p, (long)r->ocsp_len) : NULL;
    OCSP_BASICRESP *bs = resp ? OCSP_response_get1_basic(resp) : NULL;
    const char *wrong = "no OCSP response";
    if (fp)
        fclose(fp);
    if (bs && ca) {
        wrong = OCSP_resp_get0_signer(bs, &signer, NULL) == 1 ? cat_responder_wrong(signer, ca)
                                                              : "no signer in the response";
        if (!wrong && (!cat_ocsp_signed_by(bs, X509_get0_pubkey(signer)) ||
                       cat_ocsp_signed_by(bs, X509_get0_pubkey(ca))))
            wrong = "not signed by the responder's key alone";
    }
    if (!wrong && r->checks_json && !r->code && !strstr(r->checks_json, "\"source\":\"ocsp\""))
        wrong = "the revocation step did not say ocsp";
    if (wrong)
        fprintf(stderr, "OCSP evidence: %s\n", wrong);
    OCSP_BASICRESP_free(bs);
    OCSP_RESPONSE_free(resp);
    X509_free(ca);
    ERR_clear_error();
    return !wrong;
}

/* Verifies sig with a fresh verifier (no cache from before); returns the code ("" when
 * accepted) into code; *had_ocsp: the OCSP answer of the delegated responder was used. */
static void verify(struct fix *f, const unsigned char *sig, size_t len, char *code, size_t cap,
                   bool *had_ocsp)
{
    char trust[200], err[256];
    snprintf(trust, sizeof trust, "%s/trust", f->t.d.path);
    const char *dirs[] = {trust};
    struct crypto_verifier_opts o = {.trust_dirs = dirs, .ntrust_dirs = 1};
    struct crypto_verifier *v = NULL;
    struct crypto_verify_result r;
    if (crypto_verifier_new(&o, &v, err, sizeof err))
        fail_msg("crypto_verifier_new: %s", err);
    assert_int_equal(crypto_verify_cades(v, sig, len, (const unsigned char *)content,
                                         sizeof content - 1, CAT_TCKN, (int64_t)time(NULL), &r),
                     0);
    snprintf(code, cap, "%s", r.code ? r.code : "");
    if (r.code)
        fprintf(stderr, "verifier: %s (%s)\n", r.code, r.detail);
    *had_ocsp = r.ocsp_der != NULL && by_delegated_responder(f, &r);
    if (!r.code) {
        assert_true(r.have_signer);
        assert_string_equal(r.signer.tckn, CAT_TCKN);
    }
    crypto_verify_result_free(&r);
    crypto_verifier_free(v);
}

static void card_signs(struct fix *f, enum ca_key_type type, const char *card)
{
    struct ca_config c = tk_config(&f->t);
    struct ca_status st;
    struct ca_issued out;
    struct ca *ca = NULL;
    int64_t now = (int64_t)time(NULL);

    /* the card is made */
    assert_int_equal(ca_open(&c, &ca, &st), CA_OK);
    struct ca_holder h = {CAT_TCKN, "TEST KİŞİ", 2, 0, type, card};
    enum ca_err e = ca_issue(ca, &h, now, &out, &st);
    if (e != CA_OK)
        fail_msg("ca_issue: %s (%s)", ca_err_code(e), st.detail);
    ca_close(ca);
    f->reg.n = 0;
    reg_add(&f->reg, out.serial, CA_CERT_GOOD, 0, 0);

    /* the holder signs with it, as `eimza sign --pin-fd` does */
    struct sign_module *m = NULL;
    struct sign_status ss;
    struct sign_token_info used;
    int pfd[2];
    assert_int_equal(sign_module_open(f->t.module, &m, &ss), SIGN_OK);
    assert_int_equal(pipe(pfd), 0);
    assert_int_equal(write(pfd[1], out.pin, strlen(out.pin)), (ssize_t)strlen(out.pin));
    assert_int_equal(write(pfd[1], "\n", 1), 1);
    close(pfd[1]);
    struct sign_request req = {.content = (const unsigned char *)content,
                               .content_len = sizeof content - 1,
                               .ask_pin = sign_pin_from_fd,
                               .ask_arg = &pfd[0],
                               .purpose = "test"};
    unsigned char *sig = NULL;
    size_t siglen = 0;
    enum sign_err se = sign_module_sign(m, &req, &sig, &siglen, &used, &ss);
    if (se != SIGN_OK)
        fail_msg("sign: %s (%s)", sign_err_code(se), ss.detail);
    close(pfd[0]);
    sign_module_close(m);
    assert_string_equal(used.serial, card);
    assert_string_equal(used.cert_subject_cn, "TEST KİŞİ");
    assert_string_equal(used.cert_key_type, type == CA_KEY_EC_P256 ? "EC" : "RSA");
    assert_int_equal(cat_write(&f->t.d, "sig.der", sig, siglen), 0);

    /* the server's verifier, with the engine answering OCSP over HTTP */
    struct tk_server srv;
    char code[64];
    bool had_ocsp = false;
    assert_int_equal(ca_open(&c, &ca, &st), CA_OK);
    assert_int_equal(tk_server_start(&srv, f->t.port, ca, &f->registry), 0);
    verify(f, sig, siglen, code, sizeof code, &had_ocsp);
    assert_string_equal(code, ""); /* accepted: qualified, chain, dates, T.C. Kimlik No, OCSP */
    assert_true(had_ocsp);
    /* the card is reported lost: the registry revokes its certificate */
    f->reg.e[0].state = CA_CERT_REVOKED;
    f->reg.e[0].at = (int64_t)time(NULL) - 1;
    f->reg.e[0].reason = 1;
    verify(f, sig, siglen, code, sizeof code, &had_ocsp);
    assert_string_equal(code, "certificate_revoked");
    assert_true(had_ocsp);
    tk_server_stop(&srv);
    ca_close(ca);

    /* openssl agrees on the signature and the chain */
    assert_int_equal(cat_sh(&f->t.d, "openssl cms -verify -binary -inform DER -in sig.der "
                                     "-content content.txt -CAfile pki/inhouse/chain.pem "
                                     "-purpose any -out /dev/null"),
                     0);
    assert_true(cat_out_has(&f->t.d, "Verification successful"));
    free(sig);
    ca_issued_clear(&out);
    /* the card leaves the reader (the next test's card is then the only one that signs) */
    assert_int_equal(cat_sh(&f->t.d,
                            "SOFTHSM2_CONF=pki/hsm/softhsm2.conf softhsm2-util --delete-token "
                            "--serial %s",
                            card),
                     0);
}

static void test_rsa_card_signs(void **state)
{
    struct fix *f = *state;
    card_signs(f, CA_KEY_RSA2048, f->blank[0]);
}

static void test_ec_card_signs(void **state)
{
    struct fix *f = *state;
    card_signs(f, CA_KEY_EC_P256, f->blank[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rsa_card_signs),
        cmocka_unit_test(test_ec_card_signs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
