#!/usr/bin/env python3
"""eimza — the crash-consistency driver (tests/crash/kill.sh sets the scene and runs it).

Applicants (threads) walk the whole portal flow over HTTP against a real `eimza serve --dev`:
captcha (its answer from /dev/captcha), login, the form, the SMS code (read from /dev/outbox),
then an e-signature (a CAdES made with the openssl CLI over the content) or the paper form; a
staff thread records the paper as an operator and decides as the province's approver (most
approved, some rejected with a ready reason). Meanwhile the server is killed with SIGKILL at
random moments (some before it is even listening) and started again; the clients find out
where each application really is and go on, as people would after an error page.

Every request that got a whole answer is written to a journal. After the run (and, for the
cheap checks, after every kill) the database must hold everything the journal says was
answered, intact:
  - every answered login's session still works, every answered form save is the stored form,
    every answered step is in the application's timeline exactly once and the timeline is one
    unbroken chain ending at the application's state; an answered signature is stored byte for
    byte (its SHA-256); an answered decision is the state, with exactly one decision row;
  - the SMS codes: per application the code counter, the outbox messages otp:NUMBER:1..n and
    the audit entries application.otp_sent agree (none lost, none doubled), and every code
    answered as sent is among them; a decision's messages are queued exactly once per channel
    the applicant chose, and never for an undecided application; no outbox dedupe key twice;
  - the audit chain verifies (`eimza audit verify`), and each answered decision is audited;
  - the database's own check passes: SQLite's PRAGMA integrity_check and foreign_key_check
    (after every kill); PostgreSQL's amcheck (bt_index_check with heapallindexed on every
    B-tree index, verify_heapam on every table) at the end.
With --expect-loss the run is the fault demonstration: the server runs with a test-only fault
that answers before it commits (tests/crash/late_commit.c, LD_PRELOAD), the checks run after
every kill, and the run passes only when they catch a loss.

Usage: kill_driver.py people N DIR      (the people: DIR/people.json, p.csv, spec.tsv)
       kill_driver.py --dir DIR --db URL --eimza BIN --kills N [--expect-loss] [...]
Exit 0 when every check holds (or, with --expect-loss, when a loss was caught); 1 otherwise.
"""
import argparse
import hashlib
import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

REJECT_REASON = 'form_data_wrong'
FORM_WORD = 'Gizli Sözcük'


def log(*a):
    print('kill:', *a, flush=True)


class Journal:
    """What the server answered, in order. Each entry: (kind, key, value)."""

    def __init__(self):
        self.mu = threading.Lock()
        self.entries = []

    def add(self, kind, key, value=None):
        with self.mu:
            self.entries.append((kind, key, value))

    def snapshot(self):
        with self.mu:
            return list(self.entries)


class Server:
    """`eimza serve` in the background on a fixed port, killed and restarted at will."""

    def __init__(self, args, port):
        self.args = args
        self.port = port
        self.proc = None
        self.starts = 0
        self.errlog = open(os.path.join(args.dir, 'serve.log'), 'ab')

    def start(self, wait=True):
        env = dict(os.environ)
        if self.args.fault:
            env['LD_PRELOAD'] = self.args.fault
            env['EIMZA_FAULT_LATE_COMMIT'] = '1'
            env['ASAN_OPTIONS'] = env.get('ASAN_OPTIONS', '') + ':verify_asan_link_order=0'
        cmd = [self.args.eimza, 'serve', '--dev', '--listen', '127.0.0.1:%d' % self.port,
               '--db', self.args.db, '--config', self.args.config]
        if self.args.trust:
            cmd += ['--trust-dir', self.args.trust]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.errlog, env=env)
        self.starts += 1
        if not wait:
            return True
        line = self.proc.stdout.readline().decode(errors='replace')
        if 'serving on' not in line:
            self.proc.wait()
            return False
        return True

    def kill(self):
        if self.proc:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            self.proc.stdout.close()
            self.proc = None

    def stop(self):
        """SIGTERM: the exit status must be 0."""
        if not self.proc:
            return 0
        self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait()
        self.proc.stdout.close()
        self.proc = None
        return rc


