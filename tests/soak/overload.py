#!/usr/bin/env python3
"""eimza — what the server does when it is overloaded (run by tests/soak/soak.sh after the
soak, against the same server's settings). An overloaded server must answer quickly — 503 or
429 with Retry-After — rather than let clients wait for a timeout. Two probes:

  connections  max_connections (the server is started with a small one) connections are
               opened and left idle; then one more client asks for /healthz. Wanted: an
               answer (503) within a second. (libmicrohttpd stops accepting at its limit, so
               the server sets MHD's limit a reserve above max_connections and answers a
               connection past max_connections 503 too_many_connections at once:
               web/http/server.c; before that the client waited in the kernel's backlog until
               an idle connection timed out, connection_timeout, 30 s.) A failure fails.
  workers      every worker thread is kept busy with form saves that hash the security word
               (Argon2id, tens of milliseconds each), from more clients than there are
               workers; meanwhile /healthz is asked once every 100 ms. Wanted: /healthz stays
               fast (or the hashing is refused with 429/503 past a bound). A worker runs its
               requests one after the other, so a ping waits behind the hashes queued on its
               thread.

Usage: overload.py URL TOKENS_FILE MAX_CONNECTIONS [--strict]
Prints one line per probe ("ok", "FAIL" or "known failure" with the figures); exit 1 when the
connections probe fails, or (with --strict) the workers probe, whose figures are otherwise
only reported.
"""
import http.client
import socket
import sys
import threading
import time
import urllib.parse


def get(host, port, path, headers=None, body=None, method='GET', timeout=60):
    t0 = time.time()
    c = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        r.read()
        return r.status, time.time() - t0
    except (OSError, http.client.HTTPException):
        return None, time.time() - t0
    finally:
        c.close()


def probe_connections(host, port, limit):
    idle = []
    for _ in range(limit):
        s = socket.create_connection((host, port))
        idle.append(s)
    time.sleep(0.5)
    status, secs = get(host, port, '/healthz', timeout=60)
    for s in idle:
        s.close()
    ok = status in (503, 429) and secs < 1.0
    return ok, 'with %d idle connections open, one more client got %s after %.1f s' % (
        limit, status or 'no answer', secs)


def probe_workers(host, port, tokens):
    stop = threading.Event()
    body = ('{"security_word":"Gizli Sözcük","security_word_repeat":"Gizli Sözcük",'
            '"address":"Yük Sokağı No: 2","postal_code":"72100"}').encode()
    answers = {}
    mu = threading.Lock()

    def saver(tok):
        h = {'Authorization': 'Bearer ' + tok, 'Content-Type': 'application/json'}
        while not stop.is_set():
            st, _ = get(host, port, '/api/v1/application', h, body, 'PUT')
            with mu:
                answers[st] = answers.get(st, 0) + 1

    base = sorted(get(host, port, '/healthz')[1] for _ in range(20))
    threads = [threading.Thread(target=saver, args=(tokens[i % len(tokens)],), daemon=True)
               for i in range(16)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    lat = []
    for _ in range(50):
        st, secs = get(host, port, '/healthz', timeout=30)
        lat.append(secs if st == 200 else 30.0)
        time.sleep(0.1)
    stop.set()
    for t in threads:
        t.join(10)
    lat.sort()
    p50, p99, worst = lat[len(lat) // 2], lat[int(len(lat) * 0.99) - 1], lat[-1]
    ok = p99 < 0.1
    return ok, ('/healthz alone: p50 %.1f ms; with 16 clients saving forms (Argon2id) on %s: '
                'p50 %.0f ms, p99 %.0f ms, worst %.0f ms; the form saves were answered %s' % (
                    base[len(base) // 2] * 1000, 'every worker', p50 * 1000, p99 * 1000,
                    worst * 1000, answers))


def main():
    url, tokens, limit = sys.argv[1], open(sys.argv[2]).read().split(), int(sys.argv[3])
    strict = '--strict' in sys.argv
    u = urllib.parse.urlsplit(url)
    bad = 0
    for name, fn, must in (('workers', lambda: probe_workers(u.hostname, u.port, tokens), strict),
                           ('connections', lambda: probe_connections(u.hostname, u.port, limit),
                            True)):
        ok, seen = fn()
        verdict = 'ok' if ok else ('FAIL' if must else 'known failure (no quick 503/429)')
        bad += 0 if ok or not must else 1
        print('overload %-11s %s: %s' % (name, verdict, seen), flush=True)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
