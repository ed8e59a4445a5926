/* eimza-gen — development data generator (tools/: never part of the eimza binary).
 *
 *   eimza-gen personnel --count N [--seed S] [--provinces 06,34,72] [--sep ';'|',']
 *                       [--today YYYY-MM-DD]
 *   eimza-gen certspec  --count N [--seed S] [--provinces ...] [--today YYYY-MM-DD]
 *
 * `personnel` writes a personnel CSV (the columns of docs/INTERFACES.md "Personnel file") to
 * stdout: fictional people with Turkish names, unique valid T.C. Kimlik No, institutions of
 * the Ministry of National Education, mixed date and phone formats, a few records that make
 * their holder ineligible. `certspec` walks the same people (same arguments -> same people)
 * and prints, one tab-separated line each, the certificate the demo PKI should give them
 * (scripts/demo-pki.sh): its stage and how many days after --today it expires.
 *
 * The output depends only on the arguments (and on --today, which defaults to the current UTC
 * date, because assignment end dates are placed relative to it). The randomness is splitmix64:
 * this is test data, not security. The T.C. Kimlik No prefixes are a keyed permutation of the
 * row number over the 900,000,000 nine-digit prefixes, so they never repeat.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/tckn.h"

#define GEN_MAX_PROVINCES 81
#define GEN_PREFIXES      900000000ULL /* nine-digit prefixes 100000000..999999999 */

/* ---- randomness ------------------------------------------------------------------------ */

struct gen_rng {
    uint64_t s;
};

