#!/usr/bin/env bash
# eimza — `eimza user add USERNAME --role ROLE [--province NN] [--email ADDRESS] [--db URL]`, the password on
# standard input: the good paths (an approver with a plate code or a province name, an
# operator, an admin), each invalid input refused with exit 1 naming its code and a Turkish
# message (name, role, province needed or not allowed or unknown, each password rule, an empty
# or missing password, usage errors), a taken name (exit 2: username_taken), a database that
# is not migrated (exit 2), the stored Argon2id hash and the audit entry without the password,
# and the password read from stdin really being the one that logs in (over HTTP, --dev).
# Runs on both backends.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
command -v jq >/dev/null || { echo "FAIL: jq is needed (scripts/deps.txt)"; exit 1; }

PW='Doğru-Parola-2025'
DB=$(new_db) || exit 1
source "$SRC/tests/portal_lib.sh"
expect_status 0 "migrate" "$EIMZA" migrate --db "$DB"

# add EXIT NAME PASSWORD ARGS...: `eimza user add` with the password on stdin.
add() {
  local want=$1 name=$2 pw=$3
  shift 3
  printf '%s\n' "$pw" | "$EIMZA" user add "$@" --db "$DB" >"$T/out" 2>"$T/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok "$name"; else
    fail "$name" "exit $got, wanted $want; stderr: $(head -c 600 "$T/err")"; fi
}

# ---- good paths ---------------------------------------------------------------------------------
add 0 "an approver with a plate code" "$PW" ayse.onay --role approver --province 72
expect_grep 'ayse.onay' "$T/out" "success is reported"
expect_eq "approver|72|0" "$(sql "SELECT role || '|' || province || '|' || CASE WHEN totp_enabled THEN 1 ELSE 0 END FROM users WHERE username = 'ayse.onay'")" \
  "stored: role, province, no TOTP yet"
add 0 "an approver with a province name and an e-mail address" "$PW" ali.onay --role approver --province Ankara --email ali.onay@meb.gov.tr
expect_eq "6|ali.onay@meb.gov.tr" "$(sql "SELECT province || '|' || email FROM users WHERE username = 'ali.onay'")" \
  "the name is the plate code; the address is kept (for the daily digest)"
expect_eq "" "$(sql "SELECT email FROM users WHERE username = 'ayse.onay'")" "no address: none"
expect_no_grep 'ali\.onay@' <(sql "SELECT detail FROM audit_log") "the audit entry does not hold the address"
add 0 "an operator (no province)" "$PW" osman --role operator
add 0 "an admin, --db=URL and --role=ROLE spelt with '='" "$PW" yonetici --role=admin
expect_eq "admin|0" "$(sql "SELECT role || '|' || province FROM users WHERE username = 'yonetici'")" "admin stored"
hash=$(sql "SELECT password_hash FROM users WHERE username = 'ayse.onay'")
case "$hash" in '$argon2id$'*) ok "the password is an Argon2id hash" ;; *) fail "Argon2id hash" "$hash" ;; esac
expect_eq 4 "$(sql "SELECT count(*) FROM audit_log WHERE action = 'staff.user.add' AND actor = 'cli'")" \
  "each addition is audited"
expect_eq 0 "$(sql "SELECT count(*) FROM audit_log WHERE detail LIKE '%Parola%' OR object LIKE '%Parola%'")" \
  "the audit log never holds the password"
# a password with a CR before the newline (typed on Windows) is the same password
printf '%s\r\n' "$PW" | "$EIMZA" user add crlf.user --role operator --db "$DB" >"$T/out" 2>"$T/err" &&
  ok "CRLF line accepted" || fail "CRLF line" "$(cat "$T/err")"
# the last line needs no newline
printf '%s' "$PW" | "$EIMZA" user add nonl.user --role operator --db "$DB" >"$T/out" 2>"$T/err" &&
  ok "a password without a newline" || fail "no newline" "$(cat "$T/err")"

