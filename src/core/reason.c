/* eimza — the one table of reason codes and their messages (core/: pure). See reason.h.
 *
 * Every refusal anywhere in eimza has a row here: a stable snake_case code, a Turkish message
 * that tells the person what to do next, and an English one. To add a code, add a row
 * (anywhere; the lookup is a scan and test_reason.c checks that codes are unique,
 * snake_case and have both messages). Codes never change once released.
 */
#include "core/reason.h"

#include <string.h>

/* Helps people whom the personnel records make ineligible: the records are fixed by the
 * provincial/district personnel unit, not by eimza or Kamu SM. */
#define OZLUK         "il/ilçe milli eğitim özlük biriminizle görüşünüz"
#define FIX_CONFIG    "lütfen yapılandırmayı düzeltiniz"
#define FIX_CONFIG_EN "please correct the configuration"

const struct core_reason core_reasons[] = {
    /* ---- any field */
    {"required", "Bu alan zorunludur; lütfen doldurunuz.",
     "This field is required; please fill it in."},
    {"too_long", "Değer çok uzun; lütfen kısaltınız.", "The value is too long; please shorten it."},
    {"not_utf8",
     "Metin geçerli UTF-8 değil ya da izin verilmeyen bir karakter içeriyor; dosyayı UTF-8 "
     "olarak kaydedip yeniden deneyiniz.",
     "The text is not valid UTF-8 or holds a character that is not allowed; save the file as "
     "UTF-8 and try again."},
    {"unknown_field", "Bilinmeyen alan; lütfen alan adını kontrol ediniz.",
     "Unknown field; please check the field name."},

    /* ---- T.C. Kimlik No */
    {"tckn_length", "T.C. Kimlik No 11 haneli olmalıdır; lütfen numarayı kontrol ediniz.",
     "The T.C. Kimlik No must have 11 digits; please check the number."},
    {"tckn_not_digits",
     "T.C. Kimlik No yalnızca rakamlardan oluşmalıdır; lütfen boşluk ya da harf kullanmadan "
     "yazınız.",
     "The T.C. Kimlik No must consist of digits only; please write it without spaces or "
     "letters."},
    {"tckn_leading_zero", "T.C. Kimlik No 0 ile başlayamaz; lütfen numarayı kontrol ediniz.",
     "The T.C. Kimlik No cannot start with 0; please check the number."},
    {"tckn_checksum",
     "T.C. Kimlik No geçerli değil (kontrol haneleri tutmuyor); lütfen numarayı nüfus "
     "cüzdanınızdan kontrol ederek yeniden yazınız.",
     "The T.C. Kimlik No is not valid (its check digits do not match); please check it against "
     "the identity card and write it again."},

    /* ---- dates */
    {"date_format",
     "Tarih geçerli değil; lütfen GG.AA.YYYY ya da YYYY-AA-GG biçiminde, takvimde var olan bir "
     "gün yazınız (ör. 15.03.1980).",
     "The date is not valid; please write a day that exists in the calendar as DD.MM.YYYY or "
     "YYYY-MM-DD (e.g. 15.03.1980)."},

    /* ---- contact and address */
    {"phone_format",
     "Telefon numarası geçerli değil; lütfen alan koduyla birlikte 10 haneli olarak yazınız "
     "(ör. 0532 123 45 67).",
     "The phone number is not valid; please write it with its area code, 10 digits (e.g. "
     "0532 123 45 67)."},
    {"phone_not_mobile",
     "Bu bir cep telefonu numarası değil; lütfen 5 ile başlayan cep telefonu numaranızı yazınız "
     "(ör. 0532 123 45 67).",
     "This is not a mobile number; please give your mobile number, which starts with 5 (e.g. "
     "0532 123 45 67)."},
    {"email_format",
     "E-posta adresi geçerli değil; lütfen ad.soyad@meb.gov.tr biçiminde tam adresi yazınız.",
     "The e-mail address is not valid; please write the full address, like "
     "name.surname@meb.gov.tr."},
    {"postal_format", "Posta kodu 5 haneli olmalıdır; lütfen yalnızca rakam yazınız.",
     "The postal code must have 5 digits; please write digits only."},
    {"postal_province",
     "Posta kodunun ilk iki hanesi ilin plaka koduyla aynı olmalıdır (ör. Batman için 72xxx); "
     "lütfen posta kodunu ve ili kontrol ediniz.",
     "The first two digits of the postal code must be the province's plate code (e.g. 72xxx "
     "for Batman); please check the postal code and the province."},
    {"province_unknown",
     "İl bulunamadı; lütfen ilin plaka kodunu (ör. 06) ya da adını (ör. Ankara) doğru yazınız.",
     "Unknown province; please give its plate code (e.g. 06) or its name (e.g. Ankara)."},

    /* ---- personnel file columns */
    {"duty_unknown",
     "Görev durumu tanınmadı; lütfen aktif, ayrildi, emekli ya da askida değerlerinden birini "
     "yazınız.",
     "Unknown duty status; please write one of aktif, ayrildi, emekli or askida."},
    {"flag_format", "E-imza hakkı 1 (var) ya da 0 (yok) olarak yazılmalıdır.",
     "The e-signature entitlement must be written as 1 (yes) or 0 (no)."},

    /* ---- eligibility (core/rules.h) */
    {"no_personnel_record",
     "MEBBİS'te personel kaydınız bulunamadı; kaydınızın aktarılması için " OZLUK ".",
     "No personnel record was found for you in MEBBİS; please ask your provincial or district "
     "personnel unit (özlük birimi) to have your record transferred."},
    {"not_in_service",
     "MEBBİS kayıtlarınızda görevde görünmüyorsunuz; kayıtlarınız güncel değilse " OZLUK ".",
     "Your MEBBİS records do not show you in service; if they are out of date, please contact "
     "your provincial or district personnel unit (özlük birimi)."},
    {"assignment_ended",
     "MEBBİS kayıtlarınızda görevlendirmenizin süresi dolmuş görünüyor; görevlendirmeniz "
     "uzatıldıysa e-personel modülüne işlenmesi için " OZLUK ".",
     "Your MEBBİS records show that your assignment (görevlendirme) has ended; if it was "
     "extended, please ask your provincial or district personnel unit (özlük birimi) to enter "
     "the extension in the e-personel module."},
    {"not_entitled",
     "MEBBİS kayıtlarınız güncel değil; e-imza hakkınız görünmüyor. Kayıtlarınızın "
     "güncellenmesi için " OZLUK ".",
     "Your MEBBİS records are not up to date: they do not show an e-signature entitlement. "
     "Please contact your provincial or district personnel unit (özlük birimi)."},
    {"late",
     "Başvuru, son başvuru tarihinden sonra yapıldı; sertifikanın süresi dolmadan sonuçlanması "
     "için işlemleri geciktirmeyiniz.",
     "The application came after the renewal deadline; please process it without delay so it "
     "completes before the certificate expires."},
    {"not_eligible",
     "Personel kayıtları e-imza için uygun görünmediğinden başvuru onaylanamaz; kayıtların il/ilçe "
     "milli eğitim özlük birimince güncellenmesini bekleyiniz ya da başvuruyu gerekçesiyle "
     "reddediniz.",
     "The personnel records do not show the applicant as eligible, so the application cannot be "
     "approved; wait until the personnel unit updates the records, or reject it with a reason."},

    /* ---- signature verification (the codes of docs/INTERFACES.md, answered with 422) */
    {"no_signature",
     "Bu başvurunun kabul edilmiş bir e-imzası yok; ıslak imzalı başvurular için kanıt dosyası "
     "oluşmaz.",
     "This application has no accepted e-signature; wet-signature applications have no "
     "signature evidence."},
    {"evidence_write",
     "Kanıt dosyaları yazılamadı; hedef klasörün yazılabilir olduğunu ve diskte yer olduğunu "
     "denetleyiniz.",
     "The evidence files could not be written; check that the folder is writable and the disk "
     "has room."},
    {"verification_unavailable",
     "E-imzalar şu anda doğrulanamıyor; lütfen daha sonra yeniden deneyiniz ya da ıslak imzalı "
     "başvuru yöntemini seçiniz.",
     "E-signatures cannot be checked at the moment; please try again later or choose the "
     "wet-signature method."},
    {"malformed", "Gönderilen imza dosyası okunamadı; lütfen imzalama işlemini yeniden yapınız.",
     "The signature file could not be read; please sign again."},
    {"signature_invalid", "İmza doğrulanamadı; lütfen imzalama işlemini yeniden yapınız.",
     "The signature does not verify; please sign again."},
    {"content_mismatch",
     "İmza, başvurunuzun imzalanacak içeriğine ait değil; lütfen sayfadaki güncel içeriği "
     "yeniden imzalayınız.",
     "The signature is not over this application's content; please sign the current content "
     "shown on the page."},
    {"chain_untrusted",
     "İmzadaki sertifika güvenilen bir elektronik sertifika hizmet sağlayıcısına bağlanamadı; "
     "lütfen Kamu SM'nin verdiği e-imza kartınızla imzalayınız.",
     "The signing certificate does not chain to a trusted certification service provider; "
     "please sign with the e-signature card issued by Kamu SM."},
    {"certificate_expired",
     "İmzadaki sertifikanın süresi dolmuş; lütfen \"Yöntem 2: Islak İmzalı Başvuru\" ile devam "
     "ediniz.",
     "The signing certificate has expired; please continue with \"Yöntem 2: Islak İmzalı "
     "Başvuru\" (wet signature)."},
    {"certificate_not_yet_valid",
     "İmzadaki sertifikanın geçerlilik süresi henüz başlamamış; lütfen şu anda geçerli olan "
     "e-imza kartınızla imzalayınız.",
     "The signing certificate is not valid yet; please sign with the card whose certificate is "
     "valid now."},
    {"certificate_revoked",
     "İmzadaki sertifika iptal edilmiş; lütfen \"Yöntem 2: Islak İmzalı Başvuru\" ile devam "
     "ediniz ya da Kamu SM çağrı merkezini (444 5 576) arayınız.",
     "The signing certificate has been revoked; please continue with \"Yöntem 2: Islak İmzalı "
     "Başvuru\" (wet signature) or call the Kamu SM call centre (444 5 576)."},
    {"revocation_unknown",
     "Sertifikanın iptal durumu şu anda sorgulanamadı; lütfen birkaç dakika sonra yeniden "
     "deneyiniz.",
     "The revocation status of the certificate could not be checked just now; please try "
     "again in a few minutes."},
    {"not_qualified",
     "İmzadaki sertifika nitelikli elektronik sertifika değil; lütfen nitelikli e-imza "
     "kartınızla imzalayınız.",
     "The signing certificate is not a qualified certificate; please sign with your qualified "
     "e-signature card."},
    {"key_usage",
     "İmzadaki sertifika e-imza (inkâr edilemezlik) için kullanılamıyor; lütfen nitelikli "
     "e-imza sertifikanızla imzalayınız.",
     "The signing certificate is not for e-signatures (non-repudiation); please sign with your "
     "qualified e-signature certificate."},
    {"tckn_mismatch",
     "İmza, başvurudaki T.C. Kimlik No'ya ait bir sertifikayla atılmamış; lütfen kendi e-imza "
     "kartınızla imzalayınız.",
     "The signature was not made with a certificate of the applicant's T.C. Kimlik No; please "
     "sign with your own e-signature card."},

    /* ---- rule configuration (core_rules_check) */
    {"rules_validity_years",
     "Sertifika geçerlilik süresi 1 ile 10 yıl arasında olmalıdır; " FIX_CONFIG ".",
     "The certificate validity must be 1 to 10 years; " FIX_CONFIG_EN "."},
    {"rules_warn_count", "Uyarı sayısı 0 ile 8 arasında olmalıdır; " FIX_CONFIG ".",
     "The number of warnings must be 0 to 8; " FIX_CONFIG_EN "."},
    {"rules_warn_days",
     "Uyarı günleri pozitif, büyükten küçüğe sıralı ve sertifika süresinden kısa "
     "olmalıdır; " FIX_CONFIG ".",
     "Warning days must be positive, in descending order and shorter than the "
     "validity; " FIX_CONFIG_EN "."},
    {"rules_window",
     "Başvuru penceresi (bitişten önceki gün sayısı) pozitif ve sertifika süresinden kısa "
     "olmalıdır; " FIX_CONFIG ".",
     "The application window (days before expiry) must be positive and shorter than the "
     "validity; " FIX_CONFIG_EN "."},
    {"rules_deadline",
     "Son başvuru günü (bitişten önceki gün sayısı) 0 ya da pozitif olmalı ve başvuru "
     "penceresinden kısa olmalıdır; " FIX_CONFIG ".",
     "The deadline (days before expiry) must be zero or positive and shorter than the "
     "application window; " FIX_CONFIG_EN "."},
    {"rules_otp",
     "SMS kodu ayarları geçersiz: geçerlilik süresi ve saatlik sınır pozitif, hatalı deneme "
     "sınırı en az 1, bekleme süresi 0 ya da pozitif olmalıdır; " FIX_CONFIG ".",
     "The SMS code settings are invalid: lifetime and hourly limit must be positive, the wrong "
     "entry limit at least 1, the cool-down zero or positive; " FIX_CONFIG_EN "."},
    {"rules_delivery_days", "Beklenen teslim süresi en az 1 gün olmalıdır; " FIX_CONFIG ".",
     "The expected delivery time must be at least 1 day; " FIX_CONFIG_EN "."},
    /* Personnel CSV import (app/csv.c, app/import_personnel.c). */
    {"column_count",
     "Satırdaki alan sayısı başlık satırındakinden farklı; lütfen ayırıcıları (; ya da ,) ve "
     "tırnak işaretlerini kontrol ediniz.",
     "The row has a different number of fields than the header; check the separators (; or ,) "
     "and the quotes."},
    {"line_too_long",
     "Satır çok uzun (64 KiB üstü); lütfen satırı kontrol ediniz, kapanmamış bir tırnak işareti "
     "olabilir.",
     "The line is too long (over 64 KiB); check it: a quote may have been left open."},
    {"csv_quote",
     "Tırnak işaretleri hatalı; değeri tırnak içine alıp içindeki tırnakları ikişer (\"\") "
     "yazınız.",
     "The quotes are wrong; put the value in quotes and double the quotes inside it (\"\")."},
    {"missing_column",
     "Dosyada zorunlu bir sütun eksik; lütfen başlık satırına ekleyip dosyayı yeniden "
     "yükleyiniz.",
     "A required column is missing; add it to the header row and import the file again."},
    {"duplicate_column", "Aynı sütun başlıkta birden fazla kez geçiyor; lütfen fazlasını siliniz.",
     "The same column appears more than once in the header; remove the extra one."},
    /* Certificate import (app/import_certs.c). */
    {"no_tckn",
     "Sertifikanın konu alanında (serialNumber) geçerli bir T.C. Kimlik No yok; eimza yalnızca "
     "kişisel nitelikli sertifikaları izler, doğru sertifikayı yükleyiniz.",
     "The certificate's subject serialNumber holds no valid T.C. Kimlik No; eimza tracks "
     "personal certificates only: load the right certificate."},
    {"not_certificate",
     "Dosya ya da içindeki bölüm bir sertifika veya SİL değil; PEM ya da DER biçiminde sertifika "
     "dosyası veriniz.",
     "Not a certificate or CRL; give a PEM or DER certificate file."},
    {"certificate_malformed",
     "Sertifika ya da SİL çözümlenemedi; dosyayı kaynağından yeniden alınız.",
     "The certificate or CRL cannot be decoded; get the file again from its source."},
    {"certificate_conflict",
     "Aynı yayıncı ve seri numarasıyla başka bir sertifika zaten kayıtlı; sertifika "
     "sağlayıcınıza danışınız.",
     "Another certificate with the same issuer and serial is already stored; ask the "
     "certificate provider."},
    {"file_unreadable", "Dosya okunamadı; dosya yolunu ve okuma iznini kontrol ediniz.",
     "The file cannot be read; check its path and permissions."},

    /* ---- the applicant portal (app/portal.h): login */
    {"captcha_wrong",
     "Resimdeki yazı hatalı girildi; lütfen yeni resimdeki yazıyı büyük-küçük harf fark "
     "etmeksizin giriniz.",
     "The text from the picture was wrong; please type the text of the new picture (upper or "
     "lower case does not matter)."},
    {"captcha_expired",
     "Doğrulama resminin süresi doldu ya da resim daha önce kullanıldı; lütfen yeni resim alıp "
     "içindeki yazıyı giriniz.",
     "The picture has expired or was already used; please get a new picture and type its "
     "text."},
    {"captcha_unavailable",
     "Doğrulama resmi şu anda oluşturulamıyor; lütfen biraz sonra yeniden deneyiniz.",
     "The picture cannot be made just now; please try again a little later."},
    {"login_failed",
     "Girdiğiniz bilgiler kayıtlarla eşleşmedi. T.C. Kimlik No, ad, soyad, doğum yeri ve doğum "
     "tarihini nüfus cüzdanınızda yazdığı gibi girip yeniden deneyiniz; sorun sürerse " OZLUK ".",
     "The details you entered do not match the records. Enter your T.C. Kimlik No, first name, "
     "last name, place and date of birth exactly as on your identity card and try again; if it "
     "goes on, contact your provincial or district personnel unit (özlük birimi)."},
    {"too_many_attempts",
     "Çok sayıda başarısız deneme yapıldı; güvenliğiniz için giriş geçici olarak durduruldu. "
     "Lütfen belirtilen süre geçtikten sonra yeniden deneyiniz.",
     "Too many failed attempts; for your security, logging in is paused for a while. Please "
     "try again after the time given."},
    {"session_required", "Oturumunuz yok ya da süresi doldu; lütfen yeniden giriş yapınız.",
     "You are not logged in or your session has expired; please log in again."},
    {"csrf_invalid",
     "Güvenlik doğrulaması başarısız oldu; lütfen sayfayı yenileyip işlemi yeniden deneyiniz.",
     "The security check failed; please reload the page and try again."},

    /* ---- the applicant portal: the form */
    {"invalid_fields",
     "Formda düzeltilmesi gereken alanlar var; lütfen her alanın yanındaki açıklamaya göre "
     "düzeltip yeniden gönderiniz.",
     "Some fields of the form need correcting; please correct each as its note says and send "
     "the form again."},
    {"read_only",
     "Bu bilgi değiştirilemez; hatalıysa lütfen kurumunuzla (il/ilçe milli eğitim özlük birimi) "
     "iletişime geçiniz.",
     "This information cannot be changed here; if it is wrong, please contact your institution "
     "(the provincial or district personnel unit)."},
    {"field_type", "Bu alanın değeri metin olarak gönderilmelidir; lütfen değeri kontrol ediniz.",
     "This field's value must be sent as text; please check the value."},
    {"reason_unknown",
     "Başvuru nedeni olarak Yenileme, Kayıp/Çalıntı ya da Diğer seçeneklerinden birini seçiniz.",
     "Please choose Renewal, Lost/Stolen or Other as the reason."},
    {"card_reader_unknown",
     "Kart okuyucu tipi olarak İstenmedi ya da listedeki modellerden birini seçiniz.",
     "Please choose No reader or one of the listed reader models."},
    {"validity_years_range", "Sertifika süresi olarak 1, 2 ya da 3 yıl seçiniz.",
     "Please choose a certificate validity of 1, 2 or 3 years."},
    {"notify_by_unknown", "Bildirim tercihi olarak E-posta, SMS ya da her ikisini seçiniz.",
     "Please choose e-mail, SMS or both for notifications."},
    {"operator_unknown", "Mobil operatör olarak Turkcell, Vodafone ya da Türk Telekom seçiniz.",
     "Please choose Turkcell, Vodafone or Türk Telekom as the mobile operator."},
    {"phone_ext_format", "Dahili numara en fazla 6 rakamdan oluşmalıdır; yalnızca rakam yazınız.",
     "The extension must be at most 6 digits; please write digits only."},
    {"security_word_length",
     "Güvenlik sözcüğü 6 ile 32 karakter arasında olmalıdır; lütfen yeni bir sözcük belirleyiniz.",
     "The security word must be 6 to 32 characters long; please choose another."},
    {"security_word_digits",
     "Güvenlik sözcüğü yalnızca rakamlardan oluşamaz; lütfen harf de içeren bir sözcük "
     "belirleyiniz.",
     "The security word cannot be digits only; please choose one with letters."},
    {"security_word_name",
     "Güvenlik sözcüğü adınız ya da soyadınız olamaz; lütfen tahmin edilmesi zor bir sözcük "
     "belirleyiniz.",
     "The security word cannot be your first or last name; please choose one that is hard to "
     "guess."},
    {"security_word_mismatch",
     "Güvenlik sözcüğü ile tekrarı aynı değil; lütfen iki alana aynı sözcüğü yazınız.",
     "The security word and its repetition differ; please type the same word in both."},

    /* ---- the applicant portal: the application's steps */
    {"no_application", "Henüz bir başvurunuz yok; lütfen önce başvuru formunu açınız.",
     "You have no application yet; please open the application form first."},
    {"wrong_state",
     "Başvurunuz bu işlem için uygun aşamada değil; lütfen başvuru durumunu kontrol ediniz.",
     "Your application is not at a step that allows this; please check its status."},
    {"form_not_confirmed", "SMS kodu istemeden önce başvuru formunu eksiksiz doldurup kaydediniz.",
     "Please fill in and save the application form before asking for the SMS code."},
    {"no_mobile_on_file",
     "Kayıtlarda cep telefonu numaranız bulunmuyor; numaranızın MEBBİS kaydınıza işlenmesi "
     "için " OZLUK " ya da Kamu SM çağrı merkezini (444 5 576) arayınız.",
     "There is no mobile number on your record; to have it entered, contact your personnel "
     "unit (özlük birimi) or call the Kamu SM call centre (444 5 576)."},
    {"otp_wrong",
     "SMS doğrulama kodu hatalı; lütfen telefonunuza gelen 6 haneli kodu dikkatle yeniden "
     "giriniz.",
     "The SMS code is wrong; please type the 6-digit code sent to your phone again, carefully."},
    {"otp_expired",
     "SMS doğrulama kodunun süresi doldu ya da geçerli bir kod yok; lütfen yeni kod isteyiniz.",
     "The SMS code has expired or there is no valid code; please ask for a new one."},
    {"otp_locked",
     "Çok sayıda hatalı kod girildiği için kod geçersiz kılındı; lütfen belirtilen süre geçtikten "
     "sonra yeni kod isteyiniz.",
     "The code was voided after too many wrong entries; please ask for a new code after the "
     "time given."},
    {"otp_cooldown",
     "Yeni kod istemeden önce lütfen belirtilen süre kadar bekleyiniz; önceki kod telefonunuza "
     "ulaşmış olabilir.",
     "Please wait the time given before asking for a new code; the previous one may have "
     "arrived already."},
    {"otp_hourly_limit",
     "Bir saat içinde istenebilecek kod sayısı doldu; lütfen belirtilen süre geçtikten sonra "
     "yeniden deneyiniz.",
     "The number of codes allowed per hour has been reached; please try again after the time "
     "given."},
    {"method_unknown",
     "İmza yöntemi olarak \"Yöntem 1: E-İmzalı Başvuru\" ya da \"Yöntem 2: Islak İmzalı "
     "Başvuru\" seçiniz.",
     "Please choose \"Yöntem 1: E-İmzalı Başvuru\" (e-signature) or \"Yöntem 2: Islak İmzalı "
     "Başvuru\" (wet signature)."},
    {"signing_method_not_allowed",
     "Sertifikanızın süresi dolduğu için başvurunuzu yalnızca \"Yöntem 2: Islak İmzalı "
     "Başvuru\" ile tamamlayabilirsiniz.",
     "As your certificate has expired, you can only complete the application with \"Yöntem 2: "
     "Islak İmzalı Başvuru\" (wet signature)."},
    {"renewal_not_open",
     "Sertifikanızın yenileme dönemi henüz başlamadı (bitişten 90 gün önce başlar); kayıp, "
     "çalıntı ya da ek sertifika için başvurabilirsiniz.",
     "The renewal period of your certificate has not started yet (it starts 90 days before "
     "expiry); you can still apply for a lost, stolen or additional certificate."},
    {"renewal_after_expiry",
     "Sertifikanızın süresi dolmuş; başvurunuzu ilk başvuru gibi, \"Yöntem 2: Islak İmzalı "
     "Başvuru\" ile tamamlayacaksınız.",
     "Your certificate has expired; you will complete the application like a first applicant, "
     "with \"Yöntem 2: Islak İmzalı Başvuru\" (wet signature)."},
    {"remote_renewal_limit",
     "Sertifikanız, kimliğiniz en son yüz yüze doğrulandığından bu yana art arda e-imzayla "
     "yenilendi; bu yenileme ıslak imzalı formla ve kimliğinizin yüz yüze doğrulanmasıyla "
     "yapılmalıdır. Lütfen Yöntem 2'yi (ıslak imzalı başvuru) seçiniz.",
     "Your certificate has been renewed by e-signature several times in a row since your "
     "identity was last checked in person; this renewal needs the printed form signed by hand "
     "and an in-person identity check. Please choose method 2 (wet signature)."},

    /* ---- signing through the relay (app/relay.c: the page's ticket, the agent's requests) */
    {"relay_unavailable",
     "Bu portal, tarayıcı izni gerektirmeyen imza yolunu şu anda sunmuyor; lütfen sayfadaki "
     "\"İmzala\" düğmesiyle imzalayınız ya da sorun sürerse sistem yöneticisine bildiriniz.",
     "This portal does not offer the signing path that needs no browser permission at the "
     "moment; please sign with the \"Sign\" button on the page, or tell the system "
     "administrator if it goes on."},
    {"too_many_tickets",
     "Kısa sürede çok sayıda imza isteği açıldı; lütfen birkaç dakika bekleyip \"İmza aracını "
     "aç\" düğmesine yeniden basınız.",
     "Too many signing requests were opened in a short time; please wait a few minutes and "
     "press \"Open the signing agent\" again."},
    {"too_many_relay_requests",
     "Bu bilgisayardan çok sayıda geçersiz imza isteği geldi; güvenlik için istekler bir süre "
     "durduruldu. Lütfen biraz bekleyip imza sayfasından yeniden başlatınız.",
     "Too many invalid signing requests came from this computer; for safety they are paused "
     "for a while. Please wait a little and start again from the signing page."},
    {"no_ticket",
     "Bu oturumda açılmış bir imza isteği yok; imza sayfasında \"İmza aracını aç\" düğmesine "
     "basınız.",
     "No signing request was opened in this session; press \"Open the signing agent\" on the "
     "signing page."},
    {"ticket_unknown",
     "Bu imza isteği bu portalda tanınmıyor; hiçbir şey imzalanmadı. İmzalamayı portalın imza "
     "sayfasından yeniden başlatınız.",
     "This signing request is not known to this portal; nothing was signed. Start again from "
     "the portal's signing page."},
    {"ticket_used",
     "Bu imza isteği daha önce kullanıldı; her istek bir kez kullanılabilir. İmza sayfasında "
     "\"İmza aracını aç\" düğmesine yeniden basınız.",
     "This signing request was already used; each request can be used once. Press \"Open the "
     "signing agent\" on the signing page again."},
    {"ticket_superseded",
     "Bu imza isteğinin yerine daha yenisi açıldı (belki başka bir sekmede); lütfen en son "
     "açtığınız isteği kullanınız.",
     "A newer signing request replaced this one (perhaps in another tab); please use the one "
     "you opened last."},
    {"ticket_expired",
     "İmza isteğinin süresi doldu ya da isteği açan oturum kapandı; hiçbir şey imzalanmadı. İmza "
     "sayfasında \"İmza aracını aç\" düğmesine yeniden basınız.",
     "The signing request has expired, or the session that opened it has ended; nothing was "
     "signed. Press \"Open the signing agent\" on the signing page again."},
    {"claim_mismatch",
     "Bu imza isteğini başka bir imza aracı almış; bu araçtan gelen yanıt kabul edilmedi. İmza "
     "sayfasından yeni bir istek açınız.",
     "Another signing agent took this signing request; the answer from this one was not "
     "accepted. Open a new request from the signing page."},
    {"agent_outdated",
     "Bilgisayarınızdaki e-imza aracı bu portal için eski; imza sayfasındaki bağlantıdan yeni "
     "sürümü indirip kurunuz.",
     "The e-signature agent on your computer is too old for this portal; download and install "
     "the new version from the link on the signing page."},
    {"ineligible_warning",
     "Başvurunuz alınabilir, ancak MEBBİS kayıtlarınız bu hâliyle onaya uygun görünmüyor; "
     "başvurunuzun onaylanabilmesi için " OZLUK ".",
     "Your application can be made, but your MEBBİS records do not allow approval as they are; "
     "for it to be approved, please contact your provincial or district personnel unit (özlük "
     "birimi)."},

    /* ---- staff login and accounts (app/staff_auth.h) */
    {"staff_login_failed",
     "Kullanıcı adı ya da parola hatalı; lütfen yeniden deneyiniz. Parolanızı unuttuysanız sistem "
     "yöneticinize başvurunuz.",
     "The user name or password is wrong; please try again. If you have forgotten your password, "
     "contact your system administrator."},
    {"account_disabled",
     "Hesabınız devre dışı bırakılmış; yeniden açılması için sistem yöneticinize başvurunuz.",
     "Your account has been disabled; contact your system administrator to have it re-enabled."},
    {"totp_enrolment_required",
     "Hesabınız için iki aşamalı doğrulama kurulmalıdır: karekodu telefonunuzdaki doğrulama "
     "uygulamasıyla (ör. FreeOTP, Google Authenticator) okutunuz, ardından parolanızla birlikte "
     "uygulamanın gösterdiği 6 haneli kodu giriniz.",
     "Two-step verification must be set up for your account: scan the QR code with the "
     "authenticator app on your phone (e.g. FreeOTP, Google Authenticator), then enter the "
     "6-digit code it shows together with your password."},
    {"totp_required", "Lütfen doğrulama uygulamanızın gösterdiği 6 haneli kodu giriniz.",
     "Please enter the 6-digit code shown by your authenticator app."},
    {"totp_wrong",
     "Doğrulama kodu hatalı; lütfen uygulamanızda görünen güncel kodu giriniz. Sorun sürerse "
     "telefonunuzun saatinin doğru olduğunu denetleyiniz.",
     "The verification code is wrong; please enter the current code shown in your app. If this "
     "persists, check that your phone's clock is correct."},
    {"totp_reused",
     "Bu doğrulama kodu daha önce kullanıldı; lütfen uygulamanızda yeni kod görünene kadar "
     "bekleyip onu giriniz.",
     "This verification code has already been used; please wait until your app shows a new code "
     "and enter that one."},
    {"totp_format", "Doğrulama kodu 6 rakamdan oluşmalıdır.",
     "The verification code must be 6 digits."},
    {"username_format",
     "Kullanıcı adı 1–63 karakter olmalı ve yalnızca küçük harf (a–z), rakam, nokta, alt çizgi "
     "ya da tire içermelidir.",
     "A user name has 1–63 characters: lower-case letters (a–z), digits, dots, underscores or "
     "hyphens only."},
    {"username_taken", "Bu kullanıcı adı kullanılıyor; lütfen başka bir ad seçiniz.",
     "This user name is taken; please choose another."},
    {"message_not_found", "Bu numarada bir ileti yok; lütfen listeyi yenileyiniz.",
     "There is no message with this number; please reload the list."},
    {"message_not_waiting",
     "Bu ileti artık sizi beklemiyor (yeniden gönderilmiş ya da ulaştığı kaydedilmiş); lütfen "
     "listeyi yenileyiniz.",
     "This message no longer waits for you (it was sent again or recorded as delivered); "
     "please reload the list."},
    {"action_unknown", "İşlem retry (yeniden gönder) ya da confirm (ulaştı) olmalıdır.",
     "The action must be retry (send again) or confirm (delivered)."},
    {"user_not_found",
     "Bu adla bir personel hesabı yok; lütfen kullanıcı adını denetleyiniz (eimza user list).",
     "There is no staff account of this name; please check the user name (eimza user list)."},
    {"nothing_to_change",
     "Değiştirilecek bir şey belirtilmedi; lütfen --email, --province, --disable, --enable, "
     "--reset-totp ya da --unlock seçeneklerinden en az birini veriniz.",
     "Nothing to change was given; please give at least one of --email, --province, "
     "--disable, --enable, --reset-totp or --unlock."},
    {"role_unknown",
     "Rol approver (il DYS yöneticisi), operator (kart üretimi ve teslim) ya da admin "
     "olmalıdır.",
     "The role must be approver (provincial DYS administrator), operator (card production and "
     "delivery) or admin."},
    {"province_required", "Onaylayıcı (approver) rolü için il plaka kodu (1–81) verilmelidir.",
     "An approver needs a province plate code (1–81)."},
    {"province_not_allowed",
     "İl yalnızca onaylayıcı (approver) rolü için verilir; diğer roller tüm illerde çalışır.",
     "A province is given only for the approver role; the other roles work across all "
     "provinces."},
    {"password_too_short", "Parola en az 12 karakter olmalıdır.",
     "The password must be at least 12 characters long."},
    {"password_too_long", "Parola en çok 1024 bayt olabilir; lütfen daha kısa bir parola seçiniz.",
     "The password may be at most 1024 bytes long; please choose a shorter one."},
    {"password_one_class",
     "Parola tek tür karakterden oluşamaz; küçük harf, büyük harf, rakam ve işaretlerden en az "
     "ikisini kullanınız.",
     "The password cannot be made of one kind of character only; use at least two of lower-case "
     "letters, upper-case letters, digits and symbols."},
    {"password_repetitive",
     "Parola çok az farklı karakter içeriyor; en az 5 farklı karakter kullanınız.",
     "The password has too few different characters; use at least 5 different ones."},
    {"password_has_username", "Parola kullanıcı adını içeremez; lütfen başka bir parola seçiniz.",
     "The password must not contain the user name; please choose another."},
    {"staff_cfg",
     "Personel girişi ayarları geçersiz (deneme sayısı, kilit süresi, oturum süreleri ya da parola "
     "özetleme maliyeti); " FIX_CONFIG ".",
     "The staff login settings are invalid (attempts, lock-out time, session times or password "
     "hashing cost); " FIX_CONFIG_EN "."},

    /* ---- the approvers' work (app/admin.h): added by the admin API helper */
    {"forbidden_role",
     "Hesabınızın rolü bu işleme izin vermiyor (onay ve ret il DYS yöneticisinin, ıslak imzalı "
     "formun teslim alınması operatörün işidir); yetki için sistem yöneticinize başvurunuz.",
     "Your account's role does not allow this (approving and rejecting are for the provincial "
     "DYS administrator, recording the wet-signed paper is for operators); ask your system "
     "administrator for access."},
    {"forbidden_province",
     "Bu başvuru başka bir ile ait; yalnızca kendi ilinizin başvurularını görebilir ve "
     "sonuçlandırabilirsiniz.",
     "This application belongs to another province; you can only see and decide the "
     "applications of your own province."},
    {"not_found", "Başvuru bulunamadı; listeyi yenileyip başvuruyu yeniden seçiniz.",
     "The application was not found; reload the list and choose it again."},
    {"decision_unknown", "Karar \"approve\" (onay) ya da \"reject\" (ret) olmalıdır.",
     "The decision must be \"approve\" or \"reject\"."},
    {"reason_required",
     "Ret için bir gerekçe seçiniz ya da yazınız (en çok 500 karakter); başvuru sahibine bu "
     "gerekçe ve yapması gerekenler iletilir.",
     "Choose or write a reason for the rejection (at most 500 characters); it is sent to the "
     "applicant together with what to do next."},
    {"state_unknown",
     "Bilinmeyen başvuru durumu; lütfen listeden bir durum seçiniz (ör. submitted, approved).",
     "Unknown application state; please choose one from the list (e.g. submitted, approved)."},
    {"limit_range", "Sayfa başına kayıt sayısı 1 ile 500 arasında olmalıdır.",
     "The number of rows per page must be between 1 and 500."},
    {"offset_range", "Başlangıç sırası 0 ya da daha büyük bir tam sayı olmalıdır.",
     "The starting row must be a whole number of 0 or more."},
    {"waiting_days_range", "Bekleme süresi 0 ya da daha büyük bir gün sayısı olmalıdır.",
     "The waiting time must be a number of days of 0 or more."},
    {"expiring_days", "Süre 30, 60 ya da 90 gün olarak seçilmelidir.",
     "The period must be 30, 60 or 90 days."},
    {"integer_format", "Bu alana bir tam sayı yazılmalıdır.", "This field needs a whole number."},
    {"boolean_format", "Bu alan 1 (evet), 0 (hayır) ya da true/false olmalıdır.",
     "This field must be 1 (yes), 0 (no) or true/false."},
};

const size_t core_reasons_count = sizeof core_reasons / sizeof core_reasons[0];

static const struct core_reason generic = {
    NULL,
    "İşlem tamamlanamadı; lütfen bilgileri kontrol edip yeniden deneyiniz. Sorun sürerse "
    "sistem yöneticinize başvurunuz.",
    "The request could not be completed; please check the data and try again. If the problem "
    "persists, contact your system administrator.",
};

static const struct core_reason *find(const char *code)
{
    if (!code)
        return NULL;
    for (size_t i = 0; i < core_reasons_count; i++)
        if (strcmp(core_reasons[i].code, code) == 0)
            return &core_reasons[i];
    return NULL;
}

const char *core_reason_message(const char *code, enum core_lang lang)
{
    const struct core_reason *r = find(code);
    if (!r)
        r = &generic;
    return lang == CORE_LANG_EN ? r->en : r->tr;
}

int core_reason_known(const char *code)
{
    return find(code) != NULL;
}
