/* eimza — the words of the portal's pages (web/html/): every word a page shows comes from here,
 * in Turkish and in English.
 *
 * A message is named by an enum value (so a misspelt key is a compile error, not an empty
 * page) and has a stable snake_case name; its texts are the catalogue's entry "page.<name>"
 * (po/eimza.pot, po/en.po; app_text_of). Turkish is the portal's language; the Turkish texts
 * keep the exact words applicants know from the old portal (shared/design/brief.md, "Words
 * the users already know"). Texts are plain text: the page writer (web/html/page.h) escapes
 * them like any other text, so a message can never carry markup.
 * A text may hold placeholders {0}, {1}, ... in ascending order (the same ones, in the same
 * order, in both languages): web_page_msg_args() fills them with escaped values and
 * web_page_msg_part() writes the text between them, for markup around a value.
 *
 * Messages for refusals (why a value is wrong) are not here: they come from core/reason.h
 * with their stable codes, and the pages show them as they are.
 */
#ifndef EIMZA_WEB_HTML_I18N_H
#define EIMZA_WEB_HTML_I18N_H

#include <stddef.h>

#include "app/context.h"

enum web_msg {
    WEB_MSG_NONE = 0, /* no message (an optional hint left out); writes nothing */

    /* ---- the layout */
    WEB_MSG_SERVICE_NAME,
    WEB_MSG_SKIP_LINK,
    WEB_MSG_LANG_OTHER,      /* the name of the other language, in that language */
    WEB_MSG_LANG_OTHER_CODE, /* "en" on Turkish pages, "tr" on English ones */
    WEB_MSG_FOOTER_CALL_CENTRE,
    WEB_MSG_FOOTER_CARD_LATE,
    WEB_MSG_FOOTER_PRIVACY,
    WEB_MSG_FOOTER_OPERATOR,
    WEB_MSG_TITLE_ERROR_PREFIX,
    WEB_MSG_ERROR_SUMMARY_TITLE,
    WEB_MSG_ERROR_PREFIX,
    WEB_MSG_OPTIONAL,
    WEB_MSG_SELECT_PLACEHOLDER,

    /* ---- the step indicator */
    WEB_MSG_STEPS_LABEL,
    WEB_MSG_STEP_COUNTER, /* {0}: this step, {1}: the number of steps */
    WEB_MSG_STEP_DONE,    /* read out before a finished step's name */
    WEB_MSG_STEPS_OVERVIEW,
    WEB_MSG_STEPS_ALL_DONE,
    WEB_MSG_STEP_1,
    WEB_MSG_STEP_2,
    WEB_MSG_STEP_3,
    WEB_MSG_STEP_4,
    WEB_MSG_STEP_5,

    /* ---- words from the old portal (brief.md) */
    WEB_MSG_CAPTCHA,
    WEB_MSG_TCKN,
    WEB_MSG_FIRST_NAME,
    WEB_MSG_LAST_NAME,
    WEB_MSG_BIRTH_PLACE,
    WEB_MSG_BIRTH_DATE,
    WEB_MSG_LOGIN,
    WEB_MSG_FORM_TITLE,
    WEB_MSG_SECTION_APPLICATION,
    WEB_MSG_SECTION_PERSONAL,
    WEB_MSG_SECTION_INSTITUTION,
    WEB_MSG_SECTION_CONTACT,
    WEB_MSG_SECURITY_WORD,
    WEB_MSG_SECURITY_WORD_REPEAT,
    WEB_MSG_PHONE_NUMBER,
    WEB_MSG_SEND,
    WEB_MSG_OTP_REMAINING, /* {0}: seconds left */
    WEB_MSG_OTP_CODE,
    WEB_MSG_OK,
    WEB_MSG_CANCEL,
    WEB_MSG_METHOD_1,
    WEB_MSG_METHOD_2,
    WEB_MSG_SIGNED_CONTENT,
    WEB_MSG_SIGN,
    WEB_MSG_CARD_TYPE,
    WEB_MSG_RESULT,
    WEB_MSG_SIGN_DONE,
    WEB_MSG_DECLARATION,

