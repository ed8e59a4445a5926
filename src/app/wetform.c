/* eimza — the wet-signature PDF: the application form and the holder's undertaking, drawn
 * with libharu and libqrencode (see wetform.h for what the pages hold).
 *
 * libharu reports errors through a handler; ours only records the first one, and libharu
 * then refuses every further call on the document, so the drawing code runs straight through
 * and the result is checked at a few points (no longjmp, and HPDF_Free releases everything
 * whatever happened). Text is wrapped here, by measuring words with the font's metrics, so
 * that a long address or institution name continues on the next line instead of being cut,
 * and a row that would not fit above the bottom margin moves to a new page whole.
 */
#include "app/wetform.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <qrencode.h>

#include "core/content.h"
#include "core/date.h"
#include "core/trtext.h"
#include "core/validate.h"

/* A4 in points and the margins (about 2 cm at the sides). */
#define PAGE_W    595.276f
#define PAGE_H    841.89f
#define MARGIN_X  56.0f
#define TOP       (PAGE_H - 50.0f)
#define BOTTOM    62.0f /* the footer sits below this */
#define CONTENT_W (PAGE_W - 2 * MARGIN_X)

#define LABEL_W    150.0f /* column of the field labels */
#define BODY_SIZE  9.0f
#define BODY_LEAD  11.8f
#define SMALL_SIZE 7.5f

/* QR code: at most this wide including the quiet zone of 4 modules on each side. */
#define QR_QUIET  4
#define QR_TARGET 84.0f

/* The longest line drawn, in bytes. Every text drawn is shorter than this (a field holds at
 * most STORE_ADDRESS_MAX bytes; the longest composed line, the holder's label and full name,
 * about 580), so a line, which is a part of one text, always fits. */
#define LINE_MAX 1024

struct wf {
    HPDF_Doc doc;
    HPDF_Page page;
    HPDF_Font reg, bold;
    float y; /* baseline position of the next line */
    int pageno;
    HPDF_STATUS hpdf_err, hpdf_detail; /* the first error libharu reported */
    enum app_wetform_err rc;           /* the first error found here */
    char msg[160];
    /* the facts every page repeats */
    char number[STORE_APP_NUMBER_LEN + 1];
    char today[CORE_DATE_STRLEN + 1];   /* now, DD.MM.YYYY in Turkish time */
    char applied[CORE_DATE_STRLEN + 1]; /* the application's creation day */
    const char *send_to;                /* where the signed paper goes; NULL: not known */
    char qr[512]; /* what the QR code holds: the number, or the search's address for it */
};

static void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    struct wf *w = user_data;
    if (!w->hpdf_err) {
        w->hpdf_err = error_no;
        w->hpdf_detail = detail_no;
    }
}

static bool failed(const struct wf *w)
{
    return w->hpdf_err != HPDF_OK || w->rc != APP_WETFORM_OK;
}

static void fail(struct wf *w, enum app_wetform_err rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(struct wf *w, enum app_wetform_err rc, const char *fmt, ...)
{
    if (w->rc != APP_WETFORM_OK)
        return;
    w->rc = rc;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->msg, sizeof w->msg, fmt, ap);
    va_end(ap);
}

/* Turns a libharu error into ours (once), naming what was being done. */
static void check_hpdf(struct wf *w, enum app_wetform_err rc, const char *what)
{
    if (w->hpdf_err == HPDF_OK || w->rc != APP_WETFORM_OK)
        return;
    if (w->hpdf_err == HPDF_FAILD_TO_ALLOC_MEM)
        rc = APP_WETFORM_ENOMEM;
    fail(w, rc, "%s: libharu error 0x%04X (detail %u)", what, (unsigned)w->hpdf_err,
         (unsigned)w->hpdf_detail);
}

/* ---- text -------------------------------------------------------------------------------- */

/* Copies a fixed-size field of the application into out (cap bytes) with control characters
 * turned into spaces, runs of spaces folded and the ends trimmed, as core/content.c writes
 * values. A field without its NUL or not valid UTF-8 is bad input. */
static void clean(struct wf *w, const char *name, const char *src, size_t srccap, char *out,
                  size_t cap)
{
    out[0] = '\0';
    const char *end = memchr(src, '\0', srccap);
    if (!end || !core_utf8_valid(src, (size_t)(end - src))) {
        fail(w, APP_WETFORM_EINVAL, "field %s is not valid UTF-8 text", name);
        return;
    }
    size_t o = 0;
    bool space = false;
    for (const char *p = src; p < end; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch < 0x20 || ch == 0x7F || ch == ' ') {
            space = true;
            continue;
        }
        size_t sep = space && o > 0;
        if (o + sep + 2 > cap) { /* cannot happen: out is as large as the field */
            fail(w, APP_WETFORM_EINVAL, "field %s is too long", name);
            return;
        }
        if (sep)
            out[o++] = ' ';
        space = false;
        out[o++] = (char)ch;
    }
    out[o] = '\0';
}

