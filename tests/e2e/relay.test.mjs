// eimza e2e — the signing page's script (static/js/sign.js) from an HTTPS portal that
// Chromium counts as PUBLIC (--ip-address-space-overrides), so every request from the page to
// the agent on 127.0.0.1 meets the Local Network Access permission, as it would from the
// ministry's real portal:
//   - on load with the permission not yet given, the page does not touch the agent: it says
//     that "İmzala" will ask; once allowed, one press of "İmzala" signs with the demo card;
//   - with the permission denied at the browser's prompt (headless Chromium denies prompts,
//     as a person pressing "Block" would) or beforehand, the page explains in Turkish how to
//     allow it again and offers the relay path; the relay path then signs with the permission
//     still denied: the page gets a ticket and opens eimza://sign?… (this test plays the
//     desktop's part by handing that URL to `eimza agent --handle-url`), polls, and moves on;
//   - a wrong PIN on the relay path comes back to the page as words, and nothing is signed;
//   - an agent older than the page asks for is told to update, with the download link;
//   - an English page (<html lang="en">) speaks English.
// The portal is the real `eimza serve --dev` over HTTPS (its own TLS: tls_cert, tls_key, a
// certificate from a CA of this test), with a demo PKI, its `openssl ocsp` responder, and one
// SoftHSM2 card per applicant (the loopback agent holds the first's; the relay's handler is
// given the card of the person signing); each test logs a person in through the JSON API in
// its browser context, so the page's session cookie is theirs. The signatures the portal keeps
// are checked with `eimza evidence export` and `openssl cms -verify` against the demo chain. A
// second server on the same database asks for a newer agent than there is.
//
// Environment: EIMZA_BIN, EIMZA_SOURCE_DIR, EIMZA_ARTIFACTS, EIMZA_CHROMIUM as for run.sh
// (EIMZA_E2E_URL, the shared server, is not used). Skipped without openssl, sqlite3, SoftHSM2
// or pkcs11-tool unless CI or EIMZA_REQUIRE_E2E=1 is set.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { BIN, MODULE, SRC, demoPki, freePort, run, skipUnless, start, startOcsp, startPinAgent, stop, stopAll, workDir } from './procs.mjs';

// lib.mjs insists on run.sh's shared server; this file does not use it
process.env.EIMZA_E2E_URL ||= 'http://127.0.0.1:9';
const { a11yProblems, launch } = await import('./lib.mjs');

const PIN = '123456';
const skip = skipUnless('relay.test.mjs', ['openssl', 'sqlite3', 'softhsm2-util', 'pkcs11-tool']);

// ---- the set-up ------------------------------------------------------------------------------

// The people: A signs on the loopback path with the loopback agent's card; B and C on the relay
// path, each with a card of their own; D never signs (the update notice, the English page).
const PEOPLE = {
  A: { tckn: '10000000214', first: 'Ayşegül', last: 'Işık', place: 'Batman', date: '1980-03-15', plate: 72, phone: '5321234567', stage: 'applicant' },
  B: { tckn: '10000000382', first: 'İsmail', last: 'Güneş', place: 'Van', date: '1990-06-30', plate: 65, phone: '5441112233', stage: 'active' },
  C: { tckn: '10000000450', first: 'Zeynep', last: 'Kaya', place: 'Siirt', date: '1985-02-20', plate: 56, phone: '5452223344', stage: 'active' },
  D: { tckn: '10000000528', first: 'Emre', last: 'Aydın', place: 'Muş', date: '1982-11-05', plate: 49, phone: '5463334455', stage: 'active' },
};

let dir;
let logs;
let db;
// The pages are opened as https://eimza-portal.test:PORT (Chromium maps the name to 127.0.0.1
// and counts that address as public), because a page whose host name is a loopback address
// is taken by sign.js for a portal on this very computer (the demo), which the browser does
// not gate. The portal's portal_url is https://127.0.0.1:PORT, the name its eimza: URLs carry
// (a portal known by two names), which is where the agent, with no such name map, reaches it.
const HOST = 'eimza-portal.test';
let site; // the page's origin, https://eimza-portal.test:PORT
let portal; // the portal's own origin, https://127.0.0.1:PORT
let siteOld; // the second server's page origin (agent_min_version = 999.0)
let agent; // the loopback listener
let agentPort;
let browser;
let browserCdp;
let conf; // the agent's settings file for --handle-url
const card = (who) => join(dir, `hsm${who}/softhsm2.conf`);
const env = (who = 'A') => ({ ...process.env, SOFTHSM2_CONF: card(who), XDG_CONFIG_HOME: join(dir, 'xdg') });

