// eimza e2e — the staff's pages (/yonetim) as an operator and a provincial approver use them.
//
// The data are made here, with people of their own for each run (random valid T.C. Kimlik
// No), so the file can run again on the same server (run.sh retries a failing file) and never
// touches the applicant test's fixture person. Through the real interfaces only: `eimza import
// personnel`, `eimza import certificates` (certificates made with the openssl command) and
// `eimza user add` on the server's database (EIMZA_E2E_DB, EIMZA_E2E_BIN from run.sh), and the
// applicant JSON API for the applications (captcha from the development route, SMS code from
// the development outbox, "Yöntem 2" so that each waits for its signed paper).
//
// Then, in Chromium: the operator records one paper on its page (the others through the staff
// API); the approver logs in with the keyboard only, sees the queue of Batman (72) and only
// it, with the verdicts in words; another province is a 403; an ineligible application's
// page offers no approval but says why not and what to do instead; a rejection first without
// its text (error summary, links to the fields) and then with a ready reason; an approval; the
// dashboard's SVG charts with their accessible titles; the expiring list (masked number) and
// its CSV (masked too); logout. The login's lock-out (429) and the English page too. Every
// page is checked for console errors, CSP violations, the accessibility rules of lib.mjs and
// axe-core's WCAG 2.2 A/AA rules at 1280 and 390 px; screenshots are kept.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';

import {
  BASE,
  DESKTOP,
  PHONE,
  a11yProblems,
  eventually,
  focusedId,
  launch,
  open,
  screenshot,
  submitAndWait,
} from './lib.mjs';
import {
  BIN,
  DB,
  api,
  apply,
  checkBoth,
  eimza,
  idsAndPaper,
  importPeople,
  masked,
  path,
  squash,
  staffLogin as login,
  tckn,
  unexpected,
} from './staff_lib.mjs';

// ---- the data of this run -------------------------------------------------------------------

const RUN = Date.now().toString(36);
const PEOPLE = {
  // eligible, certificate ends in 20 days: a late application
  mehmet: { tckn: tckn(), first: 'Mehmet', last: 'Yılmaz', place: 'Batman', date: '1975-05-10', province: 72, district: 'Merkez', duty: 'aktif', certDays: 20 },
  // left the service: not eligible (not_in_service)
  zeynep: { tckn: tckn(), first: 'Zeynep', last: 'Kaya', place: 'Siirt', date: '1982-11-02', province: 72, district: 'Kozluk', duty: 'ayrildi' },
  // eligible, to be rejected
  ali: { tckn: tckn(), first: 'Ali', last: 'Demir', place: 'Batman', date: '1979-01-15', province: 72, district: 'Merkez', duty: 'aktif' },
  // another province (Diyarbakır)
  elif: { tckn: tckn(), first: 'Elif', last: 'Şahin', place: 'Diyarbakır', date: '1985-07-21', province: 21, district: 'Bağlar', duty: 'aktif' },
  // no application, certificate ends in 10 days: on the expiring list
  hasan: { tckn: tckn(), first: 'Hasan', last: 'Çelik', place: 'Batman', date: '1970-03-03', province: 72, district: 'Sason', duty: 'aktif', certDays: 10 },
};
const APPLICANTS = ['mehmet', 'zeynep', 'ali', 'elif'];
const APPROVER = { user: `onay72-${RUN}`, password: 'Batman-Onay-2024!' };
const OPERATOR = { user: `operator-${RUN}`, password: 'Kart-Operator-2024!' };

let work;
function makeData() {
  work = mkdtempSync(join(tmpdir(), 'eimza-e2e-admin-'));
  importPeople(PEOPLE, work, '555111000');
  eimza(['user', 'add', APPROVER.user, '--role', 'approver', '--province', '72'], APPROVER.password);
  eimza(['user', 'add', OPERATOR.user, '--role', 'operator'], OPERATOR.password);
}

let browser;
before(async () => {
  makeData();
  for (const name of APPLICANTS) await apply(PEOPLE[name]);
  // the paper of all but Zeynep's arrives through the API; hers is recorded on the page
  await idsAndPaper(PEOPLE, OPERATOR, ['mehmet', 'ali', 'elif']);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

// ---- helpers ------------------------------------------------------------------------------

// lib.mjs's rules and axe-core at 1280 and 390 px, with screenshots (staff_lib.mjs)
async function checkPage(page, name) {
  await checkBoth(page, `admin-${name}`);
}

async function tabTo(page, id, max = 12) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if ((await focusedId(page)) === id) return;
  }
  assert.fail(`Tab never reached #${id} (focus on #${await focusedId(page)})`);
}

