/* eimza — the approvers' verdict on an application, its explanations and the ready-made
 * rejection texts (core/: pure). See eligibility.h for the decisions behind the rules.
 */
#include "core/eligibility.h"

#include <string.h>

/* Where people whose records are wrong must go: the records are kept by the provincial or
 * district personnel unit, not by eimza, the approver or Kamu SM. */
#define OZLUK_TR "il/ilçe milli eğitim özlük birimi"
#define OZLUK_EN "the provincial or district personnel unit (özlük birimi)"
#define WET_TR   "\"Yöntem 2: Islak İmzalı Başvuru\""

/* One row per reason, in the fixed order of the codes. */
static const struct {
    unsigned bit;
    const char *code;
    const char *approver_tr, *approver_en;
} reasons[CORE_VR_COUNT] = {
    {CORE_VR_NO_PERSONNEL_RECORD, "no_personnel_record",
     "Başvuru sahibinin MEBBİS personel kaydı yok. Kayıt aktarılmadan başvuru onaylanamaz; kişiyi "
     "kaydının aktarılması için " OZLUK_TR "ne yönlendiriniz ya da kayıt gelene kadar "
     "bekletiniz.",
     "The applicant has no MEBBİS personnel record. The application cannot be approved until the "
     "record is transferred; refer the person to " OZLUK_EN " or keep it waiting until the record "
     "arrives."},
    {CORE_VR_NOT_IN_SERVICE, "not_in_service",
     "Personel kaydında görev durumu \"aktif\" değil (ayrıldı, emekli ya da askıda). Başvuru "
     "onaylanamaz; kayıt hatalıysa kişi kaydının düzeltilmesi için " OZLUK_TR "yle "
     "görüşmelidir.",
     "The personnel record does not show the person in service (left, retired or suspended). "
     "The application cannot be approved; if the record is wrong, the person must have it "
     "corrected by " OZLUK_EN "."},
    {CORE_VR_ASSIGNMENT_ENDED, "assignment_ended",
     "Personel kaydındaki görevlendirme bitiş tarihi geçmiş. Görevlendirme uzatıldıysa uzatmanın "
     "e-personel modülüne işlenmesi gerekir; işlenene kadar başvuru onaylanamaz. Kişiyi " OZLUK_TR
     "ne yönlendiriniz.",
     "The assignment end date in the personnel record has passed. If the assignment was "
     "extended, the extension must be entered in the e-personel module; until then the "
     "application cannot be approved. Refer the person to " OZLUK_EN "."},
    {CORE_VR_NOT_ENTITLED, "not_entitled",
     "Personel kaydında e-imza hakkı görünmüyor. Hak kayda işlenmeden başvuru onaylanamaz; kişi "
     "kaydının güncellenmesi için " OZLUK_TR "yle görüşmelidir.",
     "The personnel record shows no e-signature entitlement. The application cannot be approved "
     "until it is recorded; the person must have the record updated by " OZLUK_EN "."},
    {CORE_VR_REMOTE_RENEWAL_LIMIT, "remote_renewal_limit",
     "Başvuru sahibi sertifikasını üst üste izin verilen sayıda yalnızca elektronik imzayla "
     "yeniledi; kimliğinin yüz yüze doğrulanması gerekiyor. E-imzalı başvuru onaylanamaz: "
     "kişi " WET_TR
     " ile başvurmalı, kimliği ıslak imzalı form teslim alınırken yüz yüze doğrulanmalıdır.",
     "The applicant has renewed by electronic signature alone as many times in a row as "
     "allowed; their identity must now be checked in person. An e-signed application cannot be "
     "approved: the person must apply with \"Yöntem 2: Islak İmzalı Başvuru\" (wet signature) "
     "and have their identity checked in person when the signed form is handed in."},
    {CORE_VR_LATE, "late",
     "Başvuru, son başvuru tarihinden sonra geldi. Bu, onaya engel değildir; sertifikanın süresi "
     "dolmadan yeni kartın ulaşabilmesi için başvuruyu öncelikle inceleyiniz.",
     "The application came after the renewal deadline. This does not prevent approval; please "
     "review it first so the new card can arrive before the certificate expires."},
};

void core_verdict_make(const struct core_verdict_input *in, struct core_verdict *out)
{
    unsigned r = core_eligibility(in->person, in->today);
    bool limit_reached = in->remote_limit > 0 && in->remote_chain >= in->remote_limit;

    /* The wet path with its in-person check is what the limit asks for: an application
     * already on it is not held back. */
    if (limit_reached && in->method != CORE_METHOD_WET)
        r |= CORE_VR_REMOTE_RENEWAL_LIMIT;
    if (in->late)
        r |= CORE_VR_LATE;
    out->reasons = r;
    out->eligible = (r & CORE_VR_BLOCKING) == 0;
    out->wet_required = limit_reached;
}

const char *core_verdict_code(unsigned bit)
{
    for (size_t i = 0; i < CORE_VR_COUNT; i++)
        if (reasons[i].bit == bit)
            return reasons[i].code;
    return NULL;
}