async function serve(name, port, extra) {
  const file = join(dir, `${name}.conf`);
  writeFileSync(
    file,
    `static_dir = ${SRC}/static\nagent_url = http://127.0.0.1:${agentPort}\n` +
      `tls_cert = ${join(dir, 'tls.pem')}\ntls_key = ${join(dir, 'tls.key')}\n` +
      `portal_url = https://127.0.0.1:${port}/\n${extra}`,
  );
  const s = start(
    BIN,
    ['serve', '--dev', '--config', file, '--listen', `127.0.0.1:${port}`, '--db', db, '--trust-dir', join(dir, 'trust')],
    { cwd: SRC },
    join(logs, `relay-server-${name}.log`),
  );
  return (await s.ready(/^eimza: serving on (https[^ ]*) /m))[1];
}

before(async () => {
  if (skip) return;
  ({ dir, logs, db } = workDir('relay'));
  const ocspPort = await freePort();
  const pki = demoPki(
    dir,
    Object.values(PEOPLE).map((p, i) => `${p.tckn}\t${p.stage}\t${45 + 5 * i}\t${p.first} ${p.last}\n`).join(''),
    ocspPort,
  );
  const ocspReady = startOcsp(pki, ocspPort, join(logs, 'relay-ocsp.log')); // awaited below
  // the cards: A's own key, and for B and C the key the demo PKI's other holders share
  run('bash', [join(SRC, 'scripts/demo-token.sh'), join(dir, 'hsmA'), pki]);
  for (const who of ['B', 'C']) {
    mkdirSync(join(dir, `pki${who}/applicant`), { recursive: true });
    writeFileSync(join(dir, `pki${who}/applicant/key.pem`), readFileSync(join(pki, 'keys/holders.key')));
    writeFileSync(join(dir, `pki${who}/applicant/cert.pem`), readFileSync(join(pki, `holders/${PEOPLE[who].tckn}.pem`)));
    run('bash', [join(SRC, 'scripts/demo-token.sh'), join(dir, `hsm${who}`), join(dir, `pki${who}`)]);
  }
  const csv = [
    'tckn;ad;soyad;dogum_yeri;dogum_tarihi;kurum_kodu;kurum_adi;il_kodu;ilce;birim;unvan;gorev_durumu;gorevlendirme_bitis;eimza_hakki;eposta;cep_telefonu',
    ...Object.values(PEOPLE).map(
      (p) => `${p.tckn};${p.first};${p.last};${p.place};${p.date};${p.plate}0001;Okul;${p.plate};Merkez;Eğitim;Öğretmen;aktif;;1;x${p.plate}@example.org;0${p.phone}`,
    ),
  ];
  writeFileSync(join(dir, 'personnel.csv'), `${csv.join('\n')}\n`);
  run(BIN, ['migrate', '--db', db]);
  run(BIN, ['import', 'personnel', join(dir, 'personnel.csv'), '--db', db]);
  run(BIN, ['import', 'certificates', join(pki, 'holders.pem'), '--db', db]);

  // the portal's TLS: a CA of its own and a certificate for both its names
  const o = (args) => run('openssl', args);
  o(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'ca.key'),
    '-out', join(dir, 'ca.pem'), '-days', '2', '-subj', '/CN=eimza e2e portal CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
  o(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'tls.key'),
    '-subj', '/CN=127.0.0.1', '-out', join(dir, 'tls.csr')]);
  writeFileSync(join(dir, 'tls.ext'), `subjectAltName=DNS:${HOST},IP:127.0.0.1\nextendedKeyUsage=serverAuth\n`);
  o(['x509', '-req', '-in', join(dir, 'tls.csr'), '-CA', join(dir, 'ca.pem'), '-CAkey', join(dir, 'ca.key'),
    '-CAcreateserial', '-CAserial', join(dir, 'ca.srl'), '-days', '2', '-extfile', join(dir, 'tls.ext'),
    '-out', join(dir, 'tls.pem')]);

  agentPort = await freePort();
  const portalPort = await freePort();
  const oldPort = await freePort();
  portal = await serve('portal', portalPort, '');
  await serve('old', oldPort, 'agent_min_version = 999.0\n');
  site = `https://${HOST}:${portalPort}`;
  siteOld = `https://${HOST}:${oldPort}`;
  await ocspReady;

  conf = join(dir, 'agent.conf');
  writeFileSync(conf, `module = ${MODULE}\norigin = ${portal}\nca_file = ${join(dir, 'ca.pem')}\n`);
  chmodSync(conf, 0o600);
  mkdirSync(join(dir, 'xdg'));

  browser = await launch([
    // the portal on 127.0.0.1 counts as a public site: its requests to the agent on
    // loopback need the Local Network Access permission
    `--ip-address-space-overrides=127.0.0.1:${portalPort}=public,127.0.0.1:${oldPort}=public`,
    `--host-resolver-rules=MAP ${HOST} 127.0.0.1`,
  ]);
});

