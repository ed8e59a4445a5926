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
// The portal here is tests/mocks/relay-portal.mjs: A STAND-IN that serves the /imza markup
// and implements the relay contract of docs/INTERFACES.md, until `eimza serve` has the
// endpoints (then this test should move to the real server). The card is the demo SoftHSM2
// token with the demo PKI's applicant; the signatures the stand-in receives are checked with
// `openssl cms -verify` against the demo chain.
//
// Environment: EIMZA_BIN, EIMZA_SOURCE_DIR, EIMZA_ARTIFACTS, EIMZA_CHROMIUM as for run.sh
// (EIMZA_E2E_URL, the shared server, is not used). Skipped without openssl, SoftHSM2 or
// pkcs11-tool unless CI or EIMZA_REQUIRE_E2E=1 is set.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import https from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

// lib.mjs insists on run.sh's shared server; this file does not use it
process.env.EIMZA_E2E_URL ||= 'http://127.0.0.1:9';
const { a11yProblems } = await import('./lib.mjs');

const BIN = process.env.EIMZA_BIN && resolve(process.env.EIMZA_BIN);
const SRC = process.env.EIMZA_SOURCE_DIR && resolve(process.env.EIMZA_SOURCE_DIR);
const ARTIFACTS = process.env.EIMZA_ARTIFACTS;
const MODULE = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
].find((m) => existsSync(m));
const PIN = '123456';

function missingTool() {
  if (!BIN || !SRC) return 'EIMZA_BIN and EIMZA_SOURCE_DIR must be set';
  for (const c of ['openssl', 'softhsm2-util', 'pkcs11-tool']) {
    if (spawnSync('sh', ['-c', `command -v ${c}`]).status !== 0) return `${c} is not installed (make deps)`;
  }
  if (!MODULE) return 'libsofthsm2.so is not installed (make deps)';
  return null;
}
const missing = missingTool();
if (missing && (process.env.CI || process.env.EIMZA_REQUIRE_E2E === '1')) {
  throw new Error(`relay.test.mjs cannot run: ${missing}`);
}
const skip = missing ? `skipped: ${missing}` : false;

// ---- processes (as sign.test.mjs) ----------------------------------------------------------

const procs = new Set();
function start(cmd, args, opts, logfile) {
  const child = spawn(cmd, args, { ...opts, stdio: opts.stdio || ['ignore', 'pipe', 'pipe'] });
  child.out = '';
  child.exited = new Promise((res) => {
    child.on('exit', (code, signal) => {
      procs.delete(child);
      res({ code, signal });
    });
  });
  procs.add(child);
  const log = createWriteStream(logfile);
  for (const s of [child.stdout, child.stderr]) {
    s.on('data', (d) => {
      child.out += d.toString();
      log.write(d);
    });
  }
  child.ready = (re, ms = 15000) =>
    new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`${cmd} not ready in ${ms} ms:\n${child.out}`)), ms);
      const check = () => {
        const m = child.out.match(re);
        if (m) {
          clearTimeout(timer);
          res(m);
        }
      };
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      child.once('exit', () => {
        clearTimeout(timer);
        rej(new Error(`${cmd} exited before it was ready:\n${child.out}`));
      });
      check();
    });
  return child;
}

async function stop(child, ms = 10000) {
  if (!child) return null;
  if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  const r = await child.exited;
  clearTimeout(timer);
  return r;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

async function freePort() {
  for (let i = 0; i < 200; i++) {
    const port = 20000 + Math.floor(Math.random() * 12768);
    const srv = createServer();
    const ok = await new Promise((res) => {
      srv.once('error', () => res(false));
      srv.listen(port, '127.0.0.1', () => res(true));
    });
    if (ok) {
      await new Promise((res) => srv.close(res));
      return port;
    }
  }
  throw new Error('no free port');
}

// ---- the set-up ------------------------------------------------------------------------------

let dir;
let logs;
// The page is opened as https://eimza-portal.test:PORT (Chromium maps the name to 127.0.0.1
// and counts that address as public), because a page whose host name is a loopback address
// is taken by sign.js for a portal on this very computer (the demo), which the browser does
// not gate. The stand-in names itself https://127.0.0.1:PORT in the eimza: URLs it hands out
// (a portal known by two names), which is where the agent, with no such name map, reaches it.
const HOST = 'eimza-portal.test';
let site; // the page's origin, https://eimza-portal.test:PORT
let portal; // the stand-in's own origin, https://127.0.0.1:PORT
let portalProc;
let agent; // the loopback listener
let agentPort;
let browser;
let browserCdp;
let conf; // the agent's settings file for --handle-url
const env = () => ({ ...process.env, SOFTHSM2_CONF: join(dir, 'hsm/softhsm2.conf'), XDG_CONFIG_HOME: join(dir, 'xdg') });

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'eimza-e2e-relay.'));
  logs = ARTIFACTS || dir;
  mkdirSync(logs, { recursive: true });
  writeFileSync(join(dir, 'spec.tsv'), '10000000214\tapplicant\t45\tAyşegül Işık\n');
  run('bash', [join(SRC, 'scripts/demo-pki.sh'), join(dir, 'pki'), join(dir, 'spec.tsv')]);
  run('bash', [join(SRC, 'scripts/demo-token.sh'), join(dir, 'hsm'), join(dir, 'pki')]);

  // the portal's TLS: a CA of its own and a certificate for 127.0.0.1
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
  portalProc = start(
    'node',
    [join(SRC, 'tests/mocks/relay-portal.mjs'), '--key', join(dir, 'tls.key'), '--cert', join(dir, 'tls.pem'),
      '--port', String(portalPort), '--out', join(dir, 'peer'), '--static', join(SRC, 'static'),
      '--agent-url', `http://127.0.0.1:${agentPort}`],
    {},
    join(logs, 'relay-portal.log'),
  );
  portal = (await portalProc.ready(/^relay-portal: listening on (https:\S+)$/m))[1];
  site = `https://${HOST}:${portalPort}`;

  conf = join(dir, 'agent.conf');
  writeFileSync(conf, `module = ${MODULE}\norigin = ${portal}\nca_file = ${join(dir, 'ca.pem')}\n`);
  chmodSync(conf, 0o600);
  mkdirSync(join(dir, 'xdg'));

  browser = await chromium.launch({
    executablePath: process.env.EIMZA_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // the portal on 127.0.0.1 counts as a public site: its requests to the agent on
      // loopback need the Local Network Access permission
      `--ip-address-space-overrides=127.0.0.1:${portalPort}=public`,
      `--host-resolver-rules=MAP ${HOST} 127.0.0.1`,
    ],
  });
});

