#!/usr/bin/env bash
# eimza — `eimza audit verify`: an intact chain passes (exit 0, entry count and the newest
# hash); an entry changed directly in the database, a removed entry, and an entry rewritten
# together with a freshly computed hash (so only the link to the next entry betrays it) are
# each found and named (exit 2). Runs on both backends; the tampering is plain SQL through
# sqlite3 or psql, as an intruder with database access would do it.
source "$EIMZA_SOURCE_DIR/tests/lib.sh"

H='tckn;ad;soyad;dogum_yeri;dogum_tarihi;kurum_kodu;kurum_adi;il_kodu;ilce;birim;unvan;gorev_durumu;gorevlendirme_bitis;eimza_hakki;eposta;cep_telefonu'

# sql URL STATEMENT: runs one SQL statement on the database of URL, prints its rows.
sql() {
  case "$1" in
    sqlite:*) sqlite3 -cmd ".timeout 10000" "${1#sqlite:}" "$2" ;;
    *) psql -q -X -t -A "$1" -c "$2" ;;
  esac
}

# chain_db: a fresh database whose audit log holds four entries (four imports).
chain_db() {
  local db
  db=$(new_db) || return 1
  "$EIMZA" migrate --db "$db" >/dev/null 2>&1 || return 1
  for i in 1 2 3 4; do
    {
      echo "$H"
      echo "10000000146;Ayşe;Yılmaz;Batman;1980-03-15;7200$i;Okul $i;72;Merkez;;;aktif;;1;;"
    } >"$T/p$i.csv"
    "$EIMZA" import personnel "$T/p$i.csv" --db "$db" >/dev/null 2>&1 || return 1
  done
  echo "$db"
}

# ---- usage -------------------------------------------------------------------------------------
expect_status 1 "audit without a subcommand" "$EIMZA" audit
expect_status 1 "audit: unknown subcommand" "$EIMZA" audit check
expect_status 0 "audit verify --help" "$EIMZA" audit verify --help

# ---- an intact chain ---------------------------------------------------------------------------
DB=$(chain_db) || { fail "set-up" "could not make the database"; finish; }
expect_status 0 "intact chain: exit 0" "$EIMZA" audit verify --db "$DB"
expect_grep '^audit: 4 entries, chain intact; newest hash [0-9a-f]{64}$' "$T/out" "intact: count and newest hash"
LAST=$(sql "$DB" "SELECT hash FROM audit_log WHERE seq = 4")
expect_grep "$LAST" "$T/out" "intact: the newest hash is entry 4's"

EMPTY=$(new_db)
"$EIMZA" migrate --db "$EMPTY" >/dev/null 2>&1
expect_status 0 "an empty log is intact" "$EIMZA" audit verify --db "$EMPTY"
expect_grep '^audit: 0 entries' "$T/out" "empty: zero entries"

# ---- an entry changed ---------------------------------------------------------------------------
sql "$DB" "UPDATE audit_log SET detail = '{\"rows\":0}' WHERE seq = 2" >/dev/null
expect_status 2 "changed entry: exit 2" "$EIMZA" audit verify --db "$DB"
expect_grep '^audit: chain broken at entry 2: changed \(20[0-9-]+T[0-9:]+Z, personnel\.import\)' "$T/out" \
  "changed entry: named, with its time and action"

# ---- an entry removed ---------------------------------------------------------------------------
DB=$(chain_db) || { fail "set-up" "could not make the database"; finish; }
sql "$DB" "DELETE FROM audit_log WHERE seq = 3" >/dev/null
expect_status 2 "removed entry: exit 2" "$EIMZA" audit verify --db "$DB"
expect_grep '^audit: chain broken at entry 3: removed' "$T/out" "removed entry: named"

# ---- an entry rewritten with a fresh hash of its own -------------------------------------------
# The intruder changes entry 2 and recomputes its hash exactly as eimza does (the format is
# public: store.h); entry 3 still names the old hash as its predecessor.
DB=$(chain_db) || { fail "set-up" "could not make the database"; finish; }
field() { printf '%s=%s:%s\n' "$1" "${#2}" "$2"; }
# entry_hash SEQ PREV AT ACTOR ACTION OBJECT DETAIL: the entry's hash as store.h defines it.
entry_hash() {
  {
    printf 'eimza-audit-v1\n'
    field seq "$1"
    field prev "$2"
    field at "$3"
    field actor "$4"
    field action "$5"
    field object "$6"
    field detail "$7"
  } | sha256sum | cut -d' ' -f1
}
IFS='|' read -r at actor action object prev < <(sql "$DB" \
  "SELECT at || '|' || actor || '|' || action || '|' || object || '|' || prev_hash FROM audit_log WHERE seq = 2")
detail='{"rows":99}'
newhash=$(entry_hash 2 "$prev" "$at" "$actor" "$action" "$object" "$detail")
sql "$DB" "UPDATE audit_log SET detail = '$detail', hash = '$newhash' WHERE seq = 2" >/dev/null
expect_status 2 "rewritten entry: exit 2" "$EIMZA" audit verify --db "$DB"
expect_grep '^audit: chain broken at entry 3: reordered' "$T/out" \
  "rewritten entry: the break is named where the chain no longer links"

# the same recomputation on an untouched entry gives its stored hash: the check above is real
DB2=$(chain_db)
IFS='|' read -r at actor action object prev detail hash < <(sql "$DB2" \
  "SELECT at || '|' || actor || '|' || action || '|' || object || '|' || prev_hash || '|' || detail || '|' || hash FROM audit_log WHERE seq = 2")
expect_eq "$hash" "$(entry_hash 2 "$prev" "$at" "$actor" "$action" "$object" "$detail")" \
  "the shell's hash of an entry equals eimza's"

# ---- a server's start is on the log with its settings (a secret only as "(set)") ------------
DB=$(chain_db) || { fail "set-up" "could not make the database"; finish; }
printf 'status_cache_ms = 500\nsms_gateway_url = http://127.0.0.1:9/sms\nsms_gateway_user = eimza\nsms_gateway_password = Gizli-Parola-77\n' \
  >"$T/c.conf"
"$EIMZA" serve --config "$T/c.conf" --listen 127.0.0.1:0 --db "$DB" >"$T/s.out" 2>"$T/s.err" &
spid=$!
for _ in $(seq 1 200); do grep -q '^eimza: serving on' "$T/s.out" && break; sleep 0.05; done
kill -TERM "$spid"
wait "$spid"
expect_eq 0 $? "the server started and stopped"
sql "$DB" "SELECT actor || ' ' || object || ' ' || detail FROM audit_log WHERE action = 'config.start'" >"$T/cfg"
expect_grep "^serve $T/c.conf \\{.*\"status_cache_ms\":\"500\"" "$T/cfg" "config.start: the file and a changed setting"
expect_grep '"sms_gateway_password":"\(set\)"' "$T/cfg" "config.start: a secret only as (set)"
expect_no_grep 'Gizli-Parola' "$T/cfg" "config.start: never the secret itself"
expect_no_grep '"threads"' "$T/cfg" "config.start: settings left at their defaults are not listed"
expect_status 0 "the chain with the start entry is intact" "$EIMZA" audit verify --db "$DB"
# (and the retention's run at start-up when it came before the stop: its own thread)
n=$((5 + $(sql "$DB" "SELECT count(*) FROM audit_log WHERE action = 'retention.run'")))
expect_grep "^audit: $n entries" "$T/out" "five entries: four imports and the start"

finish