after(async () => {
  await browser?.close().catch(() => {});
  // the servers must stop cleanly (under ASan a leak changes the exit status)
  const results = await stopAll();
  if (dir) rmSync(dir, { recursive: true, force: true });
  for (const [name, r] of results) {
    if (name.endsWith('eimza serve')) assert.deepEqual(r, { code: 0, signal: null }, `${name} stops cleanly`);
  }
});

function startAgent(name) {
  return startPinAgent(
    ['--config', conf, '--origin', site, '--origin', siteOld, '--listen', `127.0.0.1:${agentPort}`],
    env('A'),
    join(logs, `relay-${name}.log`),
  );
}

// Logs a person in through the JSON API in this browser context (its cookie is the page's
// session) and walks the application to the signing step with the e-signature chosen, unless
// it is there already. The requests are made by a page of the context (the browser resolves
// the portal's test name; Node would not). Returns the application's number.
async function signIn(context, who, origin = site) {
  const p = PEOPLE[who];
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  const r = await page.evaluate(async (p) => {
    const call = async (method, path, body, csrf) => {
      const headers = body ? { 'Content-Type': 'application/json' } : {};
      if (csrf) headers['X-CSRF-Token'] = csrf;
      const res = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
      const json = await res.json();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const { id } = await call('GET', '/api/v1/captcha');
    const { answer } = await call('GET', `/dev/captcha/${id}`);
    const login = await call('POST', '/api/v1/login', {
      tckn: p.tckn, first_name: p.first, last_name: p.last, birth_place: p.place, birth_date: p.date,
      captcha_id: id, captcha_answer: answer,
    });
    const csrf = login.csrf_token;
    const app = await call('GET', '/api/v1/application');
    if (app.state === 'code_verified') return { number: app.number };
    await call('PUT', '/api/v1/application', {
      security_word: 'Gizli Sözcük', security_word_repeat: 'Gizli Sözcük', address: 'Okul Sok. 1',
      postal_code: `${p.plate}100`, mobile_operator: 'vodafone',
    }, csrf);
    await call('POST', '/api/v1/application/otp', {}, csrf);
    const outbox = await call('GET', '/dev/outbox');
    const sms = outbox.filter((m) => m.channel === 'sms' && m.to === p.phone).at(-1);
    if (!sms) throw new Error('no SMS in the development outbox');
    await call('POST', '/api/v1/application/otp/verify', { code: sms.body.match(/\b(\d{6})\b/)[1] }, csrf);
    await call('POST', '/api/v1/application/method', { method: 'esign' }, csrf);
    return { number: app.number };
  }, p);
  await page.close();
  return r.number;
}

// A context of its own, a person logged in, the permission set as asked ('granted', 'denied'
// or null: not asked yet), the signing page open. Collects the problems as lib.mjs does, and
// the page's requests to the agent.
async function openPage(who, permission, query = '', origin = site) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'tr-TR' });
  const number = await signIn(context, who, origin);
  const page = await context.newPage();
  const problems = [];
  const agentRequests = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
  page.on('request', (r) => {
    if (r.url().startsWith(`http://127.0.0.1:${agentPort}/`)) agentRequests.push(r.url());
  });
  page.on('requestfailed', (r) => problems.push(`load failed: ${r.url()} ${r.failure()?.errorText}`));
  const cdp = await context.newCDPSession(page);
  const { targetInfo } = await cdp.send('Target.getTargetInfo');
  // (the permissions set through a DevTools session last only while it is attached: this one
  // stays open until the browser closes)
  browserCdp ||= await browser.newBrowserCDPSession();
  const setPermission = (setting) =>
    browserCdp.send('Browser.setPermission', {
      permission: { name: 'loopback-network' },
      setting,
      origin,
      browserContextId: targetInfo.browserContextId,
    });
  if (permission) await setPermission(permission);
  await page.goto(`${origin}/imza${query}`);
  return { context, page, problems, agentRequests, setPermission, number };
}