#define CLEAN(w, a, member, out)                                                                   \
    clean((w), #member, (a)->member, sizeof(a)->member, (out), sizeof(out))

static size_t utf8_seq_len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0)
        return 2;
    if ((c & 0xF0) == 0xE0)
        return 3;
    return 4; /* the text was checked to be valid UTF-8 */
}

static float text_w(HPDF_Font f, float size, const char *s, size_t n)
{
    HPDF_TextWidth tw = HPDF_Font_TextWidth(f, (const HPDF_BYTE *)s, (HPDF_UINT)n);
    return (float)tw.width * size / 1000.0f;
}

/* Draws n bytes of s with its baseline at (x, y). */
static void show(struct wf *w, HPDF_Font f, float size, float x, float y, const char *s, size_t n)
{
    char line[LINE_MAX];
    if (failed(w) || n == 0)
        return;
    if (n >= sizeof line) {
        fail(w, APP_WETFORM_EPDF, "a line of text is too long");
        return;
    }
    memcpy(line, s, n);
    line[n] = '\0';
    HPDF_Page_BeginText(w->page);
    HPDF_Page_SetFontAndSize(w->page, f, size);
    HPDF_Page_TextOut(w->page, x, y, line);
    HPDF_Page_EndText(w->page);
}

static void show_str(struct wf *w, HPDF_Font f, float size, float x, float y, const char *s)
{
    show(w, f, size, x, y, s, strlen(s));
}

/* Lays s out in lines at most maxw wide, breaking at spaces, and inside a word only when the
 * word alone is wider than a line (an e-mail address, an address written without spaces).
 * With draw, line i goes to baseline y - i * lead at x. Returns the number of lines (at
 * least 1, so that an empty value still takes its row). */
static int wrap(struct wf *w, HPDF_Font f, float size, float x, float y, float maxw, float lead,
                const char *s, bool draw)
{
    int lines = 0;
    const char *p = s;
    while (*p == ' ')
        p++;
    while (*p && !failed(w)) {
        const char *fit = NULL; /* end of the longest run of whole words that fits */
        const char *q = p;
        for (;;) {
            const char *e = q;
            while (*e == ' ')
                e++;
            while (*e && *e != ' ')
                e++;
            if (text_w(f, size, p, (size_t)(e - p)) > maxw)
                break;
            fit = e;
            q = e;
            if (!*e)
                break;
        }
        if (!fit) { /* the first word alone is too wide: cut it between characters */
            const char *e = p;
            while (*e && *e != ' ') {
                const char *next = e + utf8_seq_len((unsigned char)*e);
                if (e > p && text_w(f, size, p, (size_t)(next - p)) > maxw)
                    break;
                e = next;
            }
            fit = e;
        }
        if (draw)
            show(w, f, size, x, y - (float)lines * lead, p, (size_t)(fit - p));
        lines++;
        p = fit;
        while (*p == ' ')
            p++;
    }
    return lines ? lines : 1;
}

/* ---- pages ------------------------------------------------------------------------------- */

static void footer(struct wf *w)
{
    char text[160];
    snprintf(text, sizeof text, "Başvuru No: %s  ·  Belge tarihi: %s  ·  Sayfa %d", w->number,
             w->today, w->pageno);
    HPDF_Page_SetGrayFill(w->page, 0.35f);
    show_str(w, w->reg, SMALL_SIZE, MARGIN_X, 36.0f, text);
    HPDF_Page_SetGrayFill(w->page, 0.0f);
    HPDF_Page_SetGrayStroke(w->page, 0.6f);
    HPDF_Page_SetLineWidth(w->page, 0.5f);
    HPDF_Page_MoveTo(w->page, MARGIN_X, 48.0f);
    HPDF_Page_LineTo(w->page, PAGE_W - MARGIN_X, 48.0f);
    HPDF_Page_Stroke(w->page);
    HPDF_Page_SetGrayStroke(w->page, 0.0f);
}

