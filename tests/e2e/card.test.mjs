// eimza e2e — issue 15: after the approval, the card's way to the holder in a real browser,
// with the in-house card bureau (production = inhouse): approve → produce → ship → deliver →
// the PIN on the portal → "try my new card" through the local agent → completed.
//
// The shared server of run.sh has no CA, so this file starts its own set-up in a temporary
// directory, as sign.test.mjs does: the demo PKI (scripts/demo-pki.sh: the holder's current
// certificate, 45 days left, and the in-house CA's key in a SoftHSM2 token), one blank card
// beside it (scripts/demo-token.sh --blank 1), `eimza serve --dev` with production = inhouse,
// the CA token, the card reader and the PIN key, and `eimza agent` on the same SoftHSM2
// reading PINs from a pipe (--pin-fd 3).
//
// In Chromium: the approver approves on the application's page; the operator finds it on
// /yonetim/uretim (the "waiting for an order" view and the search by number), makes the card
// on /yonetim/kart/{id}, records the shipment and the delivery. The holder logs in, sees the
// card delivered on /durum, takes the PIN on /pin (the word's hint says who helps; two wrong
// words, in Turkish and English, each a short message at the field with the tries left, who helps
// said once; she has forgotten it, so the operator, having seen her identity card, lifts the
// word step on /yonetim/kart/{id}; then the SMS code alone, the PIN and PUK shown once; a
// second retrieval refused, saying what the PUK does and who helps when it is lost too, in both
// languages; the right word's path is tests/cli/test_card_inhouse.sh's), opens
// /kart-dene, chooses the new card in the list and signs with the PIN given to the agent: the
// application is completed and the card active. A second holder cancels her application
// before the decision on /iptal and sees the decision on /durum with a button for a new one.
// Every new page is checked at 1280 and 390 px wide with the accessibility rules of lib.mjs
// and axe-core's WCAG 2.2 A/AA rules; screenshots are kept (card-*.png).
//
// Environment: EIMZA_BIN, EIMZA_SOURCE_DIR, EIMZA_ARTIFACTS, EIMZA_CHROMIUM as for run.sh.
// EIMZA_E2E_URL (run.sh's shared server) is not used. Without openssl, SoftHSM2 or
// pkcs11-tool the tests are skipped, unless CI or EIMZA_REQUIRE_E2E=1 is set.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { BIN, MODULE, SRC, demoPki, freePort, run, skipUnless, start, startPinAgent, stop, stopAll, workDir } from './procs.mjs';

// lib.mjs insists on run.sh's shared server; this file does not use it (BASE is not imported)
process.env.EIMZA_E2E_URL ||= 'http://127.0.0.1:9';
const lib = await import('./lib.mjs');
const { DESKTOP, PHONE, a11yProblems, apiAt, applyAt, axeViolations, eventually, lastSms, launch, open, screenshot, scrollsSideways, submitAndWait } = lib;

const HOLDER = { tckn: '30000000182', first: 'Ayşe', last: 'Kaya', place: 'Batman', date: '1980-03-15', phone: '5321000001' };
const OTHER = { tckn: '30000000250', first: 'Elif', last: 'Demir', place: 'Batman', date: '1981-04-16', phone: '5321000002' };
const WORD = 'Mavi Kelebek 7';
const APPROVER = { user: 'onay72', password: 'Batman-Onay-2024!' };
const OPERATOR = { user: 'osman.op', password: 'Kart-Operator-2024!' };

// what is needed, and a skip when it is missing
const skip = skipUnless('card.test.mjs', ['openssl', 'softhsm2-util', 'pkcs11-tool']);

// ---- the set-up -------------------------------------------------------------------------

let dir;
let db;
let base;
let agentPort;
let hsmConf;
let server;
let browser;
let logs;

const eimza = (args, input) => run(BIN, [...args, '--db', db], input === undefined ? {} : { input });

const api = (method, path, opts) => apiAt(base, method, path, opts);

const smsTo = (phone, re) => lastSms(base, phone, re);