const text = async (page, sel) => (await page.textContent(sel)).replace(/\s+/g, ' ').trim();
// the portal's tickets, from its database (states as stored: expiry is read from the times)
const sql = (q) => run('sqlite3', [db.slice('sqlite:'.length), q]).trim();
const tickets = (number) =>
  sql(`SELECT t.state || ' ' || t.error_code FROM sign_tickets t JOIN applications a ON a.id = t.application_id WHERE a.number = '${number}' ORDER BY t.id`)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
const appState = (number) => sql(`SELECT state FROM applications WHERE number = '${number}'`);

// Waits until tab p shows the confirmation page after a signature on the relay path. The press
// handed an eimza: link to the desktop, a navigation Chromium aborts here (no handler for the
// scheme); when that abort's event reaches Playwright late (the handler runs synchronously in
// this process meanwhile), page.waitForURL takes it for the awaited page's and fails
// (net::ERR_ABORTED, seen on main too). The address is polled instead; the page must still
// come, within the same 20 s.
async function reachesDone(p) {
  const done = `${site}/basvuru/tamam`;
  const end = Date.now() + 20000;
  while (p.url() !== done) {
    if (Date.now() > end) assert.fail(`not at ${done} after 20 s but at ${p.url()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await p.waitForLoadState('load');
}

// what the browser says when the permission keeps the page from the agent, and the eimza:
// navigation the desktop takes over: expected here, not problems
function unexpected(list) {
  return list.filter(
    (p) =>
      !p.startsWith(`load failed: http://127.0.0.1:${agentPort}/`) &&
      !p.startsWith('load failed: eimza://sign?') &&
      !/loopback|local network|Failed to load resource|address space|Permission was denied/i.test(p),
  );
}

// Runs `eimza agent --handle-url URL` as the desktop's handler would, with `who`'s card and
// the PIN on fd 3.
function handleUrl(url, pin, name, who) {
  writeFileSync(join(dir, 'pin'), `${pin}\n`);
  const h = spawnSync(
    'sh',
    ['-c', 'exec "$0" agent --config "$1" --handle-url "$2" --pin-fd 3 3<"$3"', BIN, conf, url, join(dir, 'pin')],
    { env: env(who), encoding: 'utf8' },
  );
  writeFileSync(join(logs, `relay-${name}.log`), h.stdout + h.stderr);
  return h;
}

// The portal's evidence of the application's signature verifies, made with the card's
// certificate.
function verifySignature(number, who) {
  const out = join(dir, `evidence-${number}`);
  run(BIN, ['evidence', 'export', number, '--out', out, '--db', db]);
  run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(out, 'signature.p7s'),
    '-content', join(out, 'content.txt'), '-CAfile', join(dir, 'pki/chain.pem'), '-purpose', 'any',
    '-signer', join(out, 'signer.pem'), '-out', '/dev/null']);
  const fp = (f) => run('openssl', ['x509', '-in', f, '-noout', '-fingerprint', '-sha256']);
  const want = who === 'A' ? join(dir, 'pki/applicant/cert.pem') : join(dir, `pki/holders/${PEOPLE[who].tckn}.pem`);
  assert.equal(fp(join(out, 'signer.pem')), fp(want), "signed with the person's card");
}

// ---- the loopback path, the Local Network Access way ------------------------------------------

