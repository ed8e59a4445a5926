/* eimza — the message templates (templates.h): the compiled-in texts, loading a configured
 * directory over them, checking placeholders, and rendering.
 *
 * The texts below are the files of templates/<lang>/ as they are in the repository, written
 * out as C strings; tests/unit/notify/test_templates.c compares the two, so a change to a
 * file that is not made here too fails the build's tests rather than going out unnoticed.
 */
#include "notify/templates.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/trtext.h"

#define TPL_FILE_MAX (16 * 1024) /* a template file larger than this is refused */
#define TPL_NAME_MAX 32          /* longest placeholder name */

static const char *const tpl_names[NOTIFY_TPL__COUNT] = {
    [NOTIFY_TPL_EXPIRY_WARNING] = "expiry_warning",
    [NOTIFY_TPL_EXPIRED] = "expired",
    [NOTIFY_TPL_REMIND_CODE] = "reminder_code",
    [NOTIFY_TPL_REMIND_SIGN] = "reminder_sign",
    [NOTIFY_TPL_REMIND_PAPER] = "reminder_paper",
    [NOTIFY_TPL_DIGEST] = "digest",
    [NOTIFY_TPL_CARD_ORDERED] = "card_ordered",
    [NOTIFY_TPL_CARD_SHIPPED] = "card_shipped",
    [NOTIFY_TPL_CARD_DELIVERED] = "card_delivered",
    [NOTIFY_TPL_CARD_PIN_READY] = "card_pin_ready",
    [NOTIFY_TPL_CARD_LATE] = "card_late",
    [NOTIFY_TPL_CARD_REFUSED] = "card_refused",
    [NOTIFY_TPL_COMPLETED] = "application_completed",
    [NOTIFY_TPL_CANCELLED] = "application_cancelled",
};

/* The placeholders each template may use, space-separated. */
static const char *const tpl_vars[NOTIFY_TPL__COUNT] = {
    [NOTIFY_TPL_EXPIRY_WARNING] = "name serial expiry_date deadline days portal_url",
    [NOTIFY_TPL_EXPIRED] = "name serial expiry_date portal_url",
    [NOTIFY_TPL_REMIND_CODE] = "name number portal_url",
    [NOTIFY_TPL_REMIND_SIGN] = "name number portal_url",
    [NOTIFY_TPL_REMIND_PAPER] = "name number portal_url",
    [NOTIFY_TPL_DIGEST] = "province date total submitted awaiting_original portal_url",
    [NOTIFY_TPL_CARD_ORDERED] = "name number portal_url",
    [NOTIFY_TPL_CARD_SHIPPED] = "name number carrier tracking_number portal_url",
    [NOTIFY_TPL_CARD_DELIVERED] = "name number portal_url",
    [NOTIFY_TPL_CARD_PIN_READY] = "name number portal_url",
    [NOTIFY_TPL_CARD_LATE] = "name number days portal_url",
    [NOTIFY_TPL_CARD_REFUSED] = "name number reason portal_url",
    [NOTIFY_TPL_COMPLETED] = "name number serial valid_from valid_until portal_url",
    [NOTIFY_TPL_CANCELLED] = "name number reason portal_url",
};

