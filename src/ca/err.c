/* eimza — the ca/ layer's one error table: each enum ca_err with its stable code and the
 * Turkish message an operator reads (what happened, what to do). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include "ca/ca_int.h"

static const struct {
    enum ca_err err;
    const char *code;
    const char *message;
} ca_errs[] = {
    {CA_OK, "ok", "Tamam."},
    {CA_E_CONFIG, "ca_config",
     "Kart üretim ayarlarında eksik ya da hatalı bir değer var: ayrıntıda adı geçen ayarı "
     "düzeltip sunucuyu yeniden başlatın."},
    {CA_E_MODULE, "ca_module",
     "PKCS#11 modülü yüklenemedi ya da çalışmadı: modülün yolunu ve sürücüsünü denetleyin."},
    {CA_E_CA_TOKEN, "ca_token",
     "Sertifika makamının anahtar deposuna (HSM) erişilemedi: deponun takılı olduğunu, "
     "etiketini, PIN'ini ve anahtarla sertifikasının yerinde olduğunu denetleyin."},
    {CA_E_CA_EXTRACTABLE, "ca_key_extractable",
     "Sertifika makamının anahtarı depodan dışarı alınabilir durumda: bu anahtarla sertifika "
     "verilmez. Anahtarı HSM içinde, dışarı alınamaz (CKA_EXTRACTABLE=false, "
     "CKA_SENSITIVE=true) olarak yeniden üretin."},
    {CA_E_CA_VALIDITY, "ca_validity",
     "Sertifika makamının sertifikası istenen geçerlilik süresini kapsamıyor: daha kısa bir "
     "süre seçin ya da makamın sertifikasını yenileyin."},
    {CA_E_TCKN, "holder_tckn",
     "T.C. Kimlik No geçerli değil: personel kaydındaki numarayı denetleyin."},
    {CA_E_NAME, "holder_name",
     "Ad soyad sertifikaya yazılamıyor (boş, 64 karakterden uzun ya da geçersiz karakterli): "
     "personel kaydındaki adı düzeltin."},
    {CA_E_VALIDITY, "validity_invalid",
     "Geçerlilik süresi 1 ile 3 yıl arasında olmalı ve yenileme, eski sertifikanın bitişinden "
     "en çok bir yıl önce yapılabilir."},
    {CA_E_KEY_TYPE, "key_type", "Bu anahtar türü üretilemiyor: RSA-2048 ya da EC P-256 seçin."},
    {CA_E_CARD_NOT_FOUND, "card_not_found",
     "Okuyucuda boş kart bulunamadı: boş (kişiselleştirilmemiş) bir kartı takın ve kart "
     "numarasını denetleyin."},
    {CA_E_CARD_AMBIGUOUS, "card_ambiguous",
     "Okuyucularda birden çok boş kart var: kullanılacak kartın numarasını seçin."},
    {CA_E_CARD_NOT_BLANK, "card_not_blank",
     "Seçilen kart boş değil (üzerinde anahtar ya da sertifika var): bu karta dokunulmadı; "
     "boş bir kart takın."},
    {CA_E_CARD_PIN, "card_transport_pin",
     "Kart, taşıma PIN'ini kabul etmedi ya da PIN'i kilitli: kart partisinin taşıma "
     "PIN'lerini ayarlarda denetleyin; kilitli kartı ayırın."},
    {CA_E_CARD, "card_error",
     "Kart üretimi sırasında kart hata verdi; yazılanlar silindi ve kart boş bırakıldı. Kartı "
     "çıkarıp yeniden takın ve yeniden deneyin."},
    {CA_E_CARD_SPOILED, "card_spoiled",
     "Kart üretimi yarıda kaldı ve kart boş duruma döndürülemedi: bu kartı ayırın (imha "
     "edilecek) ve başka bir boş kartla yeniden deneyin."},
    {CA_E_SIGN, "ca_sign_failed",
     "Sertifika makamının anahtar deposu imza atmadı: depoyu denetleyip yeniden deneyin."},
    {CA_E_RESPONDER, "ocsp_responder",
     "OCSP yanıtlayıcısının anahtarı ya da sertifikası sertifika makamının anahtar deposunda "
     "üretilemedi; OCSP sorguları yanıtlanamıyor: deponun takılı, oturumunun açık ve yeni "
     "anahtar üretmeye izinli olduğunu denetleyin."},
    {CA_E_REGISTRY, "registry_error",
     "Sertifika kayıtlarına ulaşılamadı: veritabanı bağlantısını denetleyip yeniden deneyin."},
    {CA_E_REQUEST, "ocsp_malformed", "OCSP isteği okunamadı."},
    {CA_E_RAND, "rand_failed",
     "İşletim sistemi rastgele sayı vermedi: sunucuyu denetleyip yeniden deneyin."},
    {CA_E_NOMEM, "out_of_memory", "Bellek yetersiz: biraz sonra yeniden deneyin."},
};

#define CA_NERRS (sizeof ca_errs / sizeof ca_errs[0])

static size_t ca_err_index(enum ca_err e)
{
    for (size_t i = 0; i < CA_NERRS; i++)
        if (ca_errs[i].err == e)
            return i;
    return CA_NERRS - 1; /* unreachable for a valid enum; a safe answer otherwise */
}

const char *ca_err_code(enum ca_err e)
{
    return ca_errs[ca_err_index(e)].code;
}

const char *ca_err_message(enum ca_err e)
{
    return ca_errs[ca_err_index(e)].message;
}

enum ca_err ca__status_set(struct ca_status *st, enum ca_err e, const char *detail_fmt, ...)
{
    if (!st)
        return e;
    st->err = e;
    snprintf(st->message, sizeof st->message, "%s", ca_err_message(e));
    st->detail[0] = '\0';
    if (detail_fmt) {
        va_list ap;
        va_start(ap, detail_fmt);
        vsnprintf(st->detail, sizeof st->detail, detail_fmt, ap);
        va_end(ap);
    }
    return e;
}

void ca__status_ossl(struct ca_status *st)
{
    char buf[160];
    unsigned long e = ERR_peek_error();
    if (e)
        ERR_error_string_n(e, buf, sizeof buf);
    else
        snprintf(buf, sizeof buf, "no detail");
    ERR_clear_error();
    if (!st)
        return;
    size_t len = strlen(st->detail);
    snprintf(st->detail + len, sizeof st->detail - len, "%s%s", len ? "; " : "", buf);
}
