#!/usr/bin/env bash
# eimza — the settings' errors are refusals in the one form of the command line
# (docs/INTERFACES.md, "Options"): a bad line of a settings file read by serve, serve --check,
# migrate, retention run, notify run, notify outbox, backup, restore and card issue, or of the
# agent's (setting_unknown, setting_bad_value, setting_out_of_range, setting_repeated,
# settings_line_bad, settings_file_missing, settings_file_unreadable, settings_file_unsafe,
# listen_not_loopback, origin_bad), the checks of settings together and of the files they name
# (setting_bad_value, setting_missing, settings_conflict, setting_file_bad, never the PIN key's
# or the secret key's value), the trust folder (trust_dir_bad; trust_anchors_bad when nothing
# in it is a certificate), the static folder (static_dir_bad), --dev on an address that is not
# loopback (dev_not_loopback), the message templates
# (template_bad, template_unused; serve and notify run), the sender's settings (warn_days,
# portal_url, digest_to, the SMTP and SMS gateway groups), sign's --out too long (too_long, exit
# 2), an option that sets a setting, a database URL eimza cannot
# read or a path too long (db_url_bad, db_path_too_long), more --config or --origin values than
# allowed, and the agent's --listen that is not a loopback HOST:PORT or an empty or too long
# value. Each is exit 1 with first, exactly, `eimza: COMMAND: SUBJECT: CODE: <the catalogue's
# Turkish text>` (SUBJECT: FILE:LINE, the file or the option), then one line of English details
# naming what was wrong (never a secret's value), then the usage only for an option's error;
# and nothing is done: the command runs in an empty folder that must stay empty (no database
# made). None of these reaches a database.
# eimza-test: no database
source "$EIMZA_SOURCE_DIR/tests/lib.sh"

# the machine's and the person's agent settings must not count
export XDG_CONFIG_HOME=$T/xdg HOME=$T
S=$T/settings # the settings files, apart from the folders the commands run in
mkdir -p "$S"
conf() { # NAME LINE...: writes the settings file $S/NAME (mode 600)
  local name=$1
  shift
  printf '%s\n' "$@" >"$S/$name"
  chmod 600 "$S/$name"
}

# refused WHAT SUBJECT CODE DETAIL USAGE CMD...: CMD is exit 1 ($status when set: sign's
# runtime exit 2); its first line on stderr is exactly `eimza: WHAT: SUBJECT: CODE: <Turkish>`
# (`eimza: WHAT: CODE: <Turkish>` when SUBJECT is "-"); its second `eimza: WHAT: ` and the
# regular expression DETAIL (anchored at both ends); then the usage when USAGE is "usage", no
# more lines when it is "-"; and the folder it runs in stays empty.
n=0
refused() {
  local what=$1 subject=$2 code=$3 detail=$4 usage=$5 want=${status:-1}
  shift 5
  n=$((n + 1))
  local r="$T/run-$n" name="$* ($code)" text got re
  mkdir "$r"
  text=$(catalogue_text "reason.$code")
  [ -n "$text" ] || fail "$name: the catalogue has reason.$code"
  (cd "$r" && timeout 60 "$EIMZA" "$@" >"$T/out" 2>"$T/err" </dev/null)
  got=$?
  if [ "$got" = "$want" ]; then ok "$name: exit $want"; else
    fail "$name: exit $want" "exit $got; stderr: $(head -c 600 "$T/err")"; fi
  [ "$subject" = - ] && subject= || subject="$subject: "
  expect_eq "eimza: $what: $subject$code: $text" "$(head -n 1 "$T/err")" \
    "$name: the subject, the code and the Turkish text saying what to do"
  re="^eimza: $what: $detail\$"
  if [[ $(sed -n 2p "$T/err") =~ $re ]]; then ok "$name: then the details"; else
    fail "$name: then the details" "no /$re/ in $(head -c 600 "$T/err")"; fi
  if [ "$usage" = usage ]; then
    [[ $(sed -n 3p "$T/err") == usage:* ]] && ok "$name: then the usage" ||
      fail "$name: then the usage" "$(head -c 600 "$T/err")"
  else
    expect_eq 2 "$(wc -l <"$T/err")" "$name: nothing more"
  fi
  if [ -z "$(ls -A "$r")" ]; then ok "$name: nothing made"; else
    fail "$name: nothing made" "$(ls -A "$r")"; fi
}

