#!/usr/bin/env bash
# eimza — the command line's one rule for options (src/cli/cli.h, struct cli_parse): a
# single-valued option given twice is refused in every command, never "the last one wins".
# A table of (command, option) covers each subcommand's single-valued options, the second one
# spelt --opt VALUE and --opt=VALUE in turn, sometimes with the same value: each is exit 1 with
# `eimza: COMMAND: --OPT: option_repeated: <Turkish message>` and the usage, and writes
# nothing (the whole database compared before and after, and each run made in an empty folder
# that must stay empty, the second value naming a file there). The row's command with the
# option once is then run too: it must not be refused so, and exits as it always did. The
# options meant to repeat (--config of serve, migrate, retention run, backup, notify run and
# notify outbox; --origin of the agent, tests/cli/test_agent.sh; card issue's --config, tests/cli/test_card_inhouse.sh) still
# add up, and "--" still ends the options. The parser's other usage errors are refused the same
# way (exit 1, `eimza: COMMAND: WORD: CODE: <Turkish message>`, the usage, nothing done):
# unknown_option, option_needs_value, unexpected_argument. Both backends.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"
backend=${EIMZA_TEST_BACKEND:-sqlite}
if [ "$backend" = postgresql ]; then
  command -v pg_dump >/dev/null || { echo "FAIL: pg_dump (postgresql-client) is needed"; exit 1; }
fi

PW='Doğru-Parola-2025'
DB=$(new_db) || exit 1
expect_status 0 "migrate" "$EIMZA" migrate --db "$DB"
printf '%s\n' "$PW" | "$EIMZA" user add kim --role operator --db "$DB" >/dev/null 2>&1 &&
  ok "an account to change" || fail "an account to change"

# everything the database holds, as text (pg_dump's \restrict lines carry a random key)
snapshot() {
  if [ "$backend" = postgresql ]; then
    pg_dump --data-only --no-owner --no-privileges "$DB" | grep -Ev '^\\(un)?restrict '
  else sqlite3 -cmd ".timeout 10000" "${DB#sqlite:}" .dump; fi
}
snapshot | grep -w kim >/dev/null && ok "the snapshot holds the data" || fail "the snapshot holds the data"

# the files the commands are given (outside the folders they run in)
printf '%s\n' 'tckn;ad;soyad;dogum_yeri;dogum_tarihi;kurum_kodu;kurum_adi;il_kodu;ilce;birim;unvan;gorev_durumu;gorevlendirme_bitis;eimza_hakki;eposta;cep_telefonu' \
  '10000000146;Ayşe;Yılmaz;Batman;1980-03-15;720001;Batman Anadolu Lisesi;72;Merkez;Müdürlük;Öğretmen;aktif;;1;ayse.yilmaz@meb.gov.tr;0532 123 45 67' \
  >"$T/people.csv"
printf 'application_number;carrier;tracking_number\n' >"$T/shipments.csv"
printf 'not a certificate\n' >"$T/cert.pem"
printf 'the content\n' >"$T/content.txt"
: >"$T/empty.conf"
printf 'db = %s\n' "$DB" >"$T/db.conf"
printf 'retention_interval = 3600\n' >"$T/more.conf"
"$EIMZA" migrate --db "sqlite:$T/side.db" >/dev/null 2>&1 &&
  "$EIMZA" backup "$T/copy.db" --db "sqlite:$T/side.db" >/dev/null 2>&1 &&
  ok "a backup copy to restore" || fail "a backup copy to restore"

n=0
# repeated ONCE OPT AGAIN CMD...: CMD, which gives OPT once, with OPT AGAIN added is refused
# and changes nothing; CMD alone exits ONCE and is not refused so. Runs in empty folders, with
# the password on stdin (for user add).
repeated() {
  local once=$1 opt=$2 again=$3
  shift 3
  n=$((n + 1))
  local r="$T/repeat-$n" o="$T/once-$n" name="$1 $2: $opt twice"
  local extra=("$opt" "$again")
  [ $((n % 2)) = 1 ] && extra=("$opt=$again")
  mkdir "$r" "$o"
  local before got
  before=$(snapshot)
  (cd "$r" && printf '%s\n' "$PW" | timeout 60 "$EIMZA" "$@" "${extra[@]}" >"$T/out" 2>"$T/err")
  got=$?
  if [ "$got" = 1 ]; then ok "$name: exit 1"; else
    fail "$name: exit 1" "exit $got; stderr: $(head -c 400 "$T/err")"; fi
  expect_grep "^eimza: [a-z ]+: $opt: option_repeated: Bu seçenek birden çok kez verildi.*lütfen" "$T/err" \
    "$name: names the option, the code, and says what to do in Turkish"
  expect_grep '^usage: ' "$T/err" "$name: then the usage"
  if [ -z "$(ls -A "$r")" ]; then ok "$name: no file made"; else
    fail "$name: no file made" "$(ls -A "$r")"; fi
  if [ "$(snapshot)" = "$before" ]; then ok "$name: the database unchanged"; else
    fail "$name: the database unchanged"; fi
  (cd "$o" && printf '%s\n' "$PW" | timeout 60 "$EIMZA" "$@" >"$T/out" 2>"$T/err")
  got=$?
  if [ "$got" = "$once" ]; then ok "$name: once, exit $once as before"; else
    fail "$name: once, exit $once as before" "exit $got; stderr: $(head -c 400 "$T/err")"; fi
  expect_no_grep option_repeated "$T/err" "$name: once is not refused"
}
# backup refuses PostgreSQL (exit 1, naming pg_dump)
copy_ok=0
[ "$backend" = postgresql ] && copy_ok=1

