/* Tests of the in-house CA engine (ca/ca.h) on SoftHSM2 tokens: the demo PKI's in-house CA
 * token (its key generated in the token by scripts/demo-pki.sh) and blank cards made by
 * scripts/demo-token.sh --blank.
 *
 * What they prove: the CA key cannot be exported (its value read, wrapped under another key,
 * or made extractable), and
 * the engine refuses a CA token whose key could be, whose key does not match its certificate,
 * or whose PIN is wrong; a card is made with an RSA-2048 or EC P-256 key generated on it
 * (sensitive, never extractable, made on the card), the NES certificate under the key's
 * CKA_ID, new PIN and PUK that open it while the transport PINs no longer do; a renewal starts
 * at the old certificate's end; `openssl verify` accepts the new certificates against the demo
 * chain; the engine touches no card when the holder's data is wrong, when the card is not
 * named among several, or not blank; a refused transport SO PIN leaves the card blank again;
 * the CRL and the OCSP answers for the issued certificates are judged by `openssl crl
 * -verify`, `openssl verify -crl_check` and a real `openssl ocsp -url` against a responder
 * running the engine; the OCSP answers are signed by a delegated responder whose key pair the
 * CA token generated (session objects, never extractable), whose certificate (EKU
 * OCSPSigning, nocheck) the response carries and which verifies with the CA alone as trust
 * anchor, never by the CA key; past two thirds of its life a new key pair and certificate are
 * used, and a token that cannot make one gets internalError, not a CA-signed answer; each
 * responder certificate is recorded in the registry before it signs (`openssl ocsp` about it:
 * good, then revoked), a registry that cannot record it gets tryLater and no key pair is kept;
 * one the registry marks revoked never signs again (the next answer comes from a new key pair
 * and certificate, the revoked pair is gone from the token), a registry that cannot say gets
 * tryLater; ten minutes before the CA certificate ends an answer's nextUpdate is that end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "ca/ca.h"
#include "ca_token.h"

#define YEAR_SECONDS(y) ((int64_t)(y)*365 * 86400)
#define DAY_SECONDS     ((int64_t)86400)

struct fix {
    struct tk t;
    char blank[6][17]; /* blank cards made in setup */
    char odd[17];      /* a blank-labelled card with a private object on it */
    struct reg reg;
    struct ca_registry registry;
    /* what the issuing tests made, for the revocation test */
    char rsa_serial[CA_SERIAL_MAX], ec_serial[CA_SERIAL_MAX];
    int64_t ec_not_before;
};

static int setup(void **state)
{
    static struct fix f;
    int rc = tk_setup(&f.t);
    if (rc == 77) {
        fprintf(stderr, "skipped: SoftHSM2 or OpenSC is missing\n");
        exit(77);
    }
    if (rc || tk_blank(&f.t, 6, f.blank))
        return -1;
    /* tokens for the refusals: a CA key that can be exported, a CA key that does not match
     * its certificate, and a "blank" card hiding a private object */
    if (cat_sh(&f.t.d,
               "set -e; export SOFTHSM2_CONF=pki/hsm/softhsm2.conf; M='%s'\n"
               "for l in xca mismatch-ca; do softhsm2-util --init-token --free --label $l "
               "--pin 1234 --so-pin 5678; done\n"
               "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out a.key\n"
               "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out b.key\n"
               "openssl pkey -in a.key -outform DER -out a.der\n"
               "openssl pkey -in b.key -outform DER -out b.der\n"
               "openssl req -x509 -key a.key -subj '/CN=X CA' -days 30 -outform DER -out a.crt "
               "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=keyCertSign,cRLSign\n"
               "pkcs11-tool --module $M --token-label xca --login --pin 1234 --write-object a.der "
               "--type privkey --id 01 --label k --usage-sign --sensitive --extractable\n"
               "pkcs11-tool --module $M --token-label xca --login --pin 1234 --write-object a.crt "
               "--type cert --id 01 --label k\n"
               "pkcs11-tool --module $M --token-label mismatch-ca --login --pin 1234 "
               "--write-object b.der --type privkey --id 01 --label k --usage-sign --sensitive\n"
               "pkcs11-tool --module $M --token-label mismatch-ca --login --pin 1234 "
               "--write-object a.crt --type cert --id 01 --label k\n"
               /* an RSA CA (the demo's is EC): its OCSP responder is RSA too */
               "softhsm2-util --init-token --free --label rsa-ca --pin 1234 --so-pin 5678\n"
               "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out r.key\n"
               "openssl pkey -in r.key -outform DER -out r.der\n"
               "openssl req -x509 -key r.key -subj '/C=TR/CN=RSA Deneme NES SHS' -days 30 "
               "-out rsa-ca.pem -addext basicConstraints=critical,CA:TRUE "
               "-addext keyUsage=keyCertSign,cRLSign\n"
               "openssl x509 -in rsa-ca.pem -outform DER -out r.crt\n"
               "pkcs11-tool --module $M --token-label rsa-ca --login --pin 1234 "
               "--write-object r.der --type privkey --id 02 --label k --usage-sign --sensitive\n"
               "pkcs11-tool --module $M --token-label rsa-ca --login --pin 1234 "
               "--write-object r.crt --type cert --id 02 --label k\n",
               f.t.module)) {
        char *out = cat_read(&f.t.d, "out.txt", NULL);
        fprintf(stderr, "token set-up failed:\n%s\n", out ? out : "");
        free(out);
        return -1;
    }
    char odd[1][17];
    if (tk_blank(&f.t, 1, odd) ||
        cat_sh(&f.t.d,
               "export SOFTHSM2_CONF=pki/hsm/softhsm2.conf\n"
               "slot=$(softhsm2-util --show-slots | awk '/^Slot / { s = $2 } "
               "/Serial number:/ && $3 == \"%s\" { print s }')\n"
               "pkcs11-tool --module '%s' --slot \"$slot\" --login --pin %s --write-object "
               "spec.tsv --type data --label hidden --private",
               odd[0], f.t.module, TK_TRANSPORT_PIN) != 0)
        return -1;
    memcpy(f.odd, odd[0], sizeof f.odd);
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

static struct ca *open_engine(struct fix *f)
{
    struct ca_config c = tk_config(&f->t);
    struct ca_status st;
    struct ca *ca = NULL;
    enum ca_err e = ca_open(&c, &ca, &st);
    if (e != CA_OK)
        fail_msg("ca_open: %s (%s)", ca_err_code(e), st.detail);
    return ca;
}

/* How many blank cards the engine sees, and whether `serial` is one of them. */
static size_t blanks(struct ca *ca, const char *serial, bool *listed)
{
    char serials[16][17];
    size_t n = 0;
    struct ca_status st;
    assert_int_equal(ca_blank_cards(ca, serials, 16, &n, &st), CA_OK);
    if (listed) {
        *listed = false;
        for (size_t i = 0; i < n && i < 16; i++)
            *listed = *listed || strcmp(serials[i], serial) == 0;
    }
    return n;
}

/* ---- the CA key ---------------------------------------------------------------------------- */

static void test_ca_key_cannot_leave(void **state)
{
    struct fix *f = *state;
    struct tk_p11 p;
    CK_SLOT_ID slot;
    CK_SESSION_HANDLE s;
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE find[] = {{CKA_CLASS, &cls, sizeof cls}};
    CK_OBJECT_HANDLE key, aes;
    CK_ULONG n = 0;
    assert_int_equal(tk_p11_open(&p, f->t.module), 0);
    assert_int_equal(tk_p11_slot(&p, "eimza-demo-ca", NULL, &slot), 0);
    assert_int_equal(p.f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s),
                     CKR_OK);
    assert_int_equal(tk_p11_login(&p, s, CKU_USER, f->t.ca_pin), CKR_OK);
    assert_int_equal(p.f->C_FindObjectsInit(s, find, 1), CKR_OK);
    assert_int_equal(p.f->C_FindObjects(s, &key, 1, &n), CKR_OK);
    p.f->C_FindObjectsFinal(s);
    assert_int_equal(n, 1);
    /* the attributes: sensitive, not extractable, and never was */
    CK_BBOOL sens = 0, extr = 1, always = 0, never = 0, local = 0;
    CK_ATTRIBUTE a[] = {{CKA_SENSITIVE, &sens, 1},
                        {CKA_EXTRACTABLE, &extr, 1},
                        {CKA_ALWAYS_SENSITIVE, &always, 1},
                        {CKA_NEVER_EXTRACTABLE, &never, 1},
                        {CKA_LOCAL, &local, 1}};
    assert_int_equal(p.f->C_GetAttributeValue(s, key, a, 5), CKR_OK);
    assert_true(sens && !extr && always && never && local);
    /* its value cannot be read */
    unsigned char buf[256];
    CK_ATTRIBUTE v = {CKA_VALUE, buf, sizeof buf};
    assert_int_equal(p.f->C_GetAttributeValue(s, key, &v, 1), CKR_ATTRIBUTE_SENSITIVE);
    /* nor wrapped out under a key of ours */
    CK_MECHANISM gen = {CKM_AES_KEY_GEN, NULL, 0}, wrap = {CKM_AES_KEY_WRAP_PAD, NULL, 0};
    CK_ULONG len = 32;
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_ATTRIBUTE at[] = {
        {CKA_VALUE_LEN, &len, sizeof len}, {CKA_WRAP, &yes, 1}, {CKA_TOKEN, &no, 1}};
    assert_int_equal(p.f->C_GenerateKey(s, &gen, at, 3, &aes), CKR_OK);
    CK_ULONG wlen = sizeof buf;
    CK_RV rv = p.f->C_WrapKey(s, &wrap, aes, key, buf, &wlen);
    assert_int_equal(rv, CKR_KEY_UNEXTRACTABLE);
    /* nor made extractable */
    CK_ATTRIBUTE set = {CKA_EXTRACTABLE, &yes, 1};
    assert_int_not_equal(p.f->C_SetAttributeValue(s, key, &set, 1), CKR_OK);
    p.f->C_Logout(s);
    p.f->C_CloseSession(s);
    tk_p11_close(&p);
}

