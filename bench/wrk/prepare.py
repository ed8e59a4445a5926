#!/usr/bin/env python3
"""eimza — sessions for the load scripts (bench/wrk/*.lua), made through the JSON API of a
running `eimza serve --dev`: N applicants log in (captcha answer from /dev/captcha), open
their application and save the form; one of them gets the signature the signature script
posts (the applicant's own content signed with the certificate of somebody else, so the
server runs nearly the whole CAdES check and answers 422 tckn_mismatch without changing
anything); one staff member (an approver, no TOTP in --dev) logs in.

Usage: prepare.py URL PEOPLE_JSON N OUT_DIR [PKI_DIR STAFF_USER STAFF_PASSWORD]
Writes OUT_DIR/tokens (one applicant token per line), OUT_DIR/staff_token, OUT_DIR/sig.der and
OUT_DIR/sig_token (the session the signature belongs to), OUT_DIR/login (one person's login
fields, tab-separated: tckn, first name, last name, birth place, birth date).
"""
import http.client
import json
import os
import subprocess
import sys
import urllib.parse


def call(url, method, path, body=None, token=None, ctype='application/json'):
    u = urllib.parse.urlsplit(url)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    h = {}
    if token:
        h['Authorization'] = 'Bearer ' + token
    if isinstance(body, dict):
        body = json.dumps(body, ensure_ascii=False).encode()
    if body is not None:
        h['Content-Type'] = ctype
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


def login(url, p):
    st, b = call(url, 'GET', '/api/v1/captcha')
    cid = json.loads(b)['id']
    st, b = call(url, 'GET', '/dev/captcha/' + cid)
    ans = json.loads(b)['answer']
    st, b = call(url, 'POST', '/api/v1/login', {
        'tckn': p['tckn'], 'first_name': p['first'], 'last_name': p['last'],
        'birth_place': p['place'], 'birth_date': p['birth'], 'captcha_id': cid,
        'captcha_answer': ans})
    if st != 200:
        sys.exit('prepare: login of %s: %d %s' % (p['tckn'], st, b[:200]))
    return json.loads(b)['token']


def main():
    url, people, n, out = sys.argv[1], json.load(open(sys.argv[2])), int(sys.argv[3]), sys.argv[4]
    pki = sys.argv[5] if len(sys.argv) > 5 else None
    tokens = []
    for p in people[:n]:
        tok = login(url, p)
        st, b = call(url, 'GET', '/api/v1/application', token=tok)
        form = {'security_word': 'Gizli Sözcük', 'security_word_repeat': 'Gizli Sözcük',
                'address': p['address'], 'postal_code': '72100', 'mobile_operator': 'vodafone'}
        st, b = call(url, 'PUT', '/api/v1/application', form, tok)
        if st != 200:
            sys.exit('prepare: form of %s: %d %s' % (p['tckn'], st, b[:200]))
        tokens.append(tok)
    with open(os.path.join(out, 'tokens'), 'w') as f:
        f.write('\n'.join(tokens) + '\n')
    p = people[0]
    with open(os.path.join(out, 'login'), 'w') as f:
        f.write('\t'.join([p['tckn'], p['first'], p['last'], p['place'], p['birth']]) + '\n')
    if not pki:
        return 0
    # the signature: person n's content (sent to code_verified), signed with person n+1's
    # certificate
    s, o = people[n], people[n + 1]
    tok = login(url, s)
    call(url, 'GET', '/api/v1/application', token=tok)
    form = {'security_word': 'Gizli Sözcük', 'security_word_repeat': 'Gizli Sözcük',
            'address': s['address'], 'postal_code': '72100', 'mobile_operator': 'vodafone'}
    call(url, 'PUT', '/api/v1/application', form, tok)
    st, b = call(url, 'POST', '/api/v1/application/otp', b'', tok)
    st, b = call(url, 'GET', '/dev/outbox')
    code = [m['body'].split('kodunuz: ', 1)[1][:6] for m in json.loads(b)
            if 'kodunuz: ' in m.get('body', '')][-1]
    st, b = call(url, 'POST', '/api/v1/application/otp/verify', {'code': code}, tok)
    if st != 200:
        sys.exit('prepare: code for the signature: %d %s' % (st, b[:200]))
    call(url, 'POST', '/api/v1/application/method', {'method': 'esign'}, tok)
    st, content = call(url, 'GET', '/api/v1/application/content', token=tok)
    ct = os.path.join(out, 'content.txt')
    with open(ct, 'wb') as f:
        f.write(content)
    subprocess.run(['openssl', 'cms', '-sign', '-binary', '-cades', '-md', 'sha256', '-signer',
                    os.path.join(pki, 'holders', o['tckn'] + '.pem'), '-inkey',
                    os.path.join(pki, 'keys', 'holders.key'), '-certfile',
                    os.path.join(pki, 'nes', 'nes.pem'), '-in', ct, '-outform', 'DER', '-out',
                    os.path.join(out, 'sig.der')], check=True, capture_output=True)
    with open(os.path.join(out, 'sig_token'), 'w') as f:
        f.write(tok + '\n')
    sig = open(os.path.join(out, 'sig.der'), 'rb').read()
    st, b = call(url, 'POST', '/api/v1/application/signature', sig, tok,
                 'application/pkcs7-signature')
    if st != 422 or b'tckn_mismatch' not in b:
        sys.exit('prepare: the signature should be refused as tckn_mismatch: %d %s' % (st, b[:300]))
    if len(sys.argv) > 7:
        st, b = call(url, 'POST', '/api/v1/admin/login',
                     {'username': sys.argv[6], 'password': sys.argv[7]})
        if st != 200:
            sys.exit('prepare: staff login: %d %s' % (st, b[:200]))
        with open(os.path.join(out, 'staff_token'), 'w') as f:
            f.write(json.loads(b)['token'] + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