unsigned core_verdict_parse(const char *code)
{
    if (!code)
        return 0;
    for (size_t i = 0; i < CORE_VR_COUNT; i++)
        if (strcmp(reasons[i].code, code) == 0)
            return reasons[i].bit;
    return 0;
}

bool core_verdict_next(unsigned set, size_t *pos, unsigned *bit)
{
    while (*pos < CORE_VR_COUNT) {
        unsigned b = reasons[(*pos)++].bit;
        if (set & b) {
            *bit = b;
            return true;
        }
    }
    return false;
}

size_t core_verdict_count(unsigned set)
{
    size_t n = 0;
    for (size_t i = 0; i < CORE_VR_COUNT; i++)
        if (set & reasons[i].bit)
            n++;
    return n;
}

const char *core_verdict_approver_text(unsigned bit, enum core_lang lang)
{
    for (size_t i = 0; i < CORE_VR_COUNT; i++)
        if (reasons[i].bit == bit)
            return lang == CORE_LANG_EN ? reasons[i].approver_en : reasons[i].approver_tr;
    return NULL;
}

/* ---- ready-made rejection reasons --------------------------------------------------------- */

const struct core_rejection core_rejections[] = {
    {"records_outdated",
     "MEBBİS kayıtlarınız güncel değil; " OZLUK_TR "nizle görüşünüz. Kayıtlarınız "
     "güncellendikten sonra yeniden başvurunuz.",
     "Your MEBBİS records are not up to date; please contact " OZLUK_EN
     " and apply again once they are updated.",
     CORE_VR_NOT_IN_SERVICE | CORE_VR_ASSIGNMENT_ENDED | CORE_VR_NOT_ENTITLED},
    {"record_missing",
     "MEBBİS'te personel kaydınız bulunamadı; kaydınızın aktarılması için " OZLUK_TR
     "nizle görüşünüz, ardından yeniden başvurunuz.",
     "No MEBBİS personnel record was found for you; please ask " OZLUK_EN
     " to transfer your record, then apply again.",
     CORE_VR_NO_PERSONNEL_RECORD},
    {"assignment_not_extended",
     "Görevlendirmenizin süresi dolmuş görünüyor; görevlendirmeniz uzatıldıysa uzatmanın "
     "e-personel modülüne işlenmesi için " OZLUK_TR "nizle görüşünüz, ardından yeniden "
     "başvurunuz.",
     "Your assignment appears to have ended; if it was extended, please ask " OZLUK_EN
     " to enter the extension in the e-personel module, then apply again.",
     CORE_VR_ASSIGNMENT_ENDED},
    {"entitlement_missing",
     "Kayıtlarınızda e-imza hakkınız görünmüyor; hakkınızın kaydınıza işlenmesi için " OZLUK_TR
     "nizle görüşünüz, ardından yeniden başvurunuz.",
     "Your records show no e-signature entitlement; please ask " OZLUK_EN
     " to record it, then apply again.",
     CORE_VR_NOT_ENTITLED},
    {"in_person_check_required",
     "Sertifikanızı üst üste izin verilen sayıda yalnızca elektronik imzayla yenilediniz; bu kez "
     "kimliğinizin yüz yüze doğrulanması gerekiyor. Lütfen " WET_TR " ile yeniden başvurunuz.",
     "You have renewed by electronic signature alone as many times in a row as allowed; this "
     "time your identity must be checked in person. Please apply again with \"Yöntem 2: Islak "
     "İmzalı Başvuru\" (wet signature).",
     CORE_VR_REMOTE_RENEWAL_LIMIT},
    {"form_data_wrong",
     "Başvuru formundaki bilgiler (adres, unvan, birim ya da iletişim bilgileri) hatalı veya "
     "eksik; lütfen bilgilerinizi düzelterek yeniden başvurunuz.",
     "The information on the application form (address, title, unit or contact details) is "
     "wrong or incomplete; please correct it and apply again.",
     0},
    {"wet_original_missing",
     "Islak imzalı başvuru formunuzun aslı ulaşmadı ya da imzasız veya eksik geldi; lütfen "
     "formu yeniden yazdırıp imzalayarak gönderiniz.",
     "The original of your wet-signed application form did not arrive, or arrived unsigned or "
     "incomplete; please print it again, sign it and send it.",
     0},
    {"other",
     "Başvurunuz, aşağıda açıklanan gerekçeyle reddedildi; ayrıntı için il DYS yöneticinizle "
     "görüşünüz.",
     "Your application was rejected for the reason given below; for details please contact your "
     "provincial DYS administrator.",
     0},
};

const size_t core_rejections_count = sizeof core_rejections / sizeof core_rejections[0];

const struct core_rejection *core_rejection_find(const char *code)
{
    if (!code)
        return NULL;
    for (size_t i = 0; i < core_rejections_count; i++)
        if (strcmp(core_rejections[i].code, code) == 0)
            return &core_rejections[i];
    return NULL;
}