static void new_page(struct wf *w)
{
    if (failed(w))
        return;
    w->page = HPDF_AddPage(w->doc);
    if (!w->page) {
        check_hpdf(w, APP_WETFORM_EPDF, "adding a page");
        return;
    }
    HPDF_Page_SetSize(w->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    w->pageno++;
    w->y = TOP;
    footer(w);
}

/* Makes room for h points of content: a new page when it would run into the footer. */
static void need(struct wf *w, float h)
{
    if (w->y - h < BOTTOM)
        new_page(w);
}

static void title(struct wf *w, const char *t, const char *sub)
{
    w->y -= 16.0f;
    show_str(w, w->bold, 16.0f, MARGIN_X, w->y, t);
    if (sub) {
        w->y -= 15.0f;
        show_str(w, w->reg, BODY_SIZE, MARGIN_X, w->y, sub);
    }
}

static void section(struct wf *w, const char *name)
{
    need(w, 21.0f + 2 * BODY_LEAD); /* never a heading alone at the bottom */
    w->y -= 17.0f;
    show_str(w, w->bold, 11.0f, MARGIN_X, w->y, name);
    w->y -= 4.0f;
    HPDF_Page_SetLineWidth(w->page, 0.6f);
    HPDF_Page_MoveTo(w->page, MARGIN_X, w->y);
    HPDF_Page_LineTo(w->page, PAGE_W - MARGIN_X, w->y);
    HPDF_Page_Stroke(w->page);
    w->y -= 3.0f;
}

/* One field: its label on the left, the value wrapped in the column to its right ("-" for an
 * empty value, so that a blank on paper is never mistaken for a field left out). */
static void row(struct wf *w, const char *label, const char *value)
{
    const float vx = MARGIN_X + LABEL_W, vw = CONTENT_W - LABEL_W;
    if (!value || !*value)
        value = "-";
    int n = wrap(w, w->reg, BODY_SIZE, vx, 0, vw, BODY_LEAD, value, false);
    need(w, (float)n * BODY_LEAD + 1.5f);
    w->y -= BODY_LEAD;
    HPDF_Page_SetGrayFill(w->page, 0.3f);
    show_str(w, w->reg, BODY_SIZE, MARGIN_X, w->y, label);
    HPDF_Page_SetGrayFill(w->page, 0.0f);
    wrap(w, w->reg, BODY_SIZE, vx, w->y, vw, BODY_LEAD, value, true);
    w->y -= (float)(n - 1) * BODY_LEAD + 1.5f;
}

/* A paragraph over the full width, starting at x (a hanging indent for numbered items).
 * Returns the baseline of its first line (on the page it ended up on). */
static float paragraph(struct wf *w, HPDF_Font f, float size, float lead, float x, const char *text)
{
    float maxw = PAGE_W - MARGIN_X - x;
    int n = wrap(w, f, size, x, 0, maxw, lead, text, false);
    need(w, (float)n * lead);
    w->y -= lead;
    float first = w->y;
    wrap(w, f, size, x, w->y, maxw, lead, text, true);
    w->y -= (float)(n - 1) * lead;
    return first;
}

static void rect_stroke(struct wf *w, float x, float y, float width, float height)
{
    HPDF_Page_SetLineWidth(w->page, 0.8f);
    HPDF_Page_Rectangle(w->page, x, y, width, height);
    HPDF_Page_Stroke(w->page);
}

/* The signature area shared by both pages: the signer's name (when who_label is given) and a
 * date line on the left, a box labelled "İmza" on the right. */
static void signature_block(struct wf *w, const char *who_label, const char *who)
{
    const float box_w = 190.0f, box_h = 66.0f;
    const float box_x = PAGE_W - MARGIN_X - box_w;
    const float left_w = box_x - MARGIN_X - 12.0f;
    char line[CORE_NAME_MAX * 4 + 64]; /* the full name and its label, never cut */
    int n = 0;

    if (who_label) {
        snprintf(line, sizeof line, "%s: %s", who_label, who);
        n = wrap(w, w->reg, BODY_SIZE, MARGIN_X, 0, left_w, BODY_LEAD, line, false);
    }
    /* the name may take several lines: the block is as tall as the longer of its sides */
    float left_h = 13.0f + (who_label ? (float)n * BODY_LEAD + 18.0f : 0) + 6.0f;
    float block_h = left_h > box_h ? left_h : box_h;
    need(w, block_h + 26.0f);
    w->y -= 14.0f;
    float top = w->y;
    rect_stroke(w, box_x, top - box_h, box_w, box_h);
    show_str(w, w->bold, BODY_SIZE, box_x + 6.0f, top - 13.0f, "İmza");

    float y = top - 13.0f;
    if (who_label) {
        wrap(w, w->reg, BODY_SIZE, MARGIN_X, y, left_w, BODY_LEAD, line, true);
        y -= (float)n * BODY_LEAD + 18.0f;
    }
    show_str(w, w->reg, BODY_SIZE, MARGIN_X, y, "Tarih: ......../......../............");
    w->y = top - block_h;
}

/* ---- the QR code ------------------------------------------------------------------------- */

/* Draws the QR code of text with its top-right corner (quiet zone included) at (right, top);
 * returns the side of the square it took, quiet zone included (0 on failure). Dark modules
 * are filled rectangles, one per horizontal run, all filled as one path so that no seam shows
 * between neighbours when the page is rasterised. */
static float draw_qr(struct wf *w, const char *text, float right, float top)
{
    if (failed(w))
        return 0;
    errno = 0;
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) {
        fail(w, errno == ENOMEM ? APP_WETFORM_ENOMEM : APP_WETFORM_EPDF,
             "QR encoding failed (errno %d)", errno);
        return 0;
    }
    int n = qr->width;
    float m = QR_TARGET / (float)(n + 2 * QR_QUIET);
    if (m > 3.5f)
        m = 3.5f;
    float side = m * (float)(n + 2 * QR_QUIET);
    float x0 = right - side + m * QR_QUIET, y0 = top - m * QR_QUIET; /* top-left module */

    /* the quiet zone is the page's white; paint it anyway in case the page ever is not */
    HPDF_Page_SetGrayFill(w->page, 1.0f);
    HPDF_Page_Rectangle(w->page, right - side, top - side, side, side);
    HPDF_Page_Fill(w->page);
    HPDF_Page_SetGrayFill(w->page, 0.0f);
    for (int r = 0; r < n; r++) {
        for (int c = 0; c < n;) {
            if (!(qr->data[r * n + c] & 1)) {
                c++;
                continue;
            }
            int start = c;
            while (c < n && (qr->data[r * n + c] & 1))
                c++;
            HPDF_Page_Rectangle(w->page, x0 + m * (float)start, y0 - m * (float)(r + 1),
                                m * (float)(c - start), m);
        }
    }
    HPDF_Page_Fill(w->page);
    QRcode_free(qr);
    return side;
}

