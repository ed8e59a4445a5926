// eimza — A STAND-IN FOR THE PORTAL, for tests only (node:https, no packages). It is not the
// portal: it behaves like the relay contract of docs/INTERFACES.md ("Signing through the
// relay") so that the agent (`eimza agent --handle-url`) and the signing page's script
// (static/js/sign.js) can be tested against a real HTTPS peer before `eimza serve` has the
// endpoints. When the server has them, the tests should move to it and this file go.
//
//   node tests/mocks/relay-portal.mjs --key KEY.pem --cert CERT.pem [--port N] [--out DIR]
//        [--static DIR] [--agent-url URL]
//
// Listens on 127.0.0.1 (port N, or a free one) over HTTPS and prints
// "relay-portal: listening on https://127.0.0.1:PORT" once ready. Every request is appended
// to DIR/requests.jsonl as {"method","path","agent","user_agent","cookie","body_keys"} (never
// a body's values: they hold tickets) before it is answered; accepted signatures are written
// to DIR/signature-<NUMBER>.p7s (DER) beside DIR/content-<NUMBER>.txt.
//
// The contract's endpoints:
//   POST /api/v1/application/sign-ticket   (session cookie + X-CSRF-Token)   -> 201 ticket
//   GET  /api/v1/application/sign-ticket   (session cookie)                  -> its state
//   POST /api/v1/relay/claim | /api/v1/relay/signature | /api/v1/relay/cancel  (the agent)
// and, for the signing page in a browser (the DOM contract at the top of static/js/sign.js):
//   GET  /imza[?lang=en][&min=VERSION]   the signing page (as the real /imza writes it, plus
//                          the relay attributes; min: the agent version it asks for), which
//                          also starts a session (cookie)
//   GET  /static/js/sign.js, GET /api/v1/application/content,
//   POST /api/v1/application/signature (application/pkcs7-signature: stored, 200), GET /durum
// Test controls (not in the contract):
//   POST /_test/session {"number"?, "ticket_ttl_ms"?, "claim_ttl_ms"?, "reject_signature"?,
//                        "min_agent_version"?, "claim_answer"?: "redirect"|"not_json"|"bad_hash"}
//        -> {"cookie","csrf","number"}: a session with its application waiting for a signature
//   GET  /_test/tickets -> [{"number","state","error","agent_version"}] in issue order
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import https from 'node:https';
import { join } from 'node:path';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
if (!args.key || !args.cert) {
  console.error('usage: relay-portal.mjs --key KEY.pem --cert CERT.pem [--port N] [--out DIR]');
  process.exit(1);
}
const OUT = args.out || null;
if (OUT) mkdirSync(OUT, { recursive: true });
const STATIC = args.static || null;
const AGENT_URL = args['agent-url'] || 'http://127.0.0.1:8089';
let ORIGIN = ''; // set once listening

const b64url = (n) => randomBytes(n).toString('base64url');
const sha = (s) => createHash('sha256').update(s).digest('hex');
const now = () => Date.now();
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

// ---- state ---------------------------------------------------------------------------------
const sessions = new Map(); // cookie value -> session
const tickets = new Map(); // sha256(ticket) -> ticket record
const order = []; // ticket records in issue order
let seq = 0;

function contentFor(number) {
  return (
    'Aşağıda yazılı bütün bilgilerin doğru olduğunu, aksi halde doğacak bütün zararlardan sorumlu ' +
    'olduğumu beyan ederim. Bu formdaki bilgilere göre şahsıma bir nitelikli elektronik sertifika ' +
    'hazırlanmasını talep ederim.\n\nAD: AYŞEGÜL\nSOYAD: IŞIK\nTC KİMLİK NUMARASI: 10000000214\n' +
    'EPOSTA: aysegul@example.org\nADRES: Okul Sokağı No: 1, 72100 Merkez/BATMAN\n' +
    `KURUM ADI: Batman İl Milli Eğitim Müdürlüğü\nBAŞVURU NO: ${number}\nBAŞVURU TARİHİ: 01.06.2025\n`
  );
}

function newSession(opts = {}) {
  seq++;
  const number = opts.number || `7K2M9Q${String(1000 + seq).slice(-4)}`;
  const s = {
    cookie: b64url(24),
    csrf: b64url(18),
    number,
    content: contentFor(number),
    state: 'code_verified',
    opts,
    latest: null,
  };
  sessions.set(s.cookie, s);
  return s;
}