static void test_open_refused(void **state)
{
    struct fix *f = *state;
    struct ca_config c;
    struct ca_status st;
    struct ca *ca = NULL;
    static const struct {
        const char *what;
        enum ca_err want;
    } cases[] = {
        {"wrong PIN", CA_E_CA_TOKEN},      {"no such token", CA_E_CA_TOKEN},
        {"no such key", CA_E_CA_TOKEN},    {"extractable key", CA_E_CA_EXTRACTABLE},
        {"mismatched key", CA_E_CA_TOKEN}, {"no module", CA_E_MODULE},
        {"no OCSP URL", CA_E_CONFIG},      {"no transport PIN", CA_E_CONFIG},
        {"long label", CA_E_CONFIG},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        c = tk_config(&f->t);
        switch (i) {
        case 0:
            c.ca_pin = "000000";
            break;
        case 1:
            c.ca_token_label = "no-such-token";
            break;
        case 2:
            c.ca_key_label = "no-such-key";
            break;
        case 3:
        case 4:
            c.ca_token_label = i == 3 ? "xca" : "mismatch-ca";
            c.ca_key_label = "k";
            c.ca_pin = "1234";
            break;
        case 5:
            c.ca_module = "/nonexistent/libpkcs11.so";
            break;
        case 6:
            c.ocsp_url = NULL;
            break;
        case 7:
            c.transport_pin = "";
            break;
        default:
            c.blank_label = "a label longer than thirty-two bytes";
        }
        ca = (struct ca *)1;
        enum ca_err e = ca_open(&c, &ca, &st);
        if (e != cases[i].want)
            fail_msg("%s: %s (%s), want %s", cases[i].what, ca_err_code(e), st.detail,
                     ca_err_code(cases[i].want));
        assert_null(ca);
        assert_true(st.message[0] != '\0');
        assert_null(strstr(st.detail, f->t.ca_pin)); /* never the PIN */
    }
    /* the engine's CA certificate is the demo's in-house CA */
    ca = open_engine(f);
    size_t len = 0;
    const unsigned char *der = ca_certificate(ca, &len);
    assert_int_equal(cat_write(&f->t.d, "engine-ca.der", der, len), 0);
    assert_int_equal(cat_sh(&f->t.d, "openssl x509 -inform DER -in engine-ca.der | "
                                     "cmp - pki/inhouse/ca.pem"),
                     0);
    ca_close(ca);
}

/* ---- making cards ----------------------------------------------------------------------- */

/* Looks at the card with the module's own functions: key pair made on it and kept in, the
 * certificate beside it, the new PINs working and the transport ones not. */
static void check_card(struct fix *f, const struct ca_issued *out, CK_KEY_TYPE want_type)
{
    struct tk_p11 p;
    CK_SLOT_ID slot;
    CK_SESSION_HANDLE s;
    CK_OBJECT_HANDLE h[8];
    assert_int_equal(tk_p11_open(&p, f->t.module), 0);
    assert_int_equal(tk_p11_slot(&p, NULL, out->card_serial, &slot), 0);
    assert_int_equal(p.f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s),
                     CKR_OK);
    assert_int_equal(tk_p11_login(&p, s, CKU_USER, TK_TRANSPORT_PIN), CKR_PIN_INCORRECT);
    assert_int_equal(tk_p11_login(&p, s, CKU_USER, out->pin), CKR_OK);
    int n = tk_p11_objects(&p, s, h, 8);
    assert_int_equal(n, 3);
    int seen = 0;
    for (int i = 0; i < n; i++) {
        CK_OBJECT_CLASS cls;
        CK_BYTE id[8];
        CK_ATTRIBUTE a[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_ID, id, sizeof id}};
        assert_int_equal(p.f->C_GetAttributeValue(s, h[i], a, 2), CKR_OK);
        assert_int_equal(a[1].ulValueLen, 1);
        assert_int_equal(id[0], 0x01);
        if (cls == CKO_PRIVATE_KEY) {
            CK_BBOOL sens = 0, extr = 1, never = 0, local = 0, sign = 0;
            CK_KEY_TYPE kt;
            CK_ATTRIBUTE k[] = {{CKA_SENSITIVE, &sens, 1},
                                {CKA_EXTRACTABLE, &extr, 1},
                                {CKA_NEVER_EXTRACTABLE, &never, 1},
                                {CKA_LOCAL, &local, 1},
                                {CKA_SIGN, &sign, 1},
                                {CKA_KEY_TYPE, &kt, sizeof kt}};
            assert_int_equal(p.f->C_GetAttributeValue(s, h[i], k, 6), CKR_OK);
            assert_true(sens && !extr && never && local && sign);
            assert_int_equal(kt, want_type);
            unsigned char buf[512];
            CK_ATTRIBUTE v = {want_type == CKK_RSA ? CKA_PRIVATE_EXPONENT : CKA_VALUE, buf,
                              sizeof buf};
            assert_int_equal(p.f->C_GetAttributeValue(s, h[i], &v, 1), CKR_ATTRIBUTE_SENSITIVE);
            seen |= 1;
        } else if (cls == CKO_CERTIFICATE) {
            unsigned char der[4096];
            CK_ATTRIBUTE v = {CKA_VALUE, der, sizeof der};
            assert_int_equal(p.f->C_GetAttributeValue(s, h[i], &v, 1), CKR_OK);
            assert_int_equal(v.ulValueLen, out->cert_len);
            assert_memory_equal(der, out->cert_der, out->cert_len);
            seen |= 2;
        } else {
            assert_int_equal(cls, CKO_PUBLIC_KEY);
            seen |= 4;
        }
    }
    assert_int_equal(seen, 7);
    p.f->C_Logout(s);
    /* the PUK is the SO PIN now; the transport SO PIN is not */
    assert_int_equal(tk_p11_login(&p, s, CKU_SO, TK_TRANSPORT_SO_PIN), CKR_PIN_INCORRECT);
    assert_int_equal(tk_p11_login(&p, s, CKU_SO, out->puk), CKR_OK);
    p.f->C_Logout(s);
    p.f->C_CloseSession(s);
    tk_p11_close(&p);
}