#        once opt          again               command (with the option once)
repeated 0 --listen     127.0.0.1:1           serve --check --config "$T/db.conf" --listen 127.0.0.1:0
repeated 0 --db         sqlite:second.db      serve --check --listen 127.0.0.1:0 --db "$DB"
repeated 0 --trust-dir  "$T"                  serve --check --config "$T/db.conf" --trust-dir "$SRC/trust"
repeated 0 --db         sqlite:second.db      migrate --db "$DB"
repeated 0 --db         "$DB"                 import personnel "$T/people.csv" --db "$DB"
repeated 3 --db         sqlite:second.db      import certificates "$T/cert.pem" --db "$DB"
repeated 0 --db         sqlite:second.db      personnel show 10000000146 --db "$DB"
repeated 0 --db         sqlite:second.db      audit verify --db "$DB"
repeated 2 --out        second                evidence export 2025-000001 --out "$T/evidence" --db "$DB"
repeated 2 --db         sqlite:second.db      evidence export 2025-000001 --out "$T/evidence" --db "$DB"
repeated 0 --role       admin                 user add ali --role operator --db "$DB"
repeated 0 --province   34                    user add ayse --role approver --province 72 --db "$DB"
repeated 0 --email      b@meb.gov.tr          user add veli --role operator --email a@meb.gov.tr --db "$DB"
repeated 0 --db         "$DB"                 user add can --role operator --db "$DB"
repeated 0 --email      b@meb.gov.tr          user set kim --email a@meb.gov.tr --db "$DB"
repeated 0 --province   34                    user set ayse --province 6 --db "$DB"
repeated 0 --db         sqlite:second.db      user set kim --unlock --db "$DB"
repeated 0 --db         sqlite:second.db      user list --db "$DB"
repeated $copy_ok --db  sqlite:second.db      backup "$T/copy-$backend.db" --db "$DB"
repeated 0 --db         sqlite:second.db      restore "$T/copy.db" --db sqlite:target.db
repeated 0 --db         "$DB"                 retention run --db "$DB" --now 2026-01-01
repeated 0 --now        2030-01-01            retention run --db "$DB" --now 2026-01-01 --dry-run
repeated 0 --db         "$DB"                 notify run --dev --db "$DB" --now 2026-01-01
repeated 0 --now        2030-01-01            notify run --dev --db "$DB" --now 2026-01-01
repeated 0 --db         sqlite:second.db      notify failed --db "$DB"
repeated 0 --db         sqlite:second.db      notify outbox --db "$DB"
repeated 0 --limit      5                     notify outbox --db "$DB" --limit 10
repeated 0 --db         "$DB"                 shipments import "$T/shipments.csv" --db "$DB"
repeated 3 --db         "$DB"                 bureau import "$T/shipments.csv" --db "$DB"
repeated 1 --card       OTHER                 card issue 2025-000001 --card SERIAL1 --db "$DB"
repeated 1 --db         sqlite:second.db      card issue 2025-000001 --db "$DB"
repeated 2 --module     second.so             sign --module "$T/none.so" --in "$T/content.txt" --out out.p7s
repeated 2 --token      OTHER                 sign --module "$T/none.so" --token CARD --in "$T/content.txt" --out out.p7s
repeated 2 --in         "$T/people.csv"       sign --module "$T/none.so" --in "$T/content.txt" --out out.p7s
repeated 2 --out        second.p7s            sign --module "$T/none.so" --in "$T/content.txt" --out out.p7s
repeated 2 --pin-fd     0                     sign --module "$T/none.so" --in "$T/content.txt" --out out.p7s --pin-fd 0
repeated 0 --module     second.so             agent --register-hint --module "$T/none.so"
repeated 0 --listen     127.0.0.1:2           agent --register-hint --listen 127.0.0.1:0
repeated 0 --pin-fd     0                     agent --register-hint --pin-fd 0
repeated 0 --config     "$T/empty.conf"       agent --register-hint --config "$T/empty.conf"
repeated 0 --handle-url eimza://sign          agent --register-hint --handle-url eimza://sign
repeated 0 --ca-file    "$T/empty.conf"       agent --register-hint --ca-file "$T/empty.conf"
repeated 0 --pinentry   /bin/false            agent --register-hint --pinentry /bin/false

