/* Unit tests for core/personnel.h: the columns, the duty status, and core_personnel_set()'s
 * check of every column with good and bad values (a refused value changes nothing). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/date.h"
#include "core/personnel.h"
#include "core/reason.h"

static const char *set(struct core_personnel *p, enum core_pfield f, const char *s)
{
    const char *r = core_personnel_set(p, f, s, strlen(s));
    if (r)
        assert_true(core_reason_known(r)); /* every code has a message */
    return r;
}

/* Sets a value that must be refused with code, and checks the record did not change. */
static void refuse(struct core_personnel *p, enum core_pfield f, const char *s, const char *code)
{
    struct core_personnel before = *p;
    const char *r = set(p, f, s);
    if (!r || strcmp(r, code) != 0)
        print_error("%s = \"%s\": got %s, want %s\n", core_pfield_name(f), s, r ? r : "NULL", code);
    assert_non_null(r);
    assert_string_equal(r, code);
    assert_memory_equal(&before, p, sizeof before);
}

static void test_clear(void **state)
{
    (void)state;
    struct core_personnel p;
    memset(&p, 0x5A, sizeof p);
    core_personnel_clear(&p);
    assert_string_equal(p.tckn, "");
    assert_string_equal(p.first_name, "");
    assert_string_equal(p.institution_name, "");
    assert_string_equal(p.email, "");
    assert_string_equal(p.mobile_phone, "");
    assert_int_equal(p.birth_date, CORE_DATE_NONE);
    assert_int_equal(p.assignment_end, CORE_DATE_NONE);
    assert_int_equal(p.province, 0);
    assert_int_equal(p.duty, CORE_DUTY_ACTIVE);
    assert_false(p.entitled);
}

static void test_fields(void **state)
{
    (void)state;
    static const char *const names[CORE_PF__COUNT] = {
        "tckn",
        "ad",
        "soyad",
        "dogum_yeri",
        "dogum_tarihi",
        "kurum_kodu",
        "kurum_adi",
        "il_kodu",
        "ilce",
        "birim",
        "unvan",
        "gorev_durumu",
        "gorevlendirme_bitis",
        "eimza_hakki",
        "eposta",
        "cep_telefonu",
        "kurum_sicil_no",
    };
    for (int f = 0; f < CORE_PF__COUNT; f++) {
        assert_string_equal(core_pfield_name((enum core_pfield)f), names[f]);
        assert_int_equal(core_pfield_lookup(names[f], strlen(names[f])), f);
    }
    assert_null(core_pfield_name(CORE_PF__COUNT));
    assert_int_equal(core_pfield_lookup("TCKN", 4), CORE_PF_TCKN);
    assert_int_equal(core_pfield_lookup(" Ad ", 4), CORE_PF_AD);
    assert_int_equal(core_pfield_lookup("Dogum_Tarihi\r", 13), CORE_PF_DOGUM_TARIHI);
    assert_int_equal(core_pfield_lookup("\xEF\xBB\xBFtckn", 7), CORE_PF_TCKN);
    assert_int_equal(core_pfield_lookup("\tcep_telefonu ", 14), CORE_PF_CEP_TELEFONU);
    assert_int_equal(core_pfield_lookup("tc", 2), -1);
    assert_int_equal(core_pfield_lookup("tckn_no", 7), -1);
    assert_int_equal(core_pfield_lookup("ad\xC4\xB1", 4), -1); /* "adı" */
    assert_int_equal(core_pfield_lookup("dogum yeri", 10), -1);
    assert_int_equal(core_pfield_lookup("", 0), -1);
    assert_int_equal(core_pfield_lookup("   ", 3), -1);
    assert_int_equal(core_pfield_lookup(NULL, 0), -1);
    assert_int_equal(core_pfield_lookup("adXX", 2), CORE_PF_AD); /* n bounds the read */

    static const enum core_pfield required[] = {
        CORE_PF_TCKN,       CORE_PF_AD,           CORE_PF_SOYAD,
        CORE_PF_DOGUM_YERI, CORE_PF_DOGUM_TARIHI, CORE_PF_KURUM_ADI,
        CORE_PF_IL_KODU,    CORE_PF_GOREV_DURUMU, CORE_PF_EIMZA_HAKKI,
    };
    int count = 0;
    for (int f = 0; f < CORE_PF__COUNT; f++) {
        bool want = false;
        for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
            want |= required[i] == (enum core_pfield)f;
        assert_int_equal(core_pfield_required((enum core_pfield)f), want);
        count += want;
    }
    assert_int_equal(count, 9);
    assert_false(core_pfield_required(CORE_PF__COUNT));
}