// ---- helpers -------------------------------------------------------------------------------
function send(res, status, obj, headers = {}) {
  const body = obj === null ? '' : JSON.stringify(obj);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(body);
}
const fail = (res, status, code, message, extra = {}) =>
  send(res, status, { error: { code, message, ...extra } });

function sessionOf(req) {
  const m = /(?:^|;\s*)eimza_session=([^;]+)/.exec(req.headers.cookie || '');
  return m ? sessions.get(m[1]) : undefined;
}

function versionLess(a, b) {
  const pa = String(a).split('.').map(Number);
  const pb = String(b).split('.').map(Number);
  for (let i = 0; i < 4; i++) {
    const x = pa[i] || 0;
    const y = pb[i] || 0;
    if (x !== y) return x < y;
  }
  return false;
}

function ticketStatus(t) {
  let state = t.state;
  if ((state === 'issued' && now() > t.expires) || (state === 'claimed' && now() > t.claimExpires)) {
    state = 'expired';
  }
  return state;
}

// The record of a relay request's ticket, or an error answer (and null).
function relayTicket(req, res, body, needClaim) {
  if (typeof body.ticket !== 'string' || (needClaim && typeof body.claim !== 'string')) {
    fail(res, 400, 'bad_request', 'İstek anlaşılamadı.');
    return null;
  }
  const t = tickets.get(sha(body.ticket));
  if (!t) {
    fail(res, 404, 'ticket_unknown', 'Bu imza isteği tanınmıyor.');
    return null;
  }
  const min = t.session.opts.min_agent_version;
  const agent = req.headers['x-eimza-agent'];
  if (min && (!agent || versionLess(agent, min))) {
    fail(res, 426, 'agent_outdated', 'İmza aracınız eski.', { min_version: min });
    return null;
  }
  const st = ticketStatus(t);
  if (st === 'superseded') {
    fail(res, 409, 'ticket_superseded', 'Bu isteğin yerine yenisi açıldı.');
    return null;
  }
  if (st === 'expired') {
    fail(res, 410, 'ticket_expired', 'İmza isteğinin süresi doldu.');
    return null;
  }
  if (needClaim) {
    if (st !== 'claimed') {
      fail(res, 409, 'ticket_used', 'Bu imza isteği kullanıldı.');
      return null;
    }
    if (sha(body.claim) !== t.claimHash) {
      fail(res, 403, 'claim_mismatch', 'Bu istek başka bir imza aracında.');
      return null;
    }
  } else if (st !== 'issued') {
    fail(res, 409, 'ticket_used', 'Bu imza isteği kullanıldı.');
    return null;
  }
  if (t.session.state !== 'code_verified') {
    fail(res, 409, 'wrong_state', 'Başvuru imza beklemiyor.');
    return null;
  }
  return t;
}

function accept(session, der) {
  session.state = 'submitted';
  if (OUT) {
    writeFileSync(join(OUT, `signature-${session.number}.p7s`), der);
    writeFileSync(join(OUT, `content-${session.number}.txt`), session.content);
  }
}

function page(lang, minVersion) {
  const en = lang === 'en';
  const t = (tr, e) => (en ? e : tr);
  // The markup of the real /imza (src/web/h_pages_portal.c), with the relay attributes the
  // server is to add (data-ticket-url, data-agent-min-version, data-agent-download-url).
  return `<!doctype html>
<html lang="${en ? 'en' : 'tr'}"><head><meta charset="utf-8"><title>${t('İmza', 'Sign')}</title></head>
<body><main id="main">
<h1>${t('Başvuruyu e-imza ile imzalayınız', 'Sign the application with your e-signature')}</h1>
<pre class="signed-content" lang="tr" tabindex="0">CONTENT</pre>
<form id="sign-form" class="sign-form" hidden data-agent="${AGENT_URL}"
 data-content-url="/api/v1/application/content" data-submit-url="/api/v1/application/signature"
 data-done-url="/durum" data-csrf="CSRF" data-ticket-url="/api/v1/application/sign-ticket"
 data-agent-min-version="${minVersion || '0.1.0'}" data-agent-download-url="/indir/eimza-agent.deb">
<label for="sign-token">${t('Kart', 'Card')}</label>
<select id="sign-token" name="token" disabled><option value="">…</option></select>
<div class="buttons"><button type="button" id="sign-button" disabled>${t('İmzala', 'Sign')}</button></div>
</form>
<p id="sign-status" class="sign-status" role="status" aria-live="polite"></p>
<section id="sign-fallback" class="sign-fallback" hidden aria-labelledby="sign-fallback-title">
<h2 id="sign-fallback-title">${t('İmzalama aracı bulunamadı', 'The signing agent was not found')}</h2>
<p>${t('Aracı başlatın.', 'Start the agent.')}</p>
<pre class="command"><code>eimza agent</code></pre>
<h3>${t('Dosya yükleyin', 'Upload a file')}</h3>
<label for="sign-file">.p7s</label>
<input type="file" id="sign-file" accept=".p7s,application/pkcs7-signature">
<div class="buttons"><button type="button" id="sign-upload">${t('Gönder', 'Send')}</button></div>
</section>
<script src="/static/js/sign.js" defer></script>
</main></body></html>`;
}