static uint64_t rng_next(struct gen_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* A number in [0, n) (n > 0); the tiny modulo bias does not matter for test data. */
static uint32_t rng_below(struct gen_rng *r, uint32_t n)
{
    return (uint32_t)(rng_next(r) % n);
}

/* True with probability pct/100. */
static bool rng_pct(struct gen_rng *r, unsigned pct)
{
    return rng_below(r, 100) < pct;
}

#define PICK(r, arr) ((arr)[rng_below((r), (uint32_t)(sizeof(arr) / sizeof((arr)[0])))])

/* ---- word lists ------------------------------------------------------------------------ */

static const char *const female_names[] = {
    "Ayşe",   "Fatma",  "Emine",  "Hatice", "Zeynep", "Elif",   "Meryem", "Şerife", "Zehra",
    "Sultan", "Hanife", "Merve",  "Özlem",  "Gülşen", "Büşra",  "Esra",   "Songül", "Derya",
    "Tuğba",  "Gözde",  "Çiğdem", "Nurgül", "Şule",   "Dilek",  "Ebru",   "Sibel",  "Gülay",
    "Aysun",  "Yıldız", "Hülya",  "Özge",   "Şeyma",  "İlknur", "Ümran",  "Gönül",  "Nazlı",
    "Pınar",  "Sevgi",  "Işıl",   "Irmak",  "Ceren",  "Damla",  "Kübra",  "Tülay",  "Müge",
    "Aslı",   "Nur",    "Gül",    "Sena",   "Melike",
};
static const char *const male_names[] = {
    "Mehmet",     "Mustafa", "Ahmet",  "Ali",    "Hüseyin", "Hasan",  "İbrahim",  "İsmail",
    "Osman",      "Yusuf",   "Murat",  "Ömer",   "Ramazan", "Halil",  "Süleyman", "Abdullah",
    "Mahmut",     "Salih",   "Kemal",  "Recep",  "Şükrü",   "Oğuz",   "Gökhan",   "Çağlar",
    "Tuğrul",     "Barış",   "Serkan", "Özgür",  "Uğur",    "Ümit",   "Doğan",    "Erdoğan",
    "Gürkan",     "İlker",   "Şahin",  "Cengiz", "Tayfun",  "Kürşat", "Fırat",    "Ilgaz",
    "Onur",       "Emre",    "Burak",  "Volkan", "Sinan",   "Yiğit",  "Çetin",    "Engin",
    "Abdülkadir", "Enes",
};
static const char *const surnames[] = {
    "Yılmaz",   "Kaya",     "Demir",   "Şahin",   "Çelik", "Yıldız", "Yıldırım", "Öztürk",
    "Aydın",    "Özdemir",  "Arslan",  "Doğan",   "Kılıç", "Aslan",  "Çetin",    "Kara",
    "Koç",      "Kurt",     "Özkan",   "Şimşek",  "Polat", "Özcan",  "Korkmaz",  "Çakır",
    "Erdoğan",  "Yavuz",    "Can",     "Acar",    "Şen",   "Aktaş",  "Güler",    "Yalçın",
    "Güneş",    "Bozkurt",  "Bulut",   "Keskin",  "Ünal",  "Turan",  "Gül",      "Özer",
    "Işık",     "Kaplan",   "Avcı",    "Sarı",    "Tekin", "Taş",    "Köse",     "Yüksel",
    "Ateş",     "Aksoy",    "Ekinci",  "Çiftçi",  "Tunç",  "Uçar",   "Sönmez",   "Güzel",
    "Gündoğdu", "Karataş",  "Kılınç",  "Başaran", "Ölmez", "İnce",   "Önal",     "Üstün",
    "Ağca",     "Çağlayan", "Tüfekçi", "Uğurlu",  "Şeker", "Oğuz",   "Ergün",    "Akgül",
};

/* Plate code order; the names of all 81 provinces (shared/data/iller.tsv). */
static const char *const provinces[GEN_MAX_PROVINCES + 1] = {
    NULL,       "Adana",     "Adıyaman",  "Afyonkarahisar", "Ağrı",          "Amasya",
    "Ankara",   "Antalya",   "Artvin",    "Aydın",          "Balıkesir",     "Bilecik",
    "Bingöl",   "Bitlis",    "Bolu",      "Burdur",         "Bursa",         "Çanakkale",
    "Çankırı",  "Çorum",     "Denizli",   "Diyarbakır",     "Edirne",        "Elazığ",
    "Erzincan", "Erzurum",   "Eskişehir", "Gaziantep",      "Giresun",       "Gümüşhane",
    "Hakkâri",  "Hatay",     "Isparta",   "Mersin",         "İstanbul",      "İzmir",
    "Kars",     "Kastamonu", "Kayseri",   "Kırklareli",     "Kırşehir",      "Kocaeli",
    "Konya",    "Kütahya",   "Malatya",   "Manisa",         "Kahramanmaraş", "Mardin",
    "Muğla",    "Muş",       "Nevşehir",  "Niğde",          "Ordu",          "Rize",
    "Sakarya",  "Samsun",    "Siirt",     "Sinop",          "Sivas",         "Tekirdağ",
    "Tokat",    "Trabzon",   "Tunceli",   "Şanlıurfa",      "Uşak",          "Van",
    "Yozgat",   "Zonguldak", "Aksaray",   "Bayburt",        "Karaman",       "Kırıkkale",
    "Batman",   "Şırnak",    "Bartın",    "Ardahan",        "Iğdır",         "Yalova",
    "Karabük",  "Kilis",     "Osmaniye",  "Düzce",
};

/* Districts of some provinces, the central one first (it hosts the provincial directorate);
 * other provinces get "Merkez". */
static const struct {
    int plate;
    const char *const *names;
    unsigned n;
} districts[] = {
#define DISTRICTS(plate, ...)                                                                      \
    {                                                                                              \
        plate, (const char *const[]){__VA_ARGS__},                                                 \
            sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)                      \
    }
    DISTRICTS(1, "Seyhan", "Çukurova", "Yüreğir", "Ceyhan", "Kozan", "Sarıçam"),
    DISTRICTS(6, "Çankaya", "Keçiören", "Yenimahalle", "Mamak", "Etimesgut", "Sincan", "Altındağ",
              "Pursaklar", "Gölbaşı", "Polatlı", "Beypazarı", "Kızılcahamam"),
    DISTRICTS(7, "Muratpaşa", "Kepez", "Konyaaltı", "Alanya", "Manavgat", "Serik"),
    DISTRICTS(16, "Osmangazi", "Nilüfer", "Yıldırım", "İnegöl", "Gemlik", "Mudanya"),
    DISTRICTS(21, "Bağlar", "Kayapınar", "Sur", "Yenişehir", "Bismil", "Ergani", "Silvan", "Çermik",
              "Çınar", "Lice", "Hani", "Kulp"),
    DISTRICTS(27, "Şahinbey", "Şehitkamil", "Nizip", "İslahiye", "Oğuzeli"),
    DISTRICTS(34, "Fatih", "Kadıköy", "Üsküdar", "Beşiktaş", "Şişli", "Bakırköy", "Esenyurt",
              "Pendik", "Ümraniye", "Sarıyer", "Beyoğlu", "Küçükçekmece", "Ataşehir", "Çatalca"),
    DISTRICTS(35, "Konak", "Karşıyaka", "Bornova", "Buca", "Çiğli", "Bayraklı", "Menemen",
              "Torbalı", "Ödemiş", "Çeşme", "Urla", "Tire"),
    DISTRICTS(42, "Selçuklu", "Meram", "Karatay", "Ereğli", "Akşehir", "Beyşehir"),
    DISTRICTS(55, "İlkadım", "Atakum", "Canik", "Bafra", "Çarşamba", "Terme"),
    DISTRICTS(61, "Ortahisar", "Akçaabat", "Of", "Araklı", "Yomra", "Sürmene"),
    DISTRICTS(63, "Eyyübiye", "Haliliye", "Karaköprü", "Siverek", "Viranşehir", "Suruç"),
    DISTRICTS(65, "İpekyolu", "Tuşba", "Edremit", "Erciş", "Özalp", "Muradiye"),
    DISTRICTS(72, "Merkez", "Kozluk", "Sason", "Beşiri", "Gercüş", "Hasankeyf"),
#undef DISTRICTS
};