static void test_duty(void **state)
{
    (void)state;
    enum core_duty d;
    struct {
        const char *s;
        enum core_duty d;
    } ok[] = {
        {"aktif", CORE_DUTY_ACTIVE},     {"AKTIF", CORE_DUTY_ACTIVE},
        {"AKTİF", CORE_DUTY_ACTIVE},     {"Aktif", CORE_DUTY_ACTIVE},
        {" aktif ", CORE_DUTY_ACTIVE},   {"ayrildi", CORE_DUTY_LEFT},
        {"AYRILDI", CORE_DUTY_LEFT},     {"Ayrıldı", CORE_DUTY_LEFT},
        {"ayrıldı", CORE_DUTY_LEFT},     {"AYRİLDİ", CORE_DUTY_LEFT},
        {"emekli", CORE_DUTY_RETIRED},   {"EMEKLİ", CORE_DUTY_RETIRED},
        {"EMEKLI", CORE_DUTY_RETIRED},   {"askida", CORE_DUTY_SUSPENDED},
        {"ASKIDA", CORE_DUTY_SUSPENDED}, {"askıda", CORE_DUTY_SUSPENDED},
        {"Askıda", CORE_DUTY_SUSPENDED},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        d = (enum core_duty)99;
        if (core_duty_parse(ok[i].s, strlen(ok[i].s), &d) != 0)
            print_error("refused \"%s\"\n", ok[i].s);
        assert_int_equal(core_duty_parse(ok[i].s, strlen(ok[i].s), &d), 0);
        assert_int_equal(d, ok[i].d);
    }
    static const char *const bad[] = {"",  "aktiv", "aktifx",         "ayrldi",  "pasif",
                                      "1", "a",     "emekli ayrildi", "askıdaa", "\xC3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        d = CORE_DUTY_RETIRED;
        assert_int_equal(core_duty_parse(bad[i], strlen(bad[i]), &d), -1);
        assert_int_equal(d, CORE_DUTY_RETIRED);
    }
    assert_string_equal(core_duty_code(CORE_DUTY_ACTIVE), "aktif");
    assert_string_equal(core_duty_code(CORE_DUTY_LEFT), "ayrildi");
    assert_string_equal(core_duty_code(CORE_DUTY_RETIRED), "emekli");
    assert_string_equal(core_duty_code(CORE_DUTY_SUSPENDED), "askida");
    assert_null(core_duty_code((enum core_duty)4));
    for (int i = 0; i < 4; i++) {
        const char *c = core_duty_code((enum core_duty)i);
        assert_int_equal(core_duty_parse(c, strlen(c), &d), 0);
        assert_int_equal(d, i);
    }
}

/* A complete, valid row. */
static void fill_valid(struct core_personnel *p)
{
    core_personnel_clear(p);
    assert_null(set(p, CORE_PF_TCKN, "10000000146"));
    assert_null(set(p, CORE_PF_AD, "Ayşe"));
    assert_null(set(p, CORE_PF_SOYAD, "Işık"));
    assert_null(set(p, CORE_PF_DOGUM_YERI, "Batman"));
    assert_null(set(p, CORE_PF_DOGUM_TARIHI, "15.03.1980"));
    assert_null(set(p, CORE_PF_KURUM_KODU, "72123"));
    assert_null(set(p, CORE_PF_KURUM_ADI, "Batman İl Milli Eğitim Müdürlüğü"));
    assert_null(set(p, CORE_PF_IL_KODU, "72"));
    assert_null(set(p, CORE_PF_ILCE, "Merkez"));
    assert_null(set(p, CORE_PF_BIRIM, "Bilgi İşlem"));
    assert_null(set(p, CORE_PF_UNVAN, "Öğretmen"));
    assert_null(set(p, CORE_PF_GOREV_DURUMU, "aktif"));
    assert_null(set(p, CORE_PF_GOREVLENDIRME_BITIS, "2026-06-30"));
    assert_null(set(p, CORE_PF_EIMZA_HAKKI, "1"));
    assert_null(set(p, CORE_PF_EPOSTA, "ayse.isik@meb.gov.tr"));
    assert_null(set(p, CORE_PF_CEP_TELEFONU, "+90 532 123 45 67"));
}