test('not yet allowed: nothing on load; allowed, one press of "İmzala" signs', { skip }, async () => {
  agent = await startAgent('agent-1');
  const { context, page, problems, agentRequests, setPermission, number } = await openPage('A', null);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'tr');
  await page.waitForFunction(() => /İzin ver/.test(document.getElementById('sign-status').textContent));
  assert.match(await text(page, '#sign-status'), /^"İmzala" düğmesine bastığınızda tarayıcınız.*"İzin ver"i seçiniz\.$/);
  assert.equal(await page.isVisible('#sign-form'), true);
  assert.equal(await page.isEnabled('#sign-button'), true, '"İmzala" can be pressed');
  assert.equal(await page.isVisible('#sign-relay'), true, 'the relay path is offered beside it');
  await page.waitForTimeout(1500);
  assert.deepEqual(agentRequests, [], 'no request to the agent before the press');

  await setPermission('granted'); // what "Allow" at the browser's prompt gives
  const signed = page.waitForResponse((r) => r.url().endsWith('/v1/sign') && r.request().method() === 'POST');
  agent.pin(PIN);
  await page.click('#sign-button');
  assert.equal((await signed).status(), 200);
  await page.waitForURL(`${site}/basvuru/tamam`, { timeout: 20000 });
  assert.deepEqual(tickets(number), [], 'no ticket on this path');
  assert.equal(appState(number), 'submitted');
  verifySignature(number, 'A');
  assert.ok(agentRequests.some((u) => u.endsWith('/v1/tokens')), 'the cards were listed');
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});

test('denied at the prompt: Turkish guidance, and the relay path signs anyway', { skip }, async () => {
  const { context, page, problems, number } = await openPage('B', null);
  await page.waitForFunction(() => !document.getElementById('sign-button').disabled);
  // headless Chromium answers the permission prompt with "Block", as a person may
  await page.click('#sign-button');
  await page.waitForSelector('#sign-lna:not([hidden])');
  const guidance = await text(page, '#sign-lna');
  assert.match(guidance, /Tarayıcınız imza aracına bağlanmaya izin vermiyor/);
  assert.match(guidance, /site bilgileri simgesine tıklayınız.*"İzin ver" yapın ve sayfayı yenileyiniz/);
  assert.match(guidance, /aşağıdaki "İmza aracını aç" düğmesini kullanınız/);
  assert.ok(
    await page.evaluate(() =>
      Boolean(document.getElementById('sign-lna').compareDocumentPosition(document.getElementById('sign-relay')) &
        Node.DOCUMENT_POSITION_FOLLOWING),
    ),
    'the relay button is below the guidance that points to it',
  );
  assert.deepEqual(await a11yProblems(page), [], 'accessibility of the guidance and the relay box');
  assert.equal(
    await page.evaluate(async () => (await navigator.permissions.query({ name: 'loopback-network' })).state),
    'denied',
  );
  await page.screenshot({ path: join(logs, 'relay-1-denied.png'), fullPage: true }).catch(() => {});

  // the relay path: the ticket, the eimza: URL (handed to the agent as the desktop would)
  const ticketAnswer = page.waitForResponse((r) => r.url() === `${site}/api/v1/application/sign-ticket` && r.request().method() === 'POST');
  await page.click('#sign-relay-button');
  const t = await (await ticketAnswer).json();
  assert.match(t.url, new RegExp(`^eimza://sign\\?ticket=[A-Za-z0-9_-]{43}&portal=${portal}$`));
  assert.equal(await page.getAttribute('#sign-relay-link', 'href'), t.url, 'the link to open it by hand');
  assert.match(await text(page, '#sign-status'), /^İmza aracı açılıyor/);
  const h = handleUrl(t.url, PIN, 'handler-1', 'B');
  assert.equal(h.status, 0, h.stderr);
  await reachesDone(page);
  assert.deepEqual(tickets(number), ['submitted']);
  verifySignature(number, 'B');
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});