// An application through the applicant JSON API, up to "waiting for the signed paper".
const apply = (p) =>
  applyAt(
    base,
    p,
    { reason: 'renewal', security_word: WORD, security_word_repeat: WORD, address: 'Okul Sokağı No: 1', postal_code: '72100', mobile_operator: 'vodafone', notify_by: 'sms' },
    { logout: true },
  );

before(async () => {
  if (skip) return;
  ({ dir, logs, db } = workDir('card'));
  const port = await freePort();
  agentPort = await freePort();

  // the holders' current certificates (their OCSP on a closed port: the revocation of the
  // old certificate is not this test's subject), and the in-house CA in pki/hsm, trusted too
  const pki = demoPki(
    dir,
    [HOLDER, OTHER].map((p) => `${p.tckn}\tactive\t45\t${p.first} ${p.last}\n`).join(''),
    9,
    ['root/root.pem', 'nes/nes.pem', 'inhouse/ca.pem'],
  );
  hsmConf = join(pki, 'hsm/softhsm2.conf');
  // the blank card, made before the server opens the engine (SoftHSM2 reads its tokens once)
  const blank = run('bash', [join(SRC, 'scripts/demo-token.sh'), '--blank', '1', join(pki, 'hsm')]).trim();
  assert.match(blank, /^\S+$/, 'one blank card');

  const header =
    'tckn;ad;soyad;dogum_yeri;dogum_tarihi;kurum_kodu;kurum_adi;il_kodu;ilce;birim;unvan;gorev_durumu;gorevlendirme_bitis;eimza_hakki;eposta;cep_telefonu';
  const rows = [HOLDER, OTHER].map((p, i) =>
    [p.tckn, p.first, p.last, p.place, p.date, `72000${i + 1}`, 'Batman Anadolu Lisesi', 72, 'Merkez', 'Eğitim',
      'Öğretmen', 'aktif', '', 1, `kisi${i}@example.org`, `0${p.phone}`].join(';'),
  );
  writeFileSync(join(dir, 'personnel.csv'), `${[header, ...rows].join('\n')}\n`);
  eimza(['migrate']);
  eimza(['import', 'personnel', join(dir, 'personnel.csv')]);
  eimza(['import', 'certificates', join(pki, 'holders.pem')]);
  eimza(['user', 'add', APPROVER.user, '--role', 'approver', '--province', '72'], APPROVER.password);
  eimza(['user', 'add', OPERATOR.user, '--role', 'operator'], OPERATOR.password);

  writeFileSync(
    join(dir, 'eimza.conf'),
    [
      `static_dir = ${SRC}/static`,
      `agent_url = http://127.0.0.1:${agentPort}`,
      `portal_url = http://127.0.0.1:${port}/`,
      'production = inhouse',
      `ca_module = ${MODULE}`,
      'ca_label = eimza-demo-ca',
      'ca_key_label = kurum-nes',
      `card_module = ${MODULE}`,
      'card_label = eimza-bos',
      'accept_unknown_revocation = true',
      'revocation_timeout_ms = 2000',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'secrets.conf'),
    [`ca_pin = ${readFileSync(join(pki, 'hsm/ca.pin'), 'utf8').trim()}`, 'card_pin = 000000',
      'card_so_pin = 00000000', `pin_key = ${randomBytes(32).toString('hex')}`, ''].join('\n'),
    { mode: 0o600 },
  );
  server = start(
    BIN,
    ['serve', '--dev', '--config', join(dir, 'eimza.conf'), '--config', join(dir, 'secrets.conf'),
      '--listen', `127.0.0.1:${port}`, '--db', db, '--trust-dir', join(dir, 'trust')],
    { cwd: SRC, env: { ...process.env, SOFTHSM2_CONF: hsmConf } },
    join(logs, 'card-server.log'),
  );
  base = (await server.ready(/^eimza: serving on (http[^ ]*) /m))[1].replace(/\/$/, '');

  for (const p of [HOLDER, OTHER]) await apply(p);
  const login = await api('POST', '/api/v1/admin/login', { body: { username: OPERATOR.user, password: OPERATOR.password } });
  assert.equal(login.status, 200, login.text);
  const list = await api('GET', '/api/v1/admin/applications?state=awaiting_original&limit=500', { token: login.json.token });
  for (const p of [HOLDER, OTHER]) p.id = list.json.applications.find((x) => x.number === p.number).id;
  const r = await api('POST', `/api/v1/admin/applications/${HOLDER.id}/paper-received`, { token: login.json.token });
  assert.equal(r.status, 200, r.text);
  await api('POST', '/api/v1/admin/logout', { token: login.json.token });
  browser = await launch();
});