# ---- the parser's other usage errors ----------------------------------------------------------
# usage_error CODE WORD TEXT CMD...: CMD is exit 1 with `eimza: COMMAND: WORD: CODE: <the
# catalogue's Turkish message>` (TEXT its start, then what to do: "lütfen"), then the usage,
# and changes nothing (run in an empty folder; the database compared before and after).
usage_error() {
  local code=$1 word=$2 text=$3
  shift 3
  n=$((n + 1))
  local r="$T/usage-$n" name="$* ($code)"
  mkdir "$r"
  local before got
  before=$(snapshot)
  (cd "$r" && printf '%s\n' "$PW" | timeout 60 "$EIMZA" "$@" >"$T/out" 2>"$T/err")
  got=$?
  if [ "$got" = 1 ]; then ok "$name: exit 1"; else
    fail "$name: exit 1" "exit $got; stderr: $(head -c 400 "$T/err")"; fi
  expect_grep "^eimza: [a-z ]+: $word: $code: $text.*; lütfen .*\.\)?$" "$T/err" \
    "$name: names the word, the code, and says what to do in Turkish"
  expect_eq 1 "$(grep -c '^eimza: ' "$T/err")" "$name: one message"
  expect_grep '^usage: ' "$T/err" "$name: then the usage"
  if [ -z "$(ls -A "$r")" ]; then ok "$name: no file made"; else
    fail "$name: no file made" "$(ls -A "$r")"; fi
  if [ "$(snapshot)" = "$before" ]; then ok "$name: the database unchanged"; else
    fail "$name: the database unchanged"; fi
}
unknown='Bu komutun böyle bir seçeneği yok'
needs='Bu seçenek bir değer ister, ama değeri verilmedi'
extra='Bu komut burada böyle bir sözcük beklemiyor'
usage_error unknown_option      --bogus  "$unknown" migrate --db "$DB" --bogus
usage_error unknown_option      --colour "$unknown" user set kim --colour=red --db "$DB"
usage_error unknown_option      --frob   "$unknown" import personnel "$T/people.csv" --frob --db "$DB"
usage_error unknown_option      --x      "$unknown" sign --module "$T/none.so" --in "$T/content.txt" --out out.p7s --x
usage_error option_needs_value  --role   "$needs"   user add ali --db "$DB" --role
usage_error option_needs_value  --db     "$needs"   import personnel "$T/people.csv" --db
usage_error option_needs_value  --now    "$needs"   retention run --db "$DB" --now
usage_error unexpected_argument extra    "$extra"   personnel show 10000000146 extra --db "$DB"
usage_error unexpected_argument x=1      "$extra"   audit verify x=1 --db "$DB"
usage_error unexpected_argument --db     "$extra"   migrate --db "$DB" -- --db

# ---- the options meant to repeat --------------------------------------------------------------
expect_status 0 "serve --check: two --config files, each over the one before" \
  "$EIMZA" serve --check --listen 127.0.0.1:0 --config "$T/db.conf" --config "$T/more.conf"
expect_grep "settings are valid \($T/db.conf, ?$T/more.conf\)" "$T/out" "and names both"
expect_status 0 "migrate: the database of the first of two --config files" \
  "$EIMZA" migrate --config "$T/db.conf" --config "$T/more.conf"
expect_status 0 "retention run: two --config files" \
  "$EIMZA" retention run --config "$T/db.conf" --config "$T/more.conf" --dry-run
expect_eq true "$(jq -r .dry_run "$T/out" 2>/dev/null)" "and runs"
# notify run / outbox: two --config files (the package's eimza.conf, then secrets.conf with
# the SMTP and SMS credentials): the database comes from the first (no --db), and the second
# is read too (a bad line in it is refused, naming it)
printf 'no_such_setting = 1\n' >"$T/bad.conf"
expect_status 0 "notify run --dev: the database of the first of two --config files" \
  "$EIMZA" notify run --dev --config "$T/db.conf" --config "$T/more.conf" --now 2026-01-01
expect_eq 0 "$(jq -r .failed "$T/out" 2>/dev/null)" "and runs"
expect_status 1 "notify run: a bad second --config file is read and refused" \
  "$EIMZA" notify run --dev --config "$T/db.conf" --config "$T/bad.conf"
expect_grep "bad.conf:1" "$T/err" "naming the second file and its line"
expect_status 0 "notify outbox: two --config files" \
  "$EIMZA" notify outbox --config "$T/db.conf" --config "$T/more.conf"
expect_status 1 "notify outbox: a bad second --config file is refused" \
  "$EIMZA" notify outbox --config "$T/db.conf" --config "$T/bad.conf"
expect_status 2 "'--' ends the options: a word like an option after it is a file" \
  "$EIMZA" import certificates --db "$DB" -- "$T/cert.pem" --db
expect_grep '^eimza: --db: file_unreadable' "$T/err" "the file '--db', not a repeated --db"
finish
