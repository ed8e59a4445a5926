/* Unit tests for the province table (core/validate.h): the compiled table must match
 * shared/data/iller.tsv exactly, and lookups by name (Turkish-folded) and plate code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/trtext.h"
#include "core/validate.h"

static int lookup(const char *s)
{
    return core_province_lookup(s, strlen(s));
}

/* Reads $EIMZA_SOURCE_DIR/../shared/data/iller.tsv ("plaka<TAB>il" and 81 rows) and compares
 * every row with the compiled table. */
static void test_table_matches_tsv(void **state)
{
    (void)state;
    const char *src = getenv("EIMZA_SOURCE_DIR");
    char path[4096];
    if (!src || !*src) {
        print_message("SKIP: EIMZA_SOURCE_DIR is not set (run through ctest)\n");
        skip();
    }
    snprintf(path, sizeof path, "%s/../shared/data/iller.tsv", src);
    FILE *f = fopen(path, "r");
    if (!f) {
        print_message("SKIP: %s is absent; cannot compare the province table with it\n", path);
        skip();
    }
    char line[512];
    int rows = 0;
    bool header = true;
    while (fgets(line, sizeof line, f)) {
        size_t n = strcspn(line, "\r\n");
        line[n] = '\0';
        if (n == 0)
            continue;
        char *tab = strchr(line, '\t');
        assert_non_null(tab);
        *tab = '\0';
        if (header) {
            assert_string_equal(line, "plaka");
            header = false;
            continue;
        }
        char *end;
        long plate = strtol(line, &end, 10);
        assert_true(*end == '\0' && plate >= 1 && plate <= CORE_PROVINCE_COUNT);
        rows++;
        assert_int_equal(plate, rows); /* in plate order, none missing */
        const char *name = core_province_name((int)plate);
        assert_non_null(name);
        if (strcmp(name, tab + 1) != 0)
            print_error("plate %ld: table \"%s\", file \"%s\"\n", plate, name, tab + 1);
        assert_string_equal(name, tab + 1);
    }
    fclose(f);
    assert_int_equal(rows, CORE_PROVINCE_COUNT);
}

static void test_names(void **state)
{
    (void)state;
    assert_null(core_province_name(0));
    assert_null(core_province_name(82));
    assert_null(core_province_name(-1));
    assert_string_equal(core_province_name(1), "Adana");
    assert_string_equal(core_province_name(34), "İstanbul");
    assert_string_equal(core_province_name(72), "Batman");
    assert_string_equal(core_province_name(81), "Düzce");
    /* Every name is valid UTF-8, already normalised, and looks up to its own plate, also in
     * Turkish upper case; no two names fold alike. */
    for (int p = 1; p <= CORE_PROVINCE_COUNT; p++) {
        const char *name = core_province_name(p);
        char buf[128];
        assert_non_null(name);
        assert_true(core_utf8_valid(name, strlen(name)));
        assert_int_equal(core_tr_normalize(name, strlen(name), buf, sizeof buf), (int)strlen(name));
        assert_int_equal(lookup(name), p);
        int n = core_tr_upper(name, strlen(name), buf, sizeof buf);
        assert_true(n > 0);
        assert_int_equal(lookup(buf), p);
        for (int q = p + 1; q <= CORE_PROVINCE_COUNT; q++) {
            const char *other = core_province_name(q);
            assert_false(core_tr_equal(name, strlen(name), other, strlen(other)));
        }
    }
}

static void test_lookup(void **state)
{
    (void)state;
    assert_int_equal(lookup("istanbul"), 34);
    assert_int_equal(lookup("İSTANBUL"), 34);
    assert_int_equal(lookup("I\u0307stanbul"), 34);
    assert_int_equal(lookup("i\u0307zmir"), 35);
    assert_int_equal(lookup("  izmir "), 35);
    assert_int_equal(lookup("ağrı"), 4);
    assert_int_equal(lookup("AĞRI"), 4);
    assert_int_equal(lookup("Hakkari"), 30);
    assert_int_equal(lookup("HAKKÂRİ"), 30);
    assert_int_equal(lookup("hakkâri"), 30);
    assert_int_equal(lookup("ığdır"), 76);
    assert_int_equal(lookup("şanlıurfa"), 63);
    assert_int_equal(lookup("KAHRAMANMARAŞ"), 46);
    assert_int_equal(lookup("batman"), 72);
    /* Exact names only: no short forms, no ASCII spellings of Turkish letters. */
    assert_int_equal(lookup("ISTANBUL"), 0); /* dotless I */
    assert_int_equal(lookup("ıstanbul"), 0);
    assert_int_equal(lookup("Afyon"), 0);
    assert_int_equal(lookup("Maras"), 0);
    assert_int_equal(lookup("kahramanmaras"), 0);
    assert_int_equal(lookup("Icel"), 0);
    assert_int_equal(lookup("Batmanx"), 0);
    assert_int_equal(lookup("Bat man"), 0);
    assert_int_equal(lookup(""), 0);
    assert_int_equal(lookup("   "), 0);
    assert_int_equal(core_province_lookup("\xC3(", 2), 0);
    assert_int_equal(core_province_lookup(NULL, 0), 0);
    /* Plate codes as text. */
    assert_int_equal(lookup("6"), 6);
    assert_int_equal(lookup("06"), 6);
    assert_int_equal(lookup(" 06 "), 6);
    assert_int_equal(lookup("1"), 1);
    assert_int_equal(lookup("01"), 1);
    assert_int_equal(lookup("72"), 72);
    assert_int_equal(lookup("81"), 81);
    assert_int_equal(lookup("82"), 0);
    assert_int_equal(lookup("99"), 0);
    assert_int_equal(lookup("0"), 0);
    assert_int_equal(lookup("00"), 0);
    assert_int_equal(lookup("006"), 0);
    assert_int_equal(lookup("6a"), 0);
    assert_int_equal(lookup("-6"), 0);
    assert_int_equal(lookup("+6"), 0);
    assert_int_equal(lookup("0 6"), 0);
    assert_int_equal(lookup("6.0"), 0);
    /* Longer than any name. */
    char longname[200];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_int_equal(lookup(longname), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_matches_tsv),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