static const char *const school_names[] = {
    "Atatürk",
    "Cumhuriyet",
    "Gazi",
    "Fatih",
    "Mimar Sinan",
    "Yunus Emre",
    "Mehmet Akif Ersoy",
    "Namık Kemal",
    "Barbaros",
    "Kazım Karabekir",
    "Ziya Gökalp",
    "Fevzi Çakmak",
    "75. Yıl",
    "100. Yıl",
    "Ahmet Yesevi",
    "Piri Reis",
    "Şehit Öğretmen Ayşe Çelik",
    "Hacı Bektaş Veli",
    "Gülbahar Hatun",
    "İnönü",
    "Mevlana",
    "Kuvayı Milliye",
    "Şehit Mustafa Kaya",
    "Çamlıca",
    "Söğütlü",
    "Ufuk",
    "Işıklar",
    "Öğretmenler",
    "Sakarya",
};
static const char *const school_types[] = {
    "İlkokulu",
    "Ortaokulu",
    "Anadolu Lisesi",
    "Mesleki ve Teknik Anadolu Lisesi",
    "Anadolu İmam Hatip Lisesi",
    "İlkokulu",
    "Ortaokulu",
    "Fen Lisesi",
    "Halk Eğitimi Merkezi",
    "Rehberlik ve Araştırma Merkezi",
    "Anaokulu",
};
static const char *const school_units[] = {
    "Müdürlük",
    "Sınıf Öğretmenliği",
    "Matematik",
    "Türk Dili ve Edebiyatı",
    "İngilizce",
    "Fen Bilimleri",
    "Rehberlik Servisi",
    "Beden Eğitimi",
    "Bilişim Teknolojileri",
    "Tarih",
    "Coğrafya",
    "Din Kültürü ve Ahlak Bilgisi",
    "Okul Öncesi",
};
static const char *const office_units[] = {
    "Personel (Özlük) Şubesi",
    "Strateji Geliştirme Şubesi",
    "Bilgi İşlem ve Eğitim Teknolojileri Şubesi",
    "Temel Eğitim Şubesi",
    "Ortaöğretim Şubesi",
    "Hukuk Birimi",
    "Destek Hizmetleri Şubesi",
    "Ölçme Değerlendirme ve Sınav Hizmetleri Birimi",
    "Özel Öğretim Kurumları Şubesi",
    "İnsan Kaynakları Şubesi",
};
static const char *const school_titles[] = {
    "Öğretmen", "Öğretmen",       "Öğretmen",    "Öğretmen",
    "Öğretmen", "Öğretmen",       "Öğretmen",    "Öğretmen",
    "Öğretmen", "Uzman Öğretmen", "Başöğretmen", "Müdür Yardımcısı",
    "Müdür",    "Memur",          "Hizmetli",    "Sözleşmeli Öğretmen",
};
static const char *const office_titles[] = {
    "Şube Müdürü",
    "Memur",
    "Memur",
    "V.H.K.İ.",
    "Şef",
    "Uzman",
    "Mühendis",
    "Öğretmen",
    "Avukat",
    "Müdür",
    "Teknisyen",
    "Programcı",
    "Veri Hazırlama ve Kontrol İşletmeni",
};
static const int mobile_prefixes[] = {501, 505, 506, 507, 530, 531, 532, 533, 534, 535,
                                      536, 537, 538, 539, 541, 542, 543, 544, 545, 546,
                                      549, 551, 552, 553, 554, 555, 559, 561};

/* ---- text helpers ------------------------------------------------------------------------ */

/* An output buffer flushed to stdout in large blocks: a million rows must take seconds. */
struct gen_out {
    char buf[1 << 16];
    size_t len;
    bool failed;
};