static X509 *parse(const struct ca_issued *out)
{
    const unsigned char *q = out->cert_der;
    X509 *x = d2i_X509(NULL, &q, (long)out->cert_len);
    assert_non_null(x);
    assert_ptr_equal(q, out->cert_der + out->cert_len);
    return x;
}

static void test_issue_rsa_first_card(void **state)
{
    struct fix *f = *state;
    struct ca *ca = open_engine(f);
    struct ca_issued out;
    struct ca_status st;
    bool listed = false;
    size_t before = blanks(ca, f->blank[0], &listed);
    assert_true(listed);
    int64_t now = (int64_t)time(NULL);
    struct ca_holder h = {CAT_TCKN, "TEST KİŞİ", 3, 0, CA_KEY_RSA2048, f->blank[0]};
    enum ca_err e = ca_issue(ca, &h, now, &out, &st);
    if (e != CA_OK)
        fail_msg("ca_issue: %s (%s)", ca_err_code(e), st.detail);
    assert_string_equal(out.card_serial, f->blank[0]);
    assert_int_equal(strlen(out.serial), 32);
    assert_int_equal(out.not_before, now);
    assert_true(out.not_after >= now + YEAR_SECONDS(3) &&
                out.not_after <= now + YEAR_SECONDS(3) + 86400);
    assert_int_equal(strlen(out.pin), CA_PIN_LEN);
    assert_int_equal(strspn(out.pin, "0123456789"), CA_PIN_LEN);
    assert_int_equal(strlen(out.puk), CA_PUK_LEN);
    assert_int_equal(strspn(out.puk, "0123456789"), CA_PUK_LEN);
    /* the card is not blank any more */
    assert_int_equal(blanks(ca, f->blank[0], &listed), before - 1);
    assert_false(listed);
    ca_close(ca);

    X509 *x = parse(&out);
    assert_int_equal(EVP_PKEY_get_base_id(X509_get0_pubkey(x)), EVP_PKEY_RSA);
    assert_int_equal(EVP_PKEY_get_bits(X509_get0_pubkey(x)), 2048);
    char hex[CA_SERIAL_MAX];
    BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
    char *bh = BN_bn2hex(bn);
    snprintf(hex, sizeof hex, "%s", bh);
    assert_string_equal(hex, out.serial);
    OPENSSL_free(bh);
    BN_free(bn);
    assert_int_equal(cat_write_pem(&f->t.d, "rsa.pem", x), 0);
    X509_free(x);
    /* the demo chain: root, in-house CA, the new certificate */
    assert_int_equal(cat_sh(&f->t.d, "openssl verify -CAfile pki/root/root.pem -untrusted "
                                     "pki/inhouse/ca.pem rsa.pem"),
                     0);
    assert_true(cat_out_has(&f->t.d, "rsa.pem: OK"));
    assert_int_equal(
        cat_sh(&f->t.d, "openssl x509 -in rsa.pem -noout -text -nameopt utf8,sep_comma_plus"), 0);
    assert_true(cat_out_has(&f->t.d, "Subject: C=TR,CN=TEST KİŞİ,serialNumber=10000000146"));
    assert_true(cat_out_has(&f->t.d, "Non Repudiation"));
    assert_true(cat_out_has(&f->t.d, "Policy: 2.16.792.1.2.1.1.5.7.1.1"));
    assert_true(cat_out_has(&f->t.d, f->t.ocsp_url));
    check_card(f, &out, CKK_RSA);
    snprintf(f->rsa_serial, sizeof f->rsa_serial, "%s", out.serial);
    reg_add(&f->reg, out.serial, CA_CERT_GOOD, 0, 0);
    ca_issued_clear(&out);
    assert_null(out.cert_der);
    assert_int_equal(out.pin[0], 0);
}

static void test_issue_ec_renewal(void **state)
{
    struct fix *f = *state;
    struct ca_issued out;
    struct ca_status st;
    /* the old certificate: the demo applicant's, ending 45 days from today */
    size_t n = 0;
    char *pem = cat_read(&f->t.d, "pki/applicant/cert.pem", &n);
    assert_non_null(pem);
    BIO *b = BIO_new_mem_buf(pem, (int)n);
    X509 *old = PEM_read_bio_X509(b, NULL, NULL, NULL);
    BIO_free(b);
    free(pem);
    assert_non_null(old);
    struct tm tm;
    assert_int_equal(ASN1_TIME_to_tm(X509_get0_notAfter(old), &tm), 1);
    int64_t old_end = (int64_t)timegm(&tm);
    X509_free(old);

    struct ca *ca = open_engine(f);
    int64_t now = (int64_t)time(NULL);
    size_t before = blanks(ca, NULL, NULL);
    assert_true(before >= 2);
    /* several blank cards and none named: refused, none touched */
    struct ca_holder h = {CAT_TCKN, "TEST KİŞİ", 1, old_end, CA_KEY_EC_P256, NULL};
    assert_int_equal(ca_issue(ca, &h, now, &out, &st), CA_E_CARD_AMBIGUOUS);
    assert_string_equal(ca_err_code(st.err), "card_ambiguous");
    assert_null(out.cert_der);
    assert_int_equal(blanks(ca, NULL, NULL), before);
    h.card_serial = f->blank[1];
    enum ca_err e = ca_issue(ca, &h, now, &out, &st);
    if (e != CA_OK)
        fail_msg("ca_issue: %s (%s)", ca_err_code(e), st.detail);
    ca_close(ca);
    /* from the old certificate's last second, one calendar year */
    assert_int_equal(out.not_before, old_end);
    X509 *x = parse(&out);
    assert_int_equal(ASN1_TIME_to_tm(X509_get0_notBefore(x), &tm), 1);
    assert_int_equal((int64_t)timegm(&tm), old_end);
    assert_int_equal(ASN1_TIME_to_tm(X509_get0_notAfter(x), &tm), 1);
    assert_int_equal((int64_t)timegm(&tm), out.not_after);
    assert_true(out.not_after - old_end == YEAR_SECONDS(1) ||
                out.not_after - old_end == YEAR_SECONDS(1) + 86400);
    EVP_PKEY *pk = X509_get0_pubkey(x);
    assert_int_equal(EVP_PKEY_get_base_id(pk), EVP_PKEY_EC);
    char group[32];
    size_t gl = 0;
    assert_int_equal(EVP_PKEY_get_group_name(pk, group, sizeof group, &gl), 1);
    assert_string_equal(group, "prime256v1");
    assert_int_equal(cat_write_pem(&f->t.d, "ec.pem", x), 0);
    X509_free(x);
    /* not valid yet today; valid on its first day */
    assert_int_not_equal(cat_sh(&f->t.d, "openssl verify -CAfile pki/root/root.pem -untrusted "
                                         "pki/inhouse/ca.pem ec.pem"),
                         0);
    assert_true(cat_out_has(&f->t.d, "certificate is not yet valid"));
    assert_int_equal(cat_sh(&f->t.d,
                            "openssl verify -attime %lld -CAfile pki/root/root.pem "
                            "-untrusted pki/inhouse/ca.pem ec.pem",
                            (long long)old_end + 60),
                     0);
    check_card(f, &out, CKK_EC);
    snprintf(f->ec_serial, sizeof f->ec_serial, "%s", out.serial);
    f->ec_not_before = out.not_before;
    reg_add(&f->reg, out.serial, CA_CERT_GOOD, 0, 0);
    ca_issued_clear(&out);
}