static const struct tpl_builtin {
    const char *lang;
    enum notify_tpl t;
    bool sms;
    const char *text;
} tpl_builtins[] = {
    {"tr", NOTIFY_TPL_EXPIRY_WARNING, false,
     "Subject: e-İmza sertifikanızın süresi {expiry_date} tarihinde doluyor\n"
     "\n"
     "Sayın {name},\n"
     "\n"
     "{serial} seri numaralı nitelikli elektronik sertifikanızın (e-imza) geçerlilik\n"
     "süresi {expiry_date} tarihinde, {days} gün sonra sona erecek.\n"
     "\n"
     "Görevinize devam ediyor ve e-imza kullanmanız gerekiyorsa yenileme başvurunuzu en\n"
     "geç {deadline} tarihine kadar yapınız. Başvuruyu mevcut e-imzanızla\n"
     "imzalayabilirsiniz (Yöntem 1: E-İmzalı Başvuru); sertifikanızın süresi dolduktan\n"
     "sonra yalnızca ıslak imzalı başvuru yapılabilir.\n"
     "\n"
     "Başvuru adresi: {portal_url}\n"
     "\n"
     "Bu ileti otomatik olarak gönderilmiştir, lütfen yanıtlamayınız.\n"},
    {"tr", NOTIFY_TPL_EXPIRY_WARNING, true,
     "e-İmza sertifikanızın (seri {serial}) süresi {expiry_date} tarihinde doluyor. Yenileme "
     "başvurusunu en geç {deadline} tarihine kadar yapınız: {portal_url}\n"},
    {"tr", NOTIFY_TPL_EXPIRED, false,
     "Subject: e-İmza sertifikanızın süresi doldu\n"
     "\n"
     "Sayın {name},\n"
     "\n"
     "{serial} seri numaralı nitelikli elektronik sertifikanızın (e-imza) süresi\n"
     "{expiry_date} tarihinde doldu; bu sertifikayla artık imza atılamaz.\n"
     "\n"
     "Yeni sertifika için ıslak imzalı başvuru yapmanız gerekir (Yöntem 2: Islak\n"
     "İmzalı Başvuru). Başvuru adresi: {portal_url}\n"
     "\n"
     "Bu ileti otomatik olarak gönderilmiştir, lütfen yanıtlamayınız.\n"},
    {"tr", NOTIFY_TPL_EXPIRED, true,
     "e-İmza sertifikanızın (seri {serial}) süresi {expiry_date} tarihinde doldu. Yeni sertifika "
     "için ıslak imzalı başvuru yapınız: {portal_url}\n"},
    {"tr", NOTIFY_TPL_REMIND_CODE, false,
     "Subject: e-İmza başvurunuz yarım kaldı: SMS doğrulama kodu girilmedi\n"
     "\n"
     "Sayın {name},\n"
     "\n"
     "{number} numaralı e-imza yenileme başvurunuz yarım kaldı: cep telefonunuza\n"
     "gönderilen SMS doğrulama kodu henüz girilmedi.\n"
     "\n"
     "Başvurunuzu tamamlamak için portala giriş yapıp yeni bir kod isteyiniz:\n"
     "{portal_url}\n"
     "\n"
     "Bu ileti otomatik olarak gönderilmiştir, lütfen yanıtlamayınız.\n"},
    {"tr", NOTIFY_TPL_REMIND_CODE, true,
     "{number} numaralı e-imza başvurunuz yarım kaldı: SMS doğrulama kodu girilmedi. Tamamlamak "
     "için: {portal_url}\n"},
    {"tr", NOTIFY_TPL_REMIND_SIGN, false,
     "Subject: e-İmza başvurunuz henüz imzalanmadı\n"
     "\n"
     "Sayın {name},\n"
     "\n"
     "{number} numaralı e-imza yenileme başvurunuz henüz imzalanmadı. Başvurunuz\n"
     "imzalanmadan onaya gönderilmez.\n"
     "\n"
     "Portala giriş yapıp imzalama yöntemini seçiniz ve başvurunuzu imzalayınız:\n"
     "{portal_url}\n"
     "\n"
     "Bu ileti otomatik olarak gönderilmiştir, lütfen yanıtlamayınız.\n"},
    {"tr", NOTIFY_TPL_REMIND_SIGN, true,
     "{number} numaralı e-imza başvurunuz henüz imzalanmadı. İmzalamak için: {portal_url}\n"},
    {"tr", NOTIFY_TPL_REMIND_PAPER, false,
     "Subject: Islak imzalı başvuru formunuz henüz ulaşmadı\n"
     "\n"
     "Sayın {name},\n"
     "\n"
     "{number} numaralı e-imza yenileme başvurunuzun ıslak imzalı formunun aslı henüz\n"
     "ulaşmadı. Form ulaşmadan başvurunuz onaylanamaz.\n"
     "\n"
     "Formu gönderdiyseniz bir şey yapmanız gerekmez. Göndermediyseniz formu yazdırıp\n"
     "imzalayarak gönderiniz. Başvurunuzun durumu: {portal_url}\n"
     "\n"
     "Bu ileti otomatik olarak gönderilmiştir, lütfen yanıtlamayınız.\n"},
    {"tr", NOTIFY_TPL_REMIND_PAPER, true,
     "{number} numaralı e-imza başvurunuzun ıslak imzalı formu henüz ulaşmadı. Durum: "
     "{portal_url}\n"},
    {"tr", NOTIFY_TPL_DIGEST, false,
     "Subject: {province}: işlem bekleyen {total} e-imza başvurusu ({date})\n"
     "\n"
     "İl DYS yöneticisinin dikkatine,\n"
     "\n"
     "{date} itibarıyla {province} ilinde işlem bekleyen e-imza yenileme başvuruları:\n"
     "\n"
     "  Onay bekleyen başvurular:                 {submitted}\n"
     "  Islak imzalı formunun aslı beklenenler:   {awaiting_original}\n"
     "\n"
     "Başvuruları incelemek için: {portal_url}\n"
     "\n"
     "Bu ileti otomatik olarak gönderilmiştir, lütfen yanıtlamayınız.\n"},
    {"en", NOTIFY_TPL_EXPIRY_WARNING, false,
     "Subject: Your e-signature certificate expires on {expiry_date}\n"
     "\n"
     "Dear {name},\n"
     "\n"
     "Your qualified electronic certificate (e-signature) with serial number {serial}\n"
     "expires on {expiry_date}, in {days} days.\n"
     "\n"
     "If you remain in service and still need an e-signature, apply for renewal by\n"
     "{deadline} at the latest. You can sign the application with your current\n"
     "e-signature (Method 1); once the certificate has expired, only an application\n"
     "with a handwritten signature is possible.\n"
     "\n"
     "Apply at: {portal_url}\n"
     "\n"
     "This message was sent automatically; please do not reply.\n"},
    {"en", NOTIFY_TPL_EXPIRY_WARNING, true,
     "Your e-signature certificate (serial {serial}) expires on {expiry_date}. Apply for renewal "
     "by {deadline}: {portal_url}\n"},
    {"en", NOTIFY_TPL_EXPIRED, false,
     "Subject: Your e-signature certificate has expired\n"
     "\n"
     "Dear {name},\n"
     "\n"
     "Your qualified electronic certificate (e-signature) with serial number {serial}\n"
     "expired on {expiry_date}; it can no longer be used to sign.\n"
     "\n"
     "A new certificate needs an application with a handwritten signature (Method 2).\n"
     "Apply at: {portal_url}\n"
     "\n"
     "This message was sent automatically; please do not reply.\n"},
    {"en", NOTIFY_TPL_EXPIRED, true,
     "Your e-signature certificate (serial {serial}) expired on {expiry_date}. Apply with a "
     "handwritten signature: {portal_url}\n"},
    {"en", NOTIFY_TPL_REMIND_CODE, false,
     "Subject: Your e-signature application is unfinished: the SMS code was not entered\n"
     "\n"
     "Dear {name},\n"
     "\n"
     "Your e-signature renewal application {number} is unfinished: the SMS\n"
     "confirmation code sent to your mobile phone has not been entered yet.\n"
     "\n"
     "To finish it, log in and ask for a new code:\n"
     "{portal_url}\n"
     "\n"
     "This message was sent automatically; please do not reply.\n"},
    {"en", NOTIFY_TPL_REMIND_CODE, true,
     "Your e-signature application {number} is unfinished: the SMS code was not entered. Finish it "
     "at {portal_url}\n"},
    {"en", NOTIFY_TPL_REMIND_SIGN, false,
     "Subject: Your e-signature application has not been signed\n"
     "\n"
     "Dear {name},\n"
     "\n"
     "Your e-signature renewal application {number} has not been signed yet. It is\n"
     "not sent for approval until it is signed.\n"
     "\n"
     "Log in, choose the signing method and sign your application:\n"
     "{portal_url}\n"
     "\n"
     "This message was sent automatically; please do not reply.\n"},
    {"en", NOTIFY_TPL_REMIND_SIGN, true,
     "Your e-signature application {number} has not been signed yet. Sign it at {portal_url}\n"},
    {"en", NOTIFY_TPL_REMIND_PAPER, false,
     "Subject: Your signed application form has not arrived\n"
     "\n"
     "Dear {name},\n"
     "\n"
     "The original of the handwritten-signed form of your e-signature renewal\n"
     "application {number} has not arrived yet. The application cannot be approved\n"
     "until it does.\n"
     "\n"
     "If you have sent the form, nothing needs to be done. If not, print it, sign it\n"
     "and send it. The status of your application: {portal_url}\n"
     "\n"
     "This message was sent automatically; please do not reply.\n"},
    {"en", NOTIFY_TPL_REMIND_PAPER, true,
     "The signed form of your e-signature application {number} has not arrived yet. Status: "
     "{portal_url}\n"},
    {"en", NOTIFY_TPL_DIGEST, false,
     "Subject: {province}: {total} e-signature applications waiting ({date})\n"
     "\n"
     "To the provincial DYS administrator,\n"
     "\n"
     "E-signature renewal applications waiting in {province} as of {date}:\n"
     "\n"
     "  Waiting for approval:                     {submitted}\n"
     "  Waiting for the signed paper form:        {awaiting_original}\n"
     "\n"
     "Review them at: {portal_url}\n"
     "\n"
     "This message was sent automatically; please do not reply.\n"},
    /* after approval: the card's way to the holder */
    {"tr", NOTIFY_TPL_CARD_ORDERED, false,
     "Subject: e-İmza kartınız üretime alındı\n"
     "\n"
     "Sayın {name},\n"
     "\n"
     "{number} numaralı e-imza başvurunuz için yeni kartınız üretime alındı. Kart\n"
     "kargoya verildiğinde kargo firması ve takip numarası size bildirilecektir.\n"
     "\n"
     "Başvurunuzun durumu: {portal_url}\n"
     "\n"
     "Bu ileti otomatik olarak gönderilmiştir, lütfen yanıtlamayınız.\n"},
    {"tr", NOTIFY_TPL_CARD_ORDERED, true,
     "{number} numaralı e-imza başvurunuz için kartınız üretime alındı. Durum: {portal_url}\n"},
    {"tr", NOTIFY_TPL_CARD_SHIPPED, false,
     "Subject: e-İmza kartınız kargoya verildi\n"
     "\n"
     "Sayın {name},\n"
     "\n"
     "{number} numaralı e-imza başvurunuz için yeni kartınız kargoya verildi.\n"
     "\n"
     "Kargo firması: {carrier}\n"
     "Takip numarası: {tracking_number}\n"
     "\n"
     "Kart başvuru formundaki adrese teslim edilecektir. Kartınızı aldığınızda\n"
     "portaldaki başvuru durumu sayfasından teslim aldığınızı bildirebilirsiniz:\n"
     "{portal_url}\n"
     "\n"
     "Bu ileti otomatik olarak gönderilmiştir, lütfen yanıtlamayınız.\n"},
    {"tr", NOTIFY_TPL_CARD_SHIPPED, true,
     "e-İmza kartınız ({number}) kargoya verildi: {carrier}, takip no {tracking_number}. Durum: "
     "{portal_url}\n"},
    {"tr", NOTIFY_TPL_CARD_DELIVERED, false,
     "Subject: e-İmza kartınız teslim edildi\n"
     "\n"
     "Sayın {name},\n"
     "\n"
     "{number} numaralı e-imza başvurunuz için yeni kartınız teslim edildi.\n"
     "\n"
     "Kartınızın PIN ve PUK şifreleri Kamu SM tarafından karttan ayrı, kapalı bir\n"
     "şifre zarfıyla gönderilir. Zarf elinize ulaşmazsa Kamu SM çağrı merkezini\n"
     "(444 5 576) arayınız.\n"
     "\n"
     "Başvurunuzun durumu: {portal_url}\n"
     "\n"
     "Bu ileti otomatik olarak gönderilmiştir, lütfen yanıtlamayınız.\n"},
    {"tr", NOTIFY_TPL_CARD_DELIVERED, true,
     "e-İmza kartınız ({number}) teslim edildi. PIN zarfı Kamu SM'den ayrıca gelir; gelmezse 444 5 "
     "576'yı arayınız.\n"},
    {"tr", NOTIFY_TPL_CARD_PIN_READY, false,
     "Subject: e-İmza kartınız teslim edildi: PIN'inizi portaldan alınız\n"
     "\n"
     "Sayın {name},\n"
     "\n"
     "{number} numaralı e-imza başvurunuz için yeni kartınız teslim edildi.\n"
     "\n"
     "Kartınızın PIN ve PUK şifrelerini portaldan bir kez görebilirsiniz: giriş\n"
     "yaptıktan sonra başvuru durumu sayfasında \"PIN'imi göster\" adımında başvuru\n"
     "formunda belirlediğiniz güvenlik sözcüğünü ve cep telefonunuza gönderilecek\n"
     "SMS kodunu giriniz. Şifreler gösterildikten sonra silinir; bir yere not\n"
     "ediniz.\n"
     "\n"
     "Ardından \"Yeni kartımı dene\" adımıyla kartınızın çalıştığını doğrulayınız:\n"
     "{portal_url}\n"
     "\n"
     "Bu ileti otomatik olarak gönderilmiştir, lütfen yanıtlamayınız.\n"},
    {"tr", NOTIFY_TPL_CARD_PIN_READY, true,
     "e-İmza kartınız ({number}) teslim edildi. PIN'inizi güvenlik sözcüğünüz ve SMS koduyla "
     "portaldan bir kez alabilirsiniz: {portal_url}\n"},
    {"tr", NOTIFY_TPL_CARD_LATE, false,
     "Subject: e-İmza kartınız beklenen sürede ulaşmadı\n"
     "\n"
     "Sayın {name},\n"
     "\n"
     "{number} numaralı e-imza başvurunuz {days} gün önce onaylandı; yeni kartınızın\n"
     "teslim edildiği henüz kaydedilmedi.\n"
     "\n"
     "Kartınız elinize ulaşmadıysa lütfen Kamu SM çağrı merkezini (444 5 576)\n"
     "arayınız. Kartınızı aldıysanız portaldaki başvuru durumu sayfasından teslim\n"
     "aldığınızı bildiriniz: {portal_url}\n"
     "\n"
     "Bu ileti otomatik olarak gönderilmiştir, lütfen yanıtlamayınız.\n"},
    {"tr", NOTIFY_TPL_CARD_LATE, true,
     "e-İmza kartınız ({number}) onaydan {days} gün sonra hâlâ teslim edilmedi. Ulaşmadıysa 444 5 "
     "576'yı arayınız: {portal_url}\n"},
    {"tr", NOTIFY_TPL_CARD_REFUSED, false,
     "Subject: e-İmza kartınızın üretiminde bir sorun var\n"
     "\n"
     "Sayın {name},\n"
     "\n"
     "{number} numaralı e-imza başvurunuz için kart üretilemedi.\n"
     "\n"
     "Gerekçe: {reason}\n"
     "\n"
     "İl DYS yöneticiniz başvurunuzu inceleyip kartınızı yeniden sipariş edecek ya\n"
     "da gerekirse sizinle görüşecektir. Başvurunuzun durumu: {portal_url}\n"
     "\n"
     "Bu ileti otomatik olarak gönderilmiştir, lütfen yanıtlamayınız.\n"},
    {"tr", NOTIFY_TPL_CARD_REFUSED, true,
     "e-İmza başvurunuz ({number}) için kart üretilemedi: {reason}. İl DYS yöneticiniz "
     "ilgilenecek. Durum: {portal_url}\n"},
    {"tr", NOTIFY_TPL_COMPLETED, false,
     "Subject: e-İmza başvurunuz tamamlandı\n"
     "\n"
     "Sayın {name},\n"
     "\n"
     "{number} numaralı e-imza başvurunuz tamamlandı: yeni nitelikli elektronik\n"
     "sertifikanız (seri {serial}) kayda alındı. Sertifikanız {valid_from} ile\n"
     "{valid_until} tarihleri arasında geçerlidir.\n"
     "\n"
     "Eski sertifikanız için artık hatırlatma gönderilmeyecektir; yeni\n"
     "sertifikanızın süresi dolmadan önce size yeniden haber verilecektir.\n"
     "\n"
     "Başvurunuzun durumu: {portal_url}\n"
     "\n"
     "Bu ileti otomatik olarak gönderilmiştir, lütfen yanıtlamayınız.\n"},
    {"tr", NOTIFY_TPL_COMPLETED, true,
     "e-İmza başvurunuz ({number}) tamamlandı. Yeni sertifikanız (seri {serial}) {valid_from} - "
     "{valid_until} arasında geçerlidir.\n"},
    {"tr", NOTIFY_TPL_CANCELLED, false,
     "Subject: e-İmza başvurunuz iptal edildi\n"
     "\n"
     "Sayın {name},\n"
     "\n"
     "{number} numaralı e-imza başvurunuz iptal edildi.\n"
     "\n"
     "Gerekçe: {reason}\n"
     "\n"
     "Ayrıntı için il DYS yöneticinizle görüşünüz. Gerekirse portaldan yeni bir\n"
     "başvuru yapabilirsiniz: {portal_url}\n"
     "\n"
     "Bu ileti otomatik olarak gönderilmiştir, lütfen yanıtlamayınız.\n"},
    {"tr", NOTIFY_TPL_CANCELLED, true,
     "e-İmza başvurunuz ({number}) iptal edildi. Gerekçe: {reason}. Yeni başvuru: {portal_url}\n"},
    {"en", NOTIFY_TPL_CARD_ORDERED, false,
     "Subject: Your e-signature card is being made\n"
     "\n"
     "Dear {name},\n"
     "\n"
     "Your new card for e-signature application {number} is being made. When it is\n"
     "handed to the courier you will be told the courier and the tracking number.\n"
     "\n"
     "The status of your application: {portal_url}\n"
     "\n"
     "This message was sent automatically; please do not reply.\n"},
    {"en", NOTIFY_TPL_CARD_ORDERED, true,
     "The card of your e-signature application {number} is being made. Status: {portal_url}\n"},
    {"en", NOTIFY_TPL_CARD_SHIPPED, false,
     "Subject: Your e-signature card is with the courier\n"
     "\n"
     "Dear {name},\n"
     "\n"
     "Your new card for e-signature application {number} has been handed to the\n"
     "courier.\n"
     "\n"
     "Courier: {carrier}\n"
     "Tracking number: {tracking_number}\n"
     "\n"
     "It will be brought to the address on your application form. When it arrives\n"
     "you can confirm it on the status page of the portal: {portal_url}\n"
     "\n"
     "This message was sent automatically; please do not reply.\n"},
    {"en", NOTIFY_TPL_CARD_SHIPPED, true,
     "Your e-signature card ({number}) is with the courier: {carrier}, tracking number "
     "{tracking_number}. Status: {portal_url}\n"},
    {"en", NOTIFY_TPL_CARD_DELIVERED, false,
     "Subject: Your e-signature card was delivered\n"
     "\n"
     "Dear {name},\n"
     "\n"
     "Your new card for e-signature application {number} was delivered.\n"
     "\n"
     "Kamu SM sends the card's PIN and PUK apart from the card, in a sealed PIN\n"
     "envelope. If the envelope does not reach you, call the Kamu SM call centre\n"
     "(444 5 576).\n"
     "\n"
     "The status of your application: {portal_url}\n"
     "\n"
     "This message was sent automatically; please do not reply.\n"},
    {"en", NOTIFY_TPL_CARD_DELIVERED, true,
     "Your e-signature card ({number}) was delivered. Kamu SM sends the PIN envelope separately; "
     "if it does not come, call 444 5 576.\n"},
    {"en", NOTIFY_TPL_CARD_PIN_READY, false,
     "Subject: Your e-signature card was delivered: take its PIN on the portal\n"
     "\n"
     "Dear {name},\n"
     "\n"
     "Your new card for e-signature application {number} was delivered.\n"
     "\n"
     "You can see the card's PIN and PUK once on the portal: after logging in, go to\n"
     "\"Show my PIN\" on the status page and enter the security word you chose on the\n"
     "application form and the SMS code sent to your mobile phone. They are deleted\n"
     "once shown; write them down somewhere safe.\n"
     "\n"
     "Then check that the card works with \"Try my new card\": {portal_url}\n"
     "\n"
     "This message was sent automatically; please do not reply.\n"},
    {"en", NOTIFY_TPL_CARD_PIN_READY, true,
     "Your e-signature card ({number}) was delivered. Take its PIN once on the portal with your "
     "security word and an SMS code: {portal_url}\n"},
    {"en", NOTIFY_TPL_CARD_LATE, false,
     "Subject: Your e-signature card has not arrived in the expected time\n"
     "\n"
     "Dear {name},\n"
     "\n"
     "Your e-signature application {number} was approved {days} days ago; the\n"
     "delivery of your new card has not been recorded yet.\n"
     "\n"
     "If the card has not reached you, please call the Kamu SM call centre\n"
     "(444 5 576). If you have received it, confirm it on the status page of the\n"
     "portal: {portal_url}\n"
     "\n"
     "This message was sent automatically; please do not reply.\n"},
    {"en", NOTIFY_TPL_CARD_LATE, true,
     "Your e-signature card ({number}) is still not delivered {days} days after approval. If it "
     "has not come, call 444 5 576: {portal_url}\n"},
    {"en", NOTIFY_TPL_CARD_REFUSED, false,
     "Subject: There is a problem making your e-signature card\n"
     "\n"
     "Dear {name},\n"
     "\n"
     "The card for your e-signature application {number} could not be made.\n"
     "\n"
     "Reason: {reason}\n"
     "\n"
     "Your provincial administrator will look at your application and order the\n"
     "card again, or contact you if needed. The status of your application:\n"
     "{portal_url}\n"
     "\n"
     "This message was sent automatically; please do not reply.\n"},
    {"en", NOTIFY_TPL_CARD_REFUSED, true,
     "The card of your e-signature application ({number}) could not be made: {reason}. Your "
     "provincial administrator will follow it up. Status: {portal_url}\n"},
    {"en", NOTIFY_TPL_COMPLETED, false,
     "Subject: Your e-signature application is complete\n"
     "\n"
     "Dear {name},\n"
     "\n"
     "Your e-signature application {number} is complete: your new qualified\n"
     "electronic certificate (serial {serial}) is on record. It is valid from\n"
     "{valid_from} until {valid_until}.\n"
     "\n"
     "You will get no more reminders about your old certificate; you will be told\n"
     "again before the new one expires.\n"
     "\n"
     "The status of your application: {portal_url}\n"
     "\n"
     "This message was sent automatically; please do not reply.\n"},
    {"en", NOTIFY_TPL_COMPLETED, true,
     "Your e-signature application ({number}) is complete. Your new certificate (serial {serial}) "
     "is valid from {valid_from} until {valid_until}.\n"},
    {"en", NOTIFY_TPL_CANCELLED, false,
     "Subject: Your e-signature application was cancelled\n"
     "\n"
     "Dear {name},\n"
     "\n"
     "Your e-signature application {number} was cancelled.\n"
     "\n"
     "Reason: {reason}\n"
     "\n"
     "For details, contact your provincial administrator. If you need to, you can\n"
     "make a new application on the portal: {portal_url}\n"
     "\n"
     "This message was sent automatically; please do not reply.\n"},
    {"en", NOTIFY_TPL_CANCELLED, true,
     "Your e-signature application ({number}) was cancelled. Reason: {reason}. New application: "
     "{portal_url}\n"},
};