# ---- serve's settings, in every command that reads them -----------------------------------------
conf good.conf "threads = 2"
conf unknown.conf "threads = 2" "colour = blue"
conf value.conf "# the log" "log_format = xml"
conf range.conf "threads = 5000"
conf twice.conf "threads = 2" "" "threads = 3"
conf line.conf "threads 4"
conf secret.conf "smtp_password = $(printf 'S%.0s' $(seq 300))" "secret_key = x"
mkdir "$S/folder.conf"
refused serve "$S/unknown.conf:2" setting_unknown "unknown setting 'colour'" - \
  serve --check --config "$S/unknown.conf"
refused serve "$S/value.conf:2" setting_bad_value \
  "bad value for 'log_format': 'xml' is not one of text,json" - \
  serve --config "$S/value.conf" --listen 127.0.0.1:0
refused migrate "$S/range.conf:1" setting_out_of_range \
  "bad value for 'threads': '5000' is not a whole number from 0 to 256" - \
  migrate --config "$S/range.conf"
refused "retention run" "$S/twice.conf:3" setting_repeated "'threads' is set twice" - \
  retention run --config "$S/twice.conf"
refused "notify run" "$S/line.conf:1" settings_line_bad "expected 'key = value'" - \
  notify run --dev --config "$S/line.conf"
refused "notify outbox" "$S/none.conf" settings_file_missing "cannot open: No such file or directory" - \
  notify outbox --config "$S/none.conf"
refused backup "$S/folder.conf" settings_file_unreadable "read error" - \
  backup copy.db --config "$S/folder.conf"
refused restore "$S/unknown.conf:2" setting_unknown "unknown setting 'colour'" - \
  restore "$S/none.db" --config "$S/good.conf" --config "$S/unknown.conf"
refused "card issue" "$S/range.conf:1" setting_out_of_range \
  "bad value for 'threads': '5000' is not a whole number from 0 to 256" - \
  card issue 2025-000001 --config "$S/range.conf"
# a secret too long: what is wrong, never the secret
refused serve "$S/secret.conf:1" setting_bad_value "bad value for 'smtp_password': longer than 255 bytes" - \
  serve --check --config "$S/secret.conf"
expect_no_grep SSSS "$T/err" "a secret's value is never shown"
# an option that sets a setting: the option is the subject
refused serve --listen setting_bad_value "bad value for 'listen': 'nowhere' is not HOST:PORT or \[IPV6\]:PORT" - \
  serve --check --listen nowhere --db sqlite:never.db
refused serve --config too_many_configs "at most 4 --config files" usage \
  serve --check --config "$S/a" --config "$S/b" --config "$S/c" --config "$S/d" --config "$S/e"
refused restore --config too_many_configs "at most 4 --config files" usage \
  restore "$S/none.db" --config "$S/a" --config "$S/b" --config "$S/c" --config "$S/d" --config "$S/e"

# ---- the checks of settings together and of the files they name (web_config_settings), the
# trust folder's and the message templates' ----------------------------------------------------
# (log_level = error: no warning of the run before the refusal)
Q="log_level = error"
pin=0123456789abcdef0123456789abcdef0123456789abcdefSECRETPIN
conf production.conf "$Q" "production = factory"
conf pin.conf "$Q" "pin_key = $pin"
conf inhouse.conf "$Q" "production = inhouse" "ca_module = /x/lib.so" "ca_label = CA"
conf tls.conf "$Q" "tls_cert = /x/cert.pem"
conf rules.conf "$Q" "renewal_deadline_days = 90"
conf retention.conf "$Q" "retention_contact_years = 20"
touch "$S/logo.gif"
conf logo.conf "$Q" "ministry_logo = $S/logo.gif"
conf contacts.conf "$Q" "province_contacts = $S/none.csv"
conf key.conf "$Q" "secret_key = SECRETKEY"
conf trust.conf "$Q" "trust_dir = $S/good.conf"
mkdir -p "$S/tpl/tr" "$S/unused/tr"
printf 'Süresi doluyor: {serail}\n' >"$S/tpl/tr/expired.sms.txt"
printf 'Subject: Kod\n\n{code}\n' >"$S/unused/tr/otp_code.email.txt"
conf tpl.conf "$Q" "templates_dir = $S/tpl"
conf unused.conf "$Q" "templates_dir = $S/unused"
refused serve production setting_bad_value "production: 'factory' is not bureau or inhouse" - \
  serve --check --config "$S/production.conf"