static void test_set_valid_row(void **state)
{
    (void)state;
    struct core_personnel p;
    fill_valid(&p);
    assert_string_equal(p.tckn, "10000000146");
    assert_string_equal(p.first_name, "Ayşe");
    assert_string_equal(p.last_name, "Işık");
    assert_string_equal(p.birth_place, "Batman");
    char s[CORE_DATE_STRLEN + 1];
    core_date_format(p.birth_date, s);
    assert_string_equal(s, "1980-03-15");
    assert_string_equal(p.institution_code, "72123");
    assert_string_equal(p.institution_name, "Batman İl Milli Eğitim Müdürlüğü");
    assert_int_equal(p.province, 72);
    assert_string_equal(p.district, "Merkez");
    assert_string_equal(p.unit, "Bilgi İşlem");
    assert_string_equal(p.title, "Öğretmen");
    assert_int_equal(p.duty, CORE_DUTY_ACTIVE);
    core_date_format(p.assignment_end, s);
    assert_string_equal(s, "2026-06-30");
    assert_true(p.entitled);
    assert_string_equal(p.email, "ayse.isik@meb.gov.tr");
    assert_string_equal(p.mobile_phone, "5321234567");
}

static void test_set_normalises(void **state)
{
    (void)state;
    struct core_personnel p;
    fill_valid(&p);
    assert_null(set(&p, CORE_PF_TCKN, "  12345678950\t"));
    assert_string_equal(p.tckn, "12345678950");
    assert_null(set(&p, CORE_PF_AD, "  Ayşe \t Nur\u00a0 "));
    assert_string_equal(p.first_name, "Ayşe Nur"); /* case kept */
    assert_null(set(&p, CORE_PF_SOYAD, "IS\u0327IK"));
    assert_string_equal(p.last_name, "IŞIK"); /* decomposed letters composed */
    assert_null(set(&p, CORE_PF_DOGUM_TARIHI, " 1980-03-15 "));
    assert_null(set(&p, CORE_PF_IL_KODU, "6"));
    assert_int_equal(p.province, 6);
    assert_null(set(&p, CORE_PF_IL_KODU, "06"));
    assert_int_equal(p.province, 6);
    assert_null(set(&p, CORE_PF_IL_KODU, "İSTANBUL"));
    assert_int_equal(p.province, 34);
    assert_null(set(&p, CORE_PF_IL_KODU, "hakkâri"));
    assert_int_equal(p.province, 30);
    assert_null(set(&p, CORE_PF_GOREV_DURUMU, "Ayrıldı"));
    assert_int_equal(p.duty, CORE_DUTY_LEFT);
    assert_null(set(&p, CORE_PF_GOREV_DURUMU, "EMEKLI"));
    assert_int_equal(p.duty, CORE_DUTY_RETIRED);
    assert_null(set(&p, CORE_PF_GOREV_DURUMU, "askida"));
    assert_int_equal(p.duty, CORE_DUTY_SUSPENDED);
    assert_null(set(&p, CORE_PF_EIMZA_HAKKI, " 0 "));
    assert_false(p.entitled);
    assert_null(set(&p, CORE_PF_EIMZA_HAKKI, "1"));
    assert_true(p.entitled);
    assert_null(set(&p, CORE_PF_CEP_TELEFONU, "(0532) 765 43 21"));
    assert_string_equal(p.mobile_phone, "5327654321");
    assert_null(set(&p, CORE_PF_EPOSTA, " ali@x.tr "));
    assert_string_equal(p.email, "ali@x.tr");
}

