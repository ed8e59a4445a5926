/* eimza — the message catalogue's texts (web/html/). See i18n.h.
 *
 * One row per enum web_msg, written with designated initializers so a row can never land on
 * the wrong key; test_i18n.c checks that every key has a name and both texts, that names
 * are unique snake_case, that texts are valid UTF-8 without markup, and that placeholders
 * agree between the languages. Turkish texts that applicants know from the old portal are
 * kept word for word (brief.md); do not "improve" them.
 */
#include "web/html/i18n.h"

#include <string.h>

struct web_msg_row {
    const char *name;
    const char *tr;
    const char *en;
};

#define CALL_CENTRE "444 5 576"

static const struct web_msg_row web_msgs[WEB_MSG_COUNT_] = {
    [WEB_MSG_NONE] = {"", "", ""},

    /* ---- the layout */
    [WEB_MSG_SERVICE_NAME] = {"service_name", "Nitelikli Elektronik Sertifika Başvurusu",
                              "Qualified Electronic Certificate Application"},
    [WEB_MSG_SKIP_LINK] = {"skip_link", "Ana içeriğe geç", "Skip to main content"},
    [WEB_MSG_LANG_OTHER] = {"lang_other", "English", "Türkçe"},
    [WEB_MSG_LANG_OTHER_CODE] = {"lang_other_code", "en", "tr"},
    [WEB_MSG_FOOTER_CALL_CENTRE] = {"footer_call_centre", "Kamu SM Çağrı Merkezi: " CALL_CENTRE,
                                    "Kamu SM call centre: " CALL_CENTRE},
    [WEB_MSG_FOOTER_CARD_LATE] = {"footer_card_late",
                                  "Kartınız onaydan sonra 15 gün içinde elinize ulaşmazsa çağrı "
                                  "merkezini arayınız.",
                                  "If your card has not reached you 15 days after approval, call "
                                  "the call centre."},
    [WEB_MSG_FOOTER_PRIVACY] = {"footer_privacy", "Kişisel verilerin korunması",
                                "Personal data protection"},
    [WEB_MSG_FOOTER_OPERATOR] = {"footer_operator",
                                 "Bu portal, Milli Eğitim Bakanlığı personelinin e-imza "
                                 "sertifikası yenileme başvuruları içindir.",
                                 "This portal is for the e-signature certificate renewals of "
                                 "the staff of the Ministry of National Education."},
    [WEB_MSG_TITLE_ERROR_PREFIX] = {"title_error_prefix", "Hata: ", "Error: "},
    [WEB_MSG_ERROR_SUMMARY_TITLE] = {"error_summary_title", "Bir sorun var", "There is a problem"},
    [WEB_MSG_ERROR_PREFIX] = {"error_prefix", "Hata:", "Error:"},
    [WEB_MSG_OPTIONAL] = {"optional", "(isteğe bağlı)", "(optional)"},
    [WEB_MSG_SELECT_PLACEHOLDER] = {"select_placeholder", "Seçiniz", "Choose"},

    /* ---- the step indicator */
    [WEB_MSG_STEPS_LABEL] = {"steps_label", "Başvuru adımları", "Application steps"},
    [WEB_MSG_STEP_COUNTER] = {"step_counter", "Adım {0} / {1}", "Step {0} of {1}"},
    [WEB_MSG_STEP_DONE] = {"step_done", "Tamamlandı:", "Done:"},
    [WEB_MSG_STEPS_OVERVIEW] = {"steps_overview",
                                "Başvuru beş adımdan oluşur:", "The application has five steps:"},
    [WEB_MSG_STEPS_ALL_DONE] = {"steps_all_done", "Bütün adımlar tamamlandı", "All steps are done"},
    [WEB_MSG_STEP_1] = {"step_1", "Giriş", "Log in"},
    [WEB_MSG_STEP_2] = {"step_2", "Başvuru Formu", "Application form"},
    [WEB_MSG_STEP_3] = {"step_3", "SMS Onay Kodu", "SMS confirmation code"},
    [WEB_MSG_STEP_4] = {"step_4", "SMS Doğrulama Kodu", "Enter the SMS code"},
    [WEB_MSG_STEP_5] = {"step_5", "Başvuruyu İmzalama", "Sign the application"},

    /* ---- words from the old portal (brief.md) */
    [WEB_MSG_CAPTCHA] = {"captcha", "Resimdeki Yazıyı Giriniz", "Type the text in the image"},
    [WEB_MSG_TCKN] = {"tckn", "Kimlik No", "Turkish ID number (T.C. Kimlik No)"},
    [WEB_MSG_FIRST_NAME] = {"first_name", "Ad", "First name"},
    [WEB_MSG_LAST_NAME] = {"last_name", "Soyad", "Last name"},
    [WEB_MSG_BIRTH_PLACE] = {"birth_place", "Doğum Yeri", "Place of birth"},
    [WEB_MSG_BIRTH_DATE] = {"birth_date", "Doğum Tarihi", "Date of birth"},
    [WEB_MSG_LOGIN] = {"login", "Giriş", "Log in"},
    [WEB_MSG_FORM_TITLE] = {"form_title", "Başvuru Formu", "Application form"},
    [WEB_MSG_SECTION_APPLICATION] = {"section_application", "Başvuru Bilgileri",
                                     "Application details"},
    [WEB_MSG_SECTION_PERSONAL] = {"section_personal", "Kişisel Bilgiler", "Personal details"},
    [WEB_MSG_SECTION_INSTITUTION] = {"section_institution", "Kurum Bilgileri",
                                     "Institution details"},
    [WEB_MSG_SECTION_CONTACT] = {"section_contact", "İletişim Bilgileri", "Contact details"},
    [WEB_MSG_SECURITY_WORD] = {"security_word", "Güvenlik sözcüğü", "Security word"},
    [WEB_MSG_SECURITY_WORD_REPEAT] = {"security_word_repeat", "Güvenlik sözcüğü (Tekrar)",
                                      "Security word (again)"},
    [WEB_MSG_PHONE_NUMBER] = {"phone_number", "Telefon Numaranız", "Your phone number"},
    [WEB_MSG_SEND] = {"send", "Gönder", "Send"},
    [WEB_MSG_OTP_REMAINING] = {"otp_remaining",
                               "SMS Onay Kodunuzun Geçerliliği İçin Kalan Süre {0} Saniye",
                               "Time left before your SMS code expires: {0} seconds"},
    [WEB_MSG_OTP_CODE] = {"otp_code", "SMS Doğrulama Kodu", "SMS verification code"},
    [WEB_MSG_OK] = {"ok", "Tamam", "OK"},
    [WEB_MSG_CANCEL] = {"cancel", "İptal", "Cancel"},
    [WEB_MSG_METHOD_1] = {"method_1", "Yöntem 1: E-İmzalı Başvuru",
                          "Method 1: apply with your e-signature"},
    [WEB_MSG_METHOD_2] = {"method_2", "Yöntem 2: Islak İmzalı Başvuru",
                          "Method 2: apply with a handwritten signature"},
    [WEB_MSG_SIGNED_CONTENT] = {"signed_content", "İmzalanan İçerik", "Content to be signed"},
    [WEB_MSG_SIGN] = {"sign", "İmzala", "Sign"},
    [WEB_MSG_CARD_TYPE] = {"card_type", "Lütfen İşlem Yapılacak Kart Tipini Seçiniz",
                           "Please choose the type of card to use"},
    [WEB_MSG_RESULT] = {"result", "Başvuru Sonucu", "Application result"},
    [WEB_MSG_SIGN_DONE] = {"sign_done", "Başvuru İmzalama İşlemi Başarıyla Bitirildi",
                           "The application was signed successfully"},
    [WEB_MSG_DECLARATION] = {"declaration",
                             "Aşağıda yazılı bütün bilgilerin doğru olduğunu, aksi halde doğacak "
                             "bütün zararlardan sorumlu olduğumu beyan ederim. Bu formdaki "
                             "bilgilere göre şahsıma bir nitelikli elektronik sertifika "
                             "hazırlanmasını talep ederim.",
                             "I declare that all the information below is true and that I am "
                             "liable for any damage otherwise. I request that a qualified "
                             "electronic certificate be prepared for me on the basis of the "
                             "information in this form."},

    /* ---- the login page */
    [WEB_MSG_LOGIN_TITLE] = {"login_title", "Kimlik bilgilerinizle giriş yapınız",
                             "Log in with your identity details"},
    [WEB_MSG_TCKN_HINT] = {"tckn_hint", "11 haneli T.C. Kimlik Numaranız",
                           "Your 11-digit T.C. Kimlik No"},
    [WEB_MSG_BIRTH_DATE_HINT] = {"birth_date_hint", "Nüfus kaydınızdaki doğum tarihiniz",
                                 "As in the civil registry"},
    [WEB_MSG_CAPTCHA_IMAGE_ALT] = {"captcha_image_alt",
                                   "Doğrulama resmi. Okuyamıyorsanız sesli dinleyebilirsiniz.",
                                   "Verification image. If you cannot read it, listen to it."},
    [WEB_MSG_CAPTCHA_NEW] = {"captcha_new", "Yeni resim", "New image"},
    [WEB_MSG_CAPTCHA_AUDIO] = {"captcha_audio", "Sesli dinle", "Listen"},
    [WEB_MSG_CAPTCHA_HINT] = {"captcha_hint",
                              "Resmi okuyamıyorsanız yeni bir resim isteyebilir ya da yazıyı "
                              "sesli dinleyebilirsiniz.",
                              "If you cannot read the image, ask for a new one or listen to "
                              "the text."},

    /* ---- the application form */
    [WEB_MSG_APPLICATION_NUMBER] = {"application_number", "Başvuru No: {0}",
                                    "Application number: {0}"},
    [WEB_MSG_REASON] = {"reason", "Başvuru Nedeni", "Reason for applying"},
    [WEB_MSG_REASON_RENEWAL] = {"reason_renewal", "Yenileme", "Renewal"},
    [WEB_MSG_REASON_RENEWAL_HINT] = {"reason_renewal_hint",
                                     "Yeni sertifika, şu ankinin süresi bitince başlar.",
                                     "The new certificate starts when the current one ends."},
    [WEB_MSG_REASON_LOST] = {"reason_lost", "Kayıp/Çalıntı", "Lost or stolen"},
    [WEB_MSG_REASON_LOST_HINT] = {"reason_lost_hint", "Şu anki sertifika önce iptal edilir.",
                                  "The current certificate is revoked first."},
    [WEB_MSG_REASON_OTHER] = {"reason_other", "Diğer", "Other"},
    [WEB_MSG_REASON_OTHER_HINT] = {"reason_other_hint", "Ek bir sertifika hazırlanır.",
                                   "An additional certificate is prepared."},
    [WEB_MSG_CARD_READER] = {"card_reader", "Kart Okuyucu Tipi", "Card reader type"},
    [WEB_MSG_CARD_READER_NONE] = {"card_reader_none", "İstenmedi", "Not needed"},
    [WEB_MSG_CARD_READER_MINI] = {"card_reader_mini", "Mini Kart Okuyucu", "Mini card reader"},
    [WEB_MSG_VALIDITY] = {"validity", "Sertifika Süresi", "Certificate validity"},
    [WEB_MSG_VALIDITY_1] = {"validity_1", "1 Yıl", "1 year"},
    [WEB_MSG_VALIDITY_2] = {"validity_2", "2 Yıl", "2 years"},
    [WEB_MSG_VALIDITY_3] = {"validity_3", "3 Yıl", "3 years"},
    [WEB_MSG_SECURITY_WORD_HINT] = {"security_word_hint",
                                    "Çağrı merkezi, örneğin sertifikanızı iptal ettirmek "
                                    "istediğinizde kimliğinizi bu sözcükle doğrular. En az 6 "
                                    "karakter olmalıdır; kimseyle paylaşmayınız.",
                                    "The call centre asks for this word to confirm who you are, "
                                    "for example when you want your certificate revoked. Use at "
                                    "least 6 characters and share it with nobody."},
    [WEB_MSG_INSTITUTION_NAME] = {"institution_name", "Kurum Adı", "Institution"},
    [WEB_MSG_INSTITUTION_HINT] = {"institution_hint",
                                  "Kurum Adı hatalı ise lütfen kurumunuzla iletişime geçiniz.",
                                  "If the institution is wrong, please contact your "
                                  "institution."},
    [WEB_MSG_REGISTRY_NO] = {"registry_no", "Kurum Sicil No", "Staff registry number"},
    [WEB_MSG_UNIT] = {"unit", "Çalıştığı Birim", "Unit"},
    [WEB_MSG_JOB_TITLE] = {"job_title", "Unvan", "Job title"},
    [WEB_MSG_ADDRESS] = {"address", "Kurum/Birim Adresi", "Address of the institution or unit"},
    [WEB_MSG_PROVINCE] = {"province", "İl", "Province"},
    [WEB_MSG_DISTRICT] = {"district", "İlçe", "District"},
    [WEB_MSG_POSTAL_CODE] = {"postal_code", "Posta Kodu", "Postal code"},
    [WEB_MSG_POSTAL_CODE_HINT] = {"postal_code_hint",
                                  "5 haneli; ilk iki hanesi ilin plaka kodudur (Batman için "
                                  "72xxx).",
                                  "5 digits; the first two are the province's plate code "
                                  "(72xxx for Batman)."},
    [WEB_MSG_EMAIL] = {"email", "E-posta", "E-mail"},
    [WEB_MSG_WORK_PHONE] = {"work_phone", "İş Telefonu", "Work phone"},
    [WEB_MSG_WORK_PHONE_NUMBER] = {"work_phone_number", "Numara", "Number"},
    [WEB_MSG_WORK_PHONE_EXT] = {"work_phone_ext", "Dahili", "Extension"},
    [WEB_MSG_MOBILE_PHONE] = {"mobile_phone", "Cep Telefonu", "Mobile phone"},
    [WEB_MSG_MOBILE_PHONE_HINT] = {"mobile_phone_hint",
                                   "Numaralar taşınabildiği için operatörünüzü ayrıca seçiniz.",
                                   "Numbers can move between operators, so choose your operator "
                                   "too."},
    [WEB_MSG_MOBILE_OPERATOR] = {"mobile_operator", "Mobil Operatör", "Mobile operator"},
    [WEB_MSG_OPERATOR_TURKCELL] = {"operator_turkcell", "Turkcell", "Turkcell"},
    [WEB_MSG_OPERATOR_VODAFONE] = {"operator_vodafone", "Vodafone", "Vodafone"},
    [WEB_MSG_OPERATOR_TURK_TELEKOM] = {"operator_turk_telekom", "Türk Telekom", "Türk Telekom"},
    [WEB_MSG_HOME_PHONE] = {"home_phone", "Ev Telefonu", "Home phone"},
    [WEB_MSG_NOTIFY_BY] = {"notify_by", "Bildirim Tercihi", "How to notify you"},
    [WEB_MSG_NOTIFY_EMAIL] = {"notify_email", "E-posta", "E-mail"},
    [WEB_MSG_NOTIFY_SMS] = {"notify_sms", "SMS", "SMS"},
    [WEB_MSG_NOTIFY_BOTH] = {"notify_both", "E-posta ve SMS", "E-mail and SMS"},
    [WEB_MSG_READONLY_HINT] = {"readonly_hint",
                               "Bu bilgi personel kaydınızdan gelir ve burada değiştirilemez.",
                               "This comes from your personnel record and cannot be changed "
                               "here."},
    [WEB_MSG_CONFIRM_FORM] = {"confirm_form", "Kaydet ve devam et", "Save and continue"},
    [WEB_MSG_INELIGIBLE_WARNING] = {"ineligible_warning",
                                    "Personel kayıtlarınıza göre başvurunuz şu anda "
                                    "onaylanamaz: {0} Başvurunuzu yine de gönderebilirsiniz; "
                                    "kayıtlarınız güncellenince değerlendirilir.",
                                    "According to your personnel record your application cannot "
                                    "be approved now: {0} You can still send it; it is "
                                    "considered once your record is updated."},

    /* ---- the SMS code */
    [WEB_MSG_OTP_SENT] = {"otp_sent", "SMS Doğrulama Kodu {0} numaralı telefonunuza gönderildi.",
                          "The SMS verification code was sent to your phone {0}."},
    [WEB_MSG_OTP_WRONG_NUMBER] = {"otp_wrong_number",
                                  "Telefon numaranız yanlışsa " CALL_CENTRE
                                  " numaralı Kamu SM çağrı merkezini arayınız.",
                                  "If this phone number is wrong, call the Kamu SM call centre "
                                  "on " CALL_CENTRE "."},
    [WEB_MSG_OTP_EXPIRED] = {"otp_expired", "Kodun süresi doldu. Lütfen yeni bir kod isteyiniz.",
                             "The code has expired. Please ask for a new one."},
    [WEB_MSG_OTP_CODE_HINT] = {"otp_code_hint", "SMS ile gelen 6 haneli kodu yazınız.",
                               "Type the 6-digit code from the SMS."},
    [WEB_MSG_OTP_NEW_CODE] = {"otp_new_code", "Yeni kod gönder", "Send a new code"},

    /* ---- signing and status */
    [WEB_MSG_METHOD_TITLE] = {"method_title", "İmzalama yöntemini seçiniz", "Choose how to sign"},
    [WEB_MSG_METHOD_1_HINT] = {"method_1_hint",
                               "Şu anki e-imza kartınızla hemen imzalarsınız. Kart PIN'iniz "
                               "gerekir; üç kez yanlış girilen PIN kartı kilitler.",
                               "You sign now with your current e-signature card. You need its "
                               "PIN; three wrong PINs lock the card."},
    [WEB_MSG_METHOD_2_HINT] = {"method_2_hint",
                               "Formu yazdırıp elle imzalar ve posta ile gönderirsiniz. "
                               "Sertifikanızın süresi dolduysa bu yöntemi kullanınız.",
                               "You print the form, sign it by hand and send it by post. Use "
                               "this method if your certificate has expired."},
    [WEB_MSG_STATUS_TITLE] = {"status_title", "Başvurunuzun durumu", "Where your application is"},
    [WEB_MSG_STATUS_NEXT] = {"status_next", "Sonraki adım", "What happens next"},
    [WEB_MSG_CONTINUE] = {"continue", "Devam et", "Continue"},
    [WEB_MSG_BACK] = {"back", "Geri", "Back"},

    /* ---- the landing page */
    [WEB_MSG_LANDING_TITLE] = {"landing_title", "E-imza sertifikanızı yenileyin",
                               "Renew your e-signature certificate"},
    [WEB_MSG_LANDING_LEAD] = {"landing_lead",
                              "Görevinizde kullandığınız nitelikli elektronik sertifikanın "
                              "(e-imza) yenilenmesi için Kamu Sertifikasyon Merkezine (Kamu SM) "
                              "buradan başvurabilirsiniz. İl DYS yöneticiniz başvurunuzu "
                              "onayladıktan sonra yeni kartınız kargo ile formdaki adrese "
                              "gönderilir.",
                              "Apply here to the Public Certification Centre (Kamu SM) to "
                              "renew the qualified electronic certificate (e-signature) you use "
                              "in your job. Once your provincial DYS administrator approves "
                              "the application, your new card is sent by courier to the "
                              "address on the form."},
    [WEB_MSG_LANDING_WHO] = {"landing_who",
                             "Sertifikanız üç yıl geçerlidir; bitişinden üç ay önce size "
                             "e-posta ve SMS ile haber verilir. Görevine devam eden ve e-imza "
                             "hakkı süren personel, sertifikası bitmeden en geç bir ay önce "
                             "başvurmalıdır.",
                             "Your certificate is valid for three years; you are told by e-mail "
                             "and SMS three months before it ends. Staff who are still in "
                             "service and entitled to an e-signature must apply at the latest "
                             "one month before it ends."},
    [WEB_MSG_LANDING_DEADLINE] = {"landing_deadline",
                                  "Sertifikanızın süresi dolduysa yalnızca ıslak imzalı "
                                  "başvuru yapabilirsiniz.",
                                  "If your certificate has already expired, you can only apply "
                                  "with a handwritten signature."},
    [WEB_MSG_LANDING_BEFORE_TITLE] = {"landing_before_title", "Başlamadan önce",
                                      "Before you start"},
    [WEB_MSG_LANDING_NEED_CARD] = {"landing_need_card",
                                   "E-imzalı başvuru için şu anki e-imza kartınızı kart "
                                   "okuyucuya takınız ve PIN'inizi hazır bulundurunuz.",
                                   "To apply with your e-signature, put your current card in "
                                   "the card reader and have its PIN ready."},
    [WEB_MSG_LANDING_NEED_PHONE] = {"landing_need_phone",
                                    "Kayıtlı cep telefonunuzu yanınızda bulundurunuz: "
                                    "başvurunuzu onaylamanız için SMS ile bir kod gönderilir.",
                                    "Keep your registered mobile phone with you: a code is sent "
                                    "to it by SMS to confirm your application."},
    [WEB_MSG_LANDING_NEED_TIME] = {"landing_need_time",
                                   "Başvuru yaklaşık 10 dakika sürer. Uzun süre işlem "
                                   "yapmazsanız güvenliğiniz için oturumunuz kapanır.",
                                   "Applying takes about 10 minutes. If you do nothing for a "
                                   "long time, you are logged out for your safety."},
    [WEB_MSG_LANDING_START] = {"landing_start", "Başvuruya başla", "Start your application"},
    [WEB_MSG_LANDING_AFTER_TITLE] = {"landing_after_title", "Başvurudan sonra", "After you apply"},
    [WEB_MSG_LANDING_AFTER] = {"landing_after",
                               "İl DYS yöneticiniz başvurunuzu MEBBİS personel kayıtlarınıza "
                               "göre inceler. Onaydan sonra 10–15 gün içinde yeni kartınız "
                               "kargo ile gelir. Başvurunuzun nerede olduğunu bu portalda "
                               "görebilirsiniz.",
                               "Your provincial DYS administrator checks the application "
                               "against your MEBBİS personnel record. Within 10 to 15 days of "
                               "approval your new card arrives by courier. You can follow "
                               "your application on this portal."},
    [WEB_MSG_LANDING_INELIGIBLE] = {"landing_ineligible",
                                    "Görevlendirmeniz sona erdiyse ya da uzatıldığı halde "
                                    "e-personel modülüne girilmediyse başvurunuz onaylanmaz: "
                                    "önce il/ilçe milli eğitim özlük biriminizle görüşerek "
                                    "kayıtlarınızı güncelletiniz.",
                                    "If your assignment has ended, or was extended but the "
                                    "extension was never entered in the e-personel module, "
                                    "your application is not approved: first ask your "
                                    "provincial or district personnel unit to update your "
                                    "records."},
    [WEB_MSG_KVKK_TITLE] = {"kvkk_title", "Kişisel verilerinizin korunması (KVKK aydınlatma metni)",
                            "Your personal data (privacy notice under KVKK)"},
    [WEB_MSG_KVKK_WHAT] = {"kvkk_what",
                           "Başvurunuz için T.C. Kimlik Numaranız, adınız, soyadınız, doğum "
                           "yeriniz ve tarihiniz, kurum bilgileriniz ve iletişim bilgileriniz "
                           "(adres, e-posta, telefon) işlenir. Güvenlik sözcüğünüz yalnızca "
                           "geri çevrilemez bir özet olarak saklanır.",
                           "For your application we process your T.C. Kimlik No, first and last "
                           "name, place and date of birth, institution details and contact "
                           "details (address, e-mail, phone). Your security word is kept only "
                           "as an irreversible hash."},
    [WEB_MSG_KVKK_WHY] = {"kvkk_why",
                          "Bu veriler 6698 sayılı Kişisel Verilerin Korunması Kanunu ve 5070 "
                          "sayılı Elektronik İmza Kanunu uyarınca yalnızca kimliğinizi "
                          "doğrulamak, başvurunuzu değerlendirmek, sertifikanızı üretmek ve "
                          "kartınızı size ulaştırmak için kullanılır; yalnızca başvurunuzu "
                          "onaylayacak yetkili ve Kamu SM ile paylaşılır ve saklama süresi "
                          "dolunca silinir.",
                          "Under the Personal Data Protection Law no. 6698 and the Electronic "
                          "Signature Law no. 5070, these data are used only to confirm who you "
                          "are, consider your application, produce your certificate and "
                          "deliver your card; they are shared only with the official who "
                          "approves your application and with Kamu SM, and are deleted when "
                          "their retention period ends."},
    [WEB_MSG_KVKK_RIGHTS] =
        {"kvkk_rights",
         "Kanunun 11. maddesindeki haklarınız için (verilerinize erişmek, "
         "düzeltilmesini ya da silinmesini istemek) kurumunuza ya da " CALL_CENTRE
         " numaralı çağrı merkezine başvurabilirsiniz.",
         "For your rights under article 11 of the law (to see your data, "
         "or to have it corrected or deleted), contact your institution or "
         "the call centre on " CALL_CENTRE "."},

    /* ---- the component sample page (--dev only) */
    [WEB_MSG_DEMO_TITLE] = {"demo_title", "Bileşen örnekleri (yalnızca geliştirme)",
                            "Component samples (development only)"},
    [WEB_MSG_DEMO_LEAD] = {"demo_lead",
                           "Bu sayfa yalnızca --dev ile çalışan sunucuda açılır ve portalın "
                           "form bileşenlerini hatalı değerlerle gösterir.",
                           "This page exists only on a server running with --dev; it shows "
                           "the portal's form components with wrong values."},
    [WEB_MSG_DEMO_SAVED] = {"demo_saved", "Form hatasız gönderildi.",
                            "The form was sent without errors."},
    [WEB_MSG_DEMO_COUNTDOWN_TITLE] = {"demo_countdown_title", "Geri sayım", "Countdown"},
    [WEB_MSG_DEMO_SIGNED_SAMPLE] = {"demo_signed_sample",
                                    "AD: AYŞE\nSOYAD: YILMAZ\nTC KİMLİK NUMARASI: 10000000146",
                                    "AD: AYŞE\nSOYAD: YILMAZ\nTC KİMLİK NUMARASI: 10000000146"},
    /* ---- the applicant's step pages (web/pages/) */
    [WEB_MSG_PP_CAPTCHA_AUDIO_LINK] = {"pp_captcha_audio_link", "Resmi sesli dinle",
                                       "Listen to the image"},
    [WEB_MSG_PP_RETRY_AT] = {"pp_retry_at",
                             "Saat {0} itibarıyla (yaklaşık {1} dakika sonra) yeniden "
                             "deneyebilirsiniz.",
                             "You can try again from {0} (in about {1} minutes)."},
    [WEB_MSG_PP_LOGIN_LEAD] = {"pp_login_lead",
                               "Bilgilerinizi nüfus cüzdanınızda yazdığı gibi giriniz.",
                               "Enter your details exactly as on your identity card."},
    [WEB_MSG_PP_FORM_LEAD] = {"pp_form_lead",
                              "Personel kaydınızdan doldurulan bilgileri kontrol ediniz, "
                              "değişenleri güncelleyip kaydediniz.",
                              "Check the details filled in from your personnel record, update "
                              "what has changed and save."},
    [WEB_MSG_PP_NOTICES_TITLE] = {"pp_notices_title", "Dikkat", "Please note"},
    [WEB_MSG_PP_SMS_LEAD] = {"pp_sms_lead",
                             "Başvurunuzu onaylamanız için kayıtlı cep telefonunuza 6 haneli "
                             "bir SMS doğrulama kodu gönderilecektir.",
                             "To confirm your application, a 6-digit SMS verification code "
                             "will be sent to your registered mobile phone."},
    [WEB_MSG_PP_SMS_CODE_TITLE] = {"pp_sms_code_title", "SMS Doğrulama Kodunu Giriniz",
                                   "Enter the SMS verification code"},
    [WEB_MSG_PP_RESEND_WAIT] = {"pp_resend_wait",
                                "Kod gelmezse {0} saniye sonra yeni kod isteyebilirsiniz.",
                                "If no code arrives, you can ask for a new one in {0} seconds."},
    [WEB_MSG_PP_TRIES_LEFT] = {"pp_tries_left", "Kalan deneme hakkınız: {0}.", "Tries left: {0}."},
    [WEB_MSG_PP_EDIT_FORM] = {"pp_edit_form", "Başvuru formuna dön",
                              "Back to the application form"},
    [WEB_MSG_PP_CONTENT_LEAD] = {"pp_content_lead",
                                 "Başvurunuz aşağıdaki metin olarak, tam bu hâliyle imzalanır.",
                                 "Your application is signed as the text below, exactly as "
                                 "shown."},
    [WEB_MSG_PP_METHOD_ONLY_WET] = {"pp_method_only_wet",
                                    "Bu nedenle yalnızca Yöntem 2 seçilebilir.",
                                    "So only method 2 can be chosen."},
    [WEB_MSG_PP_STATE] = {"pp_state", "Durum", "State"},
    [WEB_MSG_PP_TIMELINE] = {"pp_timeline", "Başvuru geçmişi", "History of the application"},
    [WEB_MSG_PP_TIMELINE_ZONE] = {"pp_timeline_zone", "Saatler Türkiye saatidir (UTC+3).",
                                  "Times are Turkish time (UTC+3)."},
    [WEB_MSG_PP_CONTACT] = {"pp_contact", "Kimi aramalı", "Whom to call"},
    [WEB_MSG_PP_ESIGN_NEXT] = {"pp_esign_next",
                               "Sonraki adım, içeriği şu anki e-imza kartınızla imzalamaktır. "
                               "Bunun için bilgisayarınızda yerel imza aracının (eimza agent) "
                               "çalışıyor, kartınızın takılı olması gerekir.",
                               "The next step is to sign the content with your current "
                               "e-signature card. For this, the local signing agent (eimza "
                               "agent) must be running on your computer with your card in the "
                               "reader."},
    [WEB_MSG_PP_CHANGE_METHOD] = {"pp_change_method", "İmzalama yöntemini değiştir",
                                  "Change the signing method"},
    [WEB_MSG_PP_LOGOUT] = {"pp_logout", "Çıkış", "Log out"},
    [WEB_MSG_PP_ERR_403_TITLE] = {"pp_err_403_title", "İşlem yapılamadı",
                                  "The request was refused"},
    [WEB_MSG_PP_ERR_404_TITLE] = {"pp_err_404_title", "Sayfa bulunamadı", "Page not found"},
    [WEB_MSG_PP_ERR_404_TEXT] = {"pp_err_404_text",
                                 "Aradığınız sayfa ya da kayıt bulunamadı; adresi kontrol ediniz.",
                                 "The page or record you asked for was not found; check the "
                                 "address."},
    [WEB_MSG_PP_ERR_500_TITLE] = {"pp_err_500_title", "Bir sorun oluştu", "Something went wrong"},
    [WEB_MSG_PP_ERR_500_TEXT] = {"pp_err_500_text",
                                 "İşleminiz şu anda tamamlanamadı; lütfen biraz sonra yeniden "
                                 "deneyiniz. Girdiğiniz bilgiler kaydedilmemiş olabilir.",
                                 "Your request could not be completed just now; please try "
                                 "again a little later. What you entered may not have been "
                                 "saved."},
    [WEB_MSG_PP_HOME_LINK] = {"pp_home_link", "Ana sayfaya dön", "Go to the home page"},
    [WEB_MSG_PP_LOGIN_AGAIN] = {"pp_login_again", "Giriş sayfasına dön", "Go to the login page"},
    [WEB_MSG_PP_STATE_DRAFT] = {"pp_state_draft", "Taslak", "Draft"},
    [WEB_MSG_PP_STATE_CODE_VERIFIED] = {"pp_state_code_verified",
                                        "SMS kodu doğrulandı, imza bekleniyor",
                                        "SMS code verified, waiting for the signature"},
    [WEB_MSG_PP_STATE_SUBMITTED] = {"pp_state_submitted", "Onay bekliyor", "Waiting for approval"},
    [WEB_MSG_PP_STATE_AWAITING_ORIGINAL] = {"pp_state_awaiting_original",
                                            "Islak imzalı form bekleniyor",
                                            "Waiting for the signed paper form"},
    [WEB_MSG_PP_STATE_APPROVED] = {"pp_state_approved", "Onaylandı", "Approved"},
    [WEB_MSG_PP_STATE_REJECTED] = {"pp_state_rejected", "Reddedildi", "Rejected"},
    [WEB_MSG_PP_STATE_IN_PRODUCTION] = {"pp_state_in_production", "Kart üretimde",
                                        "Card in production"},
    [WEB_MSG_PP_STATE_SHIPPED] = {"pp_state_shipped", "Kargoya verildi", "Sent by courier"},
    [WEB_MSG_PP_STATE_DELIVERED] = {"pp_state_delivered", "Teslim edildi", "Delivered"},
    [WEB_MSG_PP_STATE_COMPLETED] = {"pp_state_completed", "Tamamlandı", "Completed"},
    [WEB_MSG_PP_STATE_CANCELLED] = {"pp_state_cancelled", "İptal edildi", "Cancelled"},
    [WEB_MSG_PP_REJECTION_REASON] = {"pp_rejection_reason", "Ret gerekçesi",
                                     "Reason for rejection"},
    [WEB_MSG_SG_TITLE] = {"sg_title", "Başvuruyu e-imza ile imzalayınız",
                          "Sign the application with your e-signature"},
    [WEB_MSG_SG_LEAD] = {"sg_lead",
                         "Aşağıdaki içerik, şu anki e-imza kartınızla imzalanacaktır. Kartınızı "
                         "okuyucuya takınız, kartınızı seçip “İmzala” düğmesine basınız. PIN'inizi "
                         "bu sayfa değil, bilgisayarınızdaki imzalama aracı soracaktır.",
                         "The content below will be signed with your current e-signature card. Put "
                         "the card in the reader, choose it and press “Sign”. Your PIN is asked by "
                         "the signing agent on your computer, never by this page."},
    [WEB_MSG_SG_CARD] = {"sg_card", "Kart tipi", "Card type"},
    [WEB_MSG_SG_CARD_WAIT] = {"sg_card_wait", "Kartlar okunuyor…", "Reading the cards…"},
    [WEB_MSG_SG_NOSCRIPT] = {"sg_noscript",
                             "Bu adım için tarayıcınızda JavaScript açık olmalıdır. Açamıyorsanız "
                             "ıslak imzalı başvuru yöntemini seçebilirsiniz.",
                             "This step needs JavaScript in your browser. If you cannot turn it "
                             "on, you can choose the wet-signature method."},
    [WEB_MSG_SG_NO_AGENT_TITLE] = {"sg_no_agent_title", "İmzalama aracı bulunamadı",
                                   "The signing agent was not found"},
    [WEB_MSG_SG_NO_AGENT] =
        {"sg_no_agent",
         "Bu bilgisayarda e-imza aracı kurulu değil ya da çalışmıyor. Pardus ya da Debian "
         "kullanıyorsanız iki adımda kurunuz:",
         "The e-signature agent is not installed or not running on this computer. On Pardus or "
         "Debian, install it in two steps:"},
    [WEB_MSG_SG_GET_AGENT] = {"sg_get_agent", "{0} ve {1} paketlerini indiriniz.",
                              "Download the packages {0} and {1}."},
    [WEB_MSG_SG_INSTALL_AGENT] = {"sg_install_agent",
                                  "İndirdiğiniz klasörde bir uçbirim açıp şu komutu çalıştırınız, "
                                  "sonra bu sayfayı yenileyiniz:",
                                  "Open a terminal in the folder you downloaded them to, run this "
                                  "command, then reload this page:"},
    [WEB_MSG_SG_AGENT_HELP] = {"sg_agent_help",
                               "Kurumunuzun yönettiği bir bilgisayardaysanız ya da başka bir "
                               "işletim sistemi kullanıyorsanız bilgi işlem biriminize başvurunuz.",
                               "On a computer your institution manages, or on another operating "
                               "system, ask your IT unit."},
    [WEB_MSG_SG_UPLOAD_TITLE] = {"sg_upload_title", "Ya da imza dosyasını yükleyiniz",
                                 "Or upload a signature file"},
    [WEB_MSG_SG_UPLOAD_HOWTO] = {"sg_upload_howto",
                                 "İmzalanacak içeriği indirip “eimza sign” komutuyla imzalayınız "
                                 "ve oluşan .p7s dosyasını seçiniz:",
                                 "Download the content to sign, sign it with the “eimza sign” "
                                 "command and choose the .p7s file it makes:"},
    [WEB_MSG_SG_DOWNLOAD] = {"sg_download", "İmzalanacak içeriği indir",
                             "Download the content to sign"},
    [WEB_MSG_SG_FILE] = {"sg_file", "İmza dosyası (.p7s)", "Signature file (.p7s)"},
    [WEB_MSG_SG_UPLOAD] = {"sg_upload", "Yükle ve gönder", "Upload and send"},
    [WEB_MSG_SG_OTHER_METHOD] = {"sg_other_method", "Islak imzalı yöntemi seç",
                                 "Choose the wet-signature method"},
    [WEB_MSG_WET_PRINT] = {"wet_print", "Başvuru formunu yazdır (PDF)",
                           "Print the application form (PDF)"},
    [WEB_MSG_WET_PRINT_LEAD] =
        {"wet_print_lead",
         "Formu ve taahhütnameyi yazdırıp imzalayınız ve kurumunuz aracılığıyla il millî eğitim "
         "müdürlüğüne ulaştırınız. Başvurunuz, imzalı kâğıt ulaştığında onaya gönderilir.",
         "Print the form and the undertaking, sign them and send them through your institution to "
         "the provincial directorate of national education. Your application goes to approval when "
         "the signed paper arrives."},

    /* ---- staff pages (web/pages/) */
    [WEB_MSG_AP_NAV_LABEL] = {"ap_nav_label", "Yönetim", "Administration"},
    [WEB_MSG_AP_NAV_QUEUE] = {"ap_nav_queue", "Başvurular", "Applications"},
    [WEB_MSG_AP_NAV_DASHBOARD] = {"ap_nav_dashboard", "Pano", "Dashboard"},
    [WEB_MSG_AP_SIGNED_IN] = {"ap_signed_in", "{0} olarak giriş yapıldı ({1})",
                              "Signed in as {0} ({1})"},
    [WEB_MSG_AP_ROLE_APPROVER] = {"ap_role_approver", "il onaylayıcısı", "provincial approver"},
    [WEB_MSG_AP_ROLE_OPERATOR] = {"ap_role_operator", "operatör", "operator"},
    [WEB_MSG_AP_ROLE_ADMIN] = {"ap_role_admin", "yönetici", "administrator"},
    [WEB_MSG_AP_LOGIN_TITLE] = {"ap_login_title", "Personel girişi", "Staff login"},
    [WEB_MSG_AP_LOGIN_LEAD] =
        {"ap_login_lead",
         "İl DYS yöneticileri ve sertifika operatörleri için giriş. Kullanıcı adınızı, parolanızı "
         "ve kimlik doğrulama uygulamanızın gösterdiği 6 haneli kodu giriniz.",
         "Login for provincial DYS administrators and certification operators. Enter your user "
         "name, your password and the 6-digit code your authenticator app shows."},
    [WEB_MSG_AP_USERNAME] = {"ap_username", "Kullanıcı adı", "User name"},
    [WEB_MSG_AP_PASSWORD] = {"ap_password", "Parola", "Password"},
    [WEB_MSG_AP_TOTP] = {"ap_totp", "Doğrulama kodu", "Verification code"},
    [WEB_MSG_AP_TOTP_HINT] = {"ap_totp_hint",
                              "Kimlik doğrulama uygulamanızdaki 6 haneli kod. İlk girişinizde boş "
                              "bırakınız; kurulum adımları gösterilecektir.",
                              "The 6-digit code in your authenticator app. Leave it empty at your "
                              "first login; you will be shown how to set it up."},
    [WEB_MSG_AP_ENROL_TITLE] = {"ap_enrol_title", "İki adımlı doğrulamayı kurunuz",
                                "Set up two-step verification"},
    [WEB_MSG_AP_ENROL_LEAD] =
        {"ap_enrol_lead",
         "Parolanız doğru. Hesabınız için kimlik doğrulama uygulamasını (ör. FreeOTP, Google "
         "Authenticator) bir kez kurmanız gerekiyor: uygulamayla bu karekodu okutunuz ya da "
         "aşağıdaki anahtarı elle yazınız. Ardından parolanızı yeniden ve uygulamanın gösterdiği "
         "ilk kodu girip giriş yapınız.",
         "Your password is right. Your account needs an authenticator app (e.g. FreeOTP, Google "
         "Authenticator) set up once: scan this QR code with the app, or type the key below into "
         "it. Then enter your password again with the first code the app shows, and log in."},
    [WEB_MSG_AP_ENROL_QR] = {"ap_enrol_qr", "Kimlik doğrulama uygulaması için karekod",
                             "QR code for the authenticator app"},
    [WEB_MSG_AP_ENROL_SECRET] = {"ap_enrol_secret", "Elle yazmak için anahtar",
                                 "The key, to type in by hand"},
    [WEB_MSG_AP_ENROL_SECRET_HINT] =
        {"ap_enrol_secret_hint",
         "Boşluklar yalnızca okumayı kolaylaştırır; yazarken atlayabilirsiniz.",
         "The spaces only make it easier to read; you may leave them out."},
    [WEB_MSG_AP_QUEUE_TITLE] = {"ap_queue_title", "Başvurular", "Applications"},
    [WEB_MSG_AP_FILTER_TITLE] = {"ap_filter_title", "Süzgeç", "Filter"},
    [WEB_MSG_AP_F_STATE] = {"ap_f_state", "Durum", "State"},
    [WEB_MSG_AP_F_ANY_STATE] = {"ap_f_any_state", "Bütün durumlar", "Every state"},
    [WEB_MSG_AP_F_PROVINCE] = {"ap_f_province", "İl", "Province"},
    [WEB_MSG_AP_F_ALL_PROVINCES] = {"ap_f_all_provinces", "Bütün iller", "Every province"},
    [WEB_MSG_AP_F_DISTRICT] = {"ap_f_district", "İlçe", "District"},
    [WEB_MSG_AP_F_INSTITUTION] = {"ap_f_institution", "Kurum", "Institution"},
    [WEB_MSG_AP_F_INSTITUTION_HINT] = {"ap_f_institution_hint", "Kurum adının bir parçası",
                                       "Part of the institution's name"},
    [WEB_MSG_AP_F_LATE] = {"ap_f_late", "Süresinde yapılmış mı", "Made in time"},
    [WEB_MSG_AP_F_LATE_ANY] = {"ap_f_late_any", "Hepsi", "All"},
    [WEB_MSG_AP_F_LATE_YES] = {"ap_f_late_yes", "Yalnızca süresi geçtikten sonra yapılanlar",
                               "Only those made after the deadline"},
    [WEB_MSG_AP_F_LATE_NO] = {"ap_f_late_no", "Yalnızca süresinde yapılanlar",
                              "Only those made in time"},
    [WEB_MSG_AP_F_MIN_DAYS] = {"ap_f_min_days", "En az kaç gündür bekleyenler",
                               "Waiting for at least (days)"},
    [WEB_MSG_AP_F_APPLY] = {"ap_f_apply", "Süz", "Apply the filter"},
    [WEB_MSG_AP_F_CLEAR] = {"ap_f_clear", "Süzgeci temizle", "Clear the filter"},
    [WEB_MSG_AP_F_BAD_NUMBER] = {"ap_f_bad_number", "Bir tam sayı giriniz.",
                                 "Enter a whole number."},
    [WEB_MSG_AP_COL_NUMBER] = {"ap_col_number", "Başvuru no", "Application no"},
    [WEB_MSG_AP_COL_NAME] = {"ap_col_name", "Ad Soyad", "Name"},
    [WEB_MSG_AP_COL_INSTITUTION] = {"ap_col_institution", "Kurum", "Institution"},
    [WEB_MSG_AP_COL_STATE] = {"ap_col_state", "Durum", "State"},
    [WEB_MSG_AP_COL_WAITING] = {"ap_col_waiting", "Bekliyor", "Waiting"},
    [WEB_MSG_AP_COL_EXPIRY] = {"ap_col_expiry", "Sertifika bitişi", "Certificate ends"},
    [WEB_MSG_AP_COL_LATE] = {"ap_col_late", "Süre", "Deadline"},
    [WEB_MSG_AP_COL_VERDICT] = {"ap_col_verdict", "Değerlendirme", "Verdict"},
    [WEB_MSG_AP_COL_DISTRICT] = {"ap_col_district", "İlçe", "District"},
    [WEB_MSG_AP_COL_DAYS_LEFT] = {"ap_col_days_left", "Kalan gün", "Days left"},
    [WEB_MSG_AP_ELIGIBLE] = {"ap_eligible", "Onaylanabilir", "Can be approved"},
    [WEB_MSG_AP_NOT_ELIGIBLE] = {"ap_not_eligible", "Onaylanamaz", "Cannot be approved"},
    [WEB_MSG_AP_LATE] = {"ap_late", "Süresi geçtikten sonra", "After the deadline"},
    [WEB_MSG_AP_IN_TIME] = {"ap_in_time", "Süresinde", "In time"},
    [WEB_MSG_AP_DAYS] = {"ap_days", "{0} gün", "{0} days"},
    [WEB_MSG_AP_SINCE] = {"ap_since", "{0} tarihinden beri", "since {0}"},
    [WEB_MSG_AP_NO_CERTIFICATE] = {"ap_no_certificate", "Sertifika kaydı yok",
                                   "No certificate on record"},
    [WEB_MSG_AP_QUEUE_COUNT] = {"ap_queue_count", "{0} başvurudan {1}–{2} arası gösteriliyor.",
                                "{0} applications; showing {1}–{2}."},
    [WEB_MSG_AP_QUEUE_EMPTY] = {"ap_queue_empty", "Bu süzgece uyan başvuru yok.",
                                "No application matches this filter."},
    [WEB_MSG_AP_QUEUE_CAPTION] = {"ap_queue_caption", "Başvurular, en uzun bekleyen önce",
                                  "Applications, the longest waiting first"},
    [WEB_MSG_AP_PREV_PAGE] = {"ap_prev_page", "Önceki sayfa", "Previous page"},
    [WEB_MSG_AP_NEXT_PAGE] = {"ap_next_page", "Sonraki sayfa", "Next page"},
    [WEB_MSG_AP_CSV_QUEUE] = {"ap_csv_queue", "Bu listeyi CSV olarak indir",
                              "Download this list as CSV"},
    [WEB_MSG_AP_BULK_TITLE] = {"ap_bulk_title", "Toplu onay", "Bulk approval"},
    [WEB_MSG_AP_BULK_LEAD] =
        {"ap_bulk_lead",
         "Bu süzgece uyan, onay bekleyen ve onaylanabilir bütün başvuruları (en çok 500) onaylar. "
         "Onaylanamayanlar atlanır ve listede kalır.",
         "Approves every application this filter selects that waits for approval and can be "
         "approved (at most 500). Those that cannot be approved are skipped and stay in the list."},
    [WEB_MSG_AP_BULK_BUTTON] = {"ap_bulk_button", "Onaylanabilir olanları onayla",
                                "Approve the ones that can be approved"},
    [WEB_MSG_AP_BULK_DONE] = {"ap_bulk_done", "{0} başvuru onaylandı, {1} başvuru atlandı.",
                              "{0} applications approved, {1} skipped."},
    [WEB_MSG_AP_FLASH_APPROVED] = {"ap_flash_approved",
                                   "{0} numaralı başvuru onaylandı; başvurana bildirildi.",
                                   "Application {0} was approved; the applicant has been told."},
    [WEB_MSG_AP_FLASH_REJECTED] =
        {"ap_flash_rejected", "{0} numaralı başvuru reddedildi; başvurana gerekçesiyle bildirildi.",
         "Application {0} was rejected; the applicant has been told why."},
    [WEB_MSG_AP_FLASH_PAPER] =
        {"ap_flash_paper", "Islak imzalı form kaydedildi; başvuru onaya gönderildi.",
         "The signed paper was recorded; the application now waits for approval."},
    [WEB_MSG_AP_DETAIL_TITLE] = {"ap_detail_title", "Başvuru {0}", "Application {0}"},
    [WEB_MSG_AP_BACK_TO_QUEUE] = {"ap_back_to_queue", "Başvurulara dön",
                                  "Back to the applications"},
    [WEB_MSG_AP_SEC_VERDICT] = {"ap_sec_verdict", "Değerlendirme", "Verdict"},
    [WEB_MSG_AP_SEC_APPLICANT] = {"ap_sec_applicant", "Başvuran ve başvuru",
                                  "Applicant and application"},
    [WEB_MSG_AP_SEC_RECORD] = {"ap_sec_record", "Personel kaydı (MEBBİS)",
                               "Personnel record (MEBBİS)"},
    [WEB_MSG_AP_SEC_DECISION] = {"ap_sec_decision", "Karar", "Decision"},
    [WEB_MSG_AP_VERDICT_OK] = {"ap_verdict_ok",
                               "Personel kayıtlarına göre bu başvuru onaylanabilir.",
                               "By the personnel records, this application can be approved."},
    [WEB_MSG_AP_VERDICT_NO] =
        {"ap_verdict_no", "Personel kayıtlarına göre bu başvuru şu an onaylanamaz:",
         "By the personnel records, this application cannot be approved now:"},
    [WEB_MSG_AP_VERDICT_NOTES] = {"ap_verdict_notes", "Dikkat edilecekler:", "To note:"},
    [WEB_MSG_AP_NO_RECORD] = {"ap_no_record", "Bu kişinin personel kaydı yok.",
                              "This person has no personnel record."},
    [WEB_MSG_AP_DUTY] = {"ap_duty", "Görev durumu", "Duty"},
    [WEB_MSG_AP_DUTY_ACTIVE] = {"ap_duty_active", "Aktif", "In service"},
    [WEB_MSG_AP_DUTY_LEFT] = {"ap_duty_left", "Ayrıldı", "Left"},
    [WEB_MSG_AP_DUTY_RETIRED] = {"ap_duty_retired", "Emekli", "Retired"},
    [WEB_MSG_AP_DUTY_SUSPENDED] = {"ap_duty_suspended", "Askıda", "Suspended"},
    [WEB_MSG_AP_ASSIGNMENT_END] = {"ap_assignment_end", "Görevlendirme bitişi", "Assignment ends"},
    [WEB_MSG_AP_ENTITLED] = {"ap_entitled", "E-imza hakkı", "Entitled to an e-signature"},
    [WEB_MSG_AP_YES] = {"ap_yes", "Var", "Yes"},
    [WEB_MSG_AP_NO] = {"ap_no", "Yok", "No"},
    [WEB_MSG_AP_NONE] = {"ap_none", "—", "—"},
    [WEB_MSG_AP_METHOD] = {"ap_method", "İmza yöntemi", "Signing method"},
    [WEB_MSG_AP_REMOTE_CHAIN] = {"ap_remote_chain", "Üst üste yalnızca e-imzayla yenileme",
                                 "Renewals in a row by e-signature alone"},
    [WEB_MSG_AP_CREATED] = {"ap_created", "Başvuru tarihi", "Applied on"},
    [WEB_MSG_AP_PHONE] = {"ap_phone", "Cep telefonu", "Mobile phone"},
    [WEB_MSG_AP_APPROVE_TITLE] = {"ap_approve_title", "Onayla", "Approve"},
    [WEB_MSG_AP_APPROVE_LEAD] =
        {"ap_approve_lead", "Onaylanan başvuru kart üretimine geçer ve başvurana bildirilir.",
         "An approved application goes on to card production, and the applicant is told."},
    [WEB_MSG_AP_APPROVE_BUTTON] = {"ap_approve_button", "Başvuruyu onayla",
                                   "Approve the application"},
    [WEB_MSG_AP_REJECT_TITLE] = {"ap_reject_title", "Reddet", "Reject"},
    [WEB_MSG_AP_REJECT_REASON] = {"ap_reject_reason", "Ret gerekçesi", "Reason for rejection"},
    [WEB_MSG_AP_REJECT_REASON_HINT] = {"ap_reject_reason_hint",
                                       "Seçtiğiniz metin başvurana gönderilir.",
                                       "The text you choose is sent to the applicant."},
    [WEB_MSG_AP_REJECT_OTHER] = {"ap_reject_other", "Diğer: gerekçeyi kendim yazacağım",
                                 "Other: I will write the reason"},
    [WEB_MSG_AP_REJECT_TEXT] = {"ap_reject_text", "Gerekçe metni", "Text of the reason"},
    [WEB_MSG_AP_REJECT_TEXT_HINT] = {"ap_reject_text_hint",
                                     "“Diğer” seçildiğinde zorunludur. Başvurana ne yapması "
                                     "gerektiğini yazınız (en çok 500 karakter).",
                                     "Required when “Other” is chosen. Tell the applicant what to "
                                     "do (at most 500 characters)."},
    [WEB_MSG_AP_REJECT_BUTTON] = {"ap_reject_button", "Başvuruyu reddet", "Reject the application"},
    [WEB_MSG_AP_REJECT_CHOOSE] = {"ap_reject_choose", "Bir ret gerekçesi seçiniz.",
                                  "Choose a reason for the rejection."},
    [WEB_MSG_AP_REJECT_WRITE] = {"ap_reject_write",
                                 "“Diğer” seçildiğinde gerekçeyi yazmanız gerekir.",
                                 "When “Other” is chosen, write the reason."},
    [WEB_MSG_AP_REJECT_TOO_LONG] = {"ap_reject_too_long", "Gerekçe en çok 500 karakter olabilir.",
                                    "The reason can be at most 500 characters."},
    [WEB_MSG_AP_PAPER_TITLE] = {"ap_paper_title", "Islak imzalı form", "Signed paper form"},
    [WEB_MSG_AP_PAPER_LEAD] =
        {"ap_paper_lead",
         "Başvuranın ıslak imzalı formu elinize ulaştıysa ve kimliğini yüz yüze doğruladıysanız "
         "kaydediniz; başvuru onaya gönderilir.",
         "When the applicant's signed paper form has reached you and you have checked their "
         "identity in person, record it; the application then goes to approval."},
    [WEB_MSG_AP_PAPER_BUTTON] = {"ap_paper_button", "Form ulaştı, kimlik yüz yüze doğrulandı",
                                 "Paper received, identity checked in person"},
    [WEB_MSG_AP_NO_DECISION] = {"ap_no_decision", "Bu başvuru karar beklemiyor.",
                                "This application is not waiting for a decision."},
    [WEB_MSG_AP_DASH_TITLE] = {"ap_dash_title", "Pano", "Dashboard"},
    [WEB_MSG_AP_DASH_SCOPE] = {"ap_dash_scope", "{0} ili", "Province of {0}"},
    [WEB_MSG_AP_DASH_ALL] = {"ap_dash_all", "Bütün iller", "Every province"},
    [WEB_MSG_AP_DASH_SHOW] = {"ap_dash_show", "Göster", "Show"},
    [WEB_MSG_AP_CHART_STATES] = {"ap_chart_states", "Durumlarına göre başvurular",
                                 "Applications by state"},
    [WEB_MSG_AP_CHART_WAITING] =
        {"ap_chart_waiting", "Karar ya da ıslak imzalı form bekleyenlerin bekleme süreleri",
         "How long the applications waiting for a decision or for the paper have waited"},
    [WEB_MSG_AP_CHART_UNIT] = {"ap_chart_unit", "başvuru", "applications"},
    [WEB_MSG_AP_CHART_EMPTY] = {"ap_chart_empty", "Veri yok", "No data"},
    [WEB_MSG_AP_EXPIRING_TITLE] = {"ap_expiring_title",
                                   "Sertifikası bitecek, henüz başvurmamış personel",
                                   "Staff whose certificate ends soon and who have not applied"},
    [WEB_MSG_AP_EXPIRING_ROW] = {"ap_expiring_row", "{0} gün içinde: {1} kişi",
                                 "Within {0} days: {1} people"},
    [WEB_MSG_AP_EXPIRING_LIST] = {"ap_expiring_list", "{0} gün listesini gör",
                                  "See the {0}-day list"},
    [WEB_MSG_AP_EXPIRING_CSV] = {"ap_expiring_csv", "{0} gün listesini CSV olarak indir",
                                 "Download the {0}-day list as CSV"},
    [WEB_MSG_AP_EXP_TITLE] = {"ap_exp_title", "Sertifikası {0} gün içinde bitecek personel",
                              "Staff whose certificate ends within {0} days"},
    [WEB_MSG_AP_EXP_LEAD] = {"ap_exp_lead",
                             "Henüz başvurmamış kişiler, sertifikası en önce biten önce. T.C. "
                             "Kimlik No sayfada maskelidir; tam hâli CSV dosyasındadır.",
                             "People who have not applied yet, the soonest to expire first. The "
                             "T.C. Kimlik No is masked on the page; the CSV file has it in full."},
    [WEB_MSG_AP_EXP_EMPTY] =
        {"ap_exp_empty", "Bu süre içinde sertifikası bitecek, başvurmamış kimse yok.",
         "Nobody whose certificate ends within this time is without an application."},
    [WEB_MSG_AP_NAV_MESSAGES] = {"ap_nav_messages", "İletiler", "Messages"},
    [WEB_MSG_AP_MSG_TITLE] = {"ap_msg_title", "Gönderilemeyen iletiler",
                              "Messages that could not be delivered"},
    [WEB_MSG_AP_MSG_LEAD] =
        {"ap_msg_lead",
         "Kalıcı olarak gönderilemeyen iletiler ile ağ geçidine verilip sonucu kaydedilemeyen "
         "(doğrulanmamış) iletiler. Gönderilemeyenlerin alıcısına başka yoldan ulaşınız; "
         "doğrulanmamış bir ileti alıcıya ulaşmış olabilir, yeniden göndermeden önce sorunuz.",
         "Messages that failed for good, and messages handed to a gateway whose answer could not "
         "be recorded (unconfirmed). Reach the recipients of failed ones another way; an "
         "unconfirmed message may have arrived, so ask before sending it again."},
    [WEB_MSG_AP_MSG_EMPTY] = {"ap_msg_empty", "Gönderilemeyen ileti yok.",
                              "No message waits for attention."},
    [WEB_MSG_AP_COL_CHANNEL] = {"ap_col_channel", "Kanal", "Channel"},
    [WEB_MSG_AP_COL_TO] = {"ap_col_to", "Alıcı", "Recipient"},
    [WEB_MSG_AP_COL_MSG_STATUS] = {"ap_col_msg_status", "Durum", "Status"},
    [WEB_MSG_AP_COL_ERROR] = {"ap_col_error", "Hata", "Error"},
    [WEB_MSG_AP_COL_ATTEMPTS] = {"ap_col_attempts", "Deneme", "Attempts"},
    [WEB_MSG_AP_COL_CREATED] = {"ap_col_created", "Oluşturuldu", "Created"},
    [WEB_MSG_AP_MSG_FAILED] = {"ap_msg_failed", "Gönderilemedi", "Failed"},
    [WEB_MSG_AP_MSG_UNCONFIRMED] = {"ap_msg_unconfirmed", "Doğrulanmadı", "Unconfirmed"},
    [WEB_MSG_AP_COL_MSG_ACTION] = {"ap_col_msg_action", "İşlem", "Action"},
    [WEB_MSG_AP_MSG_RETRY] = {"ap_msg_retry", "Yeniden gönder", "Send again"},
    [WEB_MSG_AP_MSG_CONFIRM] = {"ap_msg_confirm", "Ulaştı olarak kaydet", "Record as delivered"},
    [WEB_MSG_AP_MSG_DONE_RETRY] = {"ap_msg_done_retry",
                                   "İleti yeniden gönderilmek üzere sıraya alındı.",
                                   "The message is queued to be sent again."},
    [WEB_MSG_AP_MSG_DONE_CONFIRM] = {"ap_msg_done_confirm",
                                     "İletinin alıcısına ulaştığı kaydedildi.",
                                     "The message is recorded as delivered."},
    [WEB_MSG_AP_EXP_DAYS_BAD] = {"ap_exp_days_bad", "Gün sayısı 30, 60 ya da 90 olabilir.",
                                 "The number of days can be 30, 60 or 90."},
    [WEB_MSG_AP_COL_APPLICANT] = {"ap_col_applicant", "Başvuran", "Applicant"},
};

const char *web_msg(enum web_msg key, enum core_lang lang)
{
    if ((unsigned)key >= WEB_MSG_COUNT_ || !web_msgs[key].tr)
        return "";
    return lang == CORE_LANG_EN ? web_msgs[key].en : web_msgs[key].tr;
}

const char *web_msg_name(enum web_msg key)
{
    if ((unsigned)key >= WEB_MSG_COUNT_ || !web_msgs[key].name)
        return "";
    return web_msgs[key].name;
}

enum web_msg web_msg_find(const char *name)
{
    if (!name || !*name)
        return WEB_MSG_NONE;
    for (unsigned i = 1; i < WEB_MSG_COUNT_; i++)
        if (web_msgs[i].name && !strcmp(web_msgs[i].name, name))
            return (enum web_msg)i;
    return WEB_MSG_NONE;
}

const char *web_lang_code(enum core_lang lang)
{
    return lang == CORE_LANG_EN ? "en" : "tr";
}