class Http:
    def __init__(self, port):
        self.port = port

    def req(self, method, path, body=None, headers=None, timeout=20):
        """(status, headers, body bytes), or None when no whole answer came."""
        h = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body, ensure_ascii=False).encode()
            h.setdefault('Content-Type', 'application/json')
        c = http.client.HTTPConnection('127.0.0.1', self.port, timeout=timeout)
        try:
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            data = r.read()
            if r.status == 503:  # the database is away (crashed with the server): try again
                return None
            return r.status, dict(r.getheaders()), data
        except (OSError, http.client.HTTPException):
            return None
        finally:
            c.close()


def jload(b):
    try:
        return json.loads(b)
    except ValueError:
        return {}


class Run:
    def __init__(self, args):
        self.args = args
        self.j = Journal()
        self.http = Http(args.port)
        self.stop = threading.Event()  # no new applicants
        self.halt = threading.Event()  # everybody stops now
        self.people = json.load(open(os.path.join(args.dir, 'people.json')))
        self.queue = list(self.people)
        self.qmu = threading.Lock()
        self.problems = []
        self.pmu = threading.Lock()
        self.done = 0

    def problem(self, what):
        with self.pmu:
            self.problems.append(what)
        log('PROBLEM:', what)

    def take(self):
        with self.qmu:
            return self.queue.pop(0) if self.queue and not self.stop.is_set() else None

    def pause(self):
        time.sleep(0.05 + random.random() * 0.1)

    # ---- the applicant ---------------------------------------------------------------------
    def login(self, p):
        r = self.http.req('GET', '/api/v1/captcha')
        if not r or r[0] != 200:
            return None
        cid = jload(r[2]).get('id')
        r = self.http.req('GET', '/dev/captcha/%s' % cid)
        if not r or r[0] != 200:
            return None
        body = {'tckn': p['tckn'], 'first_name': p['first'], 'last_name': p['last'],
                'birth_place': p['place'], 'birth_date': p['birth'], 'captcha_id': cid,
                'captcha_answer': jload(r[2]).get('answer')}
        r = self.http.req('POST', '/api/v1/login', body)
        if not r:
            return None
        if r[0] != 200:
            # a captcha taken by a request whose answer was lost: take a new one
            if jload(r[2]).get('error', {}).get('code') not in ('captcha_expired',):
                self.problem('login %s: %d %s' % (p['tckn'], r[0], r[2][:200]))
            return None
        tok = jload(r[2]).get('token')
        self.j.add('login', p['tckn'], tok)
        return tok

    def newest_code(self, number):
        """The newest SMS code sent for the application, from the development outbox."""
        r = self.http.req('GET', '/dev/outbox')
        if not r or r[0] != 200:
            return None
        for m in reversed(jload(r[2])):
            b = m.get('body', '')
            if m.get('channel') == 'sms' and number in b and 'kodunuz: ' in b:
                return b.split('kodunuz: ', 1)[1][:6]
        return ''

    def sign(self, p, content):
        d = self.args.pki
        ct = os.path.join(self.args.dir, 'content-%s.txt' % p['tckn'])
        sig = os.path.join(self.args.dir, 'sig-%s.der' % p['tckn'])
        with open(ct, 'wb') as f:
            f.write(content)
        subprocess.run(['openssl', 'cms', '-sign', '-binary', '-cades', '-md', 'sha256',
                        '-signer', os.path.join(d, 'holders', p['tckn'] + '.pem'),
                        '-inkey', os.path.join(d, 'keys', 'holders.key'),
                        '-certfile', os.path.join(d, 'nes', 'nes.pem'), '-in', ct,
                        '-outform', 'DER', '-out', sig], check=True, capture_output=True)
        with open(sig, 'rb') as f:
            return f.read()

    def applicant(self, p):
        """Walks p's application to where staff take over. Returns when done or halted."""
        tok = None
        sent_otp = False
        sig = None
        seen = None
        steps = 0
        while not self.halt.is_set():
            steps += 1
            if steps > 400:
                self.problem('applicant %s: no progress after 400 steps' % p['tckn'])
                return
            if tok is None:
                tok = self.login(p)
                if tok is None:
                    self.pause()
                continue
            B = {'Authorization': 'Bearer ' + tok}
            r = self.http.req('GET', '/api/v1/application', headers=B)
            if not r:
                self.pause()
                continue
            if r[0] == 401:
                self.problem('applicant %s: an answered login lost its session' % p['tckn'])
                tok = None
                continue
            if r[0] != 200:
                self.pause()
                continue
            a = jload(r[2])
            number, state = a.get('number'), a.get('state')
            if seen and number != seen:
                return  # decided already (a lost answer): GET opened a new application
            if not seen:
                self.j.add('app', number, p['tckn'])
                seen = number
            if state == 'draft' and not a.get('confirmed'):
                form = {'security_word': FORM_WORD, 'security_word_repeat': FORM_WORD,
                        'address': p['address'], 'postal_code': '72100',
                        'mobile_operator': 'vodafone', 'notify_by': p['notify_by']}
                r = self.http.req('PUT', '/api/v1/application', form, B)
                if r and r[0] == 200:
                    self.j.add('form', number, p['address'])
                elif r and r[0] != 200:
                    self.problem('form %s: %d %s' % (number, r[0], r[2][:200]))
            elif state == 'draft':
                code = self.newest_code(number) if sent_otp else ''
                if code is None:
                    self.pause()
                    continue
                if not code:
                    r = self.http.req('POST', '/api/v1/application/otp', b'', B)
                    if r and r[0] == 200:
                        self.j.add('otp', number)
                        sent_otp = True
                    elif r and r[0] == 429:
                        sent_otp = True  # a code went out with an answer that was lost
                    elif r:
                        self.problem('otp %s: %d %s' % (number, r[0], r[2][:200]))
                    continue
                r = self.http.req('POST', '/api/v1/application/otp/verify', {'code': code}, B)
                if r and r[0] == 200:
                    self.j.add('step', number, 'code_verified')
                elif r and r[0] == 400 and jload(r[2]).get('error', {}).get('code') == 'otp_wrong':
                    self.problem('verify %s: the newest code sent was refused' % number)
                elif r and r[0] not in (200, 409):
                    self.problem('verify %s: %d %s' % (number, r[0], r[2][:200]))
            elif state == 'code_verified':
                if p['method'] == 'wet':
                    r = self.http.req('POST', '/api/v1/application/method', {'method': 'wet'}, B)
                    if r and r[0] == 200:
                        self.j.add('step', number, 'wet_chosen')
                    elif r and r[0] != 409:
                        self.problem('wet %s: %d %s' % (number, r[0], r[2][:200]))
                    continue
                if a.get('method') != 'esign':
                    r = self.http.req('POST', '/api/v1/application/method', {'method': 'esign'}, B)
                    if r and r[0] == 200:
                        self.j.add('step', number, 'esign_chosen')
                    elif r and r[0] != 409:
                        self.problem('esign %s: %d %s' % (number, r[0], r[2][:200]))
                    continue
                if sig is None:
                    r = self.http.req('GET', '/api/v1/application/content', headers=B)
                    if not r or r[0] != 200:
                        self.pause()
                        continue
                    sig = self.sign(p, r[2])
                    signed_content = r[2]
                h = dict(B)
                h['Content-Type'] = 'application/pkcs7-signature'
                r = self.http.req('POST', '/api/v1/application/signature', sig, h)
                if r and r[0] == 200:
                    self.j.add('step', number, 'signed')
                    self.j.add('signature', number, hashlib.sha256(sig).hexdigest())
                elif r and r[0] != 409:
                    now = self.http.req('GET', '/api/v1/application/content', headers=B)
                    self.problem('signature %s: %d %s; signed %r; now %r' % (
                        number, r[0], r[2][:300], signed_content, now and now[2]))
            else:  # submitted, awaiting_original, approved, rejected: staff's turn
                return
        return

    def applicant_loop(self):
        while not self.halt.is_set():
            p = self.take()
            if p is None:
                return
            self.applicant(p)
            with self.qmu:
                self.done += 1

    # ---- the staff ---------------------------------------------------------------------------
    def staff_login(self, user):
        while not self.halt.is_set():
            r = self.http.req('POST', '/api/v1/admin/login',
                              {'username': user, 'password': self.args.password})
            if r and r[0] == 200:
                tok = jload(r[2]).get('token')
                self.j.add('staff_login', user, tok)
                return tok
            if r:
                self.problem('staff login %s: %d %s' % (user, r[0], r[2][:200]))
                return None
            self.pause()
        return None

    def staff_loop(self):
        op = self.staff_login('osman.op')
        ap = self.staff_login('ayse.onay')
        if not op or not ap:
            return
        O = {'Authorization': 'Bearer ' + op}
        A = {'Authorization': 'Bearer ' + ap}
        n = 0
        while not self.halt.is_set():
            r = self.http.req('GET', '/api/v1/admin/applications?state=awaiting_original&limit=200',
                              headers=O)
            if r and r[0] == 401:
                self.problem('staff: an answered operator login lost its session')
                return
            work = False
            for a in (jload(r[2]).get('applications', []) if r and r[0] == 200 else []):
                q = self.http.req('POST', '/api/v1/admin/applications/%s/paper-received' % a['id'],
                                  b'', O)
                work = True
                if q and q[0] == 200:
                    self.j.add('step', a['number'], 'paper_received')
                elif q and q[0] != 409:
                    self.problem('paper %s: %d %s' % (a['number'], q[0], q[2][:200]))
            r = self.http.req('GET', '/api/v1/admin/applications?state=submitted&limit=200',
                              headers=A)
            if r and r[0] == 401:
                self.problem('staff: an answered approver login lost its session')
                return
            for a in (jload(r[2]).get('applications', []) if r and r[0] == 200 else []):
                n += 1
                d = {'decision': 'approve'} if n % 4 else {'decision': 'reject',
                                                           'reason': REJECT_REASON}
                q = self.http.req('POST', '/api/v1/admin/applications/%s/decision' % a['id'],
                                  d, A)
                work = True
                if q and q[0] == 200:
                    self.j.add('step', a['number'], d['decision'])
                    self.j.add('decision', a['number'], d['decision'])
                elif q and q[0] != 409:
                    self.problem('decision %s: %d %s' % (a['number'], q[0], q[2][:200]))
            if not work:
                if self.stop.is_set() and self.all_applicants_done():
                    return
                time.sleep(0.1)

    def all_applicants_done(self):
        return not any(t.is_alive() for t in self.applicant_threads)

    # ---- the checks --------------------------------------------------------------------------
    def rows(self, q):
        """Rows of a query on the database under test (after the server is gone or live)."""
        if self.args.db.startswith('sqlite:'):
            c = sqlite3.connect(self.args.db[len('sqlite:'):], timeout=30)
            try:
                return [tuple(r) for r in c.execute(q).fetchall()]
            finally:
                c.close()
        out = subprocess.run(['psql', '-X', '-At', '-F', '\x1f', '-v', 'ON_ERROR_STOP=1',
                              self.args.db, '-c', q], capture_output=True, check=True).stdout
        return [tuple(line.split('\x1f')) for line in out.decode().splitlines()]

    def integrity(self):
        """The database's own check. Returns a list of problems."""
        bad = []
        if self.args.db.startswith('sqlite:'):
            r = self.rows('PRAGMA integrity_check')
            if r != [('ok',)]:
                bad.append('integrity_check: %s' % r[:5])
            r = self.rows('PRAGMA foreign_key_check')
            if r:
                bad.append('foreign_key_check: %s' % r[:5])
        return bad

    def amcheck(self):
        bad = []
        try:
            self.rows('CREATE EXTENSION IF NOT EXISTS amcheck')
            self.rows("SELECT bt_index_check(c.oid, true) FROM pg_index i "
                      "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am m ON m.oid = c.relam "
                      "WHERE m.amname = 'btree' AND c.relnamespace = 'public'::regnamespace")
            r = self.rows("SELECT c.relname, v.blkno, v.msg FROM pg_class c, "
                          "LATERAL verify_heapam(c.oid) v WHERE c.relkind = 'r' "
                          "AND c.relnamespace = 'public'::regnamespace")
            if r:
                bad.append('verify_heapam: %s' % r[:5])
        except subprocess.CalledProcessError as e:
            bad.append('amcheck: %s' % e.stderr.decode()[:500])
        return bad

    def check(self, final):
        """Everything the journal says was answered is in the database. A list of problems."""
        bad = self.integrity()
        if bad:
            return bad
        jr = self.j.snapshot()
        apps = {r[0]: r for r in self.rows(
            'SELECT number, id, tckn, state, address, notify_by, email, mobile_phone '
            'FROM applications')}
        ev = {}
        for num, fr, to, name in self.rows(
                'SELECT a.number, e.from_state, e.to_state, e.event FROM application_events e '
                'JOIN applications a ON a.id = e.application_id ORDER BY e.application_id, e.id'):
            ev.setdefault(num, []).append((fr, to, name))
        otp = {r[0]: int(r[1]) for r in self.rows(
            'SELECT a.number, o.seq FROM application_otp o '
            'JOIN applications a ON a.id = o.application_id')}
        keys = {}
        for (k,) in self.rows("SELECT dedupe_key FROM outbox WHERE dedupe_key IS NOT NULL "
                              "AND dedupe_key NOT LIKE 'warn:%'"):
            keys[k] = keys.get(k, 0) + 1
        audit = {}
        for act, obj in self.rows("SELECT action, object FROM audit_log WHERE action IN "
                                  "('application.otp_sent', 'application.approve', "
                                  "'application.reject')"):
            audit[(act, obj)] = audit.get((act, obj), 0) + 1
        dec = {}
        for num, d in self.rows('SELECT a.number, d.decision FROM decisions d '
                                'JOIN applications a ON a.id = d.application_id'):
            dec.setdefault(num, []).append(d)
        sigs = {r[0]: r[1] for r in self.rows(
            'SELECT a.number, s.cms_sha256 FROM signatures s '
            'JOIN applications a ON a.id = s.application_id')}

        for k, n in keys.items():
            if n != 1:
                bad.append('outbox: dedupe key %s queued %d times' % (k, n))
        otp_answered = {}
        for kind, key, val in jr:
            if kind == 'app':
                if key not in apps:
                    bad.append('application %s answered but missing' % key)
                elif apps[key][2] != val:
                    bad.append('application %s: another holder' % key)
            elif kind == 'form':
                if key not in apps or apps[key][4] != val:
                    bad.append('form %s: address %r answered, %r stored' %
                               (key, val, apps.get(key, [None] * 5)[4]))
            elif kind == 'otp':
                otp_answered[key] = otp_answered.get(key, 0) + 1
            elif kind == 'step':
                names = [e[2] for e in ev.get(key, [])]
                if names.count(val) != 1:
                    bad.append('%s: step %s answered, %d times in the timeline' %
                               (key, val, names.count(val)))
            elif kind == 'signature':
                if sigs.get(key) != val:
                    bad.append('%s: signature %s answered, %s stored' % (key, val[:12],
                                                                         sigs.get(key)))
            elif kind == 'decision':
                if dec.get(key) != [val]:
                    bad.append('%s: decision %s answered, %s stored' % (key, val, dec.get(key)))
                act = 'application.' + val
                if audit.get((act, key), 0) != 1:
                    bad.append('%s: decision audited %d times' % (key, audit.get((act, key), 0)))
        for num, a in apps.items():
            chain = ev.get(num, [])
            prev = None
            for fr, to, _ in chain:
                if prev is not None and fr != prev:
                    bad.append('%s: timeline breaks: %s then %s->%s' % (num, prev, fr, to))
                prev = to
            if chain and chain[-1][1] != a[3]:
                bad.append('%s: state %s but the timeline ends at %s' % (num, a[3], chain[-1][1]))
            n = otp.get(num, 0)
            sent = sorted(int(k.rsplit(':', 1)[1]) for k in keys if k.startswith('otp:%s:' % num))
            if sent != list(range(1, n + 1)):
                bad.append('%s: %d codes counted, outbox holds %s' % (num, n, sent))
            if audit.get(('application.otp_sent', num), 0) != n:
                bad.append('%s: %d codes counted, %d audited' %
                           (num, n, audit.get(('application.otp_sent', num), 0)))
            if otp_answered.get(num, 0) > n:
                bad.append('%s: %d codes answered as sent, %d counted' %
                           (num, otp_answered[num], n))
            decided = a[3] in ('approved', 'rejected')
            if decided != (num in dec):
                bad.append('%s: state %s, decisions %s' % (num, a[3], dec.get(num)))
            want = set()
            if decided:
                nb, email, phone = a[5], a[6], a[7]
                mail = nb != 'sms' and bool(email)
                sms = nb != 'email' and bool(phone)
                if not mail and not sms:
                    mail = bool(email)
                    sms = not mail and bool(phone)
                if mail:
                    want.add('decision:%s:email' % a[1])
                if sms:
                    want.add('decision:%s:sms' % a[1])
            have = {k for k in keys if k.startswith('decision:%s:' % a[1])}
            if have != want:
                bad.append('%s: decision messages %s, wanted %s' % (num, sorted(have),
                                                                    sorted(want)))
        if final:
            for kind, key, tok in jr:
                if kind not in ('login', 'staff_login'):
                    continue
                path = '/api/v1/application/status' if kind == 'login' else \
                    '/api/v1/admin/applications?limit=1'
                r = self.http.req('GET', path, headers={'Authorization': 'Bearer ' + tok})
                if not r or r[0] != 200:
                    bad.append('%s %s: the answered session does not work (%s)' %
                               (kind, key, r and r[0]))
            if not self.args.db.startswith('sqlite:'):
                bad += self.amcheck()
        return bad

    def audit_verify(self):
        r = subprocess.run([self.args.eimza, 'audit', 'verify', '--db', self.args.db],
                           capture_output=True)
        if r.returncode != 0:
            return ['audit verify: exit %d: %s %s' % (r.returncode, r.stdout[:300],
                                                       r.stderr[:300])]
        return []

    # ---- the run -------------------------------------------------------------------------------
    def main(self):
        a = self.args
        srv = Server(a, a.port)
        if not srv.start():
            log('the server did not start; see serve.log')
            return 1
        self.applicant_threads = [threading.Thread(target=self.applicant_loop, daemon=True)
                                  for _ in range(a.clients)]
        staff = threading.Thread(target=self.staff_loop, daemon=True)
        for t in self.applicant_threads:
            t.start()
        staff.start()
        kills, caught, t0 = 0, [], time.time()
        pg_crashes = 0
        while kills < a.kills:
            if random.random() < 0.1:  # now and then during start-up, before it listens
                srv.kill()
                srv.start(wait=False)
                time.sleep(random.random() * 0.3)
            else:
                time.sleep(a.min_up + random.random() * (a.max_up - a.min_up))
            if a.pg_crash and random.random() < a.pg_crash_share:
                # the database server crashes too (all its processes at once, no shutdown
                # checkpoint, WAL buffers not written): what it answered as committed must be
                # in its WAL already
                subprocess.run(a.pg_crash, shell=True, check=True, capture_output=True)
                pg_crashes += 1
            srv.kill()
            kills += 1
            bad = self.integrity()
            if a.expect_loss or kills % a.check_every == 0:
                bad = bad or self.check(False)
            if kills % a.audit_every == 0 or a.expect_loss:
                bad += self.audit_verify()
            if bad:
                caught = bad
                log('after kill %d: %d problems' % (kills, len(bad)))
                for b in bad[:20]:
                    log('  ' + b)
                break
            while not srv.start():
                log('restart failed (see serve.log); again')
                time.sleep(0.2)
            if not self.queue and self.done >= len(self.people):
                break
        elapsed = time.time() - t0
        if not caught and srv.proc is None:
            srv.start()
        # the end: no new applicants; the ones on their way and the staff finish
        self.stop.set()
        if caught:
            self.halt.set()
        deadline = time.time() + a.drain
        for t in self.applicant_threads + [staff]:
            t.join(max(0.1, deadline - time.time()))
        self.halt.set()
        for t in self.applicant_threads + [staff]:
            t.join(30)
        bad = list(caught)
        if not caught and kills < a.kills:
            bad.append('only %d of the %d kills: the applicants ran out (make more people)' %
                       (kills, a.kills))
        if not caught:
            bad = self.check(True)
            rc = srv.stop()
            if rc != 0:
                bad.append('the server did not stop cleanly (exit %d)' % rc)
            bad += self.audit_verify()
            bad += self.integrity()
        else:
            srv.kill()
        j = self.j.snapshot()
        count = lambda k: sum(1 for e in j if e[0] == k)
        steps = lambda s: sum(1 for e in j if e[0] == 'step' and e[2] == s)
        if a.pg_crash:
            log('%d of the kills crashed PostgreSQL too' % pg_crashes)
        log('%d kills in %.0f s (%d starts); answered: %d logins, %d forms, %d codes sent, '
            '%d verified, %d signatures, %d paper, %d approved, %d rejected; %d applications' %
            (kills, elapsed, srv.starts, count('login'), count('form'), count('otp'),
             steps('code_verified'), steps('signed'), steps('paper_received'),
             steps('approve'), steps('reject'), len(self.rows('SELECT id FROM applications'))))
        with self.pmu:
            bad += self.problems
        if a.expect_loss:
            if caught:
                log('the fault was caught after %d kills, as it must be' % kills)
                return 0
            log('FAIL: the fault (answering before the commit) went unnoticed in %d kills' % kills)
            return 1
        for b in bad[:50]:
            log('FAIL: ' + b)
        if bad:
            return 1
        log('every answered request is in the database, intact')
        return 0