# ---- invalid input: exit 1 with the code and its Turkish message ----------------------------------
# bad NAME CODE FIELD PASSWORD ARGS...
bad() {
  local name=$1 code=$2 field=$3 pw=$4
  shift 4
  add 1 "$name" "$pw" "$@"
  expect_grep "$field: $code: .*[ıİşŞğĞüÜöÖçÇ]" "$T/err" "$name: '$code' named with a Turkish message"
}
bad "a name with capitals and Turkish letters" username_format username "$PW" Ayşe --role operator
bad "a name of 64 characters" username_format username "$PW" "$(printf 'a%.0s' $(seq 64))" --role operator
bad "an unknown role" role_unknown role "$PW" kim --role boss
bad "an approver without a province" province_required province "$PW" kim --role approver
bad "an operator with a province" province_not_allowed province "$PW" kim --role operator --province 6
bad "an unknown province" province_unknown province "$PW" kim --role approver --province 99
bad "a province name nobody knows" province_unknown province "$PW" kim --role approver --province Atlantis
bad "a short password" password_too_short password "Kisa-1" kim --role operator
bad "a password of one class" password_one_class password "abcdefghijklmnop" kim --role operator
bad "a repetitive password" password_repetitive password "aAaAaAaAaAaAaA11" kim --role operator
bad "a password holding the name" password_has_username password "xx-Kimlik-Kim-2025" kim --role operator
bad "an empty password" required password "" kim --role operator
bad "a password longer than 1024 bytes" password_too_long password "$(head -c 1500 /dev/zero | tr '\0' 'x')Aa1" kim --role operator
"$EIMZA" user add kim --role operator --db "$DB" </dev/null >"$T/out" 2>"$T/err"
expect_eq 1 $? "no password at all (stdin closed)"
expect_grep "password: required" "$T/err" "no password: 'required'"
expect_eq 0 "$(sql "SELECT count(*) FROM users WHERE username = 'kim'")" "nothing refused was stored"
# several problems at once: each is named
add 1 "several problems at once" "short" "Bad Name" --role boss
expect_grep "username: username_format" "$T/err" "several: username named"
expect_grep "role: role_unknown" "$T/err" "several: role named"
expect_grep "password: password_too_short" "$T/err" "several: password named"

# usage errors
expect_status 1 "user without a subcommand" "$EIMZA" user
expect_status 1 "user: unknown subcommand" "$EIMZA" user remove x
add 1 "an e-mail address that is not one" "$PW" veli.onay --role approver --province 35 --email veli.onay
expect_grep 'email: email_format: E-posta adresi geçerli değil' "$T/err" "refused with its code and the Turkish text"
expect_eq 0 "$(sql "SELECT count(*) FROM users WHERE username = 'veli.onay'")" "and nothing stored"
add 0 "--email=ADDRESS" "$PW" veli.onay --role approver --province 35 --email=veli.onay@meb.gov.tr
expect_status 1 "user add without a name" "$EIMZA" user add --role admin --db "$DB"
expect_status 1 "user add without --role" "$EIMZA" user add kim --db "$DB"
expect_status 1 "user add --role without a value" "$EIMZA" user add kim --role
expect_status 1 "user add: unknown option" "$EIMZA" user add kim --role admin --colour --db "$DB"
expect_status 1 "user add: two names" "$EIMZA" user add kim kam --role admin --db "$DB"
expect_status 0 "user add --help" "$EIMZA" user add --help
expect_grep 'standard input' "$T/out" "--help says where the password comes from"
expect_status 1 "a malformed --db URL" bash -c "printf '%s\n' '$PW' | '$EIMZA' user add kim --role admin --db 'nosuch://x'"

# ---- runtime failures: exit 2 ---------------------------------------------------------------------
add 2 "a taken name" "$PW" ayse.onay --role operator
expect_grep "username_taken: Bu kullanıcı adı kullanılıyor" "$T/err" "taken: code and Turkish message"
expect_eq approver "$(sql "SELECT role FROM users WHERE username = 'ayse.onay'")" "the account is unchanged"
EMPTY=$(new_db) || exit 1
printf '%s\n' "$PW" | "$EIMZA" user add kim --role admin --db "$EMPTY" >"$T/out" 2>"$T/err"
expect_eq 2 $? "a database that is not migrated"
expect_grep "migrate" "$T/err" "not migrated: says to run eimza migrate"
expect_no_grep "Parola" "$T/out" "the password is never echoed"
expect_no_grep "Parola" "$T/err" "the password is never in a message"

# ---- the password from stdin is the one that logs in ----------------------------------------------
if ! start_server -- --dev --listen 127.0.0.1:0 --db "$DB"; then
  fail "server starts" "$(head -c 1000 "$SERR")"
  finish