static void test_issue_refused_touches_nothing(void **state)
{
    struct fix *f = *state;
    struct ca_issued out;
    struct ca_status st;
    struct ca *ca = open_engine(f);
    int64_t now = (int64_t)time(NULL);
    size_t before = blanks(ca, NULL, NULL);
    bool listed = false;
    static const struct {
        const char *tckn, *name, *serial;
        unsigned years;
        int64_t renew;
        enum ca_err want;
    } cases[] = {
        {"10000000147", "A B", NULL, 1, 0, CA_E_TCKN},
        {CAT_TCKN, "", NULL, 1, 0, CA_E_NAME},
        {CAT_TCKN, "A B", NULL, 5, 0, CA_E_VALIDITY},
        {CAT_TCKN, "A B", NULL, 1, INT64_MAX / 2, CA_E_VALIDITY},
        {CAT_TCKN, "A B", "0000000000000000", 1, 0, CA_E_CARD_NOT_FOUND},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ca_holder h = {cases[i].tckn,  cases[i].name,
                              cases[i].years, cases[i].renew,
                              CA_KEY_EC_P256, cases[i].serial ? cases[i].serial : f->blank[2]};
        enum ca_err e = ca_issue(ca, &h, now, &out, &st);
        if (e != cases[i].want)
            fail_msg("case %zu: %s, want %s", i, ca_err_code(e), ca_err_code(cases[i].want));
        assert_null(out.cert_der);
        assert_int_equal(out.pin[0], 0);
    }
    /* the personalised card is no blank card: named, it is not found */
    struct ca_holder h = {CAT_TCKN, "A B", 1, 0, CA_KEY_EC_P256, f->blank[0]};
    assert_int_equal(ca_issue(ca, &h, now, &out, &st), CA_E_CARD_NOT_FOUND);
    /* a blank-looking card with a private object: found out after the transport login, and
     * left as it was */
    h.card_serial = f->odd;
    assert_int_equal(ca_issue(ca, &h, now, &out, &st), CA_E_CARD_NOT_BLANK);
    assert_string_equal(ca_err_code(st.err), "card_not_blank");
    assert_int_equal(blanks(ca, f->blank[2], &listed), before);
    assert_true(listed);
    ca_close(ca);
    /* the odd card still holds its object */
    struct tk_p11 p;
    CK_SLOT_ID slot;
    CK_SESSION_HANDLE s;
    CK_OBJECT_HANDLE objs[4];
    assert_int_equal(tk_p11_open(&p, f->t.module), 0);
    assert_int_equal(tk_p11_slot(&p, NULL, f->odd, &slot), 0);
    assert_int_equal(p.f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &s), CKR_OK);
    assert_int_equal(tk_p11_login(&p, s, CKU_USER, TK_TRANSPORT_PIN), CKR_OK);
    assert_int_equal(tk_p11_objects(&p, s, objs, 4), 1);
    p.f->C_CloseSession(s);
    tk_p11_close(&p);
}

/* A card left blank: the transport PINs open it and it holds nothing. */
static void check_blank(struct fix *f, const char *serial)
{
    struct tk_p11 p;
    CK_SLOT_ID slot;
    CK_SESSION_HANDLE s;
    CK_OBJECT_HANDLE objs[4];
    assert_int_equal(tk_p11_open(&p, f->t.module), 0);
    assert_int_equal(tk_p11_slot(&p, NULL, serial, &slot), 0);
    assert_int_equal(p.f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s),
                     CKR_OK);
    assert_int_equal(tk_p11_login(&p, s, CKU_USER, TK_TRANSPORT_PIN), CKR_OK);
    assert_int_equal(tk_p11_objects(&p, s, objs, 4), 0);
    p.f->C_Logout(s);
    assert_int_equal(tk_p11_login(&p, s, CKU_SO, TK_TRANSPORT_SO_PIN), CKR_OK);
    p.f->C_Logout(s);
    p.f->C_CloseSession(s);
    tk_p11_close(&p);
}

static void test_transport_pins_refused(void **state)
{
    struct fix *f = *state;
    struct ca_config c = tk_config(&f->t);
    struct ca_issued out;
    struct ca_status st;
    struct ca *ca = NULL;
    struct ca_holder h = {CAT_TCKN, "A B", 1, 0, CA_KEY_EC_P256, f->blank[3]};
    /* a wrong transport user PIN: nothing happens to the card */
    c.transport_pin = "999999";
    assert_int_equal(ca_open(&c, &ca, &st), CA_OK);
    assert_int_equal(ca_issue(ca, &h, (int64_t)time(NULL), &out, &st), CA_E_CARD_PIN);
    assert_string_equal(ca_err_code(st.err), "card_transport_pin");
    assert_null(strstr(st.detail, "999999"));
    ca_close(ca);
    check_blank(f, f->blank[3]);
    /* a wrong transport SO PIN is found out after the key and certificate were written: both
     * are removed again and the card is blank, with its transport PINs */
    c = tk_config(&f->t);
    c.transport_so_pin = "99999999";
    assert_int_equal(ca_open(&c, &ca, &st), CA_OK);
    assert_int_equal(ca_issue(ca, &h, (int64_t)time(NULL), &out, &st), CA_E_CARD_PIN);
    assert_null(out.cert_der);
    bool listed = false;
    blanks(ca, f->blank[3], &listed);
    assert_true(listed);
    ca_close(ca);
    check_blank(f, f->blank[3]);
}

/* ---- revocation ------------------------------------------------------------------------- */

static void test_revocation(void **state)
{
    struct fix *f = *state;
    struct ca_status st;
    unsigned char *der = NULL;
    size_t len = 0;
    struct tk_server srv;
    assert_true(f->rsa_serial[0] && f->ec_serial[0]); /* made by the tests above */
    struct ca *ca = open_engine(f);
    assert_int_equal(tk_server_start(&srv, f->t.port, ca, &f->registry), 0);

    /* OCSP through HTTP, as a relying party asks: both good */
    assert_int_equal(cat_sh(&f->t.d,
                            "openssl ocsp -issuer pki/inhouse/ca.pem -cert rsa.pem "
                            "-cert ec.pem -url %s -CAfile pki/inhouse/chain.pem",
                            f->t.ocsp_url),
                     0);
    assert_true(cat_out_has(&f->t.d, "Response verify OK"));
    assert_true(cat_out_has(&f->t.d, "rsa.pem: good"));
    assert_true(cat_out_has(&f->t.d, "ec.pem: good"));
    /* the RSA card is lost: revoked at once */
    int64_t at = (int64_t)time(NULL) - 5;
    assert_string_equal(f->reg.e[0].serial, f->rsa_serial);
    f->reg.e[0].state = CA_CERT_REVOKED;
    f->reg.e[0].at = at;
    f->reg.e[0].reason = 1;
    assert_int_equal(cat_sh(&f->t.d,
                            "openssl ocsp -issuer pki/inhouse/ca.pem -cert rsa.pem "
                            "-cert ec.pem -url %s -CAfile pki/inhouse/chain.pem",
                            f->t.ocsp_url),
                     0);
    assert_true(cat_out_has(&f->t.d, "rsa.pem: revoked"));
    assert_true(cat_out_has(&f->t.d, "Reason: keyCompromise"));
    assert_true(cat_out_has(&f->t.d, "ec.pem: good"));
    /* the CRL, fetched over HTTP too */
    assert_int_equal(cat_sh(&f->t.d, "curl -sf -o kurum.crl %s", f->t.crl_url), 0);
    assert_int_equal(cat_sh(&f->t.d, "openssl crl -inform DER -in kurum.crl -CAfile "
                                     "pki/inhouse/chain.pem -verify -noout -text"),
                     0);
    assert_true(cat_out_has(&f->t.d, "verify OK"));
    assert_true(cat_out_has(&f->t.d, f->rsa_serial));
    char *text = cat_read(&f->t.d, "out.txt", NULL);
    assert_non_null(text);
    assert_null(strstr(text, f->ec_serial)); /* the renewed card is not listed */
    free(text);
    assert_int_equal(cat_sh(&f->t.d, "openssl crl -inform DER -in kurum.crl -out kurum.crl.pem"),
                     0);
    assert_int_not_equal(cat_sh(&f->t.d, "openssl verify -crl_check -CRLfile kurum.crl.pem "
                                         "-CAfile pki/root/root.pem -untrusted "
                                         "pki/inhouse/ca.pem rsa.pem"),
                         0);
    assert_true(cat_out_has(&f->t.d, "certificate revoked"));
    /* made directly too: the same CRL number sequence is the caller's */
    assert_int_equal(ca_crl(ca, &f->registry, 9, (int64_t)time(NULL), &der, &len, &st), CA_OK);
    assert_true(len > 100);
    free(der);
    tk_server_stop(&srv);
    assert_true(srv.served >= 3);
    ca_close(ca);
}