static void out_flush(struct gen_out *o)
{
    if (o->len && fwrite(o->buf, 1, o->len, stdout) != o->len)
        o->failed = true;
    o->len = 0;
}

static void out_mem(struct gen_out *o, const char *s, size_t n)
{
    if (o->len + n > sizeof o->buf)
        out_flush(o);
    if (n > sizeof o->buf) { /* never for our fields, but stay correct */
        if (fwrite(s, 1, n, stdout) != n)
            o->failed = true;
        return;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void out_str(struct gen_out *o, const char *s)
{
    out_mem(o, s, strlen(s));
}

static void out_chr(struct gen_out *o, char c)
{
    out_mem(o, &c, 1);
}

/* Writes a CSV field, quoted only when it holds the separator, a quote or a line break. */
static void out_field(struct gen_out *o, const char *s, char sep)
{
    if (!strchr(s, sep) && !strpbrk(s, "\"\r\n")) {
        out_str(o, s);
        return;
    }
    out_chr(o, '"');
    for (; *s; s++) {
        if (*s == '"')
            out_chr(o, '"');
        out_chr(o, *s);
    }
    out_chr(o, '"');
}

/* Upper-cases UTF-8 Turkish text (i -> İ, ı -> I, ş -> Ş ...) into out (capacity cap). */
static void tr_upper(const char *in, char *out, size_t cap)
{
    size_t j = 0;
    const unsigned char *s = (const unsigned char *)in;
    while (*s && j + 3 < cap) {
        if (*s == 'i') {
            out[j++] = (char)0xC4, out[j++] = (char)0xB0, s++;
        } else if (*s >= 'a' && *s <= 'z') {
            out[j++] = (char)(*s - 'a' + 'A'), s++;
        } else if (s[0] == 0xC4 && s[1] == 0xB1) { /* ı */
            out[j++] = 'I', s += 2;
        } else if ((s[0] == 0xC5 && s[1] == 0x9F) || (s[0] == 0xC4 && s[1] == 0x9F)) { /* ş ğ */
            out[j++] = (char)s[0], out[j++] = (char)(s[1] - 1), s += 2;
        } else if (s[0] == 0xC3 && s[1] >= 0xA0 && s[1] <= 0xBE && s[1] != 0xB7) { /* ü ö ç â */
            out[j++] = (char)s[0], out[j++] = (char)(s[1] - 0x20), s += 2;
        } else {
            out[j++] = (char)*s++;
        }
    }
    out[j] = '\0';
}

/* Folds UTF-8 Turkish text to lower-case ASCII for e-mail local parts; drops what is not a
 * letter or digit. */
static void ascii_fold(const char *in, char *out, size_t cap)
{
    static const struct {
        const char *from;
        char to;
    } map[] = {{"ç", 'c'}, {"Ç", 'c'}, {"ğ", 'g'}, {"Ğ", 'g'}, {"ı", 'i'}, {"İ", 'i'}, {"ö", 'o'},
               {"Ö", 'o'}, {"ş", 's'}, {"Ş", 's'}, {"ü", 'u'}, {"Ü", 'u'}, {"â", 'a'}, {"Â", 'a'}};
    size_t j = 0;
    const char *s = in;
    while (*s && j + 1 < cap) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x80) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                out[j++] = (char)c;
            else if (c >= 'A' && c <= 'Z')
                out[j++] = (char)(c - 'A' + 'a');
            s++;
            continue;
        }
        bool found = false;
        for (size_t k = 0; k < sizeof map / sizeof map[0]; k++) {
            size_t n = strlen(map[k].from);
            if (!strncmp(s, map[k].from, n)) {
                out[j++] = map[k].to;
                s += n;
                found = true;
                break;
            }
        }
        if (!found)
            s++;
    }
    out[j] = '\0';
}

/* ---- dates ------------------------------------------------------------------------------ */

/* Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t days_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void ymd_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* "YYYY-MM-DD" or, with tr, "DD.MM.YYYY" (11 bytes). */
static void format_day(int64_t days, bool tr, char out[11])
{
    int y, m, d;
    ymd_from_days(days, &y, &m, &d);
    if (tr)
        snprintf(out, 11, "%02d.%02d.%04d", d, m, y);
    else
        snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

static int parse_day(const char *s, int64_t *out)
{
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 ||
        d < 1 || d > 31)
        return -1;
    int64_t days = days_from_ymd(y, m, d);
    int y2, m2, d2;
    ymd_from_days(days, &y2, &m2, &d2);
    if (y2 != y || m2 != m || d2 != d)
        return -1;
    *out = days;
    return 0;
}