/* ---- the content ------------------------------------------------------------------------- */

/* Every value the pages show, cleaned, and the labels of the coded ones. */
struct vals {
    char tckn[CORE_TCKN_LEN + 1];
    char first[CORE_NAME_MAX * 2], last[CORE_NAME_MAX * 2]; /* Turkish upper case */
    char fullname[CORE_NAME_MAX * 4 + 2];
    char birth_place[CORE_NAME_MAX], birth_date[CORE_DATE_STRLEN + 1];
    char institution[CORE_TEXT_MAX], registry_no[CORE_CODE_MAX];
    char reader[STORE_READER_MAX];
    char validity[16];
    char unit[CORE_TEXT_MAX], title[CORE_NAME_MAX];
    char address[STORE_ADDRESS_MAX];
    char district[CORE_NAME_MAX], postal[8];
    char email[CORE_EMAIL_MAX];
    char work_phone[48], mobile_phone[32], home_phone[32];
    const char *reason, *oper, *notify, *province, *security_word;
};

struct code_label {
    const char *code, *label;
};

static const struct code_label reasons[] = {
    {"renewal", "Yenileme"}, {"lost_stolen", "Kayıp/Çalıntı"}, {"other", "Diğer"}, {NULL, NULL}};
static const struct code_label operators[] = {{"turkcell", "Turkcell"},
                                              {"vodafone", "Vodafone"},
                                              {"turk_telekom", "Türk Telekom"},
                                              {NULL, NULL}};
static const struct code_label notify_by[] = {
    {"email", "E-posta"}, {"sms", "SMS"}, {"both", "E-posta ve SMS"}, {NULL, NULL}};

/* The label of a stored code; the code itself when the table does not know it (a new value
 * must still reach the paper rather than vanish), "" when the field is empty. */
static const char *label_of(const struct code_label *t, const char *code, size_t cap)
{
    const char *end = memchr(code, '\0', cap);
    if (!end || !core_utf8_valid(code, (size_t)(end - code)))
        return "";
    for (; t->code; t++)
        if (!strcmp(t->code, code))
            return t->label;
    return code;
}

/* A phone number stored as its 10 national digits, written as Turks write it: 0532 123 45 67. */
static void format_phone(char *out, size_t cap, const char *digits)
{
    if (strlen(digits) == CORE_PHONE_LEN && strspn(digits, "0123456789") == CORE_PHONE_LEN)
        snprintf(out, cap, "0%.3s %.3s %.2s %.2s", digits, digits + 3, digits + 6, digits + 8);
    else
        snprintf(out, cap, "%s", digits);
}

static void upper(struct wf *w, const char *name, const char *in, char *out, size_t cap)
{
    if (core_tr_upper(in, strlen(in), out, cap) < 0)
        fail(w, APP_WETFORM_EINVAL, "field %s cannot be upper-cased", name);
}

