#!/usr/bin/env python3
"""eimza — load with proof, for the operations tests (issue 18), on top of the crash driver
(tests/crash/kill_driver.py: its applicants and staff walking applications through the whole
flow over HTTP, the journal of every answered request, and the checks that the database holds
all of it, intact). Two runs:

  backup   one `eimza serve`; while applicants and staff write through it, COPIES backups are
           taken (SQLite: `eimza backup`; PostgreSQL: `pg_dump --format=custom`, the procedure of
           docs/DEPLOYMENT.md). Each copy is then restored (`eimza restore` into a new file;
           `pg_restore` into a new database) and must be one consistent moment of the database:
           integrity_check and foreign_key_check (SQLite) or amcheck (PostgreSQL), `eimza audit
           verify`, every timeline unbroken and ending at its application's state, the SMS code
           counters, outbox messages and audit entries in agreement, each decision with its
           messages; and everything answered before the copy began is in it. Writes must have
           been answered while the copies were being made (the copies were taken under load).

  walk     one server; every person of the scene walked through the flow once (the data of
           another test: tests/cli/test_retention.sh), with the crash driver's checks.

  servers  two `eimza serve` processes on one database behind nginx, configured with the
           shipped packaging/nginx/eimza.conf (TLS; the test only changes addresses and file
           names): every request goes through nginx over HTTPS (the development routes, which
           the shipped site refuses, straight to a server). KILLS times one of the two servers
           is killed with SIGKILL at a random moment and started again a moment later, the
           other one serving meanwhile. Then everything answered must be in the database,
           intact (the crash driver's checks, amcheck on PostgreSQL, the audit chain), each
           kind of step must have been answered by both servers, and flows must have crossed
           servers: a login answered by one and the form by the other.

The checks' details are the crash driver's (its header). Exit 0 when every check holds.
"""
import argparse
import copy
import http.client
import json
import os
import random
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'crash'))
import kill_driver as kd  # noqa: E402

tl = threading.local()


def log(*a):
    print('flow:', *a, flush=True)


def rid_prefix(headers):
    rid = headers.get('X-Request-Id') or headers.get('x-request-id') or ''
    return rid[:8]


class _Front(http.client.HTTPSConnection):
    """HTTPS to nginx on loopback, the certificate checked for the portal's name, from the
    calling thread's own loopback address (people come from many addresses: nginx's limits
    are per address)."""

    def connect(self):
        sock = socket.create_connection(('127.0.0.1', self.port), self.timeout,
                                        source_address=(client_addr(), 0))
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


_addr_mu = threading.Lock()
_addr_next = [10]


def client_addr():
    a = getattr(tl, 'addr', None)
    if a is None:
        with _addr_mu:
            a = tl.addr = '127.0.0.%d' % _addr_next[0]
            _addr_next[0] += 1
    return a