/* ---- the people ------------------------------------------------------------------------- */

struct gen_opts {
    unsigned long count;
    uint64_t seed;
    int provinces[GEN_MAX_PROVINCES];
    unsigned nprovinces;
    char sep;
    int64_t today; /* days since the epoch */
};

enum gen_duty { DUTY_ACTIVE, DUTY_LEFT, DUTY_RETIRED, DUTY_SUSPENDED };
static const char *const duty_codes[] = {"aktif", "ayrildi", "emekli", "askida"};

struct gen_person {
    char tckn[CORE_TCKN_LEN + 1];
    char first_name[64];
    char last_name[48];
    const char *birth_place;
    int64_t birth_date;
    bool birth_tr; /* DD.MM.YYYY in the file */
    char institution_code[8];
    char institution_name[160];
    int province;
    const char *district;
    const char *unit;
    const char *title;
    enum gen_duty duty;
    int64_t assignment_end; /* INT64_MIN when none */
    bool entitled;
    char email[128];
    char phone[32];
};

/* The permutation behind unique T.C. Kimlik No: a keyed four-round Feistel network over
 * 30-bit numbers is a bijection of [0, 2^30); walking the cycle until the value falls below
 * 900,000,000 makes it a bijection of the prefix range, so row numbers map to distinct
 * prefixes that do not look sequential. */
struct gen_perm {
    uint32_t keys[4];
};

static struct gen_perm perm_for_seed(uint64_t seed)
{
    struct gen_rng r = {seed ^ 0x5EED5EED5EED5EEDULL};
    struct gen_perm p;
    for (int k = 0; k < 4; k++)
        p.keys[k] = (uint32_t)rng_next(&r);
    return p;
}

static uint32_t feistel30(const struct gen_perm *p, uint32_t x)
{
    uint32_t l = x >> 15, rr = x & 0x7FFF;
    for (int k = 0; k < 4; k++) {
        uint32_t f = (rr * 0x9E3779B1u + p->keys[k]);
        f = (f ^ (f >> 13)) * 0x85EBCA6Bu;
        uint32_t nl = rr;
        rr = (l ^ (f >> 7)) & 0x7FFF;
        l = nl;
    }
    return (l << 15) | rr;
}

static void make_tckn(const struct gen_perm *p, uint64_t i, char out[CORE_TCKN_LEN + 1])
{
    uint32_t v = (uint32_t)i;
    do
        v = feistel30(p, v);
    while (v >= GEN_PREFIXES);
    char d9[10];
    snprintf(d9, sizeof d9, "%09u", 100000000u + v);
    if (core_tckn_complete(d9, out) != 0)
        out[0] = '\0'; /* cannot happen: d9 is nine digits, the first not 0 */
}

static unsigned district_table(int plate, const char *const **names)
{
    for (size_t k = 0; k < sizeof districts / sizeof districts[0]; k++)
        if (districts[k].plate == plate) {
            *names = districts[k].names;
            return districts[k].n;
        }
    static const char *const merkez[] = {"Merkez"};
    *names = merkez;
    return 1;
}

/* A stable six-digit institution code from its name (FNV-1a). */
static void institution_code(const char *name, char out[8])
{
    uint32_t h = 2166136261u;
    for (const unsigned char *s = (const unsigned char *)name; *s; s++)
        h = (h ^ *s) * 16777619u;
    snprintf(out, 8, "%06u", 100000u + h % 900000u);
}

static void make_phone(struct gen_rng *r, char out[32])
{
    int pre = PICK(r, mobile_prefixes);
    unsigned a = rng_below(r, 1000), b = rng_below(r, 100), c = rng_below(r, 100);
    switch (rng_below(r, 5)) {
    case 0:
        snprintf(out, 32, "+90 %d %03u %02u %02u", pre, a, b, c);
        break;
    case 1:
        snprintf(out, 32, "0%d%03u%02u%02u", pre, a, b, c);
        break;
    case 2:
        snprintf(out, 32, "%d %03u %02u %02u", pre, a, b, c);
        break;
    case 3:
        snprintf(out, 32, "0 (%d) %03u-%02u-%02u", pre, a, b, c);
        break;
    default:
        snprintf(out, 32, "+90%d%03u%02u%02u", pre, a, b, c);
        break;
    }
}

/* Fills person number i. Each row draws from its own generator (seed and row number), so a
 * row does not depend on the rows before it. */