refused "card issue" production setting_bad_value "production: 'factory' is not bureau or inhouse" \
  - card issue 2025-000001 --config "$S/production.conf"
refused serve pin_key setting_bad_value "pin_key: 64 hexadecimal digits are needed \(32 random bytes\)" \
  - serve --check --config "$S/pin.conf"
expect_no_grep SECRETPIN "$T/err" "the PIN key's value is never shown"
refused serve ca_pin setting_missing \
  "production = inhouse needs ca_pin \(docs/CONFIGURATION.md, \"Cards\"\)" - \
  serve --check --config "$S/inhouse.conf"
refused serve tls_key setting_missing "tls_cert and tls_key go together: set both for HTTPS, or neither" \
  - serve --check --config "$S/tls.conf"
refused serve - settings_conflict "the portal's rules do not fit together \(rules_deadline\)" - \
  serve --check --config "$S/rules.conf"
refused "retention run" retention_contact_years settings_conflict \
  "retention_contact_years is longer than retention_evidence_years: the contact data would outlive the application it belongs to" \
  - retention run --config "$S/retention.conf"
refused serve "$S/logo.gif" setting_file_bad \
  "ministry_logo: $S/logo.gif is neither an .svg nor a .png file" - \
  serve --check --config "$S/logo.conf"
refused serve "$S/none.csv" setting_file_bad "province_contacts: $S/none.csv: No such file or directory" \
  - serve --check --config "$S/contacts.conf"
refused serve secret_key setting_bad_value \
  "secret_key: not the base64 of 32 bytes \(make one with: head -c 32 /dev/urandom \| base64\)" - \
  serve --check --config "$S/key.conf"
expect_no_grep SECRETKEY "$T/err" "the secret key's value is never shown"
refused serve "$S/none" trust_dir_bad "trust_dir: No such file or directory" - \
  serve --check --config "$S/good.conf" --trust-dir "$S/none"
refused serve "$S/good.conf" trust_dir_bad "trust_dir: not a directory" - \
  serve --check --config "$S/trust.conf"
mkdir -p "$S/junk-trust" && echo junk >"$S/junk-trust/bad.pem"
# past the settings' checks: the pages' files found, only errors logged
conf quiet.conf "static_dir = $EIMZA_SOURCE_DIR/static" "log_level = error"
refused serve "$S/junk-trust" trust_anchors_bad "no certificate found in the trust directories" - \
  serve --check --config "$S/quiet.conf" --trust-dir "$S/junk-trust"
conf static.conf "static_dir = $S/no-static"
refused serve "$S/no-static" static_dir_bad "static_dir '$S/no-static' is not a readable folder" - \
  serve --check --config "$S/good.conf" --config "$S/static.conf"
refused serve listen dev_not_loopback \
  "'0\.0\.0\.0:0' is not a loopback address; --dev listens only on 127\.0\.0\.1, ::1 or localhost" - \
  serve --dev --config "$S/quiet.conf" --listen 0.0.0.0:0
known="name serial expiry_date portal_url"
refused serve "$S/tpl/tr/expired.sms.txt" template_bad \
  "unknown placeholder \{serail\} \(known: $known\)" - serve --check --config "$S/tpl.conf"
refused "notify run" "$S/tpl/tr/expired.sms.txt" template_bad \
  "unknown placeholder \{serail\} \(known: $known\)" - notify run --dev --config "$S/tpl.conf"
refused serve "$S/unused/tr/otp_code.email.txt" template_unused \
  "otp_code has no e-mail form, so the file would not be used \(remove it\)" - \
  serve --check --config "$S/unused.conf"
# the sender's own settings (notify run, and serve when it starts its sender): the setting, or
# the SMTP or SMS gateway's group of settings, as the subject
conf warn.conf 'warn_days = 90,abc'
refused "notify run" warn_days setting_bad_value "warn_days: '90,abc' is not a list of at most [0-9]+ day counts" - \
  notify run --dev --config "$S/warn.conf"
conf url.conf 'portal_url = ftp://portal/'
refused "notify run" portal_url setting_bad_value "portal_url must start with http:// or https://" - \
  notify run --dev --config "$S/url.conf"
conf digest.conf 'digest_to = zz'
refused "notify run" digest_to setting_bad_value "digest_to: 'zz' is not NN=address" - \
  notify run --dev --config "$S/digest.conf"
