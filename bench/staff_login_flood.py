#!/usr/bin/env python3
"""eimza — issue 19, finding 1: a flood of staff logins against a running `eimza serve`, and
what it does to everyone else (run by bench/staff_login_flood.sh).

CLIENTS threads post wrong passwords to POST /api/v1/admin/login for SECONDS seconds, each on a
connection of its own, while a probe asks GET /healthz every 100 ms. Before the flood the probe
runs alone for the baseline. Prints one line: the answers to the logins by status, how many
Argon2id verifications could have run (answers other than 429/503), and the probe's latency
alone and under the flood (p50, p99, worst) with the ratio of the p99s.

Usage: staff_login_flood.py HOST PORT LABEL [CLIENTS] [SECONDS]
"""
import http.client
import json
import sys
import threading
import time


def ask(conn, method, path, body=None, headers=None):
    t0 = time.time()
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        r.read()
        return r.status, time.time() - t0
    except (OSError, http.client.HTTPException):
        return None, time.time() - t0


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * p))] if v else float('nan')


def probe(host, port, stop, out):
    c = http.client.HTTPConnection(host, port, timeout=30)
    while not stop.is_set():
        st, secs = ask(c, 'GET', '/healthz')
        if st is None:
            c.close()
            c = http.client.HTTPConnection(host, port, timeout=30)
        out.append(secs if st == 200 else 30.0)
        time.sleep(0.1)
    c.close()


def main():
    host, port, label = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    clients = int(sys.argv[4]) if len(sys.argv) > 4 else 8
    seconds = float(sys.argv[5]) if len(sys.argv) > 5 else 10.0
    stop = threading.Event()
    alone = []
    t = threading.Thread(target=probe, args=(host, port, stop, alone))
    t.start()
    time.sleep(3.0)
    stop.set()
    t.join()

    answers, mu = {}, threading.Lock()
    body = json.dumps({'username': 'yonetici', 'password': 'Yanlış-Parola-9'}).encode()
    hdr = {'Content-Type': 'application/json'}

    def flood(i):
        c = http.client.HTTPConnection(host, port, timeout=60)
        while not stop.is_set():
            st, _ = ask(c, 'POST', '/api/v1/admin/login', body, hdr)
            if st is None or st in (429, 503):
                c.close()
                c = http.client.HTTPConnection(host, port, timeout=60)
            with mu:
                answers[st] = answers.get(st, 0) + 1
        c.close()

    stop.clear()
    under = []
    threads = [threading.Thread(target=flood, args=(i,)) for i in range(clients)]
    threads.append(threading.Thread(target=probe, args=(host, port, stop, under)))
    for th in threads:
        th.start()
    time.sleep(seconds)
    stop.set()
    for th in threads:
        th.join(60)
    hashed = sum(n for st, n in answers.items() if st not in (429, 503, None))
    a50, a99 = pct(alone, 0.5) * 1000, pct(alone, 0.99) * 1000
    u50, u99, uw = pct(under, 0.5) * 1000, pct(under, 0.99) * 1000, max(under or [0]) * 1000
    print('staff-login-flood %s: %d clients for %.0f s: answers %s (%d could hash); /healthz '
          'alone p50 %.1f ms p99 %.1f ms; under the flood p50 %.1f ms p99 %.1f ms worst %.0f ms; '
          'p99 ratio %.1f' % (label, clients, seconds,
                              ', '.join('%s: %d' % (k, v) for k, v in sorted(
                                  answers.items(), key=lambda kv: str(kv[0]))),
                              hashed, a50, a99, u50, u99, uw, u99 / a99 if a99 else float('nan')),
          flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