const row = (page, p) => page.locator(`tr[data-number="${p.number}"]`);

// ---- the tests ----------------------------------------------------------------------------

test('the operator records a signed paper form', async () => {
  const { context, page, problems } = await open(browser);
  let res = await page.goto(`${BASE}/yonetim`);
  assert.equal(path(page), '/yonetim/giris', 'no session: to the login');
  await login(page, OPERATOR);
  res = await page.goto(`${BASE}/yonetim?state=awaiting_original`);
  assert.equal(res.status(), 200);
  // an operator sees every province, so the province is a filter of theirs
  assert.equal(await page.locator('#province').count(), 1);
  await row(page, PEOPLE.zeynep).locator('a').click();
  await page.waitForURL(`**/yonetim/basvuru/${PEOPLE.zeynep.id}`);
  assert.equal(squash(await page.textContent('h1')), `Başvuru ${PEOPLE.zeynep.number}`);
  // operators do not decide
  assert.equal(await page.locator('button:has-text("Başvuruyu onayla")').count(), 0);
  await checkPage(page, '1-operator-paper');
  await submitAndWait(page, () => page.click('button:has-text("Formun ulaştığını ve kimliğin doğrulandığını kaydet")'));
  assert.match(await page.textContent('.notice-success'), /Islak imzalı form kaydedildi/);
  assert.match(await page.textContent('.facts'), /Onay bekliyor/);
  assert.match(await page.textContent('.timeline'), new RegExp(OPERATOR.user));
  assert.deepEqual(unexpected(problems, []), []);
  await context.close();
});