def tckn(n):
    """A valid T.C. Kimlik No made from n (check digits computed)."""
    d = [int(c) for c in '%09d' % (200000000 + n)]
    d.append(((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10)
    d.append(sum(d) % 10)
    return ''.join(map(str, d))


def make_people(n, d):
    """n holders in Batman (72), each with a certificate that ends in 45 days; half sign
    electronically, half on paper; they choose e-mail, SMS or both for the outcome."""
    first = ['Ayşe', 'Mehmet', 'Fatma', 'Ömer', 'Zeynep', 'İsmail', 'Elif', 'Çağrı']
    last = ['Kaya', 'Demir', 'Şahin', 'Yıldız', 'Öztürk', 'Aydın', 'Güneş', 'Işık']
    people = []
    with open(os.path.join(d, 'p.csv'), 'w') as csv, open(os.path.join(d, 'spec.tsv'), 'w') as sp:
        csv.write('tckn;ad;soyad;dogum_yeri;dogum_tarihi;kurum_kodu;kurum_adi;il_kodu;ilce;birim;'
                  'unvan;gorev_durumu;gorevlendirme_bitis;eimza_hakki;eposta;cep_telefonu\n')
        for i in range(n):
            p = {'tckn': tckn(i + 1), 'first': first[i % 8], 'last': last[(i // 8) % 8],
                 'place': 'Batman', 'birth': '1980-%02d-%02d' % (i % 12 + 1, i % 28 + 1),
                 'address': 'Kriz Sokağı No: %d' % (i + 1),
                 'method': 'esign' if i % 2 == 0 else 'wet',
                 'notify_by': ['both', 'sms', 'email'][i % 3]}
            people.append(p)
            csv.write('%s;%s;%s;Batman;%s;720001;Batman Lisesi;72;Merkez;Eğitim;Öğretmen;aktif;;1;'
                      'kisi%d@meb.gov.tr;0532 %03d %02d %02d\n' %
                      (p['tckn'], p['first'], p['last'], p['birth'], i, 100 + i // 10000,
                       (i // 100) % 100, i % 100))
            sp.write('%s\tactive\t45\t%s %s\n' % (p['tckn'], p['first'], p['last']))
    with open(os.path.join(d, 'people.json'), 'w') as f:
        json.dump(people, f, ensure_ascii=False)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == 'people':
        make_people(int(sys.argv[2]), sys.argv[3])
        return 0
    ap = argparse.ArgumentParser()
    ap.add_argument('--dir', required=True)
    ap.add_argument('--db', required=True)
    ap.add_argument('--eimza', required=True)
    ap.add_argument('--config', required=True)
    ap.add_argument('--trust')
    ap.add_argument('--pki', required=True)
    ap.add_argument('--password', required=True)
    ap.add_argument('--port', type=int, required=True)
    ap.add_argument('--kills', type=int, default=12)
    ap.add_argument('--clients', type=int, default=3)
    ap.add_argument('--min-up', type=float, default=0.1)
    ap.add_argument('--max-up', type=float, default=1.2)
    ap.add_argument('--check-every', type=int, default=5)
    ap.add_argument('--audit-every', type=int, default=10)
    ap.add_argument('--drain', type=float, default=60)
    ap.add_argument('--seed', type=int, default=None)
    ap.add_argument('--fault', help='the late-commit shim (LD_PRELOAD); implies --expect-loss')
    ap.add_argument('--expect-loss', action='store_true')
    ap.add_argument('--pg-crash', help='a shell command that crashes PostgreSQL (immediate '
                    'stop) and starts it again; run at some kills, before eimza is killed')
    ap.add_argument('--pg-crash-share', type=float, default=0.5)
    a = ap.parse_args()
    if a.fault:
        a.expect_loss = True
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    random.seed(seed)
    log('seed %d (--seed %d repeats the kill moments)' % (seed, seed))
    return Run(a).main()


if __name__ == '__main__':
    sys.exit(main())