fi
json POST /api/v1/admin/login "$(jq -nc --arg p "$PW" '{username:"ali.onay", password:$p}')"
expect_eq "200 approver 6" "$CODE $(jb '.role + " " + (.province|tostring)')" "login with the password given on stdin"
json POST /api/v1/admin/login "$(jq -nc --arg p "$PW" '{username:"crlf.user", password:$p}')"
expect_code 200 "the CRLF password logs in without its CR"
json POST /api/v1/admin/login '{"username":"ali.onay","password":"Doğru-Parola-2024"}'
expect_error 401 staff_login_failed "another password does not"

# ---- eimza user set / list: changing an account ----------------------------------------------------
json POST /api/v1/admin/login "$(jq -nc --arg p "$PW" '{username:"osman", password:$p}')"
expect_code 200 "osman logs in"
OSMAN=$(jb .token)
expect_status 0 "user set --disable" "$EIMZA" user set osman --disable --db "$DB"
expect_grep 'osman changed' "$T/out" "says so"
json POST /api/v1/admin/login "$(jq -nc --arg p "$PW" '{username:"osman", password:$p}')"
expect_error 403 account_disabled "a disabled account cannot log in"
CODE=$(curl -s -o "$T/b" -w '%{http_code}' -H "Authorization: Bearer $OSMAN" "$URL/api/v1/admin/applications")
expect_eq 401 "$CODE" "and its open session has ended"
expect_status 0 "user set --enable" "$EIMZA" user set osman --enable --db "$DB"
json POST /api/v1/admin/login "$(jq -nc --arg p "$PW" '{username:"osman", password:$p}')"
expect_code 200 "enabled again, it logs in"
expect_status 0 "user set --email --province" "$EIMZA" user set ayse.onay --email ayse.onay@meb.gov.tr --province İzmir --db "$DB"
expect_eq "35|ayse.onay@meb.gov.tr" "$(sql "SELECT province || '|' || email FROM users WHERE username = 'ayse.onay'")" \
  "address and province changed"
expect_status 0 "user set --no-email --reset-totp --unlock" "$EIMZA" user set ayse.onay --no-email --reset-totp --unlock --db "$DB"
expect_eq "" "$(sql "SELECT email FROM users WHERE username = 'ayse.onay'")" "the address removed"
expect_eq '{"changed":["email","totp_reset","unlocked"]}' \
  "$(sql "SELECT detail FROM audit_log WHERE action = 'staff.user.set' ORDER BY seq DESC LIMIT 1")" \
  "audited: what changed, never the address"
expect_status 1 "user set without a change" "$EIMZA" user set osman --db "$DB"
expect_grep 'nothing_to_change: Değiştirilecek bir şey belirtilmedi' "$T/err" "says what to give"
expect_status 2 "user set of an unknown account" "$EIMZA" user set nobody --enable --db "$DB"
expect_grep 'user_not_found: Bu adla bir personel hesabı yok' "$T/err" "code and Turkish message"
expect_status 1 "a bad address" "$EIMZA" user set osman --email osman --db "$DB"
expect_grep 'email: email_format' "$T/err" "the field and its code"
expect_status 1 "an operator gets no province" "$EIMZA" user set osman --province 6 --db "$DB"
expect_grep 'province: province_not_allowed' "$T/err" "the field and its code"
expect_status 1 "an unknown province" "$EIMZA" user set ayse.onay --province Atlantis --db "$DB"
expect_status 1 "--disable and --enable" "$EIMZA" user set osman --disable --enable --db "$DB"
expect_status 1 "--email and --no-email" "$EIMZA" user set osman --email a@meb.gov.tr --no-email --db "$DB"
expect_status 1 "an unknown option" "$EIMZA" user set osman --colour --db "$DB"
expect_status 0 "user list" "$EIMZA" user list --db "$DB"
expect_eq "ali.onay approver 6 a***@meb.gov.tr enrolling" \
  "$(jq -r '.[] | select(.username == "ali.onay") | "\(.username) \(.role) \(.province) \(.email) \(.state)"' "$T/out")" \
  "an account: role, province, the address masked, its state"
expect_no_grep 'ali\.onay@' "$T/out" "never an address in full"
expect_eq "$(sql "SELECT count(*) FROM users")" "$(jq length "$T/out")" "every account"
expect_status 1 "user list takes no word" "$EIMZA" user list extra --db "$DB"
stop_server
finish