after(async () => {
  await browser?.close().catch(() => {});
  await stopAll();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---- helpers ------------------------------------------------------------------------------

const path = (page) => new URL(page.url()).pathname;
const squash = (s) => (s || '').replace(/\s+/g, ' ').trim();
const text = async (page, sel) => squash(await page.textContent(sel));

// The page at both widths: lib.mjs's rules, axe-core's, no sideways scrolling on the phone,
// and a screenshot of each; every finding is reported at once. lib.mjs's rules first: a
// screenshot (which hides the caret) and axe leave empty style attributes behind.
async function checkPage(page, name) {
  const widths = [['1280', DESKTOP], ['390', PHONE]];
  const found = [];
  for (const [width, vp] of widths) {
    await page.setViewportSize(vp);
    for (const p of await a11yProblems(page)) found.push(`${width} px: ${p}`);
    if (vp === PHONE && (await scrollsSideways(page))) found.push(`${width} px: scrolls sideways`);
  }
  for (const [width, vp] of widths) {
    await page.setViewportSize(vp);
    await screenshot(page, `card-${name}-${width}`);
    for (const p of await axeViolations(page)) found.push(`${width} px: axe: ${p}`);
  }
  await page.setViewportSize(DESKTOP);
  assert.deepEqual(found, [], `accessibility of ${name}`);
}

// Problems but those caused on purpose: pages answered with an error status (a wrong word,
// a second retrieval), and a favicon aborted when the test moves on.
function unexpected(problems, statuses = []) {
  const expected = new RegExp(`the server responded with a status of (${statuses.join('|') || 'none'}) `);
  return problems.filter((p) => !expected.test(p) && !/favicon\.svg net::ERR_ABORTED/.test(p));
}

async function staffLogin(page, who) {
  await page.goto(`${base}/yonetim/giris`);
  await page.fill('#username', who.user);
  await page.fill('#password', who.password);
  await submitAndWait(page, () => page.click('button:has-text("Giriş")'));
  assert.equal(path(page), '/yonetim');
}

async function holderLogin(page, p) {
  await page.goto(`${base}/giris`);
  await page.fill('#tckn', p.tckn);
  await page.fill('#first_name', p.first);
  await page.fill('#last_name', p.last);
  await page.fill('#birth_place', p.place);
  const [y, m, d] = p.date.split('-'); // the login's three fields: Gün, Ay, Yıl
  await page.fill('#birth_date_day', d);
  await page.fill('#birth_date_month', m);
  await page.fill('#birth_date_year', y);
  const id = await page.inputValue('input[name="captcha_id"]');
  await page.fill('#captcha_answer', (await (await page.request.get(`${base}/dev/captcha/${id}`)).json()).answer);
  await submitAndWait(page, () => page.click('button[type="submit"]'));
  await page.goto(`${base}/durum`);
  assert.equal(path(page), '/durum');
}

const appStatus = async (page) => (await page.request.get(`${base}/api/v1/application/status`)).json();

// ---- the tests (in order: each goes on from where the one before left) ----------------------

test('the approver approves; the operator makes, ships and delivers the card', { skip }, async () => {
  let { context, page, problems } = await open(browser);
  await staffLogin(page, APPROVER);
  await page.goto(`${base}/yonetim/basvuru/${HOLDER.id}`);
  await submitAndWait(page, () => page.click('button:has-text("Başvuruyu onayla")'));
  assert.match(await page.textContent('.notice-success'), new RegExp(`${HOLDER.number} numaralı başvuru onaylandı`));
  assert.deepEqual(unexpected(problems), []);
  await context.close();

  ({ context, page, problems } = await open(browser));
  await staffLogin(page, OPERATOR);
  await page.click('nav a:has-text("Kartlar")');
  await page.waitForURL('**/yonetim/uretim**');
  assert.equal(await text(page, 'h1'), 'Kartlar ve teslimat');
  assert.match(await page.textContent('main'), /kurumun kendi sertifika hizmetiyle/, 'the in-house lead');
  const row = page.locator(`tr[data-number="${HOLDER.number}"]`);
  assert.equal(await row.count(), 1, 'the approved application is listed');
  assert.ok(!(await page.content()).includes(HOLDER.tckn), 'no full T.C. Kimlik No on the list');
  await checkPage(page, '1-production');
  await page.goto(`${base}/yonetim/uretim?view=approved`);
  assert.equal(await row.count(), 1, 'in the view of those waiting for an order');
  await page.fill('#number', HOLDER.number);
  await submitAndWait(page, () => page.click('button:has-text("Göster")'));
  assert.equal(await row.count(), 1, 'found by its number');
  assert.equal(await page.locator('tr[data-number]').count(), 1, 'and only it');

  await row.locator('a').first().click();
  await page.waitForURL(`**/yonetim/kart/${HOLDER.id}`);
  assert.equal(await text(page, 'h1'), 'Başvurunun kartı');
  assert.match(await page.textContent('main'), /henüz kart kaydı yok/);
  await checkPage(page, '2-card-approved');

  // the card made (the one blank card in the reader: no serial needed)
  await submitAndWait(page, () => page.click('button:has-text("Kartı üret")'));
  assert.match(path(page), new RegExp(`/yonetim/kart/${HOLDER.id}$`));
  assert.match(await text(page, '.notice-success'), /İşlem kaydedildi/);
  assert.match(await text(page, 'main'), /Kartın durumu Üretildi/);
  assert.match(await text(page, 'main'), /Yeni sertifika Seri numarası [0-9A-F]+;/);
  await checkPage(page, '3-card-produced');

  // shipped: the carrier's name is needed
  await submitAndWait(page, () => page.click('button:has-text("Kuryeye verildi olarak kaydet")'));
  assert.match(await page.title(), /^Hata: /);
  assert.equal(await page.getAttribute('[data-error-summary] a', 'href'), '#carrier');
  assert.equal(await page.getAttribute('#carrier', 'aria-invalid'), 'true');
  await checkPage(page, '4-card-ship-error');
  await page.fill('#carrier', 'PTT Kargo');
  await page.fill('#tracking_number', 'KP123456789TR');
  await submitAndWait(page, () => page.click('button:has-text("Kuryeye verildi olarak kaydet")'));
  assert.match(await text(page, 'main'), /Kartın durumu Kuryeye verildi/);
  assert.match(await text(page, 'main'), /KP123456789TR/);

  // delivered (the holder could also confirm it on /durum)
  await submitAndWait(page, () => page.click('button:has-text("Teslim edildi olarak kaydet")'));
  assert.match(await text(page, 'main'), /Kartın durumu Teslim edildi/);
  await checkPage(page, '5-card-delivered');
  assert.deepEqual(unexpected(problems, [400]), []);
  await context.close();

  // the holder was told at each step, by SMS (her choice); the card made here may be handed
  // over in person as well as sent (card_ordered's in-house twin), and the approval says so too
  for (const re of [
    /onaylandı\. Yeni kartınız yaklaşık \d+ gün içinde size elden teslim edilecek ya da formdaki adrese kargo ile/,
    /kartınız üretildi; size elden teslim edilecek ya da kuryeyle gönderilecek/,
    /kuryeye verildi/,
    /teslim edildi/,
  ])
    await smsTo(HOLDER.phone, re);
});

let holder; // { context, page, problems } of the holder, kept for the tests after this one
let pin;

test('the holder takes the PIN on the portal, once', { skip }, async () => {
  holder = await open(browser);
  const { page } = holder;
  await holderLogin(page, HOLDER);
  assert.equal(await text(page, '.state'), 'Durum: Teslim edildi');
  assert.match(await text(page, 'main'), /Kartın durumu Teslim edildi/);
  assert.match(await text(page, 'main'), /KP123456789TR/);
  await checkPage(page, '6-durum-delivered');

  await page.click('a:has-text("PIN\'imi göster")');
  await page.waitForURL('**/pin');
  assert.equal(await text(page, 'h1'), "Yeni kartınızın PIN'i");
  // who helps if she forgot the word: the field's hint, before she spends a try to learn it
  assert.match(await text(page, '#security_word-hint'), /unuttuysanız T\.C\. kimlik kartınızla .*e-imza sorumlusuna/);
  assert.equal(await page.getAttribute('#security_word', 'aria-describedby'), 'security_word-hint');
  await checkPage(page, '7-pin-word');
  // a wrong word: a short message at the field with the tries left, and who helps said once,
  // in the hint under the field (not in the summary, not a second time at the field)
  await page.fill('#security_word', 'Yanlış Sözcük');
  await submitAndWait(page, () => page.click('button:has-text("Devam")'));
  assert.match(await page.title(), /^Hata: /);
  assert.equal(
    await text(page, '#security_word-error'),
    'Hata: Güvenlik sözcüğü yanlış. Büyük/küçük harfe dikkat ederek yeniden yazınız; 2 deneme hakkınız kaldı.',
  );
  assert.equal(await text(page, '[data-error-summary] a'), `Güvenlik sözcüğü: ${(await text(page, '#security_word-error')).slice(6)}`);
  assert.match(await text(page, '#security_word-hint'), /il millî eğitim müdürlüğünüzdeki e-imza sorumlusuna/);
  assert.equal((await text(page, 'main')).match(/sorumlusu/g).length, 1, 'who helps: said once');
  assert.equal(await page.getAttribute('#security_word', 'aria-describedby'), 'security_word-hint security_word-error');
  await checkPage(page, '7-pin-word-wrong');
  // the same in English: the hint, then a second wrong word (one try left)
  await page.goto(`${base}/pin?lang=en`);
  assert.match(await text(page, '#security_word-hint'), /forgotten your security word, go with your identity card to the e-signature officer/);
  await page.fill('#security_word', 'Wrong Word');
  await submitAndWait(page, () => page.click('button:has-text("Continue")'));
  assert.match(await page.title(), /^Error: /);
  assert.equal(
    await text(page, '#security_word-error'),
    'Error: The security word is wrong. Write it again minding capital letters; 1 try left.',
  );
  assert.equal((await text(page, 'main')).match(/e-signature officer/g).length, 1, 'in English too: said once');
  await checkPage(page, '7-pin-word-wrong-en');
  await page.goto(`${base}/pin?lang=tr`);

  // she goes to the operator with her identity card, who lifts the word step on the card page
  const op = await open(browser);
  await staffLogin(op.page, OPERATOR);
  await op.page.goto(`${base}/yonetim/kart/${HOLDER.id}`);
  await submitAndWait(op.page, () => op.page.click('button:has-text("Güvenlik sözcüğü adımını kaldır")'));
  assert.match(await op.page.title(), /^Hata: /, 'the note and the declaration are needed');
  assert.equal(await op.page.getAttribute('#note', 'aria-invalid'), 'true');
  await checkPage(op.page, '7-card-waive-error');
  await op.page.fill('#note', 'T.C. kimlik kartı, son 4 hane 0182');
  await op.page.check('#identity_checked');
  await submitAndWait(op.page, () => op.page.click('button:has-text("Güvenlik sözcüğü adımını kaldır")'));
  assert.match(await text(op.page, '.notice-success'), /İşlem kaydedildi/);
  assert.match(await text(op.page, 'main'), /Güvenlik sözcüğü adımı osman\.op tarafından .* kaldırıldı/);
  await checkPage(op.page, '7-card-word-waived');
  // the same page in English
  await op.page.goto(`${base}/yonetim/kart/${HOLDER.id}?lang=en`);
  assert.match(await text(op.page, 'main'), /osman\.op/);
  assert.match(await text(op.page, 'main'), /security word/i);
  await checkPage(op.page, '7-card-word-waived-en');
  assert.deepEqual(unexpected(op.problems, [400]), []);
  await op.context.close();
  await smsTo(HOLDER.phone, /güvenlik sözcüğü adımı/); // she is told

  // the PIN page asks for the SMS code alone now
  await page.goto(`${base}/pin`);
  assert.match(await text(page, 'main'), /kimliğiniz görülerek kaldırıldı/);
  assert.equal(await page.locator('#security_word').count(), 0, 'no word asked for');
  await checkPage(page, '7-pin-waived');
  await page.goto(`${base}/pin?lang=en`);
  assert.equal(await page.locator('#security_word').count(), 0, 'in English too: no word asked for');
  assert.match(await text(page, 'main'), /SMS/);
  await checkPage(page, '7-pin-waived-en');
  await page.goto(`${base}/pin?lang=tr`);
  await submitAndWait(page, () => page.click('button:has-text("SMS onay kodu gönder")'));
  assert.equal(path(page), '/pin');
  assert.equal(await page.locator('#code').count(), 1, 'the code step');
  await checkPage(page, '8-pin-code');
  const code = (await smsTo(HOLDER.phone, /kodunuz/)).match(/\b(\d{6})\b/)[1];
  await page.fill('#code', code);
  await submitAndWait(page, () => page.click('button:has-text("PIN\'imi göster")'));
  assert.equal(await text(page, 'h1'), 'Kartınızın şifreleri');
  const codes = await page.locator('dl.pin-codes dd').allTextContents();
  assert.equal(codes.length, 2);
  [pin] = codes.map(squash);
  assert.match(pin, /^\d{6}$/, 'the PIN');
  assert.match(squash(codes[1]), /^\d{8}$/, 'the PUK');
  await checkPage(page, '9-pin-shown');

  // a second retrieval: nothing to show
  const res = await page.goto(`${base}/pin`);
  assert.equal(res.status(), 409);
  assert.match(await text(page, 'main'), /Gösterilecek bir PIN yok/);
  // what she can do if she loses it, and who helps: the PUK; without it a new card, through
  // the e-imza sorumlusu (not the approver)
  assert.match(await text(page, 'main'), /PUK ile kartın kilidini açıp yeni bir PIN belirleyebilirsiniz/);
  assert.match(await text(page, 'main'), /PUK'u da kaybettiyseniz .*yeni bir kart gerekir: T\.C\. kimlik kartınızla .*e-imza sorumlusuna/);
  assert.doesNotMatch(await text(page, 'main'), /DYS/);
  assert.ok(!(await page.content()).includes(pin), 'the PIN is not shown again');
  await checkPage(page, '9-pin-again');
  const resEn = await page.goto(`${base}/pin?lang=en`);
  assert.equal(resEn.status(), 409);
  assert.match(await text(page, 'main'), /No PIN to show/);
  assert.match(await text(page, 'main'), /unlock the card with the PUK and set a new PIN/);
  assert.match(await text(page, 'main'), /If you lost the PUK too, .*you need a new card: go with your identity card to the e-signature officer/);
  assert.ok(!(await page.content()).includes(pin), 'nor in English');
  await checkPage(page, '9-pin-again-en');
  await page.goto(`${base}/durum?lang=tr`);
  assert.equal((await appStatus(page)).pin, 'shown');
  assert.deepEqual(unexpected(holder.problems, [400, 409]), []);
});

test('"try my new card": the agent signs with the new card and the application is completed', { skip }, async () => {
  assert.ok(pin, 'the test before took the PIN');
  const { page } = holder;
  const agent = await startPinAgent(
    ['--module', MODULE, '--listen', `127.0.0.1:${agentPort}`, '--origin', base],
    { ...process.env, SOFTHSM2_CONF: hsmConf },
    join(logs, 'card-agent.log'),
  );

  await page.goto(`${base}/durum`);
  await page.click('a:has-text("Yeni kartımı dene")');
  await page.waitForURL('**/kart-dene');
  assert.equal(await text(page, 'h1'), 'Yeni kartınızı deneyin');
  const shown = await page.textContent('pre.signed-content');
  const served = await (await page.request.get(`${base}/api/v1/application/card-test/content`)).text();
  assert.equal(shown, served, 'the page shows exactly the bytes to sign');
  assert.ok(shown.includes(HOLDER.number));
  await page.waitForSelector('#sign-form:not([hidden])');
  // the new card holds the certificate just made; the CA's token is in the list too
  const options = await page.locator('#sign-token option').evaluateAll((os) => os.map((o) => ({ value: o.value, text: o.textContent })));
  const card = options.find((o) => o.value === 'eimza-bos');
  assert.ok(card, `the new card is listed: ${JSON.stringify(options)}`);
  assert.match(card.text, /AYŞE KAYA/, 'the holder, in capitals as on a NES certificate');
  await page.selectOption('#sign-token', 'eimza-bos');
  await page.waitForFunction(() => !document.getElementById('sign-button').disabled);
  await checkPage(page, '10-card-test');

  // A locked card: SoftHSM2 never locks a PIN, so for one press the agent's answer for such a
  // card (docs/INTERFACES.md: 423 pin_locked with its own Turkish message, which cannot know who
  // made the card) stands in for the agent's. The page says its own words instead, the page's
  // (data-say-card-locked): this card was made here, its PUK came from this portal.
  const lockedWords =
    "Kart kilitli: yeni kartınızı bu portaldan aldığınız PUK ile açınız; PUK'unuz yoksa T.C. kimlik " +
    'kartınızla il millî eğitim müdürlüğünüzdeki e-imza sorumlusuna başvurunuz.';
  assert.equal(await page.getAttribute('#sign-form', 'data-say-card-locked'), lockedWords);
  const signUrl = `http://127.0.0.1:${agentPort}/v1/sign`;
  await page.route(signUrl, (route) =>
    route.request().method() !== 'POST'
      ? route.continue()
      : route.fulfill({
          status: 423,
          contentType: 'application/json',
          headers: { 'Access-Control-Allow-Origin': base },
          body: JSON.stringify({
            error: {
              code: 'pin_locked',
              message:
                "Kart kilitli: PUK ile açın; PUK'unuz yoksa kartı Kamu SM verdiyse Kamu SM'nin kilit açma " +
                'hizmetine, kurumunuz ürettiyse kurumunuzun e-imza sorumlusuna başvurun.',
              pin: { count_low: false, final_try: false, locked: true },
              tries_left: 0,
            },
          }),
        }),
  );
  const refused = page.waitForResponse((r) => r.url() === signUrl && r.request().method() === 'POST');
  await page.click('#sign-button');
  assert.equal((await refused).status(), 423);
  await eventually(async () => (await text(page, '#sign-status')) === lockedWords);
  assert.equal(await text(page, '#sign-status'), lockedWords, "the page's words, not the agent's");
  assert.ok(await page.$eval('#sign-status', (e) => e.classList.contains('sign-failed')), 'set apart as a failure');
  assert.doesNotMatch(await text(page, 'main'), /Kamu SM/);
  await checkPage(page, '10b-card-test-locked');
  await page.unroute(signUrl);
  assert.equal(await appStatus(page).then((st) => st.state), 'delivered', 'nothing signed, nothing completed');
  await page.waitForFunction(() => !document.getElementById('sign-button').disabled);

  agent.pin(pin);
  const signed = page.waitForResponse((r) => r.url().endsWith('/v1/sign') && r.request().method() === 'POST');
  const sent = page.waitForResponse((r) => r.url() === `${base}/api/v1/application/card-test`);
  await page.click('#sign-button');
  assert.equal((await signed).status(), 200, 'the agent signed with the new card');
  assert.equal((await sent).status(), 200, 'the portal accepted the signature');
  await page.waitForURL(`${base}/durum`, { timeout: 20000 });
  await page.waitForLoadState('load');
  assert.equal(await text(page, '.state'), 'Durum: Tamamlandı');
  await checkPage(page, '11-durum-completed');
  const st = await appStatus(page);
  assert.equal(st.state, 'completed');
  assert.equal(st.card.state, 'active');
  // the renewal's certificate starts at the old one's end (in 45 days): the card is hers, but
  // the page does not call it "in use" before that day (the day in Turkey's time)
  const from = new Date(Date.parse(st.new_certificate.not_before) + 3 * 3600 * 1000).toISOString();
  const day = `${from.slice(8, 10)}.${from.slice(5, 7)}.${from.slice(0, 4)}`;
  assert.ok(Date.parse(st.new_certificate.not_before) > Date.now(), 'valid from a later day');
  assert.ok(
    (await text(page, 'main')).includes(`Kartın durumu Teslim edildi; sertifikası ${day} tarihinden itibaren geçerli olacak`),
    await text(page, 'main'),
  );
  assert.doesNotMatch(await text(page, 'main'), /Kullanımda/);
  assert.equal(st.timeline.at(-1).event, 'cert_in_use');
  assert.deepEqual(await stop(agent), { code: 0, signal: null }, 'the agent stops cleanly');
  // the signature's POST is left by the page for /durum on its 200 (checked above)
  assert.deepEqual(
    unexpected(holder.problems, [400, 409, 423])
      .filter((p) => !p.includes('/api/v1/application/card-test net::ERR_ABORTED'))
      .filter((p) => p !== `load 423: ${signUrl}`), // the locked card's answer, played above
    [],
  );
  await holder.context.close();
  // the holder was told it is done
  await smsTo(HOLDER.phone, /tamamlan/i);
});

test('an applicant cancels before the decision, and sees it with a way to start again', { skip }, async () => {
  const { context, page, problems } = await open(browser);
  await holderLogin(page, OTHER);
  await page.click('a:has-text("Başvurumu iptal et")');
  await page.waitForURL('**/iptal');
  assert.equal(await text(page, 'h1'), 'Başvuruyu iptal et');
  await checkPage(page, '12-cancel');
  await submitAndWait(page, () => page.click('button:has-text("Evet, başvurumu iptal et")'));
  assert.equal(path(page), '/durum');
  assert.equal(await text(page, '.state'), 'Durum: İptal edildi');
  assert.match(await text(page, 'main'), /Ne yapmalısınız/);
  // said once: no "what happens next" repeating that it was cancelled (the state says it, and
  // what to do says who cancelled it and the way on)
  assert.doesNotMatch(await text(page, 'main'), /Sonra ne olacak|Başvurunuz iptal edildi/);
  // no step bar saying every step was completed over a cancelled application (issue 17)
  assert.equal(await page.locator('.steps').count(), 0);
  // no new card is coming: whom to ask names the DYS administrator for the application, and
  // no "new card" (the e-imza sorumlusu was named for one)
  assert.match(await text(page, 'main'), /Başvurunuzla ilgili sorularınız için il DYS yöneticinize başvurunuz\./);
  assert.doesNotMatch(await text(page, 'main'), /yeni kartınız/i);
  await checkPage(page, '13-durum-cancelled');
  const st = await appStatus(page);
  assert.equal(st.state, 'cancelled');
  assert.equal(st.cancelled_by, 'applicant');
  assert.equal(st.can_start_new, true);
  await submitAndWait(page, () => page.click('button:has-text("Yeni başvuru başlat")'));
  assert.equal(path(page), '/basvuru', 'a new application, at its form');
  const again = await appStatus(page);
  assert.notEqual(again.number, OTHER.number, 'with a new number');
  assert.equal(again.state, 'draft');
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});

test('the server stops cleanly', { skip }, async () => {
  assert.deepEqual(await stop(server), { code: 0, signal: null }, 'the server: exit 0 (ASan finds no leak)');
  for (const f of ['card-server.log', 'card-agent.log']) {
    if (!existsSync(join(logs, f))) continue;
    const log = readFileSync(join(logs, f), 'utf8');
    assert.ok(!log.includes(HOLDER.tckn), `${f} holds no T.C. Kimlik No`);
    assert.ok(!pin || !new RegExp(`(^|[^0-9])${pin}([^0-9]|$)`).test(log), `${f} holds no PIN`);
  }
});