after(async () => {
  await browser?.close().catch(() => {});
  await Promise.all([...procs].map((p) => stop(p)));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function startAgent(name) {
  const a = start(
    BIN,
    ['agent', '--config', conf, '--origin', site, '--listen', `127.0.0.1:${agentPort}`, '--pin-fd', '3'],
    { env: env(), stdio: ['ignore', 'pipe', 'pipe', 'pipe'] },
    join(logs, `relay-${name}.log`),
  );
  a.stdio[3].on('error', () => {});
  a.pin = (line) => a.stdio[3].write(`${line}\n`);
  await a.ready(/^eimza agent: listening on http:\/\/127\.0\.0\.1:(\d+)/m);
  return a;
}

// A context of its own (a new session at the stand-in) with the permission set as asked:
// 'granted', 'denied' or null (not asked yet). Collects the problems as lib.mjs does, and the
// page's requests to the agent.
async function openPage(permission, query = '') {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'tr-TR' });
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
      origin: site,
      browserContextId: targetInfo.browserContextId,
    });
  if (permission) await setPermission(permission);
  await page.goto(`${site}/imza${query}`);
  return { context, page, problems, agentRequests, setPermission };
}

const text = async (page, sel) => (await page.textContent(sel)).replace(/\s+/g, ' ').trim();
// the stand-in's record of the tickets (its test control), over HTTPS with the portal's CA
function tickets() {
  return new Promise((res, rej) => {
    https
      .get(`${portal}/_test/tickets`, { ca: readFileSync(join(dir, 'ca.pem')) }, (r) => {
        let body = '';
        r.on('data', (d) => (body += d));
        r.on('end', () => res(JSON.parse(body)));
      })
      .on('error', rej);
  });
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

// Runs `eimza agent --handle-url URL` as the desktop's handler would, the PIN on fd 3.
function handleUrl(url, pin, name) {
  writeFileSync(join(dir, 'pin'), `${pin}\n`);
  const h = spawnSync(
    'sh',
    ['-c', 'exec "$0" agent --config "$1" --handle-url "$2" --pin-fd 3 3<"$3"', BIN, conf, url, join(dir, 'pin')],
    { env: env(), encoding: 'utf8' },
  );
  writeFileSync(join(logs, `relay-${name}.log`), h.stdout + h.stderr);
  return h;
}

function verifySignature(number) {
  const peer = join(dir, 'peer');
  run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(peer, `signature-${number}.p7s`),
    '-content', join(peer, `content-${number}.txt`), '-CAfile', join(dir, 'pki/chain.pem'), '-purpose', 'any',
    '-signer', join(dir, `signer-${number}.pem`), '-out', '/dev/null']);
  const fp = (f) => run('openssl', ['x509', '-in', f, '-noout', '-fingerprint', '-sha256']);
  assert.equal(fp(join(dir, `signer-${number}.pem`)), fp(join(dir, 'pki/applicant/cert.pem')), "the card's certificate");
}

// ---- the loopback path, the Local Network Access way ------------------------------------------