class FrontHttp(kd.Http):
    """Requests through nginx over HTTPS; the development routes straight to a live server.
    Records which server answered (by the request id's per-process prefix)."""

    def __init__(self, front, host, ca, servers):
        self.front, self.host, self.servers = front, host, servers
        self.ctx = ssl.create_default_context(cafile=ca)
        self.mu = threading.Lock()
        self.prefix = {}  # request-id prefix -> server index
        self.throttled = 0  # nginx's own 429 (limit_req)
        self.refused = 0  # 502/503/504: no server could answer
        self.by_kind = {}  # (method, route) -> set of server indexes that answered 2xx

    def learn(self, i, port):
        """Asks server i directly for its request-id prefix (after each start)."""
        for _ in range(50):
            try:
                c = http.client.HTTPConnection('127.0.0.1', port, timeout=5)
                c.request('GET', '/healthz')
                r = c.getresponse()
                r.read()
                c.close()
                p = rid_prefix(dict(r.getheaders()))
                if p:
                    with self.mu:
                        self.prefix[p] = i
                    return
            except OSError:
                pass
            time.sleep(0.05)

    def req(self, method, path, body=None, headers=None, timeout=20):
        if path.startswith('/dev/'):
            for s in self.servers:
                if s.proc:
                    r = kd.Http(s.port).req(method, path, body, headers, timeout)
                    if r:
                        return r
            return None
        h = dict(headers or {})
        h['Host'] = self.host
        if isinstance(body, (dict, list)):
            body = json.dumps(body, ensure_ascii=False).encode()
            h.setdefault('Content-Type', 'application/json')
        # nginx's own 429 (limit_req: 5 a second per address) is waited out here, as a person
        # waits a moment after the error page: no server saw the request, so it is not one of
        # the applicant's tries (a loaded machine makes many of them, and the applicant's
        # bound on tries is for servers that answer without progress)
        for _ in range(100):
            c = _Front(self.host, self.front, timeout=timeout, context=self.ctx)
            try:
                c.request(method, path, body=body, headers=h)
                r = c.getresponse()
                data = r.read()
                hd = dict(r.getheaders())
            except (OSError, http.client.HTTPException):
                return None
            finally:
                c.close()
            if r.status != 429 or data.startswith(b'{'):
                break
            with self.mu:
                self.throttled += 1
            time.sleep(0.2 + random.random() * 0.2)
        else:
            return None
        if r.status in (502, 503, 504):
            with self.mu:
                self.refused += 1
            return None
        with self.mu:
            srv = self.prefix.get(rid_prefix(hd))
            if 200 <= r.status < 300 and srv is not None:
                route = path.split('?')[0]
                parts = route.split('/')
                route = '/'.join('{id}' if p.isdigit() else p for p in parts)
                self.by_kind.setdefault((method, route), set()).add(srv)
        trace = getattr(tl, 'trace', None)
        if trace is not None:
            trace.append((method, path.split('?')[0], r.status, srv))
        return r.status, hd, data


class TracedRun(kd.Run):
    """The crash driver's run, each applicant's requests traced (which server answered)."""

    def __init__(self, args):
        super().__init__(args)
        self.traces = []
        self.tmu = threading.Lock()

    def applicant(self, p):
        tl.trace = []
        try:
            super().applicant(p)
        finally:
            with self.tmu:
                self.traces.append((p['tckn'], tl.trace))
            tl.trace = None


def run_threads(run):
    run.applicant_threads = [threading.Thread(target=run.applicant_loop, daemon=True)
                             for _ in range(run.args.clients)]
    staff = threading.Thread(target=run.staff_loop, daemon=True)
    for t in run.applicant_threads:
        t.start()
    staff.start()
    return run.applicant_threads + [staff]


def drain(run, threads):
    run.stop.set()
    deadline = time.time() + run.args.drain
    for t in threads:
        t.join(max(0.1, deadline - time.time()))
    run.halt.set()
    for t in threads:
        t.join(30)


def busy(run):
    return (run.queue or any(t.is_alive() for t in run.applicant_threads)) and \
        not run.halt.is_set()


def view(run, db, upto):
    """The run's checks as they apply to another database holding the first upto journal
    entries (a copy)."""
    v = copy.copy(run)
    v.args = copy.copy(run.args)
    v.args.db = db
    v.j = kd.Journal()
    v.j.entries = run.j.snapshot()[:upto]
    return v


