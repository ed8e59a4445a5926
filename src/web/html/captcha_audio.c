/* eimza — the spoken captcha (web/html/): the characters spelled one by one by the espeak-ng
 * library, returned as a WAV file for screen-reader users who cannot see the picture.
 *
 * Each character becomes its spoken name from a table (Turkish "Be", "üç"; English "B",
 * "three") and the names are joined as short sentences ("A. Be. Üç."), so the synthesiser
 * pauses between them and never runs two letters together into a word.
 *
 * espeak-ng keeps one global state (voice, parameters, the callback) and is not safe to call
 * from two threads, so every call here holds one mutex from the voice choice to the last
 * sample; the engine is initialised once, on first use, and kept for the life of the process
 * (it holds its dictionaries, which later calls reuse). A spoken captcha takes a few
 * milliseconds and is asked for rarely, so the serialisation costs little.
 */
#include "web/html/captcha.h"
#include "web/html/captcha_int.h"

#include <espeak-ng/speak_lib.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

/* The most audio one captcha may produce: 8 names at a slow rate are about 6 s, 260 KB at
 * 22050 Hz; the cap only stops a misbehaving engine from eating memory. */
#define PCM_MAX  (4u << 20)
#define WAV_HDR  44u
#define RATE_WPM 130 /* slower than espeak's 175: every character must be caught */

/* Spoken names, in the order of WEB_CAPTCHA_ALPHABET. English letters are written as the
 * letters themselves: espeak-ng's English voice reads a lone capital as its letter name. */
static const char *const names_tr[] = {
    "A",   "Be", "Ce",   "De",  "E",    "Fe",   "Ge",    "He",    "Je", "Ke",
    "Me",  "Ne", "Pe",   "Re",  "Se",   "Te",   "U",     "Ve",    "Ye", "Ze",
    "iki", "üç", "dört", "beş", "altı", "yedi", "sekiz", "dokuz",
};
static const char *const names_en[] = {
    "A", "B", "C", "D", "E", "F", "G",   "H",     "J",    "K",    "M",   "N",     "P",     "R",
    "S", "T", "U", "V", "Y", "Z", "two", "three", "four", "five", "six", "seven", "eight", "nine",
};
_Static_assert(sizeof names_tr / sizeof names_tr[0] == sizeof WEB_CAPTCHA_ALPHABET - 1,
               "one Turkish name per alphabet character");
_Static_assert(sizeof names_en / sizeof names_en[0] == sizeof WEB_CAPTCHA_ALPHABET - 1,
               "one English name per alphabet character");

/* Everything below is guarded by lock. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int sample_rate;   /* 0: not initialised yet; -1: initialisation failed */
static int voice = -1;    /* the enum core_lang whose voice is loaded, or -1 */
static struct ubuf *sink; /* where the callback appends samples during a call */
static bool sink_failed;  /* the sink's cap was reached or memory ran out */

/* espeak-ng hands over samples in host order; WAV wants little-endian bytes. */
static int on_samples(short *wav, int n, espeak_EVENT *events)
{
    (void)events;
    unsigned char le[512];
    size_t k = 0;
    for (int i = 0; wav && i < n; i++) {
        uint16_t v = (uint16_t)wav[i];
        le[k++] = (unsigned char)(v & 0xff);
        le[k++] = (unsigned char)(v >> 8);
        if (k == sizeof le || i == n - 1) {
            if (ubuf_put(sink, le, k) < 0) {
                sink_failed = true;
                return 1; /* non-zero stops the synthesis */
            }
            k = 0;
        }
    }
    return 0;
}

/* Called with lock held. */
static int engine_ready(void)
{
    if (sample_rate == 0) {
        /* DONT_EXIT: without it a missing espeak-ng-data makes the library call exit(). */
        int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL, espeakINITIALIZE_DONT_EXIT);
        sample_rate = rate > 0 ? rate : -1;
        if (sample_rate > 0)
            espeak_SetSynthCallback(on_samples);
    }
    return sample_rate > 0 ? 0 : -1;
}

static void put_le(unsigned char *p, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* The 44-byte RIFF/WAVE header for 16-bit mono PCM of datalen bytes. */
static void wav_header(unsigned char *h, uint32_t rate, uint32_t datalen)
{
    memcpy(h, "RIFF", 4);
    put_le(h + 4, 36 + datalen, 4);
    memcpy(h + 8, "WAVEfmt ", 8);
    put_le(h + 16, 16, 4);       /* size of the fmt chunk */
    put_le(h + 20, 1, 2);        /* PCM */
    put_le(h + 22, 1, 2);        /* mono */
    put_le(h + 24, rate, 4);     /* samples per second */
    put_le(h + 28, rate * 2, 4); /* bytes per second */
    put_le(h + 32, 2, 2);        /* bytes per sample frame */
    put_le(h + 34, 16, 2);       /* bits per sample */
    memcpy(h + 36, "data", 4);
    put_le(h + 40, datalen, 4);
}

int web_captcha_wav(const char *text, enum core_lang lang, struct ubuf *out)
{
    int rc = -1;
    bool locked = false;
    size_t n;
    struct ubuf say = UBUF_INIT(256);
    struct ubuf wav = UBUF_INIT(WAV_HDR + PCM_MAX);
    const char *const *names = lang == CORE_LANG_EN ? names_en : names_tr;
    unsigned char hdr[WAV_HDR] = {0};

    if (!out || !web_captcha_text_ok(text, &n) || (lang != CORE_LANG_TR && lang != CORE_LANG_EN))
        goto out;
    for (size_t i = 0; i < n; i++) {
        size_t idx = (size_t)(strchr(WEB_CAPTCHA_ALPHABET, text[i]) - WEB_CAPTCHA_ALPHABET);
        if (ubuf_printf(&say, "%s%s.", i ? " " : "", names[idx]) < 0)
            goto out;
    }
    /* Room for the header first; it is filled in once the data length is known. */
    if (ubuf_put(&wav, hdr, sizeof hdr) < 0)
        goto out;

    if (pthread_mutex_lock(&lock) != 0)
        goto out;
    locked = true;
    if (engine_ready() < 0)
        goto out;
    if (voice != (int)lang) {
        voice = -1;
        if (espeak_SetVoiceByName(lang == CORE_LANG_EN ? "en" : "tr") != EE_OK)
            goto out;
        voice = (int)lang;
    }
    /* Set on every call: a voice change may reset the rate to the voice's own. */
    if (espeak_SetParameter(espeakRATE, RATE_WPM, 0) != EE_OK)
        goto out;
    sink = &wav;
    sink_failed = false;
    espeak_ERROR e = espeak_Synth(ubuf_str(&say), say.len + 1, 0, POS_CHARACTER, 0,
                                  espeakCHARS_UTF8 | espeakENDPAUSE, NULL, NULL);
    sink = NULL;
    if (e != EE_OK || sink_failed || wav.len == WAV_HDR)
        goto out;
    uint32_t rate = (uint32_t)sample_rate;
    pthread_mutex_unlock(&lock);
    locked = false;

    if ((wav.len - WAV_HDR) % 2 != 0)
        goto out;
    wav_header((unsigned char *)wav.p, rate, (uint32_t)(wav.len - WAV_HDR));
    if (ubuf_put(out, wav.p, wav.len) < 0)
        goto out;
    rc = 0;
out:
    if (locked)
        pthread_mutex_unlock(&lock);
    ubuf_free(&wav);
    ubuf_free(&say);
    return rc;
}