static void make_person(const struct gen_opts *o, const struct gen_perm *perm, uint64_t i,
                        struct gen_person *p)
{
    struct gen_rng r = {o->seed ^ 0xA0761D6478BD642FULL};
    r.s = rng_next(&r) ^ i;
    r.s = rng_next(&r); /* mixed twice: neighbouring rows share no stream */
    memset(p, 0, sizeof *p);
    make_tckn(perm, i, p->tckn);

    bool female = rng_pct(&r, 50);
    const char *first = female ? PICK(&r, female_names) : PICK(&r, male_names);
    if (rng_pct(&r, 12)) {
        const char *second = female ? PICK(&r, female_names) : PICK(&r, male_names);
        if (strcmp(first, second))
            snprintf(p->first_name, sizeof p->first_name, "%s %s", first, second);
        else
            snprintf(p->first_name, sizeof p->first_name, "%s", first);
    } else {
        snprintf(p->first_name, sizeof p->first_name, "%s", first);
    }
    snprintf(p->last_name, sizeof p->last_name, "%s", PICK(&r, surnames));

    p->province = o->provinces[rng_below(&r, o->nprovinces)];
    /* Most people were born in the province they work in, the others anywhere. */
    p->birth_place =
        rng_pct(&r, 60) ? provinces[p->province] : provinces[1 + rng_below(&r, GEN_MAX_PROVINCES)];
    p->birth_date = days_from_ymd(1960, 1, 1) + rng_below(&r, 40 * 365);
    p->birth_tr = rng_pct(&r, 30);

    const char *const *dnames;
    unsigned nd = district_table(p->province, &dnames);
    unsigned dk = rng_below(&r, nd);
    p->district = dnames[dk];

    char name[160], upper_il[64], upper_ilce[64];
    tr_upper(provinces[p->province], upper_il, sizeof upper_il);
    unsigned kind = rng_below(&r, 100);
    bool office = kind < 20;
    if (kind < 10) {
        p->district = dnames[0];
        snprintf(name, sizeof name, "%s İL MİLLİ EĞİTİM MÜDÜRLÜĞÜ", upper_il);
    } else if (kind < 20) {
        tr_upper(p->district, upper_ilce, sizeof upper_ilce);
        if (!strcmp(p->district, "Merkez"))
            snprintf(name, sizeof name, "%s MERKEZ İLÇE MİLLİ EĞİTİM MÜDÜRLÜĞÜ", upper_il);
        else
            snprintf(name, sizeof name, "%s İLÇE MİLLİ EĞİTİM MÜDÜRLÜĞÜ", upper_ilce);
    } else {
        char school[128];
        const char *ilce = strcmp(p->district, "Merkez") ? p->district : provinces[p->province];
        snprintf(school, sizeof school, "%s %s %s", ilce, PICK(&r, school_names),
                 PICK(&r, school_types));
        tr_upper(school, name, sizeof name);
    }
    memcpy(p->institution_name, name, sizeof p->institution_name);
    institution_code(p->institution_name, p->institution_code);
    p->unit = office ? PICK(&r, office_units) : PICK(&r, school_units);
    p->title = office ? PICK(&r, office_titles) : PICK(&r, school_titles);

    unsigned d = rng_below(&r, 100);
    p->duty = d < 90 ? DUTY_ACTIVE : d < 94 ? DUTY_LEFT : d < 97 ? DUTY_RETIRED : DUTY_SUSPENDED;
    unsigned a = rng_below(&r, 100);
    if (a < 5)
        p->assignment_end = o->today - 1 - rng_below(&r, 700); /* ended: not approvable */
    else if (a < 15)
        p->assignment_end = o->today + 30 + rng_below(&r, 900);
    else
        p->assignment_end = INT64_MIN;
    p->entitled = rng_pct(&r, 95);

    if (rng_pct(&r, 98)) {
        char f[64], l[48];
        ascii_fold(p->first_name, f, sizeof f);
        ascii_fold(p->last_name, l, sizeof l);
        if (rng_pct(&r, 35))
            snprintf(p->email, sizeof p->email, "%s.%s@meb.gov.tr", f, l);
        else
            snprintf(p->email, sizeof p->email, "%s.%s%u@meb.gov.tr", f, l, 1 + rng_below(&r, 999));
    }
    if (rng_pct(&r, 98))
        make_phone(&r, p->phone);
}

static const char *const columns[] = {
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
};