#define TPL_NBUILTIN (sizeof tpl_builtins / sizeof tpl_builtins[0])

struct notify_templates {
    char *subject[NOTIFY_TPL__COUNT]; /* e-mail subject line */
    char *email[NOTIFY_TPL__COUNT];   /* e-mail body */
    char *sms[NOTIFY_TPL__COUNT];     /* NULL: no SMS form */
};

const char *notify_tpl_name(enum notify_tpl t)
{
    return (unsigned)t < NOTIFY_TPL__COUNT ? tpl_names[t] : NULL;
}

bool notify_tpl_has_sms(enum notify_tpl t)
{
    return t != NOTIFY_TPL_DIGEST && (unsigned)t < NOTIFY_TPL__COUNT;
}

const char *notify_tpl_builtin(const char *lang, enum notify_tpl t, bool sms)
{
    for (size_t i = 0; i < TPL_NBUILTIN; i++)
        if (!strcmp(tpl_builtins[i].lang, lang) && tpl_builtins[i].t == t &&
            tpl_builtins[i].sms == sms)
            return tpl_builtins[i].text;
    return NULL;
}

/* The length of a placeholder name starting at p (just after '{') when it is one: [a-z_]+
 * followed by '}'. 0 otherwise. */
static size_t tpl_placeholder(const char *p)
{
    size_t n = 0;
    while ((p[n] >= 'a' && p[n] <= 'z') || p[n] == '_')
        n++;
    return n > 0 && n <= TPL_NAME_MAX && p[n] == '}' ? n : 0;
}