static void test_set_empty(void **state)
{
    (void)state;
    struct core_personnel p;
    fill_valid(&p);
    /* Required columns refuse empty (also only white space). */
    for (int f = 0; f < CORE_PF__COUNT; f++) {
        if (!core_pfield_required((enum core_pfield)f))
            continue;
        refuse(&p, (enum core_pfield)f, "", "required");
        refuse(&p, (enum core_pfield)f, " \t\r\n", "required");
    }
    /* Optional ones clear the field. */
    assert_null(set(&p, CORE_PF_KURUM_KODU, ""));
    assert_string_equal(p.institution_code, "");
    assert_null(set(&p, CORE_PF_ILCE, "  "));
    assert_string_equal(p.district, "");
    assert_null(set(&p, CORE_PF_BIRIM, ""));
    assert_string_equal(p.unit, "");
    assert_null(set(&p, CORE_PF_UNVAN, ""));
    assert_string_equal(p.title, "");
    assert_null(set(&p, CORE_PF_GOREVLENDIRME_BITIS, ""));
    assert_int_equal(p.assignment_end, CORE_DATE_NONE);
    assert_null(set(&p, CORE_PF_EPOSTA, ""));
    assert_string_equal(p.email, "");
    assert_null(set(&p, CORE_PF_CEP_TELEFONU, "\u00a0"));
    assert_string_equal(p.mobile_phone, "");
    assert_null(core_personnel_set(&p, CORE_PF_ILCE, NULL, 0));
}

static void test_set_refused(void **state)
{
    (void)state;
    struct core_personnel p;
    fill_valid(&p);

    refuse(&p, CORE_PF_TCKN, "1000000014", "tckn_length");
    refuse(&p, CORE_PF_TCKN, "100000001460", "tckn_length");
    refuse(&p, CORE_PF_TCKN, "1000000014x", "tckn_not_digits");
    refuse(&p, CORE_PF_TCKN, "100 000 001", "tckn_not_digits");
    refuse(&p, CORE_PF_TCKN, "01000000146", "tckn_leading_zero");
    refuse(&p, CORE_PF_TCKN, "10000000147", "tckn_checksum");

    refuse(&p, CORE_PF_DOGUM_TARIHI, "1980-02-30", "date_format");
    refuse(&p, CORE_PF_DOGUM_TARIHI, "29.02.1900", "date_format");
    refuse(&p, CORE_PF_DOGUM_TARIHI, "15/03/1980", "date_format");
    refuse(&p, CORE_PF_DOGUM_TARIHI, "1980-3-15", "date_format");
    refuse(&p, CORE_PF_DOGUM_TARIHI, "15 Mart 1980", "date_format");
    refuse(&p, CORE_PF_GOREVLENDIRME_BITIS, "yok", "date_format");
    refuse(&p, CORE_PF_GOREVLENDIRME_BITIS, "31.06.2026", "date_format");

    refuse(&p, CORE_PF_IL_KODU, "82", "province_unknown");
    refuse(&p, CORE_PF_IL_KODU, "0", "province_unknown");
    refuse(&p, CORE_PF_IL_KODU, "Afyon", "province_unknown");
    refuse(&p, CORE_PF_IL_KODU, "ISTANBUL", "province_unknown");

    refuse(&p, CORE_PF_GOREV_DURUMU, "pasif", "duty_unknown");
    refuse(&p, CORE_PF_GOREV_DURUMU, "1", "duty_unknown");

    refuse(&p, CORE_PF_EIMZA_HAKKI, "2", "flag_format");
    refuse(&p, CORE_PF_EIMZA_HAKKI, "10", "flag_format");
    refuse(&p, CORE_PF_EIMZA_HAKKI, "evet", "flag_format");
    refuse(&p, CORE_PF_EIMZA_HAKKI, "true", "flag_format");
    refuse(&p, CORE_PF_EIMZA_HAKKI, "1 1", "flag_format");

    refuse(&p, CORE_PF_EPOSTA, "ayse", "email_format");
    refuse(&p, CORE_PF_EPOSTA, "ayse@meb", "email_format");
    refuse(&p, CORE_PF_EPOSTA, "ay se@meb.gov.tr", "email_format");

    refuse(&p, CORE_PF_CEP_TELEFONU, "0212 123 45 67", "phone_not_mobile");
    refuse(&p, CORE_PF_CEP_TELEFONU, "0532 123 45", "phone_format");
    refuse(&p, CORE_PF_CEP_TELEFONU, "abc", "phone_format");
    refuse(&p, CORE_PF_CEP_TELEFONU, "-", "phone_format");

    refuse(&p, CORE_PF_AD, "Ay\xC5", "not_utf8");
    /* issue 19, finding 7: controls and characters that reorder or hide text */
    refuse(&p, CORE_PF_AD, "Ay\x01se", "control_character");
    refuse(&p, CORE_PF_KURUM_ADI, "Okul\xE2\x80\xAE Adi", "bidi_character");
    refuse(&p, CORE_PF_ILCE, "\xE2\x80\x8BMerkez", "bidi_character");
    refuse(&p, CORE_PF_SOYAD, "\xFF", "not_utf8");
    refuse(&p, CORE_PF_TCKN, "\xC0\x80", "not_utf8");
    struct core_personnel before = p;
    assert_string_equal(core_personnel_set(&p, CORE_PF_AD, "Ay\0se", 5), "not_utf8");
    assert_memory_equal(&before, &p, sizeof p);
    assert_string_equal(core_personnel_set(&p, CORE_PF__COUNT, "x", 1), "unknown_field");
    assert_string_equal(core_personnel_set(&p, (enum core_pfield) - 1, "x", 1), "unknown_field");
    assert_memory_equal(&before, &p, sizeof p);
}