static void write_person(struct gen_out *o, const struct gen_person *p, char sep)
{
    char day[11], il[4];
    out_str(o, p->tckn);
    out_chr(o, sep);
    out_field(o, p->first_name, sep);
    out_chr(o, sep);
    out_field(o, p->last_name, sep);
    out_chr(o, sep);
    out_field(o, p->birth_place, sep);
    out_chr(o, sep);
    format_day(p->birth_date, p->birth_tr, day);
    out_str(o, day);
    out_chr(o, sep);
    out_str(o, p->institution_code);
    out_chr(o, sep);
    out_field(o, p->institution_name, sep);
    out_chr(o, sep);
    snprintf(il, sizeof il, "%02d", p->province);
    out_str(o, il);
    out_chr(o, sep);
    out_field(o, p->district, sep);
    out_chr(o, sep);
    out_field(o, p->unit, sep);
    out_chr(o, sep);
    out_field(o, p->title, sep);
    out_chr(o, sep);
    out_str(o, duty_codes[p->duty]);
    out_chr(o, sep);
    if (p->assignment_end != INT64_MIN) {
        format_day(p->assignment_end, p->birth_tr, day);
        out_str(o, day);
    }
    out_chr(o, sep);
    out_chr(o, p->entitled ? '1' : '0');
    out_chr(o, sep);
    out_field(o, p->email, sep);
    out_chr(o, sep);
    out_field(o, p->phone, sep);
    out_chr(o, '\n');
}

/* ---- certificate plan (certspec) ------------------------------------------------------- */

/* The demo's certificate stages. The applicant is the first person who may apply (in
 * service, entitled, no ended assignment): their certificate expires in 45 days and gets its
 * own key. Then a few dozen people cycle through the stages of a certificate's life, a few
 * have no certificate, and everyone else holds one that expires far in the future. */
static const struct {
    const char *stage;
    int days;
} stage_cycle[] = {
    {"d100", 100}, {"d80", 80}, {"d45", 45}, {"d20", 20}, {"expired", -10}, {"revoked", 200},
};
#define STAGE_CYCLES 6
#define STAGE_NONE   5

static bool may_apply(const struct gen_opts *o, const struct gen_person *p)
{
    return p->duty == DUTY_ACTIVE && p->entitled &&
           (p->assignment_end == INT64_MIN || p->assignment_end > o->today);
}

static void write_certspec(struct gen_out *o, const struct gen_opts *opts,
                           const struct gen_person *p, bool *applicant_done, unsigned long *k)
{
    const char *stage;
    char days[16] = "";
    if (!*applicant_done && may_apply(opts, p)) {
        *applicant_done = true;
        stage = "applicant";
        snprintf(days, sizeof days, "45");
    } else {
        unsigned long n = (*k)++;
        unsigned long ncycle = STAGE_CYCLES * (sizeof stage_cycle / sizeof stage_cycle[0]);
        if (n < ncycle) {
            stage = stage_cycle[n % (sizeof stage_cycle / sizeof stage_cycle[0])].stage;
            snprintf(days, sizeof days, "%d",
                     stage_cycle[n % (sizeof stage_cycle / sizeof stage_cycle[0])].days);
        } else if (n < ncycle + STAGE_NONE) {
            stage = "none";
        } else {
            /* Far expiry: one of eight dates 400 to 1,030 days ahead (few distinct dates let
             * the demo PKI issue them in a few batches), from the row's T.C. Kimlik No. */
            stage = "far";
            snprintf(days, sizeof days, "%d", 400 + 90 * (int)(strtoull(p->tckn, NULL, 10) % 8));
        }
    }
    char cn[160], full[128], birth[11];
    snprintf(full, sizeof full, "%s %s", p->first_name, p->last_name);
    tr_upper(full, cn, sizeof cn);
    format_day(p->birth_date, false, birth);
    out_str(o, p->tckn);
    out_chr(o, '\t');
    out_str(o, stage);
    out_chr(o, '\t');
    out_str(o, days);
    out_chr(o, '\t');
    out_str(o, cn);
    out_chr(o, '\t');
    out_str(o, p->first_name);
    out_chr(o, '\t');
    out_str(o, p->last_name);
    out_chr(o, '\t');
    out_str(o, p->birth_place);
    out_chr(o, '\t');
    out_str(o, birth);
    out_chr(o, '\t');
    out_str(o, duty_codes[p->duty]);
    out_chr(o, '\n');
}