static void collect(struct wf *w, const struct store_application *a, struct vals *v)
{
    char tmp[CORE_NAME_MAX], phone[CORE_PHONE_LEN + 8];

    CLEAN(w, a, number, w->number);
    CLEAN(w, a, tckn, v->tckn);
    if (failed(w))
        return;
    if (!w->number[0] ||
        strspn(w->number, "0123456789ABCDEFGHJKMNPQRSTVWXYZ") != strlen(w->number)) {
        fail(w, APP_WETFORM_EINVAL, "the application number is missing or malformed");
        return;
    }
    if (strlen(v->tckn) != CORE_TCKN_LEN || strspn(v->tckn, "0123456789") != CORE_TCKN_LEN) {
        fail(w, APP_WETFORM_EINVAL, "the T.C. Kimlik No is missing or malformed");
        return;
    }
    CLEAN(w, a, first_name, tmp);
    upper(w, "first_name", tmp, v->first, sizeof v->first);
    CLEAN(w, a, last_name, tmp);
    upper(w, "last_name", tmp, v->last, sizeof v->last);
    if (failed(w))
        return;
    if (!v->first[0] || !v->last[0]) {
        fail(w, APP_WETFORM_EINVAL, "the holder's name is missing");
        return;
    }
    snprintf(v->fullname, sizeof v->fullname, "%s %s", v->first, v->last);

    CLEAN(w, a, birth_place, v->birth_place);
    char bd[CORE_DATE_STRLEN + 1];
    CLEAN(w, a, birth_date, bd);
    int32_t day;
    if (bd[0] && core_date_parse(bd, strlen(bd), &day) == 0)
        core_date_format_tr(day, v->birth_date);
    else
        snprintf(v->birth_date, sizeof v->birth_date, "%s", bd);

    CLEAN(w, a, institution_name, v->institution);
    CLEAN(w, a, registry_no, v->registry_no);
    CLEAN(w, a, card_reader, v->reader);
    if (!v->reader[0] || !strcmp(v->reader, "none"))
        snprintf(v->reader, sizeof v->reader, "İstenmedi");
    if (a->validity_years > 0)
        snprintf(v->validity, sizeof v->validity, "%d Yıl", a->validity_years);
    v->security_word =
        a->security_word_hash[0] ? "Belirlendi (gizlidir, bu belgede yazılmaz)" : "Belirlenmedi";
    CLEAN(w, a, unit, v->unit);
    CLEAN(w, a, title, v->title);
    CLEAN(w, a, address, v->address);
    CLEAN(w, a, district, v->district);
    CLEAN(w, a, postal_code, v->postal);
    CLEAN(w, a, email, v->email);
    v->province = core_province_name(a->province);

    CLEAN(w, a, work_phone, phone);
    format_phone(v->work_phone, sizeof v->work_phone, phone);
    CLEAN(w, a, work_phone_ext, tmp);
    if (v->work_phone[0] && tmp[0]) {
        size_t l = strlen(v->work_phone);
        snprintf(v->work_phone + l, sizeof v->work_phone - l, " (Dahili: %s)", tmp);
    }
    CLEAN(w, a, mobile_phone, phone);
    format_phone(v->mobile_phone, sizeof v->mobile_phone, phone);
    CLEAN(w, a, home_phone, phone);
    format_phone(v->home_phone, sizeof v->home_phone, phone);

    v->reason = label_of(reasons, a->reason, sizeof a->reason);
    v->oper = label_of(operators, a->mobile_operator, sizeof a->mobile_operator);
    v->notify = label_of(notify_by, a->notify_by, sizeof a->notify_by);
}

static void page_form(struct wf *w, const struct vals *v)
{
    char line[128];

    new_page(w);
    float qr_side = draw_qr(w, w->qr, PAGE_W - MARGIN_X + 6.0f, TOP + 6.0f);
    title(w, "E-İmza Sertifika Başvuru Formu",
          "Nitelikli Elektronik Sertifika Başvurusu · Yöntem 2: Islak İmzalı Başvuru");
    w->y -= 26.0f;
    snprintf(line, sizeof line, "Başvuru No: %s", w->number);
    show_str(w, w->bold, 15.0f, MARGIN_X, w->y, line);
    w->y -= 16.0f;
    snprintf(line, sizeof line, "Başvuru Tarihi: %s", w->applied);
    show_str(w, w->reg, 10.0f, MARGIN_X, w->y, line);
    /* below the QR code, whichever of the two reaches lower */
    if (w->y > TOP + 6.0f - qr_side)
        w->y = TOP + 6.0f - qr_side;

    /* the declaration before the data it declares ("Aşağıda yazılı bütün bilgilerin ...") */
    section(w, "Beyan");
    paragraph(w, w->reg, BODY_SIZE, BODY_LEAD, MARGIN_X, core_content_declaration);

    section(w, "Başvuru Bilgileri");
    row(w, "Başvuru Nedeni", v->reason);
    row(w, "Kart Okuyucu Tipi", v->reader);
    row(w, "Sertifika Süresi", v->validity);

    section(w, "Kişisel Bilgiler");
    row(w, "Kimlik No", v->tckn);
    row(w, "Ad", v->first);
    row(w, "Soyad", v->last);
    row(w, "Doğum Yeri", v->birth_place);
    row(w, "Doğum Tarihi", v->birth_date);
    row(w, "Güvenlik Sözcüğü", v->security_word);

    section(w, "Kurum Bilgileri");
    row(w, "Kurum Adı", v->institution);
    row(w, "Kurum Sicil No", v->registry_no);
    row(w, "Çalıştığı Birim", v->unit);
    row(w, "Unvan", v->title);
    row(w, "Kurum/Birim Adresi", v->address);
    row(w, "İl", v->province);
    row(w, "İlçe", v->district);
    row(w, "Posta Kodu", v->postal);

    section(w, "İletişim Bilgileri");
    row(w, "E-posta", v->email);
    row(w, "İş Telefonu", v->work_phone);
    row(w, "Cep Telefonu", v->mobile_phone);
    row(w, "Mobil Operatör", v->oper);
    row(w, "Ev Telefonu", v->home_phone);
    row(w, "Bildirim Tercihi", v->notify);

    signature_block(w, "Başvuru Sahibi", v->fullname);
    w->y -= 8.0f;
    /* where the paper goes, the same words as the pages' (web_pg_wet_howto) */
    char note[1536];
    if (w->send_to && *w->send_to)
        snprintf(note, sizeof note,
                 "Bu formu ve ekindeki Sertifika Sahibi Taahhütnamesini imzalayıp iadeli "
                 "taahhütlü posta ile ya da elden şu adrese gönderiniz: %s. Başvurunuz, imzalı "
                 "form teslim alındıktan sonra değerlendirilir.",
                 w->send_to);
    else
        snprintf(note, sizeof note, "%s",
                 "Bu formu ve ekindeki Sertifika Sahibi Taahhütnamesini imzalayıp iadeli "
                 "taahhütlü posta ile ya da elden il millî eğitim müdürlüğünüzün DYS birimine "
                 "gönderiniz. Başvurunuz, imzalı form teslim alındıktan sonra "
                 "değerlendirilir.");
    HPDF_Page_SetGrayFill(w->page, 0.3f);
    paragraph(w, w->reg, 8.0f, 10.5f, MARGIN_X, note);
    HPDF_Page_SetGrayFill(w->page, 0.0f);
}