test('not yet allowed: nothing on load; allowed, one press of "İmzala" signs', { skip }, async () => {
  agent = await startAgent('agent-1');
  const { context, page, problems, agentRequests, setPermission } = await openPage(null);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'tr');
  await page.waitForFunction(() => /İzin ver/.test(document.getElementById('sign-status').textContent));
  assert.match(await text(page, '#sign-status'), /^"İmzala" düğmesine bastığınızda tarayıcınız.*"İzin ver"i seçin\.$/);
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
  await page.waitForURL(`${site}/durum`, { timeout: 20000 });
  assert.equal((await tickets()).length, 0, 'no ticket on this path');
  const number = await text(page, '.app-number');
  verifySignature(number);
  assert.ok(agentRequests.some((u) => u.endsWith('/v1/tokens')), 'the cards were listed');
  assert.deepEqual(unexpected(problems), []);
  await context.close();
  const submitted = readFileSync(join(dir, 'peer/requests.jsonl'), 'utf8')
    .trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.path === '/api/v1/application/signature');
  assert.equal(submitted.length, 1, 'the page sent the signature');
});

test('denied at the prompt: Turkish guidance, and the relay path signs anyway', { skip }, async () => {
  const { context, page, problems } = await openPage(null);
  await page.waitForFunction(() => !document.getElementById('sign-button').disabled);
  // headless Chromium answers the permission prompt with "Block", as a person may
  await page.click('#sign-button');
  await page.waitForSelector('#sign-lna:not([hidden])');
  const guidance = await text(page, '#sign-lna');
  assert.match(guidance, /Tarayıcınız imza aracına bağlanmaya izin vermiyor/);
  assert.match(guidance, /site bilgileri simgesine tıklayın.*"İzin ver" yapın ve sayfayı yenileyin/);
  assert.match(guidance, /aşağıdaki "İmza aracını aç" düğmesini kullanın/);
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
  const h = handleUrl(t.url, PIN, 'handler-1');
  assert.equal(h.status, 0, h.stderr);
  await page.waitForURL(`${site}/durum`, { timeout: 20000 });
  const all = await tickets();
  assert.equal(all.at(-1).state, 'submitted');
  assert.deepEqual(unexpected(problems), []);
  await context.close();
  const number = h.stdout.match(/application (\S+) signed/)[1];
  verifySignature(number);
});

test('denied beforehand: the page says so on load, touches nothing, and a wrong PIN on the relay path comes back', { skip }, async () => {
  const { context, page, problems, agentRequests } = await openPage('denied');
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
  const h = handleUrl(t.url, '000000', 'handler-2');
  assert.equal(h.status, 2, h.stderr);
  await page.waitForFunction(() => /PIN yanlış/.test(document.getElementById('sign-status').textContent));
  assert.equal(await text(page, '#sign-status'), 'PIN yanlış; içerik imzalanmadı. Dikkat: üç yanlış PIN kartı kilitler.');
  await page.waitForFunction(() => !document.getElementById('sign-relay-button').disabled);
  assert.equal(new URL(page.url()).pathname, '/imza', 'still on the signing page');
  const last = (await tickets()).at(-1);
  assert.equal(last.state, 'cancelled', 'the agent told the portal');
  assert.deepEqual(last.error, { code: 'pin_incorrect', message: null });

  // the same ticket cannot be used again; a new press gets a new one, which signs. (Headless
  // Chromium keeps the tab that launched an eimza: URL from taking more clicks, as if its
  // "open the application?" question were still on screen; a person answers it. The new press
  // is made in a second tab of the same session.)
  const again = handleUrl(t.url, PIN, 'handler-3');
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
  assert.equal(handleUrl(t2.url, PIN, 'handler-4').status, 0);
  await tab.waitForURL(`${site}/durum`, { timeout: 20000 });
  assert.equal((await tickets()).at(-1).state, 'submitted');
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});

test('an agent older than the page asks for: update, with the download link', { skip }, async () => {
  const { context, page, problems } = await openPage('granted', '?min=999.0');
  await page.waitForSelector('#sign-update:not([hidden])');
  assert.match(await text(page, '#sign-update'), /^Bilgisayarınızdaki e-imza aracı eski \(sürüm \d+\.\d+\.\d+; en az 999\.0 gerekiyor\)/);
  assert.equal(await page.getAttribute('#sign-update a', 'href'), '/indir/eimza-agent.deb');
  assert.equal(await page.isDisabled('#sign-button'), true, 'nothing to sign with an old agent');
  assert.deepEqual(await a11yProblems(page), [], 'accessibility of the update notice');
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});

test('the English page speaks English', { skip }, async () => {
  const { context, page, problems } = await openPage('denied', '?lang=en');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.waitForSelector('#sign-lna:not([hidden])');
  assert.match(await text(page, '#sign-status'), /^Your browser blocks this page from connecting to the e-signature agent/);
  assert.match(await text(page, '#sign-lna'), /set the site's local network \(apps on this device\) access to "Allow"/);
  assert.equal(await text(page, '#sign-relay-button'), 'Open the signing agent');
  await context.close();

  // allowed, with the agent listing the card: the card's line in English too
  const en = await openPage('granted', '?lang=en');
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
