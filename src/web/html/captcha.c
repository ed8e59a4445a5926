/* eimza — the captcha picture (web/html/): distorted text drawn with libgd into a PNG in memory.
 *
 * Layers, back to front: a light background, faint arcs, the characters (each with its own
 * size, rotation, offset and dark colour), lines across the text in text-like colours; then
 * the whole picture is bent by two sine waves (every pixel copied from an offset position),
 * and speckle and one more arc go on top. Every random choice comes from a small PRNG seeded
 * with the caller's seed: the same seed draws the same picture (the tests rely on it), and the
 * caller's seed comes from the CSPRNG, so nobody can predict the distortion. The PRNG only
 * shapes noise; the secret is the text, which the caller chose.
 *
 * The picture raises the cost of automated guessing; it is not the only defence — the limits
 * on login attempts are. It must stay readable for a person: the distortions are bounded so
 * that no character leaves its slot or is covered by more than a thin line.
 */
#include "web/html/captcha.h"
#include "web/html/captcha_int.h"

#include <gd.h>
#include <gdfontg.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define W      WEB_CAPTCHA_WIDTH
#define H      WEB_CAPTCHA_HEIGHT
#define MARGIN 12 /* pixels left free at the left and right edges */

bool web_captcha_text_ok(const char *text, size_t *len)
{
    if (!text)
        return false;
    size_t n = strnlen(text, WEB_CAPTCHA_MAX_LEN + 1);
    if (n < WEB_CAPTCHA_MIN_LEN || n > WEB_CAPTCHA_MAX_LEN)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr(WEB_CAPTCHA_ALPHABET, text[i]))
            return false;
    if (len)
        *len = n;
    return true;
}

/* ---- a small deterministic PRNG (splitmix64): fast, good enough for noise ---------------- */

struct prng {
    uint64_t s;
};

