/* eimza — the 81 provinces of Turkey by plate code (core/: pure). The names are those of
 * shared/data/iller.tsv, copied here once so the program needs no data file at run time;
 * tests/unit/core/test_provinces.c checks this table against the file, so a change there
 * fails the tests until this copy follows it. */
#include "core/validate.h"

#include <string.h>

#include "core/trtext.h"

/* Index = plate code; entry 0 is unused. */
static const char *const provinces[CORE_PROVINCE_COUNT + 1] = {
    NULL,
    "Adana",          /* 01 */
    "Adıyaman",       /* 02 */
    "Afyonkarahisar", /* 03 */
    "Ağrı",           /* 04 */
    "Amasya",         /* 05 */
    "Ankara",         /* 06 */
    "Antalya",        /* 07 */
    "Artvin",         /* 08 */
    "Aydın",          /* 09 */
    "Balıkesir",      /* 10 */
    "Bilecik",        /* 11 */
    "Bingöl",         /* 12 */
    "Bitlis",         /* 13 */
    "Bolu",           /* 14 */
    "Burdur",         /* 15 */
    "Bursa",          /* 16 */
    "Çanakkale",      /* 17 */
    "Çankırı",        /* 18 */
    "Çorum",          /* 19 */
    "Denizli",        /* 20 */
    "Diyarbakır",     /* 21 */
    "Edirne",         /* 22 */
    "Elazığ",         /* 23 */
    "Erzincan",       /* 24 */
    "Erzurum",        /* 25 */
    "Eskişehir",      /* 26 */
    "Gaziantep",      /* 27 */
    "Giresun",        /* 28 */
    "Gümüşhane",      /* 29 */
    "Hakkâri",        /* 30 */
    "Hatay",          /* 31 */
    "Isparta",        /* 32 */
    "Mersin",         /* 33 */
    "İstanbul",       /* 34 */
    "İzmir",          /* 35 */
    "Kars",           /* 36 */
    "Kastamonu",      /* 37 */
    "Kayseri",        /* 38 */
    "Kırklareli",     /* 39 */
    "Kırşehir",       /* 40 */
    "Kocaeli",        /* 41 */
    "Konya",          /* 42 */
    "Kütahya",        /* 43 */
    "Malatya",        /* 44 */
    "Manisa",         /* 45 */
    "Kahramanmaraş",  /* 46 */
    "Mardin",         /* 47 */
    "Muğla",          /* 48 */
    "Muş",            /* 49 */
    "Nevşehir",       /* 50 */
    "Niğde",          /* 51 */
    "Ordu",           /* 52 */
    "Rize",           /* 53 */
    "Sakarya",        /* 54 */
    "Samsun",         /* 55 */
    "Siirt",          /* 56 */
    "Sinop",          /* 57 */
    "Sivas",          /* 58 */
    "Tekirdağ",       /* 59 */
    "Tokat",          /* 60 */
    "Trabzon",        /* 61 */
    "Tunceli",        /* 62 */
    "Şanlıurfa",      /* 63 */
    "Uşak",           /* 64 */
    "Van",            /* 65 */
    "Yozgat",         /* 66 */
    "Zonguldak",      /* 67 */
    "Aksaray",        /* 68 */
    "Bayburt",        /* 69 */
    "Karaman",        /* 70 */
    "Kırıkkale",      /* 71 */
    "Batman",         /* 72 */
    "Şırnak",         /* 73 */
    "Bartın",         /* 74 */
    "Ardahan",        /* 75 */
    "Iğdır",          /* 76 */
    "Yalova",         /* 77 */
    "Karabük",        /* 78 */
    "Kilis",          /* 79 */
    "Osmaniye",       /* 80 */
    "Düzce",          /* 81 */
};

const char *core_province_name(int plate)
{
    if (plate < 1 || plate > CORE_PROVINCE_COUNT)
        return NULL;
    return provinces[plate];
}

/* Longer than any province name's fold key, so a longer input cannot be one. */
#define PROVINCE_KEY_MAX 64

/* "6" or "06": a plate code written as one or two ASCII digits. */
static int plate_from_digits(const char *s, int n)
{
    int v = 0;
    if (n < 1 || n > 2)
        return 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    return v <= CORE_PROVINCE_COUNT ? v : 0;
}

int core_province_lookup(const char *s, size_t n)
{
    char key[PROVINCE_KEY_MAX], name[PROVINCE_KEY_MAX];
    int klen = core_tr_fold(s, n, key, sizeof key);
    if (klen <= 0)
        return 0;
    if (key[0] >= '0' && key[0] <= '9')
        return plate_from_digits(key, klen);
    /* Folding the names on each call keeps the table immutable (no cache to lock). A name
     * that starts with an ASCII capital folds to that same first byte, so when the key starts
     * with ASCII only the names starting with that byte are folded (a few, not 81). */
    for (int plate = 1; plate <= CORE_PROVINCE_COUNT; plate++) {
        if ((unsigned char)key[0] < 0x80 && provinces[plate][0] != key[0])
            continue;
        int nlen = core_tr_fold(provinces[plate], strlen(provinces[plate]), name, sizeof name);
        if (nlen == klen && memcmp(key, name, (size_t)klen) == 0)
            return plate;
    }
    return 0;
}