    /* ---- the login page */
    WEB_MSG_LOGIN_TITLE,
    WEB_MSG_TCKN_HINT,
    WEB_MSG_BIRTH_DATE_HINT,
    WEB_MSG_CAPTCHA_IMAGE_ALT,
    WEB_MSG_CAPTCHA_NEW,
    WEB_MSG_CAPTCHA_AUDIO,
    WEB_MSG_CAPTCHA_HINT,

    /* ---- the application form */
    WEB_MSG_APPLICATION_NUMBER, /* {0}: the number */
    WEB_MSG_REASON,
    WEB_MSG_REASON_RENEWAL,
    WEB_MSG_REASON_RENEWAL_HINT,
    WEB_MSG_REASON_LOST,
    WEB_MSG_REASON_LOST_HINT,
    WEB_MSG_REASON_OTHER,
    WEB_MSG_REASON_OTHER_HINT,
    WEB_MSG_CARD_READER,
    WEB_MSG_CARD_READER_NONE,
    WEB_MSG_CARD_READER_MINI,
    WEB_MSG_VALIDITY,
    WEB_MSG_VALIDITY_1,
    WEB_MSG_VALIDITY_2,
    WEB_MSG_VALIDITY_3,
    WEB_MSG_SECURITY_WORD_HINT,
    WEB_MSG_INSTITUTION_NAME,
    WEB_MSG_INSTITUTION_HINT,
    WEB_MSG_REGISTRY_NO,
    WEB_MSG_UNIT,
    WEB_MSG_JOB_TITLE,
    WEB_MSG_ADDRESS,
    WEB_MSG_PROVINCE,
    WEB_MSG_DISTRICT,
    WEB_MSG_POSTAL_CODE,
    WEB_MSG_POSTAL_CODE_HINT,
    WEB_MSG_EMAIL,
    WEB_MSG_WORK_PHONE,
    WEB_MSG_WORK_PHONE_NUMBER,
    WEB_MSG_WORK_PHONE_EXT,
    WEB_MSG_MOBILE_PHONE,
    WEB_MSG_MOBILE_PHONE_HINT,
    WEB_MSG_MOBILE_OPERATOR,
    WEB_MSG_OPERATOR_TURKCELL,
    WEB_MSG_OPERATOR_VODAFONE,
    WEB_MSG_OPERATOR_TURK_TELEKOM,
    WEB_MSG_HOME_PHONE,
    WEB_MSG_NOTIFY_BY,
    WEB_MSG_NOTIFY_EMAIL,
    WEB_MSG_NOTIFY_SMS,
    WEB_MSG_NOTIFY_BOTH,
    WEB_MSG_READONLY_HINT,
    WEB_MSG_CONFIRM_FORM,
    WEB_MSG_INELIGIBLE_WARNING,

    /* ---- the SMS code */
    WEB_MSG_OTP_SENT,
    WEB_MSG_OTP_WRONG_NUMBER,
    WEB_MSG_OTP_EXPIRED,
    WEB_MSG_OTP_CODE_HINT,
    WEB_MSG_OTP_NEW_CODE,

    /* ---- signing and status */
    WEB_MSG_METHOD_TITLE,
    WEB_MSG_METHOD_1_HINT,
    WEB_MSG_METHOD_2_HINT,
    WEB_MSG_STATUS_TITLE,
    WEB_MSG_STATUS_NEXT,
    WEB_MSG_CONTINUE,
    WEB_MSG_BACK,

    /* ---- the landing page */
    WEB_MSG_LANDING_TITLE,
    WEB_MSG_LANDING_LEAD,
    WEB_MSG_LANDING_WHO,
    WEB_MSG_LANDING_DEADLINE,
    WEB_MSG_LANDING_BEFORE_TITLE,
    WEB_MSG_LANDING_NEED_CARD,
    WEB_MSG_LANDING_NEED_PHONE,
    WEB_MSG_LANDING_NEED_TIME,
    WEB_MSG_LANDING_START,
    WEB_MSG_LANDING_AFTER_TITLE,
    WEB_MSG_LANDING_AFTER,
    WEB_MSG_LANDING_INELIGIBLE,
    WEB_MSG_KVKK_TITLE,
    WEB_MSG_KVKK_WHAT,
    WEB_MSG_KVKK_WHY,
    WEB_MSG_KVKK_RIGHTS,
    WEB_MSG_KVKK_KEEP_LEAD,
    WEB_MSG_KVKK_KEEP_MESSAGES,
    WEB_MSG_KVKK_KEEP_CONTACT,
    WEB_MSG_KVKK_KEEP_EVIDENCE,
    WEB_MSG_KVKK_KEEP_SESSIONS,