function log(req, bodyKeys) {
  if (!OUT) return;
  appendFileSync(
    join(OUT, 'requests.jsonl'),
    `${JSON.stringify({
      method: req.method,
      path: req.url,
      agent: req.headers['x-eimza-agent'] || null,
      user_agent: req.headers['user-agent'] || null,
      cookie: !!req.headers.cookie,
      body_keys: bodyKeys,
    })}\n`,
  );
}

// ---- the routes ----------------------------------------------------------------------------
function route(req, res, raw) {
  const url = new URL(req.url, 'https://x');
  const path = url.pathname;
  let body = {};
  const isJson = /^application\/json/i.test(req.headers['content-type'] || '');
  if (isJson && raw.length) {
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      body = null;
    }
  }
  log(req, body && typeof body === 'object' ? Object.keys(body).sort() : null);
  if (body === null) return fail(res, 400, 'bad_request', 'İstek anlaşılamadı.');

  // test controls
  if (path === '/_test/session' && req.method === 'POST') {
    const s = newSession(body);
    return send(res, 200, { cookie: s.cookie, csrf: s.csrf, number: s.number });
  }
  if (path === '/_test/tickets') {
    return send(
      res,
      200,
      order.map((t) => ({ number: t.session.number, state: ticketStatus(t), error: t.error, agent_version: t.agentVersion })),
    );
  }

  // the page
  if (path === '/imza' && req.method === 'GET') {
    let s = sessionOf(req);
    const headers = {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; connect-src 'self' ${AGENT_URL}`,
      'cache-control': 'no-store',
    };
    if (!s) {
      s = newSession();
      headers['set-cookie'] = `eimza_session=${s.cookie}; Path=/; Secure; HttpOnly; SameSite=Lax`;
    }
    const min = /^[0-9.]{1,20}$/.test(url.searchParams.get('min') || '') ? url.searchParams.get('min') : null;
    const html = page(url.searchParams.get('lang'), min)
      .replace('CONTENT', s.content.replace(/&/g, '&amp;').replace(/</g, '&lt;'))
      .replace('CSRF', s.csrf);
    res.writeHead(200, headers);
    return res.end(html);
  }
  if (path === '/static/js/sign.js' && STATIC) {
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
    return res.end(readFileSync(join(STATIC, 'js/sign.js')));
  }
  if (path === '/durum') {
    const s = sessionOf(req);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return res.end(`<!doctype html><html lang="tr"><head><title>Durum</title></head><body><main><h1>Başvuru Sonucu</h1><p class="app-number">${s ? s.number : ''}</p><p class="state">${s ? s.state : 'none'}</p></main></body></html>`);
  }
  if (path === '/favicon.ico') {
    res.writeHead(204);
    return res.end();
  }

  // the applicant's API (session)
  if (path.startsWith('/api/v1/application/')) {
    const s = sessionOf(req);
    if (!s) return fail(res, 401, 'session_required', 'Oturum açın.');
    if (req.method === 'POST' && req.headers['x-csrf-token'] !== s.csrf) {
      return fail(res, 403, 'csrf_invalid', 'Sayfayı yenileyin.');
    }
    if (path === '/api/v1/application/content' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      return res.end(s.content);
    }
    if (path === '/api/v1/application/signature' && req.method === 'POST') {
      if (s.state !== 'code_verified') return fail(res, 409, 'wrong_state', 'Başvuru imza beklemiyor.');
      accept(s, raw);
      return send(res, 200, { state: 'submitted', number: s.number });
    }
    if (path === '/api/v1/application/sign-ticket' && req.method === 'POST') {
      if (s.state !== 'code_verified') return fail(res, 409, 'wrong_state', 'Başvuru imza beklemiyor.');
      for (const old of order) {
        if (old.session === s && (old.state === 'issued' || old.state === 'claimed')) old.state = 'superseded';
      }
      const ticket = b64url(32);
      const ttl = s.opts.ticket_ttl_ms ?? 120000;
      const t = {
        session: s,
        state: 'issued',
        expires: now() + ttl,
        claimExpires: 0,
        claimHash: null,
        error: null,
        agentVersion: null,
      };
      tickets.set(sha(ticket), t);
      order.push(t);
      s.latest = t;
      return send(res, 201, {
        ticket,
        url: `eimza://sign?ticket=${ticket}&portal=${ORIGIN}`,
        portal: ORIGIN,
        expires_at: iso(t.expires),
        expires_in: Math.round(ttl / 1000),
        poll_ms: 1000,
      });
    }
    if (path === '/api/v1/application/sign-ticket' && req.method === 'GET') {
      const t = s.latest;
      if (!t) return fail(res, 404, 'no_ticket', 'İmza isteği yok.');
      const st = ticketStatus(t);
      return send(res, 200, {
        state: st,
        expires_at: iso(st === 'claimed' ? t.claimExpires : t.expires),
        agent_version: t.agentVersion,
        error: t.error,
        number: st === 'submitted' ? s.number : null,
      });
    }
    return fail(res, 404, 'not_found', 'Böyle bir sayfa yok.');
  }

  // the agent's relay API (the ticket in the body; no session, no CSRF)
  if (path === '/api/v1/relay/claim' && req.method === 'POST') {
    const t = relayTicket(req, res, body, false);
    if (!t) return undefined;
    const mode = t.session.opts.claim_answer;
    if (mode === 'redirect') {
      res.writeHead(302, { location: 'https://example.org/' });
      return res.end();
    }
    if (mode === 'not_json') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end('<html>hello</html>');
    }
    const claim = b64url(32);
    t.state = 'claimed';
    t.claimHash = sha(claim);
    t.claimExpires = now() + (t.session.opts.claim_ttl_ms ?? 600000);
    t.agentVersion = req.headers['x-eimza-agent'] || null;
    const content = Buffer.from(t.session.content, 'utf8');
    return send(res, 200, {
      claim,
      claim_expires_at: iso(t.claimExpires),
      application_number: t.session.number,
      content_b64: content.toString('base64'),
      content_sha256: mode === 'bad_hash' ? '0'.repeat(64) : sha(content),
      content_type: 'text/plain; charset=utf-8',
    });
  }
  if (path === '/api/v1/relay/signature' && req.method === 'POST') {
    const t = relayTicket(req, res, body, true);
    if (!t) return undefined;
    if (typeof body.cms_b64 !== 'string' || body.cms_b64.length === 0) {
      return fail(res, 400, 'bad_request', 'İmza eksik.');
    }
    const reject = t.session.opts.reject_signature;
    if (reject) {
      t.state = 'refused';
      t.error = { code: reject, message: 'İmza kabul edilmedi.' };
      return fail(res, 422, reject, 'İmza kabul edilmedi.');
    }
    t.state = 'submitted';
    accept(t.session, Buffer.from(body.cms_b64, 'base64'));
    return send(res, 200, { state: 'submitted', number: t.session.number });
  }
  if (path === '/api/v1/relay/cancel' && req.method === 'POST') {
    const t = relayTicket(req, res, body, true);
    if (!t) return undefined;
    if (typeof body.code !== 'string' || !/^[a-z0-9_]{1,64}$/.test(body.code)) {
      return fail(res, 400, 'bad_request', 'Kod eksik.');
    }
    t.state = 'cancelled';
    t.error = { code: body.code, message: null };
    return send(res, 200, { state: 'cancelled' });
  }
  return fail(res, 404, 'not_found', 'Böyle bir sayfa yok.');
}

const server = https.createServer({ key: readFileSync(args.key), cert: readFileSync(args.cert) }, (req, res) => {
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size <= 4 * 1024 * 1024) chunks.push(c);
  });
  req.on('end', () => {
    if (size > 4 * 1024 * 1024) return fail(res, 413, 'body_too_large', 'Çok büyük.');
    try {
      return route(req, res, Buffer.concat(chunks));
    } catch (e) {
      return fail(res, 500, 'internal_error', String(e && e.message));
    }
  });
});
server.listen(Number(args.port || 0), '127.0.0.1', () => {
  ORIGIN = `https://127.0.0.1:${server.address().port}`;
  console.log(`relay-portal: listening on ${ORIGIN}`);
});
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