# ---- backups under load ----------------------------------------------------------------------
def backup_main(a):
    run = kd.Run(a)
    pg = not a.db.startswith('sqlite:')
    srv = kd.Server(a, a.port)
    if not srv.start():
        log('the server did not start; see serve.log')
        return 1
    threads = run_threads(run)
    copies, bad = [], []
    time.sleep(a.first)
    while len(copies) < a.copies and busy(run):
        k = len(copies) + 1
        out = os.path.join(a.dir, 'copy-%d.%s' % (k, 'dump' if pg else 'db'))
        mark = len(run.j.snapshot())
        t0 = time.time()
        cmd = (['pg_dump', '--format=custom', '--file', out, a.db] if pg else
               [a.eimza, 'backup', out, '--db', a.db])
        r = subprocess.run(cmd, capture_output=True)
        during = len(run.j.snapshot()) - mark
        if r.returncode != 0:
            bad.append('backup %d: exit %d: %s' % (k, r.returncode, r.stderr[-400:]))
            break
        copies.append((k, out, mark, during, time.time() - t0))
        log('copy %d: %d answered requests before it, %d answered while it was made (%.2f s)'
            % (k, mark, during, time.time() - t0))
        time.sleep(a.every * (0.5 + random.random()))
    drain(run, threads)
    if len(copies) < a.copies and not bad:
        bad.append('only %d copies were taken before the load ended' % len(copies))
    bad += run.check(True)
    if srv.stop() != 0:
        bad.append('the server did not stop cleanly')
    bad += run.audit_verify() + run.integrity()
    if copies and sum(c[3] for c in copies) == 0:
        bad.append('no request was answered while a copy was being made: not under load')
    for k, out, mark, during, secs in copies:
        if pg:
            name = 'restored_%d_%d' % (os.getpid(), k)
            admin = os.environ['EIMZA_TEST_PG_ADMIN_URL']
            subprocess.run(['psql', '-q', '-X', admin, '-c', 'CREATE DATABASE %s' % name],
                           check=True, capture_output=True)
            with open(os.path.join(a.dir, 'restored-dbs'), 'a') as f:
                f.write(name + '\n')
            db = admin.rsplit('/', 1)[0] + '/' + name
            r = subprocess.run(['pg_restore', '--no-owner', '--exit-on-error', '-d', db, out],
                               capture_output=True)
        else:
            db = 'sqlite:' + os.path.join(a.dir, 'restored-%d.db' % k)
            r = subprocess.run([a.eimza, 'restore', out, '--db', db], capture_output=True)
        if r.returncode != 0:
            bad.append('restore of copy %d: exit %d: %s' % (k, r.returncode, r.stderr[-400:]))
            continue
        v = view(run, db, mark)
        problems = v.integrity() + v.check(False) + v.audit_verify()
        if pg:
            problems += v.amcheck()
        if problems:
            bad += ['copy %d: %s' % (k, p) for p in problems]
        else:
            log('copy %d restored: consistent, its %d earlier answers all in it, audit chain '
                'intact' % (k, mark))
    with run.pmu:
        bad += run.problems
    j = run.j.snapshot()
    log('%d copies under load; answered: %d logins, %d forms, %d signatures, %d decisions' %
        (len(copies), sum(1 for e in j if e[0] == 'login'), sum(1 for e in j if e[0] == 'form'),
         sum(1 for e in j if e[0] == 'signature'), sum(1 for e in j if e[0] == 'decision')))
    for b in bad[:50]:
        log('FAIL: ' + b)
    return 1 if bad else 0


# ---- every person once, as data for another test ---------------------------------------------
def walk_main(a):
    run = kd.Run(a)
    srv = kd.Server(a, a.port)
    if not srv.start():
        log('the server did not start; see serve.log')
        return 1
    threads = run_threads(run)
    while busy(run):
        time.sleep(0.1)
    drain(run, threads)
    bad = run.check(True)
    if srv.stop() != 0:
        bad.append('the server did not stop cleanly')
    with run.pmu:
        bad += run.problems
    j = run.j.snapshot()
    log('walked %d people: %d signatures, %d approved, %d rejected' %
        (len(run.people), sum(1 for e in j if e[0] == 'signature'),
         sum(1 for e in j if e[0] == 'step' and e[2] == 'approve'),
         sum(1 for e in j if e[0] == 'step' and e[2] == 'reject')))
    for b in bad[:50]:
        log('FAIL: ' + b)
    return 1 if bad else 0