static bool tpl_var_allowed(enum notify_tpl t, const char *name, size_t n)
{
    for (const char *v = tpl_vars[t]; *v;) {
        size_t len = strcspn(v, " ");
        if (len == n && !strncmp(v, name, n))
            return true;
        v += len;
        while (*v == ' ')
            v++;
    }
    return false;
}

/* Checks every placeholder of text against t's names; -1 with the reason in err. */
static int tpl_check(enum notify_tpl t, const char *text, const char *what, char *err,
                     size_t errlen)
{
    for (const char *p = strchr(text, '{'); p; p = strchr(p + 1, '{')) {
        size_t n = tpl_placeholder(p + 1);
        if (n && !tpl_var_allowed(t, p + 1, n)) {
            snprintf(err, errlen, "%s: unknown placeholder {%.*s} (known: %s)", what, (int)n, p + 1,
                     tpl_vars[t]);
            return -1;
        }
    }
    return 0;
}

/* Splits an e-mail text into a subject and a body (copies); -1 with err set. */
static int tpl_split_email(const char *text, const char *what, char **subject, char **body,
                           char *err, size_t errlen)
{
    static const char prefix[] = "Subject:";
    if (strncmp(text, prefix, sizeof prefix - 1) != 0) {
        snprintf(err, errlen, "%s: the first line must be 'Subject: ...'", what);
        return -1;
    }
    const char *s = text + sizeof prefix - 1;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strcspn(s, "\r\n");
    const char *rest = s + n;
    if (*rest == '\r')
        rest++;
    if (*rest == '\n')
        rest++;
    if (n == 0) {
        snprintf(err, errlen, "%s: the subject is empty", what);
        return -1;
    }
    if (*rest == '\r')
        rest++;
    if (*rest != '\n') {
        snprintf(err, errlen, "%s: an empty line must follow the Subject line", what);
        return -1;
    }
    rest++;
    *subject = strndup(s, n);
    *body = strdup(rest);
    if (!*subject || !*body) {
        free(*subject);
        free(*body);
        *subject = *body = NULL;
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

/* Reads path into a new string: 1 when read, 0 when there is no such file, -1 on an error
 * (err set). */
static int tpl_read_file(const char *path, char **out, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    int rc = -1;
    char *buf = malloc(TPL_FILE_MAX + 1);
    if (!buf) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    size_t n = fread(buf, 1, TPL_FILE_MAX + 1, f);
    if (ferror(f)) {
        snprintf(err, errlen, "%s: cannot be read", path);
        goto out;
    }
    if (n > TPL_FILE_MAX) {
        snprintf(err, errlen, "%s: larger than %d bytes", path, TPL_FILE_MAX);
        goto out;
    }
    if (!core_utf8_valid(buf, n) || memchr(buf, '\0', n)) {
        snprintf(err, errlen, "%s: not UTF-8 text", path);
        goto out;
    }
    buf[n] = '\0';
    *out = buf;
    buf = NULL;
    rc = 1;
out:
    free(buf);
    fclose(f);
    return rc;
}

/* An SMS is one line of text: trailing blanks and newlines of the file are dropped. */
static void tpl_trim_end(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
}

void notify_templates_free(struct notify_templates *t)
{
    if (!t)
        return;
    for (int i = 0; i < NOTIFY_TPL__COUNT; i++) {
        free(t->subject[i]);
        free(t->email[i]);
        free(t->sms[i]);
    }
    free(t);
}

/* Loads one form of template i into set: the file in dir when there is one, else the
 * compiled-in text. */
static int tpl_load_one(struct notify_templates *set, const char *dir, const char *lang,
                        enum notify_tpl i, bool sms, char *err, size_t errlen)
{
    char path[4096];
    char *text = NULL;
    int rc = -1, got = 0;
    snprintf(path, sizeof path, "%s/%s/%s.%s.txt", dir ? dir : "", lang, tpl_names[i],
             sms ? "sms" : "email");
    if (dir && *dir && (got = tpl_read_file(path, &text, err, errlen)) < 0)
        goto out;
    if (!got) {
        const char *b = notify_tpl_builtin(lang, i, sms);
        snprintf(path, sizeof path, "(built-in) %s/%s.%s.txt", lang, tpl_names[i],
                 sms ? "sms" : "email");
        if (!b || !(text = strdup(b))) {
            snprintf(err, errlen, "%s: %s", path, b ? "out of memory" : "missing");
            goto out;
        }
    }
    if (tpl_check(i, text, path, err, errlen) < 0)
        goto out;
    if (sms) {
        tpl_trim_end(text);
        if (!*text) {
            snprintf(err, errlen, "%s: the text is empty", path);
            goto out;
        }
        set->sms[i] = text;
        text = NULL;
    } else if (tpl_split_email(text, path, &set->subject[i], &set->email[i], err, errlen) < 0) {
        goto out;
    }
    rc = 0;
out:
    free(text);
    return rc;
}

int notify_templates_load(const char *dir, const char *lang, struct notify_templates **out,
                          char *err, size_t errlen)
{
    *out = NULL;
    if (!lang || (strcmp(lang, "tr") && strcmp(lang, "en"))) {
        snprintf(err, errlen, "unknown template language '%s' (tr or en)", lang ? lang : "");
        return -1;
    }
    struct notify_templates *set = calloc(1, sizeof *set);
    if (!set) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (int i = 0; i < NOTIFY_TPL__COUNT; i++) {
        if (tpl_load_one(set, dir, lang, (enum notify_tpl)i, false, err, errlen) < 0 ||
            (notify_tpl_has_sms((enum notify_tpl)i) &&
             tpl_load_one(set, dir, lang, (enum notify_tpl)i, true, err, errlen) < 0)) {
            notify_templates_free(set);
            return -1;
        }
    }
    *out = set;
    return 0;
}

/* Appends text to out with its placeholders replaced. */
static int tpl_expand(const char *text, const struct notify_var *vars, size_t nvars,
                      struct ubuf *out)
{
    const char *p = text;
    for (const char *b = strchr(p, '{'); b; b = strchr(b + 1, '{')) {
        size_t n = tpl_placeholder(b + 1);
        if (!n)
            continue;
        if (ubuf_put(out, p, (size_t)(b - p)) < 0)
            return -1;
        for (size_t i = 0; i < nvars; i++) {
            if (strlen(vars[i].name) == n && !strncmp(vars[i].name, b + 1, n)) {
                if (ubuf_puts(out, vars[i].value ? vars[i].value : "") < 0)
                    return -1;
                break;
            }
        }
        p = b + 1 + n + 1;
        b = p - 1;
    }
    return ubuf_puts(out, p);
}

int notify_render(const struct notify_templates *set, enum notify_tpl t, bool sms,
                  const struct notify_var *vars, size_t nvars, struct ubuf *subject,
                  struct ubuf *body)
{
    if (!set || (unsigned)t >= NOTIFY_TPL__COUNT || !body)
        return -1;
    if (sms)
        return set->sms[t] ? tpl_expand(set->sms[t], vars, nvars, body) : -1;
    if (!subject || tpl_expand(set->subject[t], vars, nvars, subject) < 0)
        return -1;
    return tpl_expand(set->email[t], vars, nvars, body);
}