static void repeat(char *buf, size_t cap, const char *piece, size_t times)
{
    size_t n = strlen(piece), len = 0;
    for (size_t i = 0; i < times; i++) {
        assert_true(len + n < cap);
        memcpy(buf + len, piece, n);
        len += n;
    }
    buf[len] = '\0';
}

static void test_set_lengths(void **state)
{
    (void)state;
    struct core_personnel p;
    static char buf[4096];
    fill_valid(&p);
    /* A name field holds CORE_NAME_MAX - 1 bytes: 127 ASCII letters, or 63 two-byte ş + 1. */
    repeat(buf, sizeof buf, "a", CORE_NAME_MAX - 1);
    assert_null(set(&p, CORE_PF_AD, buf));
    assert_int_equal(strlen(p.first_name), CORE_NAME_MAX - 1);
    repeat(buf, sizeof buf, "a", CORE_NAME_MAX);
    refuse(&p, CORE_PF_AD, buf, "too_long");
    repeat(buf, sizeof buf, "ş", 63);
    memcpy(buf + 126, "a", 2);
    assert_null(set(&p, CORE_PF_SOYAD, buf));
    repeat(buf, sizeof buf, "ş", 64);
    refuse(&p, CORE_PF_SOYAD, buf, "too_long");
    /* Surrounding white space does not count. */
    repeat(buf, sizeof buf, "a", CORE_NAME_MAX - 1);
    char padded[CORE_NAME_MAX + 20];
    memcpy(padded, "   ", 3);
    memcpy(padded + 3, buf, CORE_NAME_MAX - 1);
    memcpy(padded + 3 + CORE_NAME_MAX - 1, " \t ", 4);
    assert_null(set(&p, CORE_PF_UNVAN, padded));
    /* Longer fields. */
    repeat(buf, sizeof buf, "b", CORE_TEXT_MAX - 1);
    assert_null(set(&p, CORE_PF_KURUM_ADI, buf));
    repeat(buf, sizeof buf, "b", CORE_TEXT_MAX);
    refuse(&p, CORE_PF_KURUM_ADI, buf, "too_long");
    repeat(buf, sizeof buf, "c", CORE_CODE_MAX - 1);
    assert_null(set(&p, CORE_PF_KURUM_KODU, buf));
    repeat(buf, sizeof buf, "c", CORE_CODE_MAX);
    refuse(&p, CORE_PF_KURUM_KODU, buf, "too_long");
    repeat(buf, sizeof buf, "7", CORE_CODE_MAX - 1);
    assert_null(set(&p, CORE_PF_KURUM_SICIL_NO, buf));
    assert_string_equal(p.registry_no, buf);
    repeat(buf, sizeof buf, "7", CORE_CODE_MAX);
    refuse(&p, CORE_PF_KURUM_SICIL_NO, buf, "too_long");
    assert_null(set(&p, CORE_PF_KURUM_SICIL_NO, "")); /* optional: empty clears it */
    assert_string_equal(p.registry_no, "");
    /* Very long values of any column. */
    repeat(buf, sizeof buf, "1", 3000);
    refuse(&p, CORE_PF_TCKN, buf, "too_long");
    refuse(&p, CORE_PF_BIRIM, buf, "too_long");
    refuse(&p, CORE_PF_CEP_TELEFONU, buf, "too_long");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clear),          cmocka_unit_test(test_fields),
        cmocka_unit_test(test_duty),           cmocka_unit_test(test_set_valid_row),
        cmocka_unit_test(test_set_normalises), cmocka_unit_test(test_set_empty),
        cmocka_unit_test(test_set_refused),    cmocka_unit_test(test_set_lengths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