# ---- two servers behind nginx ------------------------------------------------------------------
def servers_main(a):
    ports = [int(p) for p in a.ports.split(',')]
    servers = []
    for i, port in enumerate(ports):
        sa = copy.copy(a)
        sa.dir = os.path.join(a.dir, 'server%d' % (i + 1))
        os.makedirs(sa.dir, exist_ok=True)
        servers.append(kd.Server(sa, port))
    front = FrontHttp(a.front, a.host, a.ca, servers)
    run = TracedRun(a)
    run.http = front
    for i, s in enumerate(servers):
        if not s.start():
            log('server %d did not start; see its serve.log' % (i + 1))
            return 1
        front.learn(i, s.port)
    threads = run_threads(run)
    kills, t0 = 0, time.time()
    while kills < a.kills and busy(run):
        time.sleep(a.min_up + random.random() * (a.max_up - a.min_up))
        i = kills % len(servers)
        servers[i].kill()
        kills += 1
        time.sleep(random.random() * a.max_down)
        while not servers[i].start():
            log('server %d: restart failed; again' % (i + 1))
            time.sleep(0.2)
        front.learn(i, servers[i].port)
    elapsed = time.time() - t0
    drain(run, threads)
    bad = run.check(True)
    for i, s in enumerate(servers):
        if s.stop() != 0:
            bad.append('server %d did not stop cleanly' % (i + 1))
    bad += run.audit_verify() + run.integrity()
    # both servers answered every kind of step
    kinds = [('POST', '/api/v1/login'), ('PUT', '/api/v1/application'),
             ('POST', '/api/v1/application/otp'), ('POST', '/api/v1/application/otp/verify'),
             ('POST', '/api/v1/application/signature'),
             ('POST', '/api/v1/admin/applications/{id}/paper-received'),
             ('POST', '/api/v1/admin/applications/{id}/decision')]
    for k in kinds:
        got = front.by_kind.get(k, set())
        if got != set(range(len(servers))):
            bad.append('%s %s answered by servers %s only' % (k[0], k[1], sorted(got)))
    crossed = flows = 0
    for _, trace in run.traces:
        login = [s for m, p, st, s in trace if m == 'POST' and p == '/api/v1/login' and st == 200]
        form = [s for m, p, st, s in trace if m == 'PUT' and p == '/api/v1/application'
                and st == 200]
        if login and form and login[-1] is not None and form[0] is not None:
            flows += 1
            crossed += login[-1] != form[0]
    if flows == 0 or crossed < max(1, flows // 5):
        bad.append('%d of %d flows had their login and their form on different servers' %
                   (crossed, flows))
    with run.pmu:
        bad += run.problems
    j = run.j.snapshot()
    cnt = lambda k: sum(1 for e in j if e[0] == k)
    steps = lambda s: sum(1 for e in j if e[0] == 'step' and e[2] == s)
    log('%d kills in %.0f s over %d servers behind nginx; answered: %d logins, %d forms, %d '
        'codes, %d signatures, %d paper, %d approved, %d rejected; %d of %d flows crossed '
        'servers between login and form; nginx: %d requests found no server, %d throttled' %
        (kills, elapsed, len(servers), cnt('login'), cnt('form'), cnt('otp'), steps('signed'),
         steps('paper_received'), steps('approve'), steps('reject'), crossed, flows,
         front.refused, front.throttled))
    for b in bad[:50]:
        log('FAIL: ' + b)
    if not bad:
        log('every answered request is in the database, intact, whichever server answered it')
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('mode', choices=['backup', 'servers', 'walk'])
    ap.add_argument('--dir', required=True)
    ap.add_argument('--db', required=True)
    ap.add_argument('--eimza', required=True)
    ap.add_argument('--config', required=True)
    ap.add_argument('--trust')
    ap.add_argument('--pki', required=True)
    ap.add_argument('--password', required=True)
    ap.add_argument('--port', type=int, default=0)
    ap.add_argument('--clients', type=int, default=3)
    ap.add_argument('--drain', type=float, default=60)
    ap.add_argument('--seed', type=int, default=None)
    # backup
    ap.add_argument('--copies', type=int, default=3)
    ap.add_argument('--first', type=float, default=1.0, help='seconds of load before copy 1')
    ap.add_argument('--every', type=float, default=1.0)
    # servers
    ap.add_argument('--ports', help='the servers\' ports, comma-separated')
    ap.add_argument('--front', type=int, help='nginx\'s HTTPS port')
    ap.add_argument('--host', default='eimza.example.gov.tr')
    ap.add_argument('--ca', help='the CA of nginx\'s certificate')
    ap.add_argument('--kills', type=int, default=6)
    ap.add_argument('--min-up', type=float, default=0.5)
    ap.add_argument('--max-up', type=float, default=2.0)
    ap.add_argument('--max-down', type=float, default=1.0)
    a = ap.parse_args()
    # what the crash driver's Server and Run read
    a.fault, a.expect_loss, a.pg_crash = None, False, None
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    random.seed(seed)
    log('seed %d (--seed %d repeats the moments)' % (seed, seed))
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    return {'backup': backup_main, 'servers': servers_main, 'walk': walk_main}[a.mode](a)


if __name__ == '__main__':
    sys.exit(main())