/* What a holder undertakes, in the order a holder meets it: personal use, keeping the card
 * and codes safe, reporting loss, the truth of the data, lawful use, the provider's policy,
 * the end of use, personal data. */
static const char *const undertakings[] = {
    "Nitelikli elektronik sertifikamı ve ona ait imza oluşturma verisini (akıllı kartımdaki "
    "özel anahtarı) yalnızca kendim ve kişisel olarak kullanacağımı; kartımı, PIN ve PUK "
    "kodlarımı hiç kimseye vermeyeceğimi, kimsenin benim adıma imza atmasına izin "
    "vermeyeceğimi,",
    "Akıllı kartımı özenle saklayacağımı; PIN ve PUK kodlarımı gizli tutacağımı, kartla birlikte "
    "bulundurmayacağımı ve kimsenin görebileceği bir yere yazmayacağımı; PIN kodunun üç kez "
    "hatalı girilmesiyle kartın kilitleneceğini bildiğimi,",
    "Kartımın kaybolması, çalınması veya zarar görmesi ya da PIN kodumun başkalarınca "
    "öğrenildiğinden şüphelenmem hâlinde durumu gecikmeden Kamu SM'ye (Çağrı Merkezi: "
    "444 5 576) bildirip sertifikamın iptalini isteyeceğimi,",
    "Başvuru sırasında belirlediğim güvenlik sözcüğünü gizli tutacağımı; Kamu SM çağrı "
    "merkezinin kimliğimi bu sözcükle doğrulayacağını bildiğimi,",
    "Başvuru formundaki bilgilerin doğru olduğunu; adres, iletişim, kurum veya görev "
    "bilgilerimde bir değişiklik olduğunda bunu gecikmeden bildireceğimi,",
    "Sertifikamı 5070 sayılı Elektronik İmza Kanunu ve ilgili mevzuata uygun olarak, yalnızca "
    "sertifikada belirtilen kullanım amacı ve sınırları içinde kullanacağımı,",
    "Kamu SM'nin Nitelikli Elektronik Sertifika İlkeleri ile Sertifika Uygulama Esaslarını "
    "okuduğumu, anladığımı ve kabul ettiğimi,",
    "Sertifikamın süresi dolduktan veya sertifikam iptal edildikten sonra onunla imza "
    "oluşturmayacağımı; görevimin sona ermesi ya da sertifikayı kullanma yetkimin kalkması "
    "hâlinde sertifikamın iptalini isteyeceğimi,",
    "Kişisel verilerimin sertifikanın hazırlanması, kartın teslimi ve sertifika hizmetinin "
    "yürütülmesi amacıyla 6698 sayılı Kişisel Verilerin Korunması Kanunu'na uygun olarak "
    "işleneceği konusunda bilgilendirildiğimi,",
};
#define N_UNDERTAKINGS (sizeof undertakings / sizeof undertakings[0])