/* ---- the delegated OCSP responder ------------------------------------------------------- */

/* The module's functions of the instance the engine loaded (no second C_Initialize). */
static void same_module(struct fix *f, struct tk_p11 *p, CK_SESSION_HANDLE *s)
{
    CK_C_GetFunctionList gfl;
    CK_SLOT_ID slot;
    memset(p, 0, sizeof *p);
    p->dl = dlopen(f->t.module, RTLD_NOW | RTLD_NOLOAD);
    assert_non_null(p->dl);
    gfl = (CK_C_GetFunctionList)dlsym(p->dl, "C_GetFunctionList");
    assert_non_null(gfl);
    assert_int_equal(gfl(&p->f), CKR_OK);
    assert_int_equal(tk_p11_slot(p, "eimza-demo-ca", NULL, &slot), 0);
    assert_int_equal(p->f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, s), CKR_OK);
}

/* Closes what same_module opened, and the engine. */
static void same_module_done(struct tk_p11 *p, CK_SESSION_HANDLE s, struct ca *ca)
{
    p->f->C_CloseSession(s);
    ca_close(ca);
    dlclose(p->dl);
}

/* The responder's objects of class cls that the token holds (the engine's session objects):
 * how many, their handles in h. */
static CK_ULONG responder_objects(struct tk_p11 *p, CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls,
                                  CK_OBJECT_HANDLE h[8])
{
    char label[] = "eimza-ocsp";
    CK_ATTRIBUTE find[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_LABEL, label, sizeof label - 1}};
    CK_ULONG n = 0;
    assert_int_equal(p->f->C_FindObjectsInit(s, find, 2), CKR_OK);
    assert_int_equal(p->f->C_FindObjects(s, h, 8, &n), CKR_OK);
    p->f->C_FindObjectsFinal(s);
    return n;
}

/* The responder's private keys the token holds. */
static int responder_keys(struct tk_p11 *p, CK_SESSION_HANDLE s, bool check)
{
    CK_OBJECT_HANDLE h[8];
    CK_ULONG n = responder_objects(p, s, CKO_PRIVATE_KEY, h);
    for (CK_ULONG i = 0; check && i < n; i++) {
        CK_BBOOL token = 1, sens = 0, extr = 1, never = 0;
        CK_ATTRIBUTE a[] = {{CKA_TOKEN, &token, 1},
                            {CKA_SENSITIVE, &sens, 1},
                            {CKA_EXTRACTABLE, &extr, 1},
                            {CKA_NEVER_EXTRACTABLE, &never, 1}};
        assert_int_equal(p->f->C_GetAttributeValue(s, h[i], a, 4), CKR_OK);
        assert_true(!token && sens && !extr && never);
        unsigned char buf[512];
        CK_ATTRIBUTE v = {CKA_VALUE, buf, sizeof buf};
        CK_ATTRIBUTE pe = {CKA_PRIVATE_EXPONENT, buf, sizeof buf};
        assert_int_not_equal(p->f->C_GetAttributeValue(s, h[i], &v, 1), CKR_OK);
        assert_int_not_equal(p->f->C_GetAttributeValue(s, h[i], &pe, 1), CKR_OK);
    }
    return (int)n;
}

/* The basic response of a DER OCSP response (NULL when it has none: an error status). */
static OCSP_BASICRESP *basic_of(const void *der, size_t len)
{
    const unsigned char *q = der;
    OCSP_RESPONSE *resp = d2i_OCSP_RESPONSE(NULL, &q, (long)len);
    assert_non_null(resp);
    OCSP_BASICRESP *bs = OCSP_response_get1_basic(resp);
    OCSP_RESPONSE_free(resp);
    ERR_clear_error();
    return bs;
}

/* The basic response of the DER OCSP response in file name. */
static OCSP_BASICRESP *basic_from_file(struct fix *f, const char *name)
{
    size_t n = 0;
    char *der = cat_read(&f->t.d, name, &n);
    assert_non_null(der);
    OCSP_BASICRESP *bs = basic_of(der, n);
    free(der);
    return bs;
}

/* `openssl ocsp` asks the engine's responder over HTTP about the certificate in file pem,
 * trusting the in-house CA alone (extra: more of its options): whether the answer verifies and
 * says `status`. */
static bool http_ocsp_says(struct fix *f, const char *pem, const char *status, const char *extra)
{
    char want[128];
    int rc = cat_sh(&f->t.d,
                    "openssl ocsp -issuer ca-only.pem -cert %s -url %s -CAfile ca-only.pem "
                    "-partial_chain %s",
                    pem, f->t.ocsp_url, extra);
    snprintf(want, sizeof want, "%s: %s", pem, status);
    return rc == 0 && cat_out_has(&f->t.d, "Response verify OK") && cat_out_has(&f->t.d, want);
}

/* The OCSP response in file name is an unsuccessful one of that status (2 internalError,
 * 3 tryLater), with no body. */
static void status_only(struct fix *f, const char *name, char status)
{
    size_t n = 0;
    char *r = cat_read(&f->t.d, name, &n);
    const char want[5] = {0x30, 0x03, 0x0a, 0x01, status};
    assert_non_null(r);
    assert_int_equal(n, 5);
    assert_memory_equal(r, want, 5);
    free(r);
}

/* Answers the request in file `in` at now into file `out`; its basic response. */
static OCSP_BASICRESP *answer_from(struct fix *f, struct ca *ca, const char *in, int64_t now,
                                   const char *out, enum ca_err want)
{
    size_t n = 0;
    char *req = cat_read(&f->t.d, in, &n);
    unsigned char *der = NULL;
    size_t len = 0;
    struct ca_status st;
    assert_non_null(req);
    enum ca_err e = ca_ocsp(ca, &f->registry, (unsigned char *)req, n, now, &der, &len, &st);
    if (e != want)
        fail_msg("ca_ocsp: %s (%s), want %s", ca_err_code(e), st.detail, ca_err_code(want));
    assert_non_null(der);
    assert_int_equal(cat_write(&f->t.d, out, der, len), 0);
    OCSP_BASICRESP *bs = basic_of(der, len);
    free(der);
    free(req);
    return bs;
}

static OCSP_BASICRESP *answer_at(struct fix *f, struct ca *ca, int64_t now, const char *out,
                                 enum ca_err want)
{
    return answer_from(f, ca, "req.der", now, out, want);
}

/* The response's signer: the delegated responder of the CA, its key and not the CA's. A copy
 * of its certificate. */
static X509 *check_delegated(OCSP_BASICRESP *bs, X509 *ca)
{
    X509 *signer = NULL;
    assert_non_null(bs);
    assert_int_equal(OCSP_resp_get0_signer(bs, &signer, NULL), 1); /* carried in the response */
    const char *wrong = cat_responder_wrong(signer, ca);
    if (wrong)
        fail_msg("the responder's certificate: %s", wrong);
    assert_true(cat_ocsp_signed_by(bs, X509_get0_pubkey(signer)));
    assert_false(cat_ocsp_signed_by(bs, X509_get0_pubkey(ca)));
    char cn[200], cacn[200], want[220];
    cat_cn(X509_get_subject_name(signer), cn, sizeof cn);
    cat_cn(X509_get_subject_name(ca), cacn, sizeof cacn);
    snprintf(want, sizeof want, "%s OCSP", cacn);
    assert_string_equal(cn, want);
    X509_up_ref(signer);
    return signer;
}