/* ---- main ------------------------------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(
        f,
        "usage: eimza-gen personnel --count N [--seed S] [--provinces 06,34,72] [--sep ';'|',']\n"
        "                           [--today YYYY-MM-DD]\n"
        "       eimza-gen certspec  --count N [--seed S] [--provinces ...] [--today "
        "YYYY-MM-DD]\n"
        "personnel: a personnel CSV on stdout (deterministic for the arguments).\n"
        "certspec:  for the same people, one line each (tab-separated): tckn, stage\n"
        "           (applicant d100 d80 d45 d20 expired revoked far none), days from today\n"
        "           to the certificate's expiry, CN, ad, soyad, dogum_yeri, dogum_tarihi,\n"
        "           gorev_durumu. --today defaults to the current UTC date.\n");
}

static int parse_provinces(const char *s, struct gen_opts *o)
{
    o->nprovinces = 0;
    while (*s) {
        char *end;
        errno = 0;
        long v = strtol(s, &end, 10);
        if (end == s || errno || v < 1 || v > GEN_MAX_PROVINCES ||
            o->nprovinces == GEN_MAX_PROVINCES)
            return -1;
        o->provinces[o->nprovinces++] = (int)v;
        if (*end == ',')
            end++;
        else if (*end)
            return -1;
        s = end;
    }
    return o->nprovinces ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 1;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return 0;
    }
    bool certspec = !strcmp(argv[1], "certspec");
    if (!certspec && strcmp(argv[1], "personnel")) {
        fprintf(stderr, "eimza-gen: unknown command '%s'\n", argv[1]);
        usage(stderr);
        return 1;
    }

    struct gen_opts o = {.seed = 1, .sep = ';'};
    for (unsigned i = 0; i < GEN_MAX_PROVINCES; i++)
        o.provinces[i] = (int)i + 1;
    o.nprovinces = GEN_MAX_PROVINCES;
    time_t now = time(NULL);
    o.today = (int64_t)now / 86400;
    bool have_count = false;

    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end;
        if (!v) {
            fprintf(stderr, "eimza-gen: %s needs a value\n", a);
            return 1;
        }
        errno = 0;
        if (!strcmp(a, "--count")) {
            unsigned long long n = strtoull(v, &end, 10);
            if (*end || errno || end == v || n > GEN_PREFIXES || v[0] == '-') {
                fprintf(stderr, "eimza-gen: --count must be 0..%llu\n", GEN_PREFIXES);
                return 1;
            }
            o.count = (unsigned long)n;
            have_count = true;
        } else if (!strcmp(a, "--seed")) {
            o.seed = strtoull(v, &end, 10);
            if (*end || errno || end == v || v[0] == '-') {
                fprintf(stderr, "eimza-gen: --seed must be a non-negative integer\n");
                return 1;
            }
        } else if (!strcmp(a, "--provinces")) {
            if (parse_provinces(v, &o)) {
                fprintf(stderr, "eimza-gen: --provinces wants plate codes 1..81, e.g. 06,34,72\n");
                return 1;
            }
        } else if (!strcmp(a, "--sep")) {
            if (strcmp(v, ";") && strcmp(v, ",")) {
                fprintf(stderr, "eimza-gen: --sep must be ';' or ','\n");
                return 1;
            }
            o.sep = v[0];
        } else if (!strcmp(a, "--today")) {
            if (parse_day(v, &o.today)) {
                fprintf(stderr, "eimza-gen: --today wants YYYY-MM-DD\n");
                return 1;
            }
        } else {
            fprintf(stderr, "eimza-gen: unknown option '%s'\n", a);
            usage(stderr);
            return 1;
        }
        i++;
    }
    if (!have_count) {
        fprintf(stderr, "eimza-gen: --count N is required\n");
        return 1;
    }

    static struct gen_out out; /* 64 KiB: not on the stack */
    struct gen_perm perm = perm_for_seed(o.seed);
    struct gen_person p;
    bool applicant_done = false;
    unsigned long k = 0;
    if (!certspec) {
        for (size_t c = 0; c < sizeof columns / sizeof columns[0]; c++) {
            if (c)
                out_chr(&out, o.sep);
            out_str(&out, columns[c]);
        }
        out_chr(&out, '\n');
    }
    for (unsigned long i = 0; i < o.count && !out.failed; i++) {
        make_person(&o, &perm, i, &p);
        if (certspec)
            write_certspec(&out, &o, &p, &applicant_done, &k);
        else
            write_person(&out, &p, o.sep);
    }
    out_flush(&out);
    if (out.failed || fflush(stdout) != 0) {
        fprintf(stderr, "eimza-gen: cannot write the output\n");
        return 2;
    }
    return 0;
}
