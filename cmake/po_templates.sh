# Run by msgexec for each entry of a catalogue (CMakeLists.txt): writes the notification
# messages, the entries "mail.NAME.email" and "mail.NAME.sms", as the files NAME.email.txt and
# NAME.sms.txt into the folder $1 (installed as share/eimza/templates/LANG/, for operators to
# copy and change; notify/templates.h reads such files from templates_dir).
case "${MSGEXEC_MSGCTXT:-}" in
mail.*) cat >"$1/${MSGEXEC_MSGCTXT#mail.}.txt" ;;
*) cat >/dev/null ;;
esac