test('an approver works the queue of their province', async () => {
  const { context, page, problems } = await open(browser);

  // ---- the login, with the keyboard only ----
  let res = await page.goto(`${BASE}/yonetim/giris`);
  assert.equal(res.status(), 200);
  assert.equal(squash(await page.textContent('h1')), 'Personel girişi');
  await checkPage(page, '2-login');
  await page.focus('#username');
  await page.keyboard.type(APPROVER.user);
  await tabTo(page, 'password');
  await page.keyboard.type(APPROVER.password);
  await tabTo(page, 'totp');
  await submitAndWait(page, () => page.keyboard.press('Enter'));
  assert.equal(path(page), '/yonetim');
  const cookie = (await context.cookies()).find((c) => c.name === 'eimza_staff');
  assert.ok(cookie?.httpOnly && cookie.sameSite === 'Strict', 'the staff cookie');

  // ---- the queue: Batman only, with verdicts in words ----
  assert.match(await page.textContent('.staff-who'), new RegExp(`${APPROVER.user}.*Batman`));
  for (const name of ['mehmet', 'zeynep', 'ali']) {
    assert.equal(await row(page, PEOPLE[name]).count(), 1, `${name} is in the queue`);
  }
  assert.equal(await row(page, PEOPLE.elif).count(), 0, 'Diyarbakır is not');
  assert.equal(await page.locator('#province').count(), 0, 'no province to choose');
  const mehmet = row(page, PEOPLE.mehmet);
  assert.equal(squash(await mehmet.locator('.verdict').textContent()), 'Onaylanabilir');
  assert.match(await mehmet.textContent(), new RegExp(masked(PEOPLE.mehmet.tckn).replace(/\*/g, '\\*')));
  assert.ok(!(await page.content()).includes(PEOPLE.mehmet.tckn), 'no full T.C. Kimlik No');
  assert.match(await mehmet.locator('.flag-late').textContent(), /Son başvuru tarihinden sonra/,
    'late: after the renewal deadline, not "after its time" under the certificate\'s end');
  assert.equal(await mehmet.locator('[data-reason="late"]').count(), 1);
  const zeynep = row(page, PEOPLE.zeynep);
  assert.equal(squash(await zeynep.locator('.verdict').textContent()), 'Onaylanamaz');
  assert.match(await zeynep.locator('[data-reason="not_in_service"]').textContent(), /görev durumu "aktif" değil/);
  const csv = await page.getAttribute('a:has-text("CSV olarak indir")', 'href');
  assert.match(csv, /^\/api\/v1\/admin\/applications\.csv\?state=submitted/);
  const csvRes = await page.request.get(`${BASE}${csv}`);
  assert.equal(csvRes.status(), 200);
  assert.match(await csvRes.text(), new RegExp(PEOPLE.ali.number));
  await checkPage(page, '3-queue');

  // a filter keeps its values and the CSV link follows it
  await page.click('summary:has-text("Süzgeç")');
  await page.fill('#district', 'Kozluk');
  await submitAndWait(page, () => page.click('button:has-text("Süz")'));
  assert.equal(await row(page, PEOPLE.zeynep).count(), 1);
  assert.equal(await row(page, PEOPLE.mehmet).count(), 0);
  assert.equal(await page.inputValue('#district'), 'Kozluk');
  assert.match(await page.getAttribute('a:has-text("CSV olarak indir")', 'href'), /district=Kozluk/);
  // a bad filter value: the error summary links to its field
  await page.fill('#min_waiting_days', 'iki');
  await submitAndWait(page, () => page.click('button:has-text("Süz")'));
  assert.match(await page.title(), /^Hata: /);
  assert.equal(await page.getAttribute('[data-error-summary] a', 'href'), '#min_waiting_days');
  await checkPage(page, '3-queue-filter-error');

  // ---- another province: 403 ----
  res = await page.goto(`${BASE}/yonetim?province=21`);
  assert.equal(res.status(), 403);
  assert.match(await page.textContent('main'), /başka bir ile ait/);
  res = await page.goto(`${BASE}/yonetim/basvuru/${PEOPLE.elif.id}`);
  assert.equal(res.status(), 403);
  res = await page.goto(`${BASE}/yonetim/pano?province=21`);
  assert.equal(res.status(), 403);
  await checkPage(page, '4-forbidden');

  // ---- an ineligible application cannot be approved: no button the server would refuse, but
  // why not (the verdict's reasons just above) and what to do instead ----
  res = await page.goto(`${BASE}/yonetim/basvuru/${PEOPLE.zeynep.id}`);
  assert.equal(res.status(), 200);
  assert.equal(squash(await page.textContent('.verdict-box .verdict')), 'Onaylanamaz');
  assert.match(await page.textContent('.verdict-box'), /görev durumu "aktif" değil/);
  assert.equal(await page.locator('button:has-text("Başvuruyu onayla")').count(), 0, 'no approve button');
  assert.equal(await page.locator('.decision-approve button').count(), 0, 'no disabled one either');
  assert.match(squash(await page.textContent('.decision-approve .approve-blocked')),
    /^Bu başvuru şu an onaylanamaz: personel kaydı, yukarıdaki değerlendirmede sayılan nedenlerle .* gerekçesiyle reddediniz\.$/);
  assert.equal(await page.locator('button:has-text("Başvuruyu reddet")').count(), 1, 'the reject form stays');
  await checkPage(page, '5-detail-ineligible');

  // ---- a rejection: "other" without its text, then a ready reason ----
  await page.goto(`${BASE}/yonetim/basvuru/${PEOPLE.ali.id}`);
  await page.selectOption('#reason', 'other');
  await submitAndWait(page, () => page.click('button:has-text("Başvuruyu reddet")'));
  assert.match(await page.title(), /^Hata: /);
  assert.equal(await page.getAttribute('[data-error-summary] a', 'href'), '#reason_text');
  assert.equal(await page.getAttribute('#reason_text', 'aria-invalid'), 'true');
  await checkPage(page, '6-reject-errors');
  await page.click('[data-error-summary] a[href="#reason_text"]');
  await eventually(async () => (await focusedId(page)) === 'reason_text');
  assert.equal(await focusedId(page), 'reason_text', 'the summary link takes the focus to the field');
  await page.selectOption('#reason', 'form_data_wrong');
  await submitAndWait(page, () => page.click('button:has-text("Başvuruyu reddet")'));
  assert.equal(path(page), '/yonetim');
  assert.match(await page.textContent('.notice-success'), new RegExp(`${PEOPLE.ali.number} numaralı başvuru reddedildi`));
  assert.equal(await row(page, PEOPLE.ali).count(), 0, 'a decided application leaves the queue');

  // ---- an approval ----
  await page.goto(`${BASE}/yonetim/basvuru/${PEOPLE.mehmet.id}`);
  await submitAndWait(page, () => page.click('button:has-text("Başvuruyu onayla")'));
  assert.equal(path(page), '/yonetim');
  assert.match(await page.textContent('.notice-success'), new RegExp(`${PEOPLE.mehmet.number} numaralı başvuru onaylandı`));
  await checkPage(page, '7-queue-after-decisions');
  // the applicant was told (the development outbox)
  const outbox = await (await page.request.get(`${BASE}/dev/outbox`)).json();
  assert.ok(outbox.length > 0);
  // decided: the page shows the outcome, by whom, and no decision forms (issue 17, point 12)
  res = await page.goto(`${BASE}/yonetim/basvuru/${PEOPLE.mehmet.id}`);
  assert.equal(squash(await page.textContent('.status-facts .outcome')), 'Onaylandı');
  assert.match(await page.textContent('.status-facts'), new RegExp(APPROVER.user));
  assert.equal(await page.locator('button:has-text("Başvuruyu onayla")').count(), 0);
  assert.doesNotMatch(await page.textContent('.status-facts'), /Bekliyor/);
  assert.match(await page.textContent('.timeline'), new RegExp(APPROVER.user));

  // ---- the dashboard: SVG charts with accessible titles ----
  res = await page.goto(`${BASE}/yonetim/pano`);
  assert.equal(res.status(), 200);
  const charts = page.locator('svg[role="img"]');
  assert.equal(await charts.count(), 2);
  for (const id of ['chart-states', 'chart-waiting']) {
    const svg = page.locator(`svg[aria-labelledby="${id}-title ${id}-desc"]`);
    assert.equal(await svg.count(), 1, id);
    assert.ok(squash(await page.textContent(`#${id}-title`)).length > 5, `${id} has a title`);
  }
  assert.match(await page.textContent('#chart-states-desc'), /Onaylandı: [1-9]\d* başvuru/);
  assert.match(await page.textContent('#chart-waiting-desc'), /1 günden az: [1-9]\d* başvuru/);
  assert.match(await page.textContent('.expiring [data-days="30"]'), /30 gün içinde: [1-9]\d* kişi/);
  // on a phone the picture shrunk to the screen would have text too small to read: the same
  // figures as words instead, and only there
  assert.equal(await page.locator('dl.chart-figures').first().isVisible(), false, 'the picture at 1280 px');
  await page.setViewportSize(PHONE);
  assert.equal(await page.locator('section.chart svg').first().isVisible(), false, 'no picture at 390 px');
  const figures = await page.$$eval('section[aria-labelledby="h-states"] dl.chart-figures dt', (dts) =>
    dts.map((dt) => `${dt.textContent.trim()}=${dt.nextElementSibling.textContent.trim()}`));
  assert.ok(figures.some((f) => /^Onaylandı=[1-9]\d* başvuru$/.test(f)), JSON.stringify(figures));
  await page.setViewportSize(DESKTOP);
  await checkPage(page, '8-dashboard');

  // ---- the people whose certificate ends within 30 days, and the CSV ----
  await page.click('a:has-text("30 gün listesini gör")');
  await page.waitForURL('**/yonetim/bitecekler?gun=30**');
  const list = await page.textContent('table.expiring-list');
  assert.ok(list.includes(masked(PEOPLE.hasan.tckn)), 'Hasan is listed, masked');
  assert.ok(!list.includes(PEOPLE.hasan.tckn), 'not in full');
  assert.ok(!list.includes(masked(PEOPLE.mehmet.tckn)), 'Mehmet applied: not listed');
  await checkPage(page, '9-expiring');
  const expCsv = await page.getAttribute('a:has-text("CSV olarak indir")', 'href');
  assert.match(expCsv, /^\/api\/v1\/admin\/expiring\.csv\?days=30/);
  const expRes = await page.request.get(`${BASE}${expCsv}`);
  assert.equal(expRes.status(), 200);
  const expText = await expRes.text();
  // one privacy rule for pages and exports (app/privacy.h; docs/SECURITY.md, finding 5)
  assert.ok(expText.includes(masked(PEOPLE.hasan.tckn)), 'the CSV lists Hasan, masked');
  assert.ok(!expText.includes(PEOPLE.hasan.tckn), 'the CSV never has the full number');
  res = await page.goto(`${BASE}/yonetim/bitecekler?gun=45`);
  assert.equal(res.status(), 400);

  // ---- logout ----
  await page.goto(`${BASE}/yonetim`);
  await submitAndWait(page, () => page.click('button:has-text("Çıkış")'));
  assert.equal(path(page), '/yonetim/giris');
  await page.goto(`${BASE}/yonetim/pano`);
  assert.equal(path(page), '/yonetim/giris', 'the session has ended');

  assert.deepEqual(unexpected(problems, [400, 403, 409]), []);
  await context.close();
});