test('denied beforehand: the page says so on load, touches nothing, and a wrong PIN on the relay path comes back', { skip }, async () => {
  const { context, page, problems, agentRequests, number } = await openPage('C', 'denied');
  await page.waitForSelector('#sign-lna:not([hidden])');
  assert.match(await text(page, '#sign-status'), /^Tarayıcınız, bu sayfanın bilgisayarınızdaki e-imza aracına bağlanmasını engelliyor/);
  assert.equal(await page.isVisible('#sign-form'), false, 'no card list to wait for');
  assert.equal(await page.isVisible('#sign-relay-button'), true);
  await page.waitForTimeout(1000);
  assert.deepEqual(agentRequests, [], 'the page never asked the agent');

  const ticketAnswer = page.waitForResponse((r) => r.url() === `${site}/api/v1/application/sign-ticket` && r.request().method() === 'POST');
  await page.click('#sign-relay-button');
  const t = await (await ticketAnswer).json();
  assert.equal(await page.isDisabled('#sign-relay-button'), true, 'one request at a time');
  const h = handleUrl(t.url, '000000', 'handler-2', 'C');
  assert.equal(h.status, 2, h.stderr);
  await page.waitForFunction(() => /PIN yanlış/.test(document.getElementById('sign-status').textContent));
  assert.equal(await text(page, '#sign-status'), 'PIN yanlış; içerik imzalanmadı. Dikkat: üç yanlış PIN kartı kilitler.');
  await page.waitForFunction(() => !document.getElementById('sign-relay-button').disabled);
  assert.equal(new URL(page.url()).pathname, '/imza', 'still on the signing page');
  assert.deepEqual(tickets(number), ['cancelled pin_incorrect'], 'the agent told the portal');
  assert.equal(appState(number), 'code_verified', 'nothing signed');

  // the same ticket cannot be used again; a new press gets a new one, which signs. (Headless
  // Chromium keeps the tab that launched an eimza: URL from taking more clicks, as if its
  // "open the application?" question were still on screen; a person answers it. The new press
  // is made in a second tab of the same session.)
  const again = handleUrl(t.url, PIN, 'handler-3', 'C');
  assert.equal(again.status, 5);
  assert.match(again.stderr, /ticket_used/);
  const tab = await context.newPage();
  tab.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
  await tab.goto(`${site}/imza`);
  await tab.waitForSelector('#sign-relay-button:not([disabled])');
  const next = tab.waitForResponse((r) => r.url() === `${site}/api/v1/application/sign-ticket` && r.request().method() === 'POST');
  await tab.click('#sign-relay-button');
  const t2 = await (await next).json();
  assert.notEqual(t2.ticket, t.ticket);
  assert.equal(handleUrl(t2.url, PIN, 'handler-4', 'C').status, 0);
  await reachesDone(tab);
  assert.deepEqual(tickets(number), ['cancelled pin_incorrect', 'submitted']);
  verifySignature(number, 'C');
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});

test('an agent older than the portal asks for: update, with the download link', { skip }, async () => {
  const { context, page, problems } = await openPage('D', 'granted', '', siteOld);
  assert.equal(await page.getAttribute('#sign-form', 'data-agent-min-version'), '999.0');
  await page.waitForSelector('#sign-update:not([hidden])');
  assert.match(await text(page, '#sign-update'), /^Bilgisayarınızdaki e-imza aracı eski \(sürüm \d+\.\d+\.\d+; en az 999\.0 gerekiyor\)/);
  assert.equal(await page.getAttribute('#sign-update a', 'href'), '/indir/eimza-agent.deb');
  assert.equal(await page.isDisabled('#sign-button'), true, 'nothing to sign with an old agent');
  assert.deepEqual(await a11yProblems(page), [], 'accessibility of the update notice');
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});

test('the English page speaks English', { skip }, async () => {
  const { context, page, problems } = await openPage('D', 'denied', '?lang=en');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.waitForSelector('#sign-lna:not([hidden])');
  assert.match(await text(page, '#sign-status'), /^Your browser blocks this page from connecting to the e-signature agent/);
  assert.match(await text(page, '#sign-lna'), /set the site's local network \(apps on this device\) access to "Allow"/);
  assert.equal(await text(page, '#sign-relay-button'), 'Open the signing agent');
  await context.close();

  // allowed, with the agent listing the card: the card's line in English too
  const en = await openPage('D', 'granted', '?lang=en');
  await en.page.waitForFunction(() => !document.getElementById('sign-button').disabled);
  assert.match(await text(en.page, '#sign-status'), /^Your card was found\. When you press "Sign"/);
  const option = await en.page.textContent('#sign-token option');
  assert.match(option, /^eimza-demo — .*: Ayşegül Işık, valid until \d{4}-\d{2}-\d{2}$/);
  assert.deepEqual(unexpected([...problems, ...en.problems]), []);
  await en.context.close();
});

test('the agent stops cleanly', { skip }, async () => {
  assert.deepEqual(await stop(agent), { code: 0, signal: null }, 'exit 0 (ASan finds no leak)');
  const log = readFileSync(join(logs, 'relay-agent-1.log'), 'utf8');
  assert.ok(!log.includes('10000000214'), 'no T.C. Kimlik No in the agent log');
});