static X509 *pem_file(struct fix *f, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", f->t.d.path, name);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    X509 *x = PEM_read_X509(fp, NULL, NULL, NULL);
    fclose(fp);
    assert_non_null(x);
    return x;
}

static void test_ocsp_responder(void **state)
{
    struct fix *f = *state;
    struct tk_server srv;
    struct tk_p11 p;
    CK_SESSION_HANDLE s;
    int64_t now = (int64_t)time(NULL);
    char cmd[600];
    assert_true(f->rsa_serial[0] && f->ec_serial[0]); /* made by the tests above */
    assert_int_equal(cat_sh(&f->t.d, "cp pki/inhouse/ca.pem ca-only.pem"), 0);
    X509 *ca_cert = pem_file(f, "ca-only.pem");
    struct ca *ca = open_engine(f);
    same_module(f, &p, &s);
    assert_int_equal(responder_keys(&p, s, false), 0); /* nothing made at ca_open */

    /* a relying party with the in-house CA as its only trust anchor (an intermediate of the
     * demo root: -partial_chain lets it anchor there) */
    assert_int_equal(tk_server_start(&srv, f->t.port, ca, &f->registry), 0);
    snprintf(cmd, sizeof cmd,
             "openssl ocsp -issuer ca-only.pem -cert ec.pem -url %s -CAfile ca-only.pem "
             "-partial_chain -respout resp1.der -resp_text",
             f->t.ocsp_url);
    int rc = cat_sh(&f->t.d, "%s", cmd);
    tk_server_stop(&srv);
    assert_int_equal(rc, 0);
    assert_true(cat_out_has(&f->t.d, "Response verify OK"));
    assert_true(cat_out_has(&f->t.d, "ec.pem: good"));
    assert_true(cat_out_has(&f->t.d, "OCSP Signing"));
    assert_true(cat_out_has(&f->t.d, "OCSP No Check"));
    /* and with the demo chain, as the other tests' clients */
    assert_int_equal(cat_sh(&f->t.d, "openssl ocsp -respin resp1.der -issuer ca-only.pem "
                                     "-CAfile pki/inhouse/chain.pem -no_nonce -cert ec.pem"),
                     0);
    assert_true(cat_out_has(&f->t.d, "Response verify OK"));
    assert_int_equal(responder_keys(&p, s, true), 1);
    /* a key pair of its own on the token, invisible to other processes (session objects) */
    assert_int_equal(cat_sh(&f->t.d,
                            "SOFTHSM2_CONF=pki/hsm/softhsm2.conf pkcs11-tool --module '%s' "
                            "--token-label eimza-demo-ca --login --pin '%s' --list-objects",
                            f->t.module, f->t.ca_pin),
                     0);
    char *objs = cat_read(&f->t.d, "out.txt", NULL);
    assert_non_null(objs);
    assert_non_null(strstr(objs, "kurum-nes"));
    assert_null(strstr(objs, "eimza-ocsp"));
    free(objs);

    /* the same answer made directly: the delegated responder's, and the CA key did not sign */
    assert_int_equal(cat_sh(&f->t.d, "openssl ocsp -issuer ca-only.pem -cert rsa.pem -cert ec.pem "
                                     "-reqout req.der"),
                     0);
    OCSP_BASICRESP *bs = answer_at(f, ca, now, "r0.der", CA_OK);
    X509 *first = check_delegated(bs, ca_cert);
    OCSP_BASICRESP_free(bs);
    int64_t nb = 0, na = 0;
    struct tm tm;
    assert_int_equal(ASN1_TIME_to_tm(X509_get0_notBefore(first), &tm), 1);
    nb = (int64_t)timegm(&tm);
    assert_int_equal(ASN1_TIME_to_tm(X509_get0_notAfter(first), &tm), 1);
    na = (int64_t)timegm(&tm);
    /* 30 days from its first answer; from 10 minutes before (or the CA's start, which the
     * demo PKI made moments ago) */
    assert_true(na >= now + 30 * DAY_SECONDS && na <= now + 30 * DAY_SECONDS + 60);
    assert_true(nb <= now && now - nb <= 600);

    /* just before the renewal point (two thirds of its life): the same certificate */
    int64_t renew = now + 20 * DAY_SECONDS; /* made at most a minute ago */
    bs = answer_at(f, ca, renew - 120, "r1.der", CA_OK);
    X509 *same = check_delegated(bs, ca_cert);
    assert_int_equal(X509_cmp(same, first), 0);
    X509_free(same);
    OCSP_BASICRESP_free(bs);
    /* past it: a new key pair and certificate, verifying at that time with the CA alone */
    bs = answer_at(f, ca, renew + 120, "r2.der", CA_OK);
    X509 *second = check_delegated(bs, ca_cert);
    assert_int_not_equal(X509_cmp(second, first), 0);
    assert_int_not_equal(EVP_PKEY_eq(X509_get0_pubkey(second), X509_get0_pubkey(first)), 1);
    assert_false(cat_ocsp_signed_by(bs, X509_get0_pubkey(first)));
    OCSP_BASICRESP_free(bs);
    assert_int_equal(cat_sh(&f->t.d,
                            "openssl ocsp -respin r2.der -issuer ca-only.pem -CAfile ca-only.pem "
                            "-partial_chain -attime %lld -no_nonce -cert rsa.pem -cert ec.pem",
                            (long long)(renew + 180)),
                     0);
    assert_true(cat_out_has(&f->t.d, "Response verify OK"));
    /* (openssl judges the status times by the real clock: "not yet valid", but still said) */
    assert_true(cat_out_has(&f->t.d, "Reason: keyCompromise")); /* rsa.pem, by test_revocation */
    /* the first certificate would no longer do by then + 10 days: it has ended */
    assert_int_not_equal(cat_sh(&f->t.d,
                                "openssl ocsp -respin r0.der -issuer ca-only.pem -CAfile "
                                "ca-only.pem -partial_chain -attime %lld -no_nonce -cert ec.pem",
                                (long long)(na + 60)),
                         0);
    /* the previous pair is kept for answers under way, the one before it destroyed */
    assert_int_equal(responder_keys(&p, s, true), 2);
    bs = answer_at(f, ca, renew + 21 * DAY_SECONDS, "r3.der", CA_OK);
    X509 *third = check_delegated(bs, ca_cert);
    assert_int_not_equal(X509_cmp(third, second), 0);
    OCSP_BASICRESP_free(bs);
    assert_int_equal(responder_keys(&p, s, false), 2);

    /* the token cannot make the next one (logged out behind the engine's back): internalError,
     * nothing signed, never an answer by the CA key */
    assert_int_equal(p.f->C_Logout(s), CKR_OK);
    bs = answer_at(f, ca, renew + 45 * DAY_SECONDS, "r4.der", CA_E_RESPONDER);
    assert_null(bs);
    status_only(f, "r4.der", 2);
    X509_free(first);
    X509_free(second);
    X509_free(third);
    X509_free(ca_cert);
    same_module_done(&p, s, ca);
}

/* One of several threads answering at once around a renewal. */
struct par {
    struct ca *ca;
    const struct ca_registry *reg;
    const unsigned char *req;
    size_t reqlen;
    int64_t at;
    enum ca_err e;
    unsigned char *der;
    size_t len;
};

static void *par_answer(void *arg)
{
    struct par *a = arg;
    struct ca_status st;
    a->e = ca_ocsp(a->ca, a->reg, a->req, a->reqlen, a->at, &a->der, &a->len, &st);
    return NULL;
}