test('a locked login says when to try again, and the page in English', async () => {
  const { context, page, problems } = await open(browser);
  await page.goto(`${BASE}/yonetim/giris`);
  let status = 0;
  for (let i = 0; i < 6 && status !== 429; i++) {
    await page.fill('#username', `kimse-${RUN}`);
    await page.fill('#password', 'Yanlis-Parola-123');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('button:has-text("Giriş")'),
    ]);
    await page.waitForLoadState();
    status = res.status();
    if (status !== 429) {
      assert.match(await page.textContent('[data-error-summary]'), /Kullanıcı adı ya da parola hatalı/);
    }
  }
  assert.equal(status, 429, 'locked after repeated failures');
  assert.match(await page.textContent('.notice-warning'), /\d{2}:\d{2}/);
  await checkPage(page, '10-login-locked');
  assert.deepEqual(unexpected(problems, [429]), []);
  await context.close();

  const en = await open(browser, { locale: 'en-GB' });
  await en.page.goto(`${BASE}/yonetim`);
  assert.equal(path(en.page), '/yonetim/giris');
  assert.equal(await en.page.getAttribute('html', 'lang'), 'en');
  assert.equal(squash(await en.page.textContent('h1')), 'Staff login');
  assert.deepEqual(await a11yProblems(en.page), []);
  await screenshot(en.page, 'admin-11-login-en');
  assert.deepEqual(unexpected(en.problems, []), []);
  await en.context.close();
});