conf smtp.conf 'smtp_url = ftp://mail'
refused "notify run" 'smtp_*' setting_bad_value "SMTP: the SMTP URL must start with smtp:// or smtps://" - \
  notify run --config "$S/smtp.conf"
conf gw.conf 'sms_gateway_url = ftp://gw'
refused "notify run" 'sms_gateway_*' setting_bad_value \
  "SMS gateway: the SMS gateway URL must start with http:// or https://" - notify run --config "$S/gw.conf"
# sign's output path too long: refused before anything is read or a PIN asked for (exit 2)
status=2 refused sign --out too_long "the output path has at most [0-9]+ bytes" - \
  sign --module /x/lib.so --in "$S/good.conf" --out "$T/$(printf 'o%.0s' $(seq 5000))"

# ---- the database's URL ----------------------------------------------------------------------
refused "audit verify" --db db_url_bad "unknown database URL scheme 'mysql' \(use sqlite:PATH or postgresql://...\)" - \
  audit verify --db mysql://db/eimza
refused migrate --db db_url_bad "unknown database URL scheme 'mysql' \(use sqlite:PATH or postgresql://...\)" - \
  migrate --db mysql://db/eimza
refused "user list" --db db_url_bad "invalid PostgreSQL URL: .*" - \
  user list --db 'postgresql://u:SECRET@h:99999999999/x?nosuchoption=1'
expect_no_grep SECRET "$T/err" "a URL's password is never shown"
long=$(printf 'a%.0s' $(seq 5000))
refused "audit verify" --db db_path_too_long "the database path is too long" - \
  audit verify --db "sqlite:$T/$long/x.db"
refused migrate --db db_path_too_long "the database path is too long" - \
  migrate --db "sqlite:$T/$long/x.db"

# ---- the agent's settings file and options ---------------------------------------------------
conf agent-unknown.conf "module = /x/lib.so" "colour = blue"
conf agent-listen.conf "listen = 0.0.0.0:8089"
conf agent-origin.conf "origin = https://portal.example/basvuru"
conf agent-open.conf "origin = https://portal.example"
chmod 666 "$S/agent-open.conf"
refused agent "$S/agent-unknown.conf:2" setting_unknown \
  "unknown setting 'colour' \(module, origin, listen, ca_file, pinentry\)" - \
  agent --config "$S/agent-unknown.conf"
refused agent "$S/agent-listen.conf:1" listen_not_loopback \
  "listen: '0.0.0.0:8089' is not a loopback HOST:PORT" - agent --config "$S/agent-listen.conf"
refused agent "$S/agent-origin.conf:1" origin_bad \
  "'https://portal.example/basvuru' is not an origin \(http\[s\]://host\[:port\], no path\)" - \
  agent --config "$S/agent-origin.conf"
refused agent "$S/agent-open.conf" settings_file_unsafe \
  "writable by others than its owner \(chmod go-w\)" - agent --config "$S/agent-open.conf"
refused agent "$S/none.conf" settings_file_missing "No such file or directory" - \
  agent --config "$S/none.conf"
conf agent-empty.conf "# nothing"
A=(--config "$S/agent-empty.conf" --module /x/lib.so) # the agent's options besides
refused agent --listen listen_not_loopback \
  "refusing to listen on 0.0.0.0:8089: the agent listens on loopback only \(127.0.0.1, localhost or \[::1\]\)" \
  usage agent "${A[@]}" --origin https://portal.example --listen 0.0.0.0:8089
refused agent --listen listen_bad "'127.0.0.1' is not HOST:PORT" usage \
  agent "${A[@]}" --origin https://portal.example --listen 127.0.0.1
refused agent --listen value_empty "--listen needs a value of 1 to 63 bytes" usage \
  agent "${A[@]}" --origin https://portal.example --listen=
refused agent --module too_long "--module needs a value of 1 to 511 bytes" usage \
  agent --config "$S/agent-empty.conf" --origin https://portal.example --module "/$long"
refused agent --origin origin_bad \
  "'https://portal.example/basvuru' is not an origin \(http\[s\]://host\[:port\], no path\)" usage \
  agent "${A[@]}" --origin https://portal.example/basvuru
origins=()
for i in $(seq 17); do origins+=(--origin "https://p$i.example"); done
refused agent --origin too_many_origins "at most 16 --origin values" usage agent "${A[@]}" "${origins[@]}"

finish