static void test_ocsp_responder_rsa(void **state)
{
    struct fix *f = *state;
    struct ca_config c = tk_config(&f->t);
    struct ca_status st;
    struct ca *ca = NULL;
    c.ca_token_label = "rsa-ca";
    c.ca_key_label = "k";
    c.ca_pin = "1234";
    enum ca_err e = ca_open(&c, &ca, &st);
    if (e != CA_OK)
        fail_msg("ca_open: %s (%s)", ca_err_code(e), st.detail);
    X509 *ca_cert = pem_file(f, "rsa-ca.pem");
    assert_int_equal(
        cat_sh(&f->t.d, "openssl ocsp -issuer rsa-ca.pem -serial 0x42 -reqout req-rsa.der"), 0);
    OCSP_BASICRESP *bs = answer_from(f, ca, "req-rsa.der", (int64_t)time(NULL), "r-rsa.der", CA_OK);
    X509 *signer = check_delegated(bs, ca_cert);
    assert_int_equal(EVP_PKEY_get_base_id(X509_get0_pubkey(signer)), EVP_PKEY_RSA);
    assert_int_equal(EVP_PKEY_get_bits(X509_get0_pubkey(signer)), 2048);
    /* this CA ends in less than 30 days from now (made in setup for 30): so does the responder */
    assert_int_equal(ASN1_TIME_compare(X509_get0_notAfter(signer), X509_get0_notAfter(ca_cert)), 0);
    OCSP_BASICRESP_free(bs);
    assert_int_equal(cat_sh(&f->t.d, "openssl ocsp -respin r-rsa.der -issuer rsa-ca.pem -CAfile "
                                     "rsa-ca.pem -no_nonce -serial 0x42"),
                     0);
    assert_true(cat_out_has(&f->t.d, "Response verify OK"));
    assert_true(cat_out_has(&f->t.d, "0x42: unknown")); /* not in the registry */

    /* eight threads at once, on both sides of the renewal point: every answer is signed by a
     * responder certificate of the CA's, one of two */
    enum { NPAR = 8 };
    struct par par[NPAR];
    pthread_t th[NPAR];
    size_t reqlen = 0;
    char *req = cat_read(&f->t.d, "req-rsa.der", &reqlen);
    int64_t renew = (int64_t)time(NULL) + 20 * DAY_SECONDS;
    assert_non_null(req);
    for (int i = 0; i < NPAR; i++) {
        par[i] = (struct par){ca,
                              &f->registry,
                              (unsigned char *)req,
                              reqlen,
                              renew + (i % 2 ? 200 : -200),
                              CA_E_NOMEM,
                              NULL,
                              0};
        assert_int_equal(pthread_create(&th[i], NULL, par_answer, &par[i]), 0);
    }
    X509 *seen[NPAR] = {0};
    int nseen = 0;
    for (int i = 0; i < NPAR; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(par[i].e, CA_OK);
        OCSP_BASICRESP *pb = basic_of(par[i].der, par[i].len);
        X509 *x = check_delegated(pb, ca_cert);
        bool known = false;
        for (int k = 0; k < nseen; k++)
            known = known || X509_cmp(seen[k], x) == 0;
        if (known)
            X509_free(x);
        else
            seen[nseen++] = x;
        OCSP_BASICRESP_free(pb);
        free(par[i].der);
    }
    assert_true(nseen >= 1 && nseen <= 3); /* the first, the renewed, (a second renewal at most
                                              when an earlier time came after the renewal) */
    for (int k = 0; k < nseen; k++)
        X509_free(seen[k]);

    /* ten minutes before the CA certificate ends: the responder's certificate (made then)
     * ends with it, and so does the answer's nextUpdate, not an hour later */
    struct tm tm;
    assert_int_equal(ASN1_TIME_to_tm(X509_get0_notAfter(ca_cert), &tm), 1);
    int64_t ca_end = (int64_t)timegm(&tm);
    bs = answer_from(f, ca, "req-rsa.der", ca_end - 600, "r-end.der", CA_OK);
    X509 *last = check_delegated(bs, ca_cert);
    assert_int_equal(ASN1_TIME_compare(X509_get0_notAfter(last), X509_get0_notAfter(ca_cert)), 0);
    ASN1_GENERALIZEDTIME *tu = NULL, *nu = NULL;
    assert_int_equal(OCSP_resp_count(bs), 1);
    OCSP_single_get0_status(OCSP_resp_get0(bs, 0), NULL, NULL, &tu, &nu);
    assert_non_null(nu);
    assert_int_equal(ASN1_TIME_to_tm(tu, &tm), 1);
    assert_int_equal((int64_t)timegm(&tm), ca_end - 600);
    assert_int_equal(ASN1_TIME_to_tm(nu, &tm), 1);
    assert_int_equal((int64_t)timegm(&tm), ca_end);
    X509_free(last);
    OCSP_BASICRESP_free(bs);
    free(req);
    X509_free(signer);
    X509_free(ca_cert);
    ca_close(ca);
}

/* The responder's certificates are in the registry like the cards': an OCSP query about one
 * (by `openssl ocsp`, over HTTP) answers good, and revoked once the registry says so; a
 * registry that cannot record a new one gets tryLater and the new key pair is not kept. */
static void test_ocsp_responder_recorded(void **state)
{
    struct fix *f = *state;
    struct tk_server srv;
    struct tk_p11 p;
    CK_SESSION_HANDLE s;
    int64_t now = (int64_t)time(NULL);
    char serial[200], first_serial[200];
    assert_true(f->ec_serial[0]); /* made by the tests above */
    assert_int_equal(cat_sh(&f->t.d, "cp pki/inhouse/ca.pem ca-only.pem && openssl ocsp -issuer "
                                     "ca-only.pem -cert ec.pem -reqout req-rec.der"),
                     0);
    X509 *ca_cert = pem_file(f, "ca-only.pem");
    struct ca *ca = open_engine(f);
    same_module(f, &p, &s);
    int recorded = f->reg.recorded;
    assert_int_equal(tk_server_start(&srv, f->t.port, ca, &f->registry), 0);
    bool ec_good = http_ocsp_says(f, "ec.pem", "good", "-respout resp-rec.der");
    if (!ec_good)
        tk_server_stop(&srv);
    assert_true(ec_good);
    /* the responder made for that answer, recorded once, before it signed */
    OCSP_BASICRESP *bs = basic_from_file(f, "resp-rec.der");
    X509 *first = check_delegated(bs, ca_cert);
    OCSP_BASICRESP_free(bs);
    assert_int_equal(f->reg.recorded, recorded + 1);
    assert_string_equal(f->reg.why, CA_RESPONDER_START); /* the engine's first */
    reg_serial_of(first, first_serial);
    struct ca_cert_status cs = {CA_CERT_UNKNOWN, 0, 0};
    assert_int_equal(reg_status(&f->reg, first_serial, &cs), 0);
    assert_int_equal(cs.state, CA_CERT_GOOD);
    assert_int_equal(cat_write_pem(&f->t.d, "responder.pem", first), 0);
    /* asked about itself: good, then revoked */
    bool good = http_ocsp_says(f, "responder.pem", "good", "");
    reg_revoke(&f->reg, first_serial, now - 60);
    bool revoked = http_ocsp_says(f, "responder.pem", "revoked", "") &&
                   cat_out_has(&f->t.d, "Reason: keyCompromise");
    tk_server_stop(&srv);
    assert_true(good);
    assert_true(revoked);
    /* that answer came from its replacement (test_ocsp_responder_revoked), the one pair left */
    assert_int_equal(f->reg.recorded, recorded + 2);
    assert_string_equal(f->reg.why, CA_RESPONDER_REVOKED);
    assert_int_equal(responder_keys(&p, s, false), 1);

    /* past the renewal point with a registry that cannot record: tryLater, nothing signed, no
     * new key pair left on the token */
    f->reg.fail_record = true;
    bs = answer_from(f, ca, "req-rec.der", now + 21 * DAY_SECONDS, "r-norec.der", CA_E_REGISTRY);
    assert_null(bs);
    status_only(f, "r-norec.der", 3);
    assert_int_equal(responder_keys(&p, s, false), 1);
    assert_int_equal(f->reg.recorded, recorded + 2);
    /* once it can: a new responder, recorded */
    f->reg.fail_record = false;
    bs = answer_from(f, ca, "req-rec.der", now + 21 * DAY_SECONDS, "r-rec2.der", CA_OK);
    X509 *second = check_delegated(bs, ca_cert);
    assert_int_not_equal(X509_cmp(second, first), 0);
    assert_int_equal(f->reg.recorded, recorded + 3);
    assert_string_equal(f->reg.why, CA_RESPONDER_DUE);
    reg_serial_of(second, serial);
    assert_int_equal(reg_status(&f->reg, serial, &cs), 0);
    assert_int_equal(cs.state, CA_CERT_GOOD);
    assert_int_equal(responder_keys(&p, s, false), 2);
    OCSP_BASICRESP_free(bs);
    X509_free(first);
    X509_free(second);
    X509_free(ca_cert);
    same_module_done(&p, s, ca);
}