// ---- outside --dev: the first login sets up the TOTP second factor ----------------------------

// The current RFC 6238 code of a base32 secret (HMAC-SHA1, 30-second steps, 6 digits).
function totp(secret, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secret) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const off = mac[19] & 15;
  return String((mac.readUInt32BE(off) & 0x7fffffff) % 1000000).padStart(6, '0');
}

// A second server on the same database, without --dev; resolves with { url, stop }.
function serveWithoutDev() {
  const conf = join(work, 'nodev.conf');
  // outside --dev a TOTP secret is kept only sealed with the server's key (docs/SECURITY.md, 8)
  writeFileSync(
    conf,
    `static_dir = ${resolve('static')}\nsecret_key = ${randomBytes(32).toString('base64')}\n`,
  );
  const child = spawn(BIN, ['serve', '--config', conf, '--listen', '127.0.0.1:0', '--db', DB], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => {
    err += d;
  });
  const exited = new Promise((res) => child.on('exit', (code, signal) => res({ code, signal })));
  return new Promise((res, rej) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/^eimza: serving on (http\S+) /m);
      if (m) {
        res({
          url: m[1],
          stop: async () => {
            child.kill('SIGTERM');
            const st = await exited;
            return { ...st, err };
          },
        });
      }
    });
    exited.then((st) => rej(new Error(`the server without --dev stopped: ${st.code} ${err.slice(-2000)}`)));
  });
}

test('outside --dev the first login sets up two-step verification', async () => {
  const user = { user: `kurulum-${RUN}`, password: 'Kurulum-Parola-2024!' };
  eimza(['user', 'add', user.user, '--role', 'approver', '--province', '72'], user.password);
  const server = await serveWithoutDev();
  const { context, page, problems } = await open(browser);
  try {
    await page.goto(`${server.url}/yonetim/giris`);
    await page.fill('#username', user.user);
    await page.fill('#password', user.password);
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('button:has-text("Giriş")'),
    ]);
    await page.waitForLoadState();
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['cache-control'], 'no-store', 'the secret is never cached');
    assert.equal(squash(await page.textContent('h1')), 'İki adımlı doğrulamayı kurunuz');
    const qr = page.locator('figure.totp-qr svg[role="img"]');
    assert.equal(await qr.count(), 1, 'the QR code, inline');
    assert.match(await qr.getAttribute('aria-label'), /karekod/);
    const grouped = squash(await page.textContent('.totp-secret'));
    assert.match(grouped, /^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/, 'the secret in groups of four');
    const secret = grouped.replace(/ /g, '');
    assert.equal(await page.inputValue('#username'), user.user, 'the user name is kept');
    assert.equal(await page.inputValue('#password'), '', 'the password is not');
    await checkPage(page, '12-totp-enrolment');

    // a wrong code: the field says so
    await page.fill('#password', user.password);
    await page.fill('#totp', totp(secret, Date.now() + 10 * 60 * 1000));
    await submitAndWait(page, () => page.click('button:has-text("Giriş")'));
    assert.match(await page.title(), /^Hata: /);
    assert.equal(await page.getAttribute('[data-error-summary] a', 'href'), '#totp');
    assert.equal(await page.getAttribute('#totp', 'aria-invalid'), 'true');

    // the password again with the app's code: signed in
    await page.fill('#password', user.password);
    await page.fill('#totp', totp(secret));
    await submitAndWait(page, () => page.click('button:has-text("Giriş")'));
    assert.equal(new URL(page.url()).pathname, '/yonetim');
    assert.match(await page.textContent('.staff-who'), new RegExp(user.user));
    assert.deepEqual(unexpected(problems, []), []);
  } finally {
    await context.close();
    const st = await server.stop();
    assert.equal(st.code, 0, `the server without --dev stops cleanly: ${st.err.slice(-2000)}`);
  }
});