static uint64_t prng_next(struct prng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* A number in [lo, hi]; the modulo bias is irrelevant for noise. */
static int prng_int(struct prng *r, int lo, int hi)
{
    return lo + (int)(prng_next(r) % (uint64_t)(hi - lo + 1));
}

/* A number in [lo, hi). */
static double prng_real(struct prng *r, double lo, double hi)
{
    return lo + (hi - lo) * ((double)(prng_next(r) >> 11) * 0x1.0p-53);
}

static int prng_colour(struct prng *r, int lo, int hi)
{
    return gdTrueColor(prng_int(r, lo, hi), prng_int(r, lo, hi), prng_int(r, lo, hi));
}

/* ---- the font -------------------------------------------------------------------------- */

/* Bold sans-serif first: thick strokes survive the wave and the noise best. The paths are
 * Debian's (fonts-dejavu-core, fonts-liberation, fonts-freefont-ttf), then other layouts. */
static const char *const font_paths[] = {
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/freefont/FreeSansBold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
};

/* The font file to use, or NULL for gd's built-in font. Looked up on every call (a few
 * access(2) calls, far cheaper than drawing) so a font installed later is picked up. */
static const char *font_path(void)
{
    const char *env = getenv("EIMZA_CAPTCHA_FONT");
    if (env)
        return env[0] ? env : NULL;
    for (size_t i = 0; i < sizeof font_paths / sizeof font_paths[0]; i++)
        if (access(font_paths[i], R_OK) == 0)
            return font_paths[i];
    return NULL;
}

/* gd sets its FreeType font cache up lazily on the first call without a lock, so two
 * threads drawing their first captcha at once would race; set it up once here instead.
 * After that gd guards the cache (and the rendering) with its own mutex. */
static pthread_once_t ft_once = PTHREAD_ONCE_INIT;
static bool ft_ready;

static void ft_setup(void)
{
    ft_ready = gdFontCacheSetup() == 0;
}

/* Draws one character with its bounding box centred on (cx, cy), rotated by angle radians
 * counter-clockwise. Returns -1 when FreeType cannot use the font. */
static int draw_char_ft(gdImagePtr im, const char *font, double pt, double angle, int cx, int cy,
                        int colour, char ch)
{
    char s[2] = {ch, '\0'};
    int br[8];
    /* The first call only measures (no image), so the glyph can be centred exactly. */
    if (gdImageStringFT(NULL, br, colour, font, pt, angle, 0, 0, s))
        return -1;
    int minx = br[0], maxx = br[0], miny = br[1], maxy = br[1];
    for (int i = 2; i < 8; i += 2) {
        minx = br[i] < minx ? br[i] : minx;
        maxx = br[i] > maxx ? br[i] : maxx;
        miny = br[i + 1] < miny ? br[i + 1] : miny;
        maxy = br[i + 1] > maxy ? br[i + 1] : maxy;
    }
    int x = cx - (minx + maxx) / 2, y = cy - (miny + maxy) / 2;
    if (gdImageStringFT(im, br, colour, font, pt, angle, x, y, s))
        return -1;
    return 0;
}

/* The fallback without FreeType: gd's built-in 9x15 bitmap glyph, scaled up and rotated by
 * mapping every destination pixel back into the glyph (nearest neighbour). */
static void draw_char_builtin(gdImagePtr im, double scale, double angle, int cx, int cy, int colour,
                              char ch)
{
    gdFontPtr f = gdFontGetGiant();
    int idx = (unsigned char)ch - f->offset;
    if (idx < 0 || idx >= f->nchars)
        return;
    const char *bits = f->data + (size_t)idx * (size_t)f->w * (size_t)f->h;
    double ca = cos(angle), sa = sin(angle);
    int r = (int)ceil(scale * hypot(f->w, f->h) / 2.0) + 1;
    for (int dy = -r; dy <= r; dy++) {
        for (int dx = -r; dx <= r; dx++) {
            double ux = (ca * dx - sa * dy) / scale + f->w / 2.0;
            double uy = (sa * dx + ca * dy) / scale + f->h / 2.0;
            if (ux < 0 || uy < 0 || ux >= f->w || uy >= f->h)
                continue;
            if (bits[(int)uy * f->w + (int)ux])
                gdImageSetPixel(im, cx + dx, cy + dy, colour); /* gd clips to the image */
        }
    }
}

/* ---- the layers ------------------------------------------------------------------------ */

static void draw_arcs(gdImagePtr im, struct prng *r, int count, int lo, int hi)
{
    for (int i = 0; i < count; i++) {
        gdImageSetThickness(im, prng_int(r, 1, 2));
        int cx = prng_int(r, 0, W), cy = prng_int(r, -H / 2, H + H / 2);
        int aw = prng_int(r, W / 2, W * 2), ah = prng_int(r, H / 2, H * 2);
        int start = prng_int(r, 0, 359);
        gdImageArc(im, cx, cy, aw, ah, start, start + prng_int(r, 60, 200), prng_colour(r, lo, hi));
    }
    gdImageSetThickness(im, 1);
}

/* Lines from the left part to the right part, crossing the text band, in dark colours like
 * the text so they cannot be removed by colour alone. Thin, so they do not hide strokes. */
static void draw_lines(gdImagePtr im, struct prng *r, int count)
{
    for (int i = 0; i < count; i++) {
        gdImageSetThickness(im, prng_int(r, 1, 2));
        gdImageLine(im, prng_int(r, 0, W / 4), prng_int(r, H / 5, H - H / 5),
                    prng_int(r, W - W / 4, W - 1), prng_int(r, H / 5, H - H / 5),
                    prng_colour(r, 30, 120));
    }
    gdImageSetThickness(im, 1);
}

static void draw_text(gdImagePtr im, struct prng *r, const char *text, size_t n)
{
    const char *font = NULL;
    if (pthread_once(&ft_once, ft_setup) == 0 && ft_ready)
        font = font_path();
    double step = (double)(W - 2 * MARGIN) / (double)n;
    double em = fmin(44.0, step * 1.15); /* the glyph size in pixels, before jitter */
    for (size_t i = 0; i < n; i++) {
        double angle = prng_real(r, -0.3, 0.3); /* about ±17 degrees: more turns 9 into g */
        double size = em * prng_real(r, 0.9, 1.1);
        int cx = MARGIN + (int)(step * ((double)i + 0.5) + prng_real(r, -0.12, 0.12) * step);
        int cy = H / 2 + prng_int(r, -7, 7);
        int colour = prng_colour(r, 0, 110);
        /* gd takes points at 96 dpi: 0.75 pt per pixel. */
        if (font && draw_char_ft(im, font, size * 0.75, angle, cx, cy, colour, text[i]) == 0)
            continue;
        font = NULL; /* the font failed: the rest in the built-in one, for a uniform look */
        draw_char_builtin(im, size / 15.0 * 1.15, angle, cx, cy, colour, text[i]);
    }
}

/* Copies src into dst with every pixel taken from a position shifted by two sine waves: a
 * horizontal shift varying down the picture and a vertical one varying across it. */
static void draw_wave(gdImagePtr dst, gdImagePtr src, struct prng *r)
{
    double ax = prng_real(r, 2.0, 4.0), fx = 2.0 * M_PI / prng_real(r, 40.0, 80.0);
    double px = prng_real(r, 0.0, 2.0 * M_PI);
    double ay = prng_real(r, 2.5, 4.0), fy = 2.0 * M_PI / prng_real(r, 70.0, 140.0);
    double py = prng_real(r, 0.0, 2.0 * M_PI);
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            long sx = lround(x + ax * sin(y * fx + px));
            long sy = lround(y + ay * sin(x * fy + py));
            sx = sx < 0 ? 0 : sx >= W ? W - 1 : sx;
            sy = sy < 0 ? 0 : sy >= H ? H - 1 : sy;
            gdImageSetPixel(dst, x, y, gdImageGetTrueColorPixel(src, (int)sx, (int)sy));
        }
    }
}

static void draw_speckle(gdImagePtr im, struct prng *r)
{
    for (int i = 0; i < W * H / 25; i++)
        gdImageSetPixel(im, prng_int(r, 0, W - 1), prng_int(r, 0, H - 1), prng_colour(r, 60, 230));
}

int web_captcha_png(const char *text, uint64_t seed, struct ubuf *out)
{
    int rc = -1;
    gdImagePtr im = NULL, bent = NULL;
    void *png = NULL;
    int size = 0;
    size_t n;
    struct prng r = {seed};

    if (!out || !web_captcha_text_ok(text, &n))
        goto out;
    im = gdImageCreateTrueColor(W, H);
    bent = gdImageCreateTrueColor(W, H);
    if (!im || !bent)
        goto out;

    gdImageFilledRectangle(im, 0, 0, W - 1, H - 1, prng_colour(&r, 225, 250));
    draw_arcs(im, &r, 3, 120, 200);
    draw_text(im, &r, text, n);
    draw_lines(im, &r, 2);
    draw_wave(bent, im, &r);
    draw_speckle(bent, &r);
    draw_arcs(bent, &r, 1, 60, 140);

    png = gdImagePngPtr(bent, &size);
    if (!png || size <= 0)
        goto out;
    if (ubuf_put(out, png, (size_t)size) < 0)
        goto out;
    rc = 0;
out:
    if (png)
        gdFree(png);
    if (bent)
        gdImageDestroy(bent);
    if (im)
        gdImageDestroy(im);
    return rc;
}