/* Whether the object h is gone from the token (destroyed, its handle no longer valid). */
static bool object_gone(struct tk_p11 *p, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h)
{
    CK_OBJECT_CLASS cls;
    CK_ATTRIBUTE a = {CKA_CLASS, &cls, sizeof cls};
    return p->f->C_GetAttributeValue(s, h, &a, 1) == CKR_OBJECT_HANDLE_INVALID;
}

/* A responder certificate the registry marks revoked (its key suspected stolen, say) never
 * signs again: the next answer comes from a new key pair and certificate, recorded and good,
 * and the revoked pair is destroyed at once, not kept as the previous one; a registry that
 * cannot say what became of the responder's certificate gets tryLater. */
static void test_ocsp_responder_revoked(void **state)
{
    struct fix *f = *state;
    struct tk_server srv;
    struct tk_p11 p;
    CK_SESSION_HANDLE s;
    CK_OBJECT_HANDLE old_priv[8], old_pub[8], h[8];
    int64_t now = (int64_t)time(NULL);
    char first_serial[200], serial[200];
    struct ca_cert_status cs = {CA_CERT_UNKNOWN, 0, 0};
    assert_true(f->ec_serial[0]); /* made by the tests above */
    assert_int_equal(cat_sh(&f->t.d, "cp pki/inhouse/ca.pem ca-only.pem && "
                                     "openssl ocsp -issuer ca-only.pem -cert ec.pem "
                                     "-reqout req-rvk.der && openssl ocsp -issuer rsa-ca.pem "
                                     "-serial 0x42 -reqout req-other.der"),
                     0);
    X509 *ca_cert = pem_file(f, "ca-only.pem");
    struct ca *ca = open_engine(f);
    same_module(f, &p, &s);
    int recorded = f->reg.recorded;
    OCSP_BASICRESP *bs = answer_from(f, ca, "req-rvk.der", now, "rvk0.der", CA_OK);
    X509 *first = check_delegated(bs, ca_cert);
    OCSP_BASICRESP_free(bs);
    assert_int_equal(responder_objects(&p, s, CKO_PRIVATE_KEY, old_priv), 1);
    assert_int_equal(responder_objects(&p, s, CKO_PUBLIC_KEY, old_pub), 1);

    /* the operator revokes it; the next answer, to `openssl ocsp` over HTTP about the revoked
     * certificate (revoked), is signed by another, which the next says is good */
    reg_serial_of(first, first_serial);
    reg_revoke(&f->reg, first_serial, now - 60);
    assert_int_equal(cat_write_pem(&f->t.d, "revoked.pem", first), 0);
    assert_int_equal(tk_server_start(&srv, f->t.port, ca, &f->registry), 0);
    bool revoked = http_ocsp_says(f, "revoked.pem", "revoked", "-respout rvk1.der");
    tk_server_stop(&srv);
    assert_true(revoked);
    bs = basic_from_file(f, "rvk1.der");
    X509 *second = check_delegated(bs, ca_cert);
    assert_int_not_equal(X509_cmp(second, first), 0);
    assert_int_not_equal(EVP_PKEY_eq(X509_get0_pubkey(second), X509_get0_pubkey(first)), 1);
    assert_false(cat_ocsp_signed_by(bs, X509_get0_pubkey(first)));
    OCSP_BASICRESP_free(bs);
    assert_int_equal(cat_write_pem(&f->t.d, "signer.pem", second), 0);
    assert_int_equal(tk_server_start(&srv, f->t.port, ca, &f->registry), 0);
    bool good = http_ocsp_says(f, "signer.pem", "good", "");
    tk_server_stop(&srv);
    assert_true(good);
    /* recorded before it signed, as a replacement, and good in the registry */
    assert_int_equal(f->reg.recorded, recorded + 2);
    assert_string_equal(f->reg.why, CA_RESPONDER_REVOKED);
    reg_serial_of(second, serial);
    assert_int_equal(reg_status(&f->reg, serial, &cs), 0);
    assert_int_equal(cs.state, CA_CERT_GOOD);
    /* the revoked pair is gone from the token, not kept for answers under way */
    assert_int_equal(responder_objects(&p, s, CKO_PRIVATE_KEY, h), 1);
    assert_true(object_gone(&p, s, old_priv[0]));
    assert_true(object_gone(&p, s, old_pub[0]));
    assert_int_equal(responder_objects(&p, s, CKO_PUBLIC_KEY, h), 1);

    /* a registry that cannot say what became of the responder's certificate: tryLater, even
     * for a request about another issuer's certificate (not asked about), nothing destroyed */
    f->reg.fail = true;
    bs = answer_from(f, ca, "req-other.der", now, "rvk-down.der", CA_E_REGISTRY);
    f->reg.fail = false;
    assert_null(bs);
    status_only(f, "rvk-down.der", 3);
    assert_int_equal(responder_keys(&p, s, false), 1);
    assert_int_equal(f->reg.recorded, recorded + 2);

    /* revoked when its renewal is due, and the registry cannot record the next: tryLater, and
     * no pair is left, the revoked one not even as the previous; once it can, a new one */
    reg_revoke(&f->reg, serial, now);
    f->reg.fail_record = true;
    bs = answer_from(f, ca, "req-rvk.der", now + 21 * DAY_SECONDS, "rvk2.der", CA_E_REGISTRY);
    f->reg.fail_record = false;
    assert_null(bs);
    assert_int_equal(responder_keys(&p, s, false), 0);
    bs = answer_from(f, ca, "req-rvk.der", now + 21 * DAY_SECONDS, "rvk3.der", CA_OK);
    X509 *third = check_delegated(bs, ca_cert);
    assert_int_not_equal(X509_cmp(third, second), 0);
    assert_int_equal(responder_keys(&p, s, true), 1);
    assert_int_equal(f->reg.recorded, recorded + 3);
    OCSP_BASICRESP_free(bs);
    X509_free(first);
    X509_free(second);
    X509_free(third);
    X509_free(ca_cert);
    same_module_done(&p, s, ca);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ca_key_cannot_leave),
        cmocka_unit_test(test_open_refused),
        cmocka_unit_test(test_issue_rsa_first_card),
        cmocka_unit_test(test_issue_ec_renewal),
        cmocka_unit_test(test_issue_refused_touches_nothing),
        cmocka_unit_test(test_transport_pins_refused),
        cmocka_unit_test(test_revocation),
        cmocka_unit_test(test_ocsp_responder),
        cmocka_unit_test(test_ocsp_responder_rsa),
        cmocka_unit_test(test_ocsp_responder_recorded),
        cmocka_unit_test(test_ocsp_responder_revoked),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