static void page_undertaking(struct wf *w, const struct vals *v)
{
    char text[512];

    new_page(w);
    title(w, "Sertifika Sahibi Taahhütnamesi",
          "Kamu SM Nitelikli Elektronik Sertifika Sahibi Taahhütnamesi");
    w->y -= 10.0f;
    snprintf(text, sizeof text,
             "Ben, aşağıda kimlik bilgileri yazılı sertifika sahibi, %s numaralı başvurum "
             "üzerine adıma Kamu Sertifikasyon Merkezi (Kamu SM) tarafından düzenlenecek "
             "nitelikli elektronik sertifika ve bu sertifikayı taşıyan akıllı kart için:",
             w->number);
    paragraph(w, w->reg, 10.0f, 14.0f, MARGIN_X, text);
    w->y -= 4.0f;
    for (size_t i = 0; i < N_UNDERTAKINGS && !failed(w); i++) {
        char num[8];
        snprintf(num, sizeof num, "%zu.", i + 1);
        float first = paragraph(w, w->reg, 10.0f, 14.0f, MARGIN_X + 20.0f, undertakings[i]);
        show_str(w, w->reg, 10.0f, MARGIN_X + 4.0f, first, num);
        w->y -= 4.0f;
    }
    paragraph(w, w->reg, 10.0f, 14.0f, MARGIN_X,
              "bu yükümlülüklere aykırı davranmamdan doğacak bütün zararlardan sorumlu "
              "olacağımı kabul, beyan ve taahhüt ederim.");

    w->y -= 8.0f;
    section(w, "Sertifika Sahibi");
    row(w, "Adı Soyadı", v->fullname);
    row(w, "T.C. Kimlik No", v->tckn);
    row(w, "Kurum Adı", v->institution);
    row(w, "Başvuru No", w->number);
    signature_block(w, NULL, NULL);
}

/* ---- the document ------------------------------------------------------------------------ */

static HPDF_Font load_font(struct wf *w, const char *path)
{
    if (failed(w))
        return NULL;
    /* libharu's own message for a missing file is an error number; say which file. */
    FILE *f = fopen(path, "rb");
    if (!f) {
        fail(w, APP_WETFORM_EFONT, "font %s cannot be opened: %s", path, strerror(errno));
        return NULL;
    }
    fclose(f);
    const char *name = HPDF_LoadTTFontFromFile(w->doc, path, HPDF_TRUE);
    HPDF_Font font = name ? HPDF_GetFont(w->doc, name, "UTF-8") : NULL;
    if (!font) {
        check_hpdf(w, APP_WETFORM_EFONT, "loading a font");
        fail(w, APP_WETFORM_EFONT, "font %s cannot be loaded", path);
    }
    return font;
}

static void set_info(struct wf *w, int64_t now)
{
    /* UTC, so that the same now gives the same bytes wherever the server runs */
    int32_t day = core_date_from_unix(now);
    int64_t sec = now - core_date_to_unix(day);
    HPDF_Date d = {0};
    core_date_to_ymd(day, &d.year, &d.month, &d.day);
    d.hour = (HPDF_INT)(sec / 3600);
    d.minutes = (HPDF_INT)(sec / 60 % 60);
    d.seconds = (HPDF_INT)(sec % 60);
    d.ind = 'Z';
    if (d.year >= 1 && d.year <= 9999)
        HPDF_SetInfoDateAttr(w->doc, HPDF_INFO_CREATION_DATE, d);
    /* Info strings are written through the document's encoder (UTF-8 here), so they stay
     * ASCII, and hold nothing personal. */
    char t[64];
    snprintf(t, sizeof t, "E-imza basvuru formu %s", w->number);
    HPDF_SetInfoAttr(w->doc, HPDF_INFO_TITLE, t);
    HPDF_SetInfoAttr(w->doc, HPDF_INFO_CREATOR, "eimza");
}

/* Copies the saved document out of libharu's memory stream. */
static void take_output(struct wf *w, unsigned char **pdf, size_t *len)
{
    if (failed(w))
        return;
    if (HPDF_SaveToStream(w->doc) != HPDF_OK) {
        check_hpdf(w, APP_WETFORM_EPDF, "saving");
        return;
    }
    HPDF_UINT32 size = HPDF_GetStreamSize(w->doc);
    unsigned char *buf = size ? malloc(size) : NULL;
    if (!buf) {
        fail(w, APP_WETFORM_ENOMEM, "out of memory for the PDF (%lu bytes)", (unsigned long)size);
        return;
    }
    HPDF_UINT32 got = 0;
    while (got < size) {
        HPDF_UINT32 n = size - got;
        HPDF_STATUS st = HPDF_ReadFromStream(w->doc, buf + got, &n);
        got += n;
        if (st != HPDF_OK || n == 0)
            break; /* HPDF_STREAM_EOF at the end */
    }
    if (got != size || failed(w)) {
        free(buf);
        check_hpdf(w, APP_WETFORM_EPDF, "reading the saved PDF");
        fail(w, APP_WETFORM_EPDF, "the saved PDF is short (%lu of %lu bytes)", (unsigned long)got,
             (unsigned long)size);
        return;
    }
    *pdf = buf;
    *len = size;
}

