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
# add up, and "--" still ends the options. Every other usage error is refused the same way
# (exit 1, first `eimza: COMMAND: [SUBJECT: ]CODE: <the catalogue's Turkish text>`, exactly,
# the usage, nothing done): the parser's unknown_option, option_needs_value and
# unexpected_argument; an unknown command or subcommand, or none (unknown_command,
# unknown_subcommand, subcommand_missing); a missing argument (argument_missing, naming it); a
# bad --now date (bad_date), --limit, --pin-fd or --token; options that exclude each other;
# --create-once with a file: URI; a backup over a file, or of PostgreSQL. Both backends.
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

# ---- the usage errors --------------------------------------------------------------------------
# usage_error WHAT SUBJECT CODE CMD...: CMD is exit 1, its first line on stderr exactly
# `eimza: WHAT: SUBJECT: CODE: <the catalogue's Turkish reason.CODE>` (without "SUBJECT: " when
# SUBJECT is empty), then the usage: right after it, or after one line of English details
# `eimza: WHAT: ...` when $detail (a regular expression for them) is set
# (`detail=... usage_error ...`); and CMD changes nothing: it runs in an empty folder that must
# stay empty (no file, no default var/eimza.db made) and the database is compared before and after.
usage_error() {
  local what=$1 subject=$2 code=$3
  shift 3
  n=$((n + 1))
  local r="$T/usage-$n" name="$* ($code)"
  mkdir "$r"
  local before got text line2 re
  text=$(catalogue_text "reason.$code")
  [ -n "$text" ] || fail "$name: the catalogue has reason.$code"
  before=$(snapshot)
  (cd "$r" && printf '%s\n' "$PW" | timeout 60 "$EIMZA" "$@" >"$T/out" 2>"$T/err")
  got=$?
  if [ "$got" = 1 ]; then ok "$name: exit 1"; else
    fail "$name: exit 1" "exit $got; stderr: $(head -c 400 "$T/err")"; fi
  expect_eq "eimza: $what: ${subject:+$subject: }$code: $text" "$(head -n 1 "$T/err")" \
    "$name: the subject, the code and the catalogue's Turkish text saying what to do"
  line2=2
  if [ -n "${detail:-}" ]; then
    re="^eimza: $what: $detail"
    if [[ $(sed -n 2p "$T/err") =~ $re ]]; then ok "$name: then the details"; else
      fail "$name: then the details" "no /$re/ in $(head -c 600 "$T/err")"; fi
    line2=3
  fi
  if [[ $(sed -n "${line2}p" "$T/err") == usage:* ]]; then ok "$name: then the usage"; else
    fail "$name: then the usage" "$(head -c 600 "$T/err")"; fi
  if [ -z "$(ls -A "$r")" ]; then ok "$name: no file made"; else
    fail "$name: no file made" "$(ls -A "$r")"; fi
  if [ "$(snapshot)" = "$before" ]; then ok "$name: the database unchanged"; else
    fail "$name: the database unchanged"; fi
}
# the parser's (cli_parse_other)
usage_error migrate          --bogus  unknown_option      migrate --db "$DB" --bogus
usage_error "user set"       --colour unknown_option      user set kim --colour=red --db "$DB"
usage_error "import personnel" --frob unknown_option      import personnel "$T/people.csv" --frob --db "$DB"
usage_error sign             --x      unknown_option      sign --module "$T/none.so" --in "$T/content.txt" --out out.p7s --x
usage_error "user add"       --role   option_needs_value  user add ali --db "$DB" --role
usage_error "import personnel" --db   option_needs_value  import personnel "$T/people.csv" --db
usage_error "retention run"  --now    option_needs_value  retention run --db "$DB" --now
usage_error "personnel show" extra    unexpected_argument personnel show 10000000146 extra --db "$DB"
usage_error "audit verify"   x=1      unexpected_argument audit verify x=1 --db "$DB"
usage_error migrate          --db     unexpected_argument migrate --db "$DB" -- --db
# the commands' words (cli_main, cli_subcommand)
usage_error frobnicate       ""       unknown_command     frobnicate --db "$DB"
usage_error notify           frob     unknown_subcommand  notify frob --db "$DB"
usage_error card             frob     unknown_subcommand  card frob 2025-000001 --db "$DB"
usage_error shipments        export   unknown_subcommand  shipments export "$T/shipments.csv" --db "$DB"
usage_error bureau           frob     unknown_subcommand  bureau frob "$T/shipments.csv" --db "$DB"
usage_error user             remove   unknown_subcommand  user remove kim --db "$DB"
usage_error personnel        list     unknown_subcommand  personnel list --db "$DB"
usage_error audit            check    unknown_subcommand  audit check --db "$DB"
usage_error evidence         import   unknown_subcommand  evidence import --db "$DB"
usage_error retention        purge    unknown_subcommand  retention purge --db "$DB"
usage_error import           people   unknown_subcommand  import people "$T/people.csv" --db "$DB"
usage_error notify           ""       subcommand_missing  notify
usage_error import           ""       subcommand_missing  import
usage_error card             ""       subcommand_missing  card
# a missing argument, named as the usage names it
usage_error "import personnel" FILE.csv argument_missing  import personnel --db "$DB"
usage_error "import certificates" FILE argument_missing   import certificates --db "$DB"
usage_error "shipments import" FILE.csv argument_missing  shipments import --db "$DB"
usage_error "bureau import"  FILE.csv argument_missing    bureau import --db "$DB"
usage_error "card issue"     NUMBER   argument_missing    card issue --card SERIAL1 --db "$DB"
usage_error "personnel show" TCKN     argument_missing    personnel show --db "$DB"
usage_error "evidence export" NUMBER  argument_missing    evidence export --out ev --db "$DB"
usage_error "evidence export" --out   argument_missing    evidence export 2025-000001 --db "$DB"
usage_error "user add"       USERNAME argument_missing    user add --role operator --db "$DB"
usage_error "user add"       --role   argument_missing    user add ali --db "$DB"
usage_error "user set"       USERNAME argument_missing    user set --unlock --db "$DB"
usage_error backup           OUT.db   argument_missing    backup --db "$DB"
usage_error restore          IN.db    argument_missing    restore --db sqlite:target.db
usage_error sign             --module argument_missing    sign --in "$T/content.txt" --out out.p7s
usage_error sign             --in     argument_missing    sign --module "$T/none.so" --out out.p7s
usage_error sign             --out    argument_missing    sign --module "$T/none.so" --in "$T/content.txt"
detail='a module and at least one origin are needed' \
usage_error agent            --origin argument_missing    agent --config "$T/empty.conf" --module "$T/none.so"
# a value the command cannot take
usage_error "retention run"  --now    bad_date            retention run --db "$DB" --now 2026-02-30
usage_error "notify run"     --now    bad_date            notify run --dev --db "$DB" --now 01.01.2026
detail="--limit wants a number from 1 to 10000, not '0'" \
usage_error "notify outbox"  --limit  number_out_of_range notify outbox --db "$DB" --limit 0
usage_error sign             --pin-fd fd_not_open         sign --module "$T/none.so" --in "$T/content.txt" --out out.p7s --pin-fd 4321
usage_error agent            --pin-fd fd_not_open         agent --config "$T/empty.conf" --module "$T/none.so" --pin-fd 4321
detail='a token label has at most 32 bytes' \
usage_error sign             --token  too_long            sign --module "$T/none.so" --token 123456789012345678901234567890123 --in "$T/content.txt" --out out.p7s
usage_error "user set" "--email --no-email" options_conflict user set kim --email a@meb.gov.tr --no-email --db "$DB"
usage_error "user set" "--disable --enable" options_conflict user set kim --disable --enable --db "$DB"
usage_error agent "--handle-url --listen" options_conflict agent --config "$T/empty.conf" --module "$T/none.so" \
  --handle-url 'eimza://sign?ticket=T&portal=https://portal.example' --listen 127.0.0.1:0
detail="--create-once needs the SQLite database's plain path, not 'file:u.db'" \
usage_error migrate    --create-once  create_once_uri     migrate --create-once --db sqlite:file:u.db
usage_error backup           "$T/copy.db" file_exists     backup "$T/copy.db" --db "sqlite:$T/side.db"
detail='a PostgreSQL database is backed up with its own tools' \
usage_error backup           --db     postgresql_own_tools backup new.db --db postgresql://127.0.0.1:1/none
detail='a PostgreSQL database is restored with its own tools' \
usage_error restore          --db     postgresql_own_tools restore "$T/copy.db" --db postgresql://127.0.0.1:1/none

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