    /* ---- the component sample page (--dev only) */
    WEB_MSG_DEMO_TITLE,
    WEB_MSG_DEMO_LEAD,
    WEB_MSG_DEMO_SAVED,
    WEB_MSG_DEMO_COUNTDOWN_TITLE,
    WEB_MSG_DEMO_SIGNED_SAMPLE,

    /* ---- the applicant's step pages (web/pages/) */
    WEB_MSG_PP_CAPTCHA_AUDIO_LINK,
    WEB_MSG_PP_RETRY_AT, /* {0}: HH:MM, {1}: minutes */
    WEB_MSG_PP_LOGIN_LEAD,
    WEB_MSG_PP_FORM_LEAD,
    WEB_MSG_PP_NOTICES_TITLE,
    WEB_MSG_PP_SMS_LEAD,
    WEB_MSG_PP_SMS_CODE_TITLE,
    WEB_MSG_PP_RESEND_WAIT, /* {0}: seconds */
    WEB_MSG_PP_TRIES_LEFT,  /* {0}: entries left */
    WEB_MSG_PP_EDIT_FORM,
    WEB_MSG_PP_CONTENT_LEAD,
    WEB_MSG_PP_METHOD_ONLY_WET,
    WEB_MSG_PP_STATE,
    WEB_MSG_PP_TIMELINE,
    WEB_MSG_PP_TIMELINE_ZONE,
    WEB_MSG_PP_CONTACT,
    WEB_MSG_PP_ESIGN_NEXT,
    WEB_MSG_PP_CHANGE_METHOD,
    WEB_MSG_PP_LOGOUT,
    WEB_MSG_PP_ERR_403_TITLE,
    WEB_MSG_PP_ERR_404_TITLE,
    WEB_MSG_PP_ERR_404_TEXT,
    WEB_MSG_PP_ERR_500_TITLE,
    WEB_MSG_PP_ERR_500_TEXT,
    WEB_MSG_PP_HOME_LINK,
    WEB_MSG_PP_LOGIN_AGAIN,
    WEB_MSG_PP_STATE_DRAFT,
    WEB_MSG_PP_STATE_CODE_VERIFIED,
    WEB_MSG_PP_STATE_SUBMITTED,
    WEB_MSG_PP_STATE_AWAITING_ORIGINAL,
    WEB_MSG_PP_STATE_APPROVED,
    WEB_MSG_PP_STATE_REJECTED,
    WEB_MSG_PP_STATE_IN_PRODUCTION,
    WEB_MSG_PP_STATE_SHIPPED,
    WEB_MSG_PP_STATE_DELIVERED,
    WEB_MSG_PP_STATE_COMPLETED,
    WEB_MSG_PP_STATE_CANCELLED,
    WEB_MSG_PP_REJECTION_REASON,
    WEB_MSG_SG_TITLE,
    WEB_MSG_SG_LEAD,
    WEB_MSG_SG_CARD,
    WEB_MSG_SG_CARD_WAIT,
    WEB_MSG_SG_NOSCRIPT,
    WEB_MSG_SG_NO_AGENT_TITLE,
    WEB_MSG_SG_NO_AGENT,
    WEB_MSG_SG_UPLOAD_TITLE,
    WEB_MSG_SG_UPLOAD_HOWTO,
    WEB_MSG_SG_DOWNLOAD,
    WEB_MSG_SG_FILE,
    WEB_MSG_SG_UPLOAD,
    WEB_MSG_SG_OTHER_METHOD,
    WEB_MSG_WET_PRINT,
    WEB_MSG_WET_PRINT_LEAD,