/* The QR code's text: portal_url + "yonetim/ara?q=" + the number ('/' between them when
 * portal_url has none at its end) when portal_url is an http(s) URL of printable ASCII without
 * spaces, quotes, angle brackets, a query or a fragment; else the number alone. */
static void qr_text(struct wf *w, const char *portal_url)
{
    size_t n = portal_url ? strlen(portal_url) : 0;
    bool url = n > 8 && n <= 400 &&
               (!strncmp(portal_url, "https://", 8) || !strncmp(portal_url, "http://", 7));
    for (size_t i = 0; url && i < n; i++) {
        unsigned char c = (unsigned char)portal_url[i];
        url = c > 0x20 && c < 0x7f && !strchr("\"<>\\^`{|}?#", c);
    }
    if (url)
        snprintf(w->qr, sizeof w->qr, "%s%syonetim/ara?q=%s", portal_url,
                 portal_url[n - 1] == '/' ? "" : "/", w->number);
    else
        snprintf(w->qr, sizeof w->qr, "%s", w->number);
}

enum app_wetform_err app_wetform_pdf_fonts(const struct store_application *a, int64_t now,
                                           const struct app_wetform_fonts *fonts,
                                           unsigned char **pdf, size_t *len, char *err,
                                           size_t errlen)
{
    return app_wetform_pdf_qr(a, now, NULL, NULL, fonts, pdf, len, err, errlen);
}

enum app_wetform_err app_wetform_pdf_to(const struct store_application *a, int64_t now,
                                        const char *send_to, const struct app_wetform_fonts *fonts,
                                        unsigned char **pdf, size_t *len, char *err, size_t errlen)
{
    return app_wetform_pdf_qr(a, now, send_to, NULL, fonts, pdf, len, err, errlen);
}

enum app_wetform_err app_wetform_pdf_qr(const struct store_application *a, int64_t now,
                                        const char *send_to, const char *portal_url,
                                        const struct app_wetform_fonts *fonts, unsigned char **pdf,
                                        size_t *len, char *err, size_t errlen)
{
    struct wf w = {0};
    char to[1024] = "";
    w.send_to = to;
    clean(&w, "send_to", send_to ? send_to : "", strlen(send_to ? send_to : "") + 1, to, sizeof to);
    struct vals *v = NULL;

    if (pdf)
        *pdf = NULL;
    if (len)
        *len = 0;
    if (err && errlen)
        err[0] = '\0';
    if (!a || !pdf || !len) {
        fail(&w, APP_WETFORM_EINVAL, "missing argument");
        goto out;
    }
    v = calloc(1, sizeof *v);
    if (!v) {
        fail(&w, APP_WETFORM_ENOMEM, "out of memory");
        goto out;
    }
    collect(&w, a, v);
    if (failed(&w))
        goto out;
    qr_text(&w, portal_url);
    core_date_format_tr(core_date_tr_from_unix(now), w.today);
    core_date_format_tr(core_date_tr_from_unix(a->created_at), w.applied);

    w.doc = HPDF_New(on_hpdf_error, &w);
    if (!w.doc) {
        fail(&w, APP_WETFORM_ENOMEM, "libharu could not start a document");
        goto out;
    }
    HPDF_SetCompressionMode(w.doc, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(w.doc);
    HPDF_SetCurrentEncoder(w.doc, "UTF-8");
    check_hpdf(&w, APP_WETFORM_EPDF, "setting up the document");
    w.reg = load_font(&w, fonts && fonts->regular ? fonts->regular : APP_WETFORM_FONT_REGULAR);
    w.bold = load_font(&w, fonts && fonts->bold ? fonts->bold : APP_WETFORM_FONT_BOLD);
    set_info(&w, now);

    page_form(&w, v);
    page_undertaking(&w, v);
    check_hpdf(&w, APP_WETFORM_EPDF, "drawing");
    take_output(&w, pdf, len);
    check_hpdf(&w, APP_WETFORM_EPDF, "saving");

out:
    if (w.doc)
        HPDF_Free(w.doc);
    free(v);
    if (w.rc != APP_WETFORM_OK) {
        if (pdf && *pdf) {
            free(*pdf);
            *pdf = NULL;
            *len = 0;
        }
        if (err && errlen)
            snprintf(err, errlen, "%s", w.msg);
    }
    return w.rc;
}

enum app_wetform_err app_wetform_pdf(const struct store_application *a, int64_t now,
                                     unsigned char **pdf, size_t *len, char *err, size_t errlen)
{
    return app_wetform_pdf_fonts(a, now, NULL, pdf, len, err, errlen);
}
