#!/usr/bin/env python3
"""eimza — the database round trips of each request type, as the server itself counts them
(bench/servers.sh). Walks applicants of a running `eimza serve --dev` through the e-signature
flow over its JSON API — captcha, login, the application opened, the form saved, the SMS code
sent and verified, e-signature chosen, the content fetched, a valid CAdES of it (the
applicant's own certificate of the demo PKI) submitted, the status read — and an approver
through the queue and a decision for each. The server's /metrics counts, per route, the
requests and the round trips its requests waited for (eimza_db_round_trips_total: on
PostgreSQL every statement, BEGIN, COMMIT and PREPARE); the figures are the differences across
the measured walk, after a warm-up walk of other applicants (a connection prepares each
statement once, on its first use).

Usage: round_trips.py URL PEOPLE_JSON PKI_DIR STAFF_USER STAFF_PASSWORD WORK_DIR FIRST WARM N
uses the applicants FIRST .. FIRST+WARM-1 for the warm-up and the next N for the measurement.
Prints one line per request type, tab-separated: name, method, route, requests, round trips,
statements.
"""
import http.client
import json
import os
import subprocess
import sys
import urllib.parse

# the request types printed, in the flow's order: (name, method, route pattern)
TYPES = [
    ('captcha', 'GET', '/api/v1/captcha'),
    ('login', 'POST', '/api/v1/login'),
    ('application', 'GET', '/api/v1/application'),
    ('form_save', 'PUT', '/api/v1/application'),
    ('code_send', 'POST', '/api/v1/application/otp'),
    ('code_verify', 'POST', '/api/v1/application/otp/verify'),
    ('method', 'POST', '/api/v1/application/method'),
    ('content', 'GET', '/api/v1/application/content'),
    ('signature', 'POST', '/api/v1/application/signature'),
    ('status', 'GET', '/api/v1/application/status'),
    ('staff_login', 'POST', '/api/v1/admin/login'),
    ('staff_queue', 'GET', '/api/v1/admin/applications'),
    ('decision', 'POST', '/api/v1/admin/applications/{id}/decision'),
]
WORD = 'Gizli Sözcük'


class Api:
    def __init__(self, url):
        u = urllib.parse.urlsplit(url)
        self.c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)

    def call(self, method, path, body=None, token=None, ctype='application/json', want=200):
        h = {}
        if token:
            h['Authorization'] = 'Bearer ' + token
        if isinstance(body, dict):
            body = json.dumps(body, ensure_ascii=False).encode()
        if body is not None:
            h['Content-Type'] = ctype
        self.c.request(method, path, body=body, headers=h)
        r = self.c.getresponse()
        data = r.read()
        if want is not None and r.status != want:
            sys.exit('round_trips: %s %s answered %d: %s' % (method, path, r.status, data[:300]))
        return data


def metrics(api):
    """{(metric, method, route): value} of the server's /metrics."""
    out = {}
    for line in api.call('GET', '/metrics').decode().splitlines():
        if line.startswith('#') or '{' not in line:
            continue
        name, rest = line.split('{', 1)
        labels, value = rest.rsplit('} ', 1)
        lab = dict(kv.split('=', 1) for kv in labels.split('",') if '=' in kv)
        lab = {k: v.strip('"') for k, v in lab.items()}
        if 'route' in lab and 'le' not in lab:
            out[(name, lab.get('method'), lab['route'])] = float(value)
    return out


def applicant(api, p, pki, work):
    cid = json.loads(api.call('GET', '/api/v1/captcha'))['id']
    ans = json.loads(api.call('GET', '/dev/captcha/' + cid))['answer']
    tok = json.loads(api.call('POST', '/api/v1/login', {
        'tckn': p['tckn'], 'first_name': p['first'], 'last_name': p['last'],
        'birth_place': p['place'], 'birth_date': p['birth'], 'captcha_id': cid,
        'captcha_answer': ans}))['token']
    number = json.loads(api.call('GET', '/api/v1/application', token=tok))['number']
    api.call('PUT', '/api/v1/application', {
        'security_word': WORD, 'security_word_repeat': WORD, 'address': p['address'],
        'postal_code': '72100', 'mobile_operator': 'vodafone'}, tok)
    api.call('GET', '/api/v1/application/status', token=tok)
    api.call('POST', '/api/v1/application/otp', b'', tok)
    code = ''
    for m in reversed(json.loads(api.call('GET', '/dev/outbox'))):
        b = m.get('body', '')
        if m.get('channel') == 'sms' and number in b and 'kodunuz: ' in b:
            code = b.split('kodunuz: ', 1)[1][:6]
            break
    if not code:
        sys.exit('round_trips: no SMS code for %s in the development outbox' % number)
    api.call('POST', '/api/v1/application/otp/verify', {'code': code}, tok)
    api.call('POST', '/api/v1/application/method', {'method': 'esign'}, tok)
    content = api.call('GET', '/api/v1/application/content', token=tok)
    ct, sig = os.path.join(work, 'rt-content.txt'), os.path.join(work, 'rt-sig.der')
    with open(ct, 'wb') as f:
        f.write(content)
    subprocess.run(['openssl', 'cms', '-sign', '-binary', '-cades', '-md', 'sha256', '-signer',
                    os.path.join(pki, 'holders', p['tckn'] + '.pem'), '-inkey',
                    os.path.join(pki, 'keys', 'holders.key'), '-certfile',
                    os.path.join(pki, 'nes', 'nes.pem'), '-in', ct, '-outform', 'DER', '-out',
                    sig], check=True, capture_output=True)
    with open(sig, 'rb') as f:
        api.call('POST', '/api/v1/application/signature', f.read(), tok,
                 'application/pkcs7-signature')
    for _ in range(3):
        api.call('GET', '/api/v1/application/status', token=tok)
    return number


def walk(api, people, pki, work, user, password):
    numbers = set(applicant(api, p, pki, work) for p in people)
    staff = json.loads(api.call('POST', '/api/v1/admin/login',
                                {'username': user, 'password': password}))['token']
    q = json.loads(api.call('GET', '/api/v1/admin/applications?state=submitted&limit=200',
                            token=staff))
    mine = [a for a in q.get('applications', []) if a.get('number') in numbers]
    if len(mine) != len(numbers):
        sys.exit('round_trips: %d of %d signed applications in the queue' %
                 (len(mine), len(numbers)))
    for a in mine:
        api.call('GET', '/api/v1/admin/applications?limit=50', token=staff)
        api.call('POST', '/api/v1/admin/applications/%s/decision' % a['id'],
                 {'decision': 'approve'}, staff)


def main():
    if len(sys.argv) != 10:
        sys.exit(__doc__)
    url, people, pki, user, password, work = sys.argv[1:7]
    first, warm, n = (int(x) for x in sys.argv[7:10])
    people = json.load(open(people))
    if first + warm + n > len(people):
        sys.exit('round_trips: only %d people' % len(people))
    api = Api(url)
    walk(api, people[first:first + warm], pki, work, user, password)
    m0 = metrics(api)
    walk(api, people[first + warm:first + warm + n], pki, work, user, password)
    m1 = metrics(api)
    for name, method, route in TYPES:
        d = [m1.get((k, method, route), 0) - m0.get((k, method, route), 0) for k in (
            'eimza_http_request_duration_seconds_count', 'eimza_db_round_trips_total',
            'eimza_db_statements_total')]
        print('%s\t%s\t%s\t%d\t%d\t%d' % (name, method, route, d[0], d[1], d[2]))
    return 0


if __name__ == '__main__':
    sys.exit(main())