    /* ---- staff pages (web/pages/) */
    WEB_MSG_AP_NAV_LABEL,
    WEB_MSG_AP_NAV_QUEUE,
    WEB_MSG_AP_NAV_DASHBOARD,
    WEB_MSG_AP_SIGNED_IN, /* {0}: user name, {1}: role and province */
    WEB_MSG_AP_ROLE_APPROVER,
    WEB_MSG_AP_ROLE_OPERATOR,
    WEB_MSG_AP_ROLE_ADMIN,
    WEB_MSG_AP_LOGIN_TITLE,
    WEB_MSG_AP_LOGIN_LEAD,
    WEB_MSG_AP_USERNAME,
    WEB_MSG_AP_PASSWORD,
    WEB_MSG_AP_TOTP,
    WEB_MSG_AP_TOTP_HINT,
    WEB_MSG_AP_ENROL_TITLE,
    WEB_MSG_AP_ENROL_LEAD,
    WEB_MSG_AP_ENROL_QR,
    WEB_MSG_AP_ENROL_SECRET,
    WEB_MSG_AP_ENROL_SECRET_HINT,
    WEB_MSG_AP_QUEUE_TITLE,
    WEB_MSG_AP_FILTER_TITLE,
    WEB_MSG_AP_F_STATE,
    WEB_MSG_AP_F_ANY_STATE,
    WEB_MSG_AP_F_PROVINCE,
    WEB_MSG_AP_F_ALL_PROVINCES,
    WEB_MSG_AP_F_DISTRICT,
    WEB_MSG_AP_F_INSTITUTION,
    WEB_MSG_AP_F_INSTITUTION_HINT,
    WEB_MSG_AP_F_LATE,
    WEB_MSG_AP_F_LATE_ANY,
    WEB_MSG_AP_F_LATE_YES,
    WEB_MSG_AP_F_LATE_NO,
    WEB_MSG_AP_F_MIN_DAYS,
    WEB_MSG_AP_F_APPLY,
    WEB_MSG_AP_F_CLEAR,
    WEB_MSG_AP_F_BAD_NUMBER,
    WEB_MSG_AP_COL_NUMBER,
    WEB_MSG_AP_COL_NAME,
    WEB_MSG_AP_COL_INSTITUTION,
    WEB_MSG_AP_COL_STATE,
    WEB_MSG_AP_COL_WAITING,
    WEB_MSG_AP_COL_EXPIRY,
    WEB_MSG_AP_COL_LATE,
    WEB_MSG_AP_COL_VERDICT,
    WEB_MSG_AP_COL_DISTRICT,
    WEB_MSG_AP_COL_DAYS_LEFT,
    WEB_MSG_AP_ELIGIBLE,
    WEB_MSG_AP_NOT_ELIGIBLE,
    WEB_MSG_AP_LATE,
    WEB_MSG_AP_IN_TIME,
    WEB_MSG_AP_DAYS,  /* {0}: a number of days */
    WEB_MSG_AP_SINCE, /* {0}: DD.MM.YYYY */
    WEB_MSG_AP_NO_CERTIFICATE,
    WEB_MSG_AP_QUEUE_COUNT, /* {0}: total, {1}: first, {2}: last shown */
    WEB_MSG_AP_QUEUE_EMPTY,
    WEB_MSG_AP_QUEUE_CAPTION,
    WEB_MSG_AP_PREV_PAGE,
    WEB_MSG_AP_NEXT_PAGE,
    WEB_MSG_AP_CSV_QUEUE,
    WEB_MSG_AP_BULK_TITLE,
    WEB_MSG_AP_BULK_LEAD,
    WEB_MSG_AP_BULK_BUTTON,
    WEB_MSG_AP_BULK_DONE,      /* {0}: approved, {1}: skipped */
    WEB_MSG_AP_FLASH_APPROVED, /* {0}: application number */
    WEB_MSG_AP_FLASH_REJECTED, /* {0}: application number */
    WEB_MSG_AP_FLASH_PAPER,
    WEB_MSG_AP_DETAIL_TITLE, /* {0}: application number */
    WEB_MSG_AP_BACK_TO_QUEUE,
    WEB_MSG_AP_SEC_VERDICT,
    WEB_MSG_AP_SEC_APPLICANT,
    WEB_MSG_AP_SEC_RECORD,
    WEB_MSG_AP_SEC_DECISION,
    WEB_MSG_AP_VERDICT_OK,
    WEB_MSG_AP_VERDICT_NO,
    WEB_MSG_AP_VERDICT_NOTES,
    WEB_MSG_AP_NO_RECORD,
    WEB_MSG_AP_DUTY,
    WEB_MSG_AP_DUTY_ACTIVE,
    WEB_MSG_AP_DUTY_LEFT,
    WEB_MSG_AP_DUTY_RETIRED,
    WEB_MSG_AP_DUTY_SUSPENDED,
    WEB_MSG_AP_ASSIGNMENT_END,
    WEB_MSG_AP_ENTITLED,
    WEB_MSG_AP_YES,
    WEB_MSG_AP_NO,
    WEB_MSG_AP_NONE,
    WEB_MSG_AP_METHOD,
    WEB_MSG_AP_REMOTE_CHAIN,
    WEB_MSG_AP_CREATED,
    WEB_MSG_AP_PHONE,
    WEB_MSG_AP_APPROVE_TITLE,
    WEB_MSG_AP_APPROVE_LEAD,
    WEB_MSG_AP_APPROVE_BUTTON,
    WEB_MSG_AP_REJECT_TITLE,
    WEB_MSG_AP_REJECT_REASON,
    WEB_MSG_AP_REJECT_REASON_HINT,
    WEB_MSG_AP_REJECT_OTHER,
    WEB_MSG_AP_REJECT_TEXT,
    WEB_MSG_AP_REJECT_TEXT_HINT,
    WEB_MSG_AP_REJECT_BUTTON,
    WEB_MSG_AP_REJECT_CHOOSE,
    WEB_MSG_AP_REJECT_WRITE,
    WEB_MSG_AP_REJECT_TOO_LONG,
    WEB_MSG_AP_PAPER_TITLE,
    WEB_MSG_AP_PAPER_LEAD,
    WEB_MSG_AP_PAPER_BUTTON,
    WEB_MSG_AP_NO_DECISION,
    WEB_MSG_AP_DASH_TITLE,
    WEB_MSG_AP_DASH_SCOPE, /* {0}: province name */
    WEB_MSG_AP_DASH_ALL,
    WEB_MSG_AP_DASH_SHOW,
    WEB_MSG_AP_CHART_STATES,
    WEB_MSG_AP_CHART_WAITING,
    WEB_MSG_AP_CHART_UNIT,
    WEB_MSG_AP_CHART_EMPTY,
    WEB_MSG_AP_EXPIRING_TITLE,
    WEB_MSG_AP_EXPIRING_ROW,  /* {0}: days, {1}: people */
    WEB_MSG_AP_EXPIRING_LIST, /* {0}: days */
    WEB_MSG_AP_EXPIRING_CSV,  /* {0}: days */
    WEB_MSG_AP_EXP_TITLE,     /* {0}: days */
    WEB_MSG_AP_EXP_LEAD,
    WEB_MSG_AP_EXP_EMPTY,
    WEB_MSG_AP_NAV_MESSAGES,
    WEB_MSG_AP_MSG_TITLE,
    WEB_MSG_AP_MSG_LEAD,
    WEB_MSG_AP_MSG_EMPTY,
    WEB_MSG_AP_COL_CHANNEL,
    WEB_MSG_AP_COL_TO,
    WEB_MSG_AP_COL_MSG_STATUS,
    WEB_MSG_AP_COL_ERROR,
    WEB_MSG_AP_COL_ATTEMPTS,
    WEB_MSG_AP_COL_CREATED,
    WEB_MSG_AP_MSG_FAILED,
    WEB_MSG_AP_MSG_UNCONFIRMED,
    WEB_MSG_AP_COL_MSG_ACTION,
    WEB_MSG_AP_MSG_RETRY,
    WEB_MSG_AP_MSG_CONFIRM,
    WEB_MSG_AP_MSG_DONE_RETRY,
    WEB_MSG_AP_MSG_DONE_CONFIRM,
    WEB_MSG_AP_EXP_DAYS_BAD,
    WEB_MSG_AP_COL_APPLICANT,

    WEB_MSG_COUNT_ /* not a message: the number of entries */
};

/* The text of key in lang ("" for WEB_MSG_NONE and for an unknown key). Never NULL. */
const char *web_msg(enum web_msg key, enum core_lang lang);

/* The stable snake_case name of key ("" for WEB_MSG_NONE), e.g. "service_name". */
const char *web_msg_name(enum web_msg key);

/* The key named name, or WEB_MSG_NONE. */
enum web_msg web_msg_find(const char *name);

/* The language code of lang as written in <html lang>: "tr" or "en". */
const char *web_lang_code(enum core_lang lang);

#endif
