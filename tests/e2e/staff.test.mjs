// eimza e2e — issue 17, the staff's dead ends (points 11-15), walked as an approver, an operator
// and an admin would at 1280 and 390 px, in Turkish and English. The people are this run's own
// (staff_lib.mjs), so the file can run again on the same server.
//
// Point 12, the application page: every field of the form (address, phones, e-mail, postal
// code, card reader, validity) before the verdict and the decision forms, personal data as the
// role may see them; after a decision its outcome, who took it, when and why, instead of
// "waiting 0 days / can be approved".
//
// Point 11, search: the header's search box finds applications by name (Turkish letters or
// their plain look-alikes), T.C. Kimlik No and number; the printed form's QR code, read from the
// PDF with zbarimg as a phone would, opens the application through the login; an approver of the
// province sees the full T.C. Kimlik No on request, audited; another province's approver finds
// nothing and is refused the page.
//
// Point 13, the queue: the most urgent first (the end of the certificate being renewed),
// numbered pages (Sivas's queue given 55 more rows, copies the queue only reads), and the bulk
// approval: rows ticked, then a review page that lists exactly what will be approved, then its
// confirmation. From 768 to 1279 px the queue, long names and two reasons in some rows, is a
// table inside its box in both languages.
//
// Point 15, the admins' pages: a staff account added and changed on the page; the audit log
// filtered and its chain checked; a personnel file imported with the upload's progress bar and
// the refused rows' list downloaded.
//
// Point 14: the operator's messages say what went wrong in words (the sender's code only as a
// technical note); a refusal says whose work it is and what one's own role is for; the staff
// pages end with a footer of their own.
//
// Every page is checked for console errors, CSP violations, the rules of lib.mjs and axe-core's
// WCAG 2.2 A/AA rules (with AAA contrast for small text) at both widths, the page the QR code
// opens and the import while its bar moves included; screenshots are kept (staff-*.png).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { BASE, DESKTOP, PHONE, eventually, launch, open, screenshot, submitAndWait } from './lib.mjs';
import {
  DB,
  apply,
  checkBoth,
  eimza,
  idsAndPaper,
  importPeople,
  maskedRe,
  squash,
  staffLogin,
  tckn,
  unexpected,
} from './staff_lib.mjs';

const RUN = Date.now().toString(36);
const PEOPLE = {
  // every field of the form filled in; rejected on the page
  ayten: { tckn: tckn(), first: 'Ayten', last: 'Güneş', place: 'Batman', date: '1978-02-14', province: 72, district: 'Merkez', duty: 'aktif', certDays: 40 },
  // approved on the page
  kemal: { tckn: tckn(), first: 'Kemal', last: 'Aslan', place: 'Batman', date: '1976-06-30', province: 72, district: 'Kozluk', duty: 'aktif', certDays: 25 },
  // found by search and by the QR code of her printed form
  sukru: { tckn: tckn(), first: 'Şükrü', last: `Çağlayan${RUN.slice(-3).replace(/[0-9]/g, 'ı')}`, place: 'Batman', date: '1971-09-09', province: 72, district: 'Merkez', duty: 'aktif', certDays: 30 },
  // two more of Batman for the bulk approval, certificates ending soon
  bora: { tckn: tckn(), first: 'Bora', last: 'Tekin', place: 'Batman', date: '1988-04-04', province: 72, district: 'Merkez', duty: 'aktif', certDays: 8 },
  cem: { tckn: tckn(), first: 'Cem', last: 'Uslu', place: 'Batman', date: '1989-05-05', province: 72, district: 'Merkez', duty: 'aktif', certDays: 9 },
  // another province
  nur: { tckn: tckn(), first: 'Nur', last: `Çağlayan${RUN.slice(-3).replace(/[0-9]/g, 'ı')}`, place: 'Sivas', date: '1980-01-01', province: 58, district: 'Merkez', duty: 'aktif' },
};
const APPROVER = { user: `sp-onay72-${RUN}`, password: 'Batman-Onay-2024!' };
const APPROVER58 = { user: `sp-onay58-${RUN}`, password: 'Sivas-Onay-2024!' };
const ADMIN = { user: `sp-yonetici-${RUN}`, password: 'Sistem-Yonetici-2024!' };
const OPERATOR = { user: `sp-op-${RUN}`, password: 'Kart-Operator-2024!' };

let work;
let browser;
before(async () => {
  work = mkdtempSync(join(tmpdir(), 'eimza-e2e-staff-'));
  importPeople(PEOPLE, work, '554222');
  eimza(['user', 'add', APPROVER.user, '--role', 'approver', '--province', '72'], APPROVER.password);
  eimza(['user', 'add', OPERATOR.user, '--role', 'operator'], OPERATOR.password);
  eimza(['user', 'add', APPROVER58.user, '--role', 'approver', '--province', '58'], APPROVER58.password);
  eimza(['user', 'add', ADMIN.user, '--role', 'admin'], ADMIN.password);
  await apply(PEOPLE.ayten, {
    reason: 'lost_stolen',
    card_reader: 'Mini Kart Okuyucu',
    validity_years: 2,
    unit: 'Matematik Bölümü',
    title: 'Matematik Öğretmeni',
    address: 'Atatürk Mah. Okul Sok. No: 12 D: 3',
    postal_code: '72060',
    email: 'ayten.gunes@example.org',
    work_phone: '04882151234',
    work_phone_ext: '215',
    home_phone: '04882159876',
    mobile_operator: 'vodafone',
    notify_by: 'both',
  });
  await apply(PEOPLE.kemal);
  await apply(PEOPLE.sukru);
  await apply(PEOPLE.nur);
  await apply(PEOPLE.bora);
  await apply(PEOPLE.cem);
  // Şükrü's printed form, as the applicant prints it (before the paper is recorded)
  const pdf = await fetch(`${BASE}/api/v1/application/wet-signature`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${PEOPLE.sukru.token}` },
  });
  assert.equal(pdf.status, 200);
  writeFileSync(join(work, 'form.pdf'), Buffer.from(await pdf.arrayBuffer()));
  await idsAndPaper(PEOPLE, OPERATOR, ['ayten', 'kemal', 'sukru', 'nur', 'bora', 'cem']);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

// The value of a fact on the application page, by its term's catalogue name (data-field).
const dd = async (page, field) => squash(await page.textContent(`dd[data-field="${field}"]`));

// ---- point 12: the application page --------------------------------------------------------

test('the application page shows every field, then the decision, then its outcome', async () => {
  const { context, page, problems } = await open(browser);
  await staffLogin(page, APPROVER);
  const a = PEOPLE.ayten;
  let res = await page.goto(`${BASE}/yonetim/basvuru/${a.id}`);
  assert.equal(res.status(), 200);
  assert.equal(squash(await page.textContent('h1')), `Başvuru ${a.number}`);
  // every field of the form, in words
  assert.equal(await dd(page, 'reason'), 'Kayıp ya da çalıntı');
  assert.equal(await dd(page, 'card_reader'), 'Mini Kart Okuyucu');
  assert.equal(await dd(page, 'validity'), '2 yıl');
  assert.match(await dd(page, 'sp_address'), /Atatürk Mah\. Okul Sok\. No: 12 D: 3/);
  assert.equal(await dd(page, 'postal_code'), '72060');
  assert.equal(await dd(page, 'province'), 'Batman');
  assert.equal(await dd(page, 'sp_unit'), 'Matematik Bölümü');
  // the form's labels speak to the applicant ("Unvanınız"); the staff page speaks of them
  assert.equal(await page.$eval('dd[data-field="sp_job_title"]', (d) => d.previousElementSibling.textContent.trim()), 'Unvanı');
  assert.doesNotMatch(await page.textContent('main'), /Unvanınız|Çalıştığınız|Kurumunuzun/);
  assert.equal(await dd(page, 'work_phone_ext'), '215');
  assert.equal(await dd(page, 'sp_operator'), 'Vodafone');
  // personal data masked for the approver's role (app/privacy.h)
  assert.match(await dd(page, 'email'), /^a\*+@example\.org$/);
  assert.match(await dd(page, 'mobile_phone'), /^5\*+\d{2}$/);
  assert.match(await dd(page, 'work_phone'), /^0?4\*+\d{2}$|^\d\*+\d{2}$/);
  assert.match(await page.textContent('main'), maskedRe(a.tckn));
  const html = await page.content();
  for (const secret of [a.tckn, 'ayten.gunes@example.org', a.phone, '04882159876']) {
    assert.ok(!html.includes(secret), `${secret} is not on the page`);
  }
  // the data come before the verdict and the decision forms
  const order = await page.evaluate(() => {
    const at = (sel) => [...document.querySelectorAll('main section > h2')].findIndex((h) => h.closest('section').querySelector(sel));
    return { contact: at('.form-facts [class*="phone"]'), verdict: at('.verdict-box'), decision: at('.decision-forms') };
  });
  assert.ok(order.contact >= 0 && order.contact < order.verdict && order.verdict < order.decision, JSON.stringify(order));
  // waiting less than a day: since when, not "0 gün"
  assert.match(await dd(page, 'ap_col_waiting'), /^\d{2}\.\d{2}\.\d{4} tarihinden beri$/);
  await checkBoth(page, 'staff-12-application');

  // rejected on the page: the outcome replaces "waiting" and the verdict
  await page.selectOption('#reason', 'form_data_wrong');
  await submitAndWait(page, () => page.click('button:has-text("Başvuruyu reddet")'));
  assert.match(await page.textContent('.notice-success'), new RegExp(a.number));
  res = await page.goto(`${BASE}/yonetim/basvuru/${a.id}`);
  assert.equal(squash(await page.textContent('.status-facts .outcome')), 'Reddedildi');
  assert.equal(await dd(page, 'sp_decided_by'), APPROVER.user);
  assert.match(await dd(page, 'sp_decided_at'), /^\d{2}\.\d{2}\.\d{4}\s\d{2}:\d{2}$/);
  assert.match(await page.textContent('.status-facts .decision-reason'), /Başvuru formundaki bilgiler/);
  assert.equal(await page.locator('.status-facts [data-field="ap_col_waiting"]').count(), 0, 'no "waiting" once decided');
  assert.equal(await page.locator('.verdict-box').count(), 0, 'no verdict of now once decided');
  assert.equal(squash(await page.textContent('.status-facts .verdict')), 'Onaylanabilir', 'the verdict it relied on');
  assert.equal(await page.locator('.decision-forms').count(), 0, 'no decision forms once decided');
  await checkBoth(page, 'staff-12-application-rejected');
  assert.deepEqual(unexpected(problems, []), []);
  await context.close();
});

test('the application page in English, after an approval', async () => {
  const { context, page, problems } = await open(browser, { locale: 'en-GB' });
  await staffLogin(page, APPROVER);
  const k = PEOPLE.kemal;
  await page.goto(`${BASE}/yonetim/basvuru/${k.id}`);
  await submitAndWait(page, () => page.click('button:has-text("Approve the application")'));
  await page.goto(`${BASE}/yonetim/basvuru/${k.id}`);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(squash(await page.textContent('.status-facts .outcome')), 'Approved');
  assert.equal(await dd(page, 'sp_decided_by'), APPROVER.user);
  assert.equal(await dd(page, 'reason'), 'Renewal');
  assert.ok(await page.locator('a:has-text("Card and delivery")').count(), 'a way to the card');
  await checkBoth(page, 'staff-12-application-en');
  assert.deepEqual(unexpected(problems, []), []);
  await context.close();
});

// ---- point 11: search, the QR code, the full T.C. Kimlik No ---------------------------------

test('the search finds applications by name and number, within the province', async () => {
  const { context, page, problems } = await open(browser);
  await staffLogin(page, APPROVER);
  const s = PEOPLE.sukru;
  // the header's search box, with the keyboard: a name typed without Turkish letters
  const plain = `sukru caglayan${s.last.slice(8).replace(/ı/g, 'i')}`;
  await page.fill('#staff-search-q', plain);
  await submitAndWait(page, () => page.press('#staff-search-q', 'Enter'));
  assert.equal(new URL(page.url()).pathname, '/yonetim/ara');
  assert.ok(!page.url().includes('sukru'), 'the query is not in the address');
  assert.equal(await page.inputValue('#q'), plain, 'the query stays in the box');
  assert.equal(await page.locator(`tr[data-number="${s.number}"]`).count(), 1);
  assert.equal(await page.locator(`tr[data-number="${PEOPLE.nur.number}"]`).count(), 0, 'not another province');
  assert.match(await page.textContent('.search-count'), /1/);
  await checkBoth(page, 'staff-11-search');
  // by T.C. Kimlik No: listed, masked
  await page.fill('#q', s.tckn);
  await submitAndWait(page, () => page.click('.search-form button[type="submit"]'));
  assert.equal(await page.locator(`tr[data-number="${s.number}"]`).count(), 1);
  assert.ok(!(await page.textContent('table.search-results')).includes(s.tckn), 'masked in the results');
  assert.match(await page.textContent('table.search-results'), maskedRe(s.tckn));
  // a number found goes straight to its application
  await page.fill('#q', s.number.toLowerCase());
  await submitAndWait(page, () => page.click('.search-form button[type="submit"]'));
  assert.equal(new URL(page.url()).pathname, `/yonetim/basvuru/${s.id}`);
  // too short: the error summary leads to the field
  await page.goto(`${BASE}/yonetim/ara`);
  await page.fill('#q', 'ş');
  await submitAndWait(page, () => page.click('.search-form button[type="submit"]'));
  assert.match(await page.title(), /^Hata: /);
  assert.equal(await page.getAttribute('[data-error-summary] a', 'href'), '#q');
  await checkBoth(page, 'staff-11-search-error');
  // another province's number: not found, and the page says the search is the province's
  await page.fill('#q', PEOPLE.nur.number);
  await submitAndWait(page, () => page.click('.search-form button[type="submit"]'));
  assert.match(await page.textContent('main'), /bulunamadı/);
  assert.match(await page.textContent('main'), /kendi ilinizin/);
  const res = await page.goto(`${BASE}/yonetim/basvuru/${PEOPLE.nur.id}`);
  assert.equal(res.status(), 403);
  assert.deepEqual(unexpected(problems, [400, 403]), []);
  await context.close();
});

test('the printed form\'s QR code opens the application, through the login', async () => {
  // the code as a phone's camera reads it
  execFileSync('pdftoppm', ['-q', '-r', '150', '-png', '-f', '1', '-l', '1', '-singlefile', join(work, 'form.pdf'), join(work, 'page1')]);
  const qr = execFileSync('zbarimg', ['--quiet', '--raw', join(work, 'page1.png')]).toString().trim();
  const url = new URL(qr);
  assert.equal(url.pathname, '/yonetim/ara');
  assert.equal(url.searchParams.get('q'), PEOPLE.sukru.number);
  const { context, page, problems } = await open(browser, { viewport: PHONE });
  await page.goto(`${BASE}${url.pathname}${url.search}`);
  assert.equal(new URL(page.url()).pathname, '/yonetim/giris', 'no session: the login first');
  await page.fill('#username', APPROVER.user);
  await page.fill('#password', APPROVER.password);
  await submitAndWait(page, () => page.click('main form button[type="submit"]'));
  assert.equal(new URL(page.url()).pathname, `/yonetim/basvuru/${PEOPLE.sukru.id}`, 'then the application');
  // the page the code opens, checked as every other (axe at 390 px, where the phone is, and at
  // 1280 px, where a hand-held scanner's desk computer is)
  await page.setViewportSize(DESKTOP);
  await checkBoth(page, 'staff-11-qr-opened');
  assert.deepEqual(unexpected(problems, []), []);
  await context.close();
});

test('an approver sees the full T.C. Kimlik No on request, and it is audited', async () => {
  const { context, page, problems } = await open(browser);
  await staffLogin(page, APPROVER);
  const s = PEOPLE.sukru;
  await page.goto(`${BASE}/yonetim/basvuru/${s.id}`);
  assert.match(await page.textContent('dd[data-field="tckn"]'), maskedRe(s.tckn));
  const views = () =>
    Number(execFileSync('sqlite3', [DB.replace(/^sqlite:/, ''), `SELECT count(*) FROM audit_log WHERE action = 'pii.tckn_view' AND object = '${s.number}'`]).toString());
  assert.equal(views(), 0);
  await submitAndWait(page, () => page.click('button:has-text("Tam T.C. Kimlik No")'));
  assert.equal(squash(await page.textContent('dd[data-field="tckn"] .tckn-full')), s.tckn);
  assert.match(await page.textContent('dd[data-field="tckn"]'), /denetim kaydına yazıldı/);
  await checkBoth(page, 'staff-11-tckn-shown');
  assert.equal(views(), 1, 'the look is in the audit log');
  // another province's approver has no such button anywhere they can reach
  const other = await open(browser);
  await staffLogin(other.page, APPROVER58);
  await other.page.goto(`${BASE}/yonetim/basvuru/${PEOPLE.nur.id}`);
  assert.match(await other.page.textContent('dd[data-field="tckn"]'), maskedRe(PEOPLE.nur.tckn));
  const res = await other.page.goto(`${BASE}/yonetim/basvuru/${s.id}`);
  assert.equal(res.status(), 403);
  assert.deepEqual(unexpected(other.problems, [403]), []);
  await other.context.close();
  assert.deepEqual(unexpected(problems, []), []);
  await context.close();
});

test('the search page in English', async () => {
  const { context, page, problems } = await open(browser, { locale: 'en-GB' });
  await staffLogin(page, APPROVER);
  await page.goto(`${BASE}/yonetim/ara`);
  assert.equal(squash(await page.textContent('h1')), 'Find an application');
  await page.fill('#q', PEOPLE.sukru.last.replace(/ı/g, 'i').replace('Ç', 'C').replace('ğ', 'g'));
  await submitAndWait(page, () => page.click('.search-form button[type="submit"]'));
  assert.match(await page.textContent('.search-count'), /Applications found: 1/);
  await checkBoth(page, 'staff-11-search-en');
  assert.deepEqual(unexpected(problems, []), []);
  await context.close();
});

// ---- point 14: words, refusals that fit the role, the staff's footer ----------------------

const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 10000', DB.replace(/^sqlite:/, ''), q]).toString().trim();

test('messages in words, refusals that fit the role, the staff footer', async () => {
  // a gateway refused Kemal's SMS for good, as the sender records it
  const to = PEOPLE.kemal.phone;
  const msg = sql(`SELECT max(id) FROM outbox WHERE channel = 'sms' AND recipient = '${to}'`);
  sql(`UPDATE outbox SET status = 'failed', last_error = 'http_400', attempts = 1 WHERE id = ${msg}`);
  const op = await open(browser);
  await staffLogin(op.page, OPERATOR);
  await op.page.goto(`${BASE}/yonetim/iletiler`);
  // this run's message (a run before this one on the same server left one like it), by the
  // address of its row's form
  const row = op.page.locator('tr', { has: op.page.locator(`form[action="/yonetim/iletiler/${msg}"]`) }).filter({ hasText: 'http_400' });
  assert.match(await row.textContent(), /Sağlayıcı iletiyi kabul etmedi/);
  assert.match(squash(await row.locator('.error-code').textContent()), /^Teknik kod: http_400$/);
  assert.match(await row.textContent(), /SMS/);
  // the recipient is masked: the row leads to the application the message was for (Kemal's
  // decision), where the operator finds whom to reach another way
  assert.equal(await row.locator('a.message-application').getAttribute('href'), `/yonetim/basvuru/${PEOPLE.kemal.id}`);
  assert.match(await op.page.textContent('footer'), /denetim kaydına yazılır/);
  assert.doesNotMatch(await op.page.textContent('footer'), /Kartınız onaydan sonra/);
  await checkBoth(op.page, 'staff-14-messages');
  await submitAndWait(op.page, () => row.locator('a.message-application').click());
  assert.equal(new URL(op.page.url()).pathname, `/yonetim/basvuru/${PEOPLE.kemal.id}`);
  assert.equal(squash(await op.page.textContent('dd[data-field="ap_col_name"]')), 'Kemal Aslan');
  // an operator's approval is refused with words that fit the operator
  await op.page.goto(`${BASE}/yonetim/basvuru/${PEOPLE.sukru.id}`);
  assert.equal(await op.page.locator('button:has-text("Başvuruyu onayla")').count(), 0);
  assert.deepEqual(unexpected(op.problems, []), []);
  await op.context.close();

  const { context, page, problems } = await open(browser);
  await staffLogin(page, APPROVER);
  let res = await page.goto(`${BASE}/yonetim/iletiler`);
  assert.equal(res.status(), 403);
  assert.equal(squash(await page.textContent('h1')), 'Bu işlem rolünüze açık değil');
  assert.match(await page.textContent('main'), /Gönderilemeyen iletilerle operatörler/);
  assert.match(await page.textContent('.your-role'), /Batman ilinin DYS yöneticisi hesabıdır/);
  assert.equal(await page.locator('nav.staff-nav').count(), 1, 'the header stays');
  await checkBoth(page, 'staff-14-forbidden-role');
  res = await page.goto(`${BASE}/yonetim/basvuru/${PEOPLE.nur.id}`);
  assert.equal(res.status(), 403);
  assert.equal(squash(await page.textContent('h1')), 'Bu başvuru başka bir ile ait');
  assert.match(await page.textContent('main'), /o ilin DYS yöneticisine/);
  await checkBoth(page, 'staff-14-forbidden-province');
  assert.deepEqual(unexpected(problems, [403]), []);
  await context.close();
});

// ---- point 13: the queue's order, pages and bulk approval -----------------------------------

test('the queue: the most urgent first, numbered pages, and a bulk approval through a review', async () => {
  const { context, page, problems } = await open(browser);
  await staffLogin(page, APPROVER);
  const { bora, cem, sukru } = PEOPLE;
  // the most urgent first: Bora's certificate ends in 8 days, Cem's in 9, Şükrü's in 30
  const numbers = await page.$$eval('table.queue tr[data-number]', (rs) => rs.map((r) => r.dataset.number));
  const at = (p) => numbers.indexOf(p.number);
  assert.ok(at(bora) >= 0 && at(bora) < at(cem) && at(cem) < at(sukru), JSON.stringify([at(bora), at(cem), at(sukru)]));
  assert.match(await page.textContent('table.queue caption'), /en önce biten önce/);
  // tick Bora and Cem, review: the page lists exactly them and approves nothing yet
  await page.check(`#sec-${bora.id}`);
  await page.check(`#sec-${cem.id}`);
  await submitAndWait(page, () => page.click('button:has-text("Seçilenleri gözden geçir")'));
  assert.equal(new URL(page.url()).pathname, '/yonetim/toplu-onay');
  assert.match(await page.textContent('.bulk-count'), /Onaylanacak başvuru sayısı: 2/);
  const listed = await page.$$eval('table.queue tr[data-number]', (rs) => rs.map((r) => r.dataset.number).sort());
  assert.deepEqual(listed, [bora.number, cem.number].sort());
  await checkBoth(page, 'staff-13-bulk-review');
  const still = await fetch(`${BASE}/api/v1/application/status`, { headers: { Authorization: `Bearer ${bora.token}` } });
  assert.equal((await still.json()).state, 'submitted', 'the review approves nothing');
  await submitAndWait(page, () => page.click('button:has-text("Listelenen başvuruları onayla")'));
  assert.equal(new URL(page.url()).pathname, '/yonetim');
  assert.match(await page.textContent('.notice-success'), /2 başvuru onaylandı, 0 başvuru atlandı/);
  assert.equal(await page.locator(`tr[data-number="${bora.number}"]`).count(), 0, 'approved: out of the queue');
  await checkBoth(page, 'staff-13-queue-after-bulk');
  // nothing ticked: back to the queue, told so
  await submitAndWait(page, () => page.click('button:has-text("Seçilenleri gözden geçir")'));
  assert.match(await page.textContent('.notice-warning'), /en az bir başvuru seçiniz/);
  assert.deepEqual(unexpected(problems, []), []);
  await context.close();
});

test('the queue in pages, in English', async () => {
  // Sivas's queue, 55 more rows copied from Nur's (the queue only reads them)
  const db = DB.replace(/^sqlite:/, '');
  const cols = execFileSync('sqlite3', [db, "SELECT group_concat(name, ',') FROM pragma_table_info('applications') WHERE name NOT IN ('id', 'number', 'tckn', 'cert_not_after')"]).toString().trim();
  const stamp = String(Date.now()).slice(-4);
  const far = Math.floor(Date.now() / 1000) + 200 * 86400;
  const rows = [];
  for (let i = 0; i < 55; i++) {
    const k = String(i).padStart(5, '0');
    rows.push(`INSERT INTO applications (number, tckn, cert_not_after, ${cols}) SELECT 'S${stamp}${k}', '58${stamp}${k}', ${far + i}, ${cols} FROM applications WHERE id = ${PEOPLE.nur.id};`);
  }
  // every fifth of them the longest a row gets: a long name with a long surname, a long
  // institution, and late (a second reason, and the bold "after the deadline" flag)
  rows.push(`UPDATE applications SET first_name = 'Abdurrahman Muhammed Kürşat', last_name = 'Hacıhasanoğulları', institution_name = 'Şehit Öğretmen Mehmet Büyükkaraağaçlıoğlu Mesleki ve Teknik Anadolu Lisesi', late = 1 WHERE number LIKE 'S${stamp}%' AND CAST(substr(number, 6) AS INTEGER) % 5 = 0;`);
  execFileSync('sqlite3', [db], { input: `BEGIN;${rows.join('')}COMMIT;` });
  const { context, page, problems } = await open(browser, { locale: 'en-GB' });
  await staffLogin(page, APPROVER58);
  assert.equal(squash(await page.textContent('nav.pager .pager-current')), '1');
  assert.match(await page.textContent('nav.pager'), /Page 1 of \d+/);
  // the pages right under the table they turn, before the bulk approval's buttons
  assert.ok(await page.evaluate(() => {
    const pager = document.querySelector('nav.pager'), bulk = document.querySelector('.bulk-actions');
    return !!(document.querySelector('table.queue').compareDocumentPosition(pager) & Node.DOCUMENT_POSITION_FOLLOWING) &&
      !!(pager.compareDocumentPosition(bulk) & Node.DOCUMENT_POSITION_FOLLOWING);
  }), 'table, pager, bulk approval');
  // on a phone a row that cannot be ticked has no empty "Select" line in its card
  await page.setViewportSize(PHONE);
  const emptyShown = await page.$$eval('table.queue td:empty', (tds) => tds.filter((td) => td.getClientRects().length > 0).length);
  assert.equal(emptyShown, 0, 'no empty line shown in a card');
  assert.ok(await page.locator('table.queue td:empty').count() > 0, 'rows that cannot be ticked are there');
  await page.setViewportSize(DESKTOP);
  // at 1280 px beside a long "Signed in as ... (provincial DYS administrator, Sivas)" the header's search
  // box keeps room for its whole English placeholder (it shrank and cut it)
  const box = await page.evaluate(() => {
    const i = document.querySelector('#staff-search-q'), cs = getComputedStyle(i);
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    return { text: ctx.measureText(i.placeholder).width, room: i.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) };
  });
  assert.ok(box.text <= box.room, `the search box's placeholder fits at 1280 px (${box.text} in ${box.room})`);
  await checkBoth(page, 'staff-13-queue-pages-en');
  // at 1024 px (a small laptop) the header's row wraps: the logout button keeps to the row's
  // end, not alone at the start of a row of its own (after the page's checks: a screenshot
  // leaves style="" on the inputs)
  await page.setViewportSize({ width: 1024, height: 768 });
  await screenshot(page, 'staff-13-queue-1024');
  const edges = await page.evaluate(() => ({
    nav: document.querySelector('nav.staff-nav').getBoundingClientRect().right,
    out: document.querySelector('nav.staff-nav form[action="/yonetim/cikis"] button').getBoundingClientRect().right,
  }));
  assert.ok(Math.abs(edges.nav - edges.out) <= 2, `the logout button ends the row at 1024 px (${edges.out} of ${edges.nav})`);
  // no table scrolls inside its box, where its last column, the verdict an approver decides
  // by, lay out of sight: below 1280 px the rows are cards, and at 1280 px the English rows
  // name the number "T.C. Kimlik No" as the Turkish ones do (the holder's long "Turkish ID
  // number (T.C. Kimlik No)" had widened the table past its box)
  // (a table out of its box is named by its widths: the box, the table, each heading's column)
  const boxed = () => page.$$eval('.table-wrap', (bs) => bs.filter((b) => b.scrollWidth > b.clientWidth + 1).map((b) => ({
    box: b.clientWidth, table: b.scrollWidth,
    columns: [...b.querySelectorAll('thead th')].map((th) => Math.round(th.getBoundingClientRect().width)),
  })));
  assert.deepEqual(await boxed(), [], 'the queue fits its box at 1024 px');
  await stateLines(page, 2, 1024);
  await queueShape(page, 'No personnel record');
  await queueFits(page, 'staff-13-queue');
  await page.setViewportSize(DESKTOP);
  assert.deepEqual(await boxed(), [], 'the English queue fits its box at 1280 px');
  await stateLines(page, 1, 1280);
  await submitAndWait(page, () => page.click('nav.pager a[aria-label="Page 2"]'));
  assert.equal(new URL(page.url()).searchParams.get('offset'), '50');
  assert.equal(squash(await page.textContent('nav.pager .pager-current')), '2');
  assert.equal(await page.locator('nav.pager a[rel="prev"]').count(), 1);
  assert.deepEqual(unexpected(problems, []), []);
  await context.close();
  // the same queue in Turkish: 1280 and 390 px (axe), then 1024 px
  const tr = await open(browser);
  await staffLogin(tr.page, APPROVER58);
  await checkBoth(tr.page, 'staff-13-queue-pages-tr');
  await stateLines(tr.page, 1, 1280);
  await tr.page.setViewportSize({ width: 1024, height: 768 });
  await screenshot(tr.page, 'staff-13-queue-1024-tr');
  await stateLines(tr.page, 2, 1024);
  await queueShape(tr.page, 'Kadro kaydı yok');
  await queueFits(tr.page, 'staff-13-queue-tr');
  assert.deepEqual(unexpected(tr.problems, []), []);
  await tr.context.close();
});

// At 1024 px the queue stays a table (a card per row only on a phone), each reason a short
// label that opens to its sentence (a click, a tap or the keyboard), not printed in the row: 50
// rows of sentences as cards made the page some 28,000 px tall. The sentence is in the page
// once: no title beside it, which a screen reader read as well as the text. The copied rows
// have no personnel record, so each has that reason. The English rows name the number "T.C.
// Kimlik No" (not "Turkish ID number (T.C. Kimlik No)", which wrapped each row 2 or 3 times).
async function queueShape(page, label) {
  const s = await page.evaluate(() => {
    const t = document.querySelector('table.queue');
    const lis = [...t.querySelectorAll('.verdict-cell li[data-reason]')];
    const ok = (li) => {
      const l = li.querySelector('details > summary'), x = li.querySelector('details > p');
      return !!(l && x && l.textContent.length <= 40 && x.textContent.length > 60 &&
        !li.querySelector('[title], .visually-hidden') && !li.title);
    };
    return {
      display: getComputedStyle(t).display,
      height: Math.round(t.getBoundingClientRect().height),
      page: document.documentElement.scrollHeight,
      rows: t.querySelectorAll('tr[data-number]').length,
      reasons: lis.length,
      labelled: lis.filter(ok).length,
      labels: [...new Set(lis.map((li) => li.querySelector('summary')?.textContent))],
      tallest: Math.max(...lis.map((li) => li.getBoundingClientRect().height)),
      idLines: [...new Set([...t.querySelectorAll('.id-line')].map((e) => e.firstChild.textContent))],
      idWrapped: [...t.querySelectorAll('.id-line')].filter((e) => new Set([...e.getClientRects()].map((r) => Math.round(r.top))).size > 1).length,
    };
  });
  assert.equal(s.display, 'table', 'the queue is a table at 1024 px');
  assert.ok(s.rows >= 50 && s.reasons > 0, JSON.stringify(s));
  assert.equal(s.labelled, s.reasons, `every reason a short label opening to its sentence: ${JSON.stringify(s)}`);
  assert.ok(s.labels.includes(label), JSON.stringify(s.labels));
  assert.deepEqual(s.idLines, ['T.C. Kimlik No: '], 'the number\'s short name, in either language');
  assert.equal(s.idWrapped, 0, 'each row\'s T.C. Kimlik No on one line at 1024 px');
  assert.ok(s.tallest < 60, `a reason is a line or two, not a paragraph: ${JSON.stringify(s)}`);
  assert.ok(s.height < s.rows * 200, `50 rows in less than 10,000 px: ${JSON.stringify(s)}`);
  // what a screen reader is given (Chromium's accessibility tree): closed, the label names the
  // disclosure and the sentence is nowhere; opened, the sentence is there once, as text (not
  // also as a name or a description from an attribute)
  const first = page.locator('table.queue .verdict-cell li[data-reason] details').first();
  const sentence = squash(await first.locator('p').textContent());
  assert.equal(await announced(page, sentence), 0, 'closed: the sentence is not read');
  await first.locator('summary').click();
  assert.ok(await first.locator('p').isVisible(), 'a click opens the sentence');
  assert.equal(await announced(page, sentence), 1, 'opened: the sentence is read once');
  await first.locator('summary').click();
}

// From a tablet in portrait (768 px) to a small laptop (1279 px) the queue is a table that
// fits its box: nothing scrolls sideways, and every row's verdict ends inside the box (at 768
// px the table was some 20 px wider than its box with short names, 65 px with the long ones,
// and the verdict partly out of sight). A screenshot at 768 px (NAME-768.png).
async function queueFits(page, name) {
  for (const width of [768, 1023, 1279]) {
    await page.setViewportSize({ width, height: 1024 });
    const m = await page.evaluate(() => {
      const b = document.querySelector('.table-wrap'), t = b.querySelector('table.queue');
      const edge = b.getBoundingClientRect().right;
      return {
        display: getComputedStyle(t).display,
        scroll: b.scrollWidth,
        box: b.clientWidth,
        verdictsOut: [...t.querySelectorAll('.verdict-cell')].filter((c) => c.getBoundingClientRect().right > edge + 1).length,
        longNames: [...t.querySelectorAll('.person')].filter((p) => p.textContent.includes('Hacıhasanoğulları')).length,
      };
    });
    assert.equal(m.display, 'table', `the queue is a table at ${width} px`);
    assert.ok(m.longNames > 0, `the long names are on the page: ${JSON.stringify(m)}`);
    assert.ok(m.scroll <= m.box, `the queue fits its box at ${width} px: ${JSON.stringify(m)}`);
    assert.equal(m.verdictsOut, 0, `every verdict inside the box at ${width} px`);
    if (width === 768) {
      await screenshot(page, `${name}-768`);
      await tickColumn(page);
    }
  }
}

// The state's label (its cell's first line, "Waiting for approval") takes at most max lines
// at width px, in every row: at 1024 and 1280 px the English one was broken after each word,
// three lines in a column narrower than its neighbours (122 and 148 px), while the applicant's
// and the verdict's columns had room to spare; at 1280 px the Turkish one took two.
async function stateLines(page, max, width) {
  const cells = await page.$$eval('table.queue tr[data-number] > :nth-last-child(3)', (tds) =>
    tds.map((td) => {
      const r = document.createRange();
      r.selectNodeContents(td.firstChild);
      return {
        text: td.firstChild.textContent,
        lines: new Set([...r.getClientRects()].map((q) => Math.round(q.top))).size,
        width: Math.round(td.getBoundingClientRect().width),
      };
    }));
  assert.ok(cells.length >= 50, `the rows are there: ${cells.length}`);
  const worst = cells.reduce((a, b) => (b.lines > a.lines ? b : a));
  assert.ok(worst.lines <= max, `the state's label on ${max} line(s) at most at ${width} px: ${JSON.stringify(worst)}`);
}

// At 768 px the bulk approval's tick column is as narrow as its tick: its heading ("Select",
// "Seç") is read by a screen reader but not shown (the English word made the column 76 px wide
// for a 27 px box), and each tick keeps its own label.
async function tickColumn(page) {
  const m = await page.evaluate(() => {
    const t = document.querySelector('table.queue.selectable'), th = t.querySelector('thead th');
    const cs = getComputedStyle(th);
    return {
      column: Math.round(th.getBoundingClientRect().width),
      tick: Math.round(t.querySelector('td input[type="checkbox"]').getBoundingClientRect().width),
      padding: Math.round(parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight)),
      heading: th.textContent,
    };
  });
  assert.ok(m.column <= m.tick + m.padding + 2, `the tick column as narrow as its tick at 768 px: ${JSON.stringify(m)}`);
  assert.match(m.heading, /^(Select|Seç)$/);
  assert.equal(await page.getByRole('columnheader', { name: m.heading, exact: true }).count(), 1, 'the tick column\'s heading is read');
  assert.ok(await page.getByRole('checkbox', { name: /^(Select application|.+ numaralı başvuruyu seç$)/ }).count() > 0, 'each tick has its label');
}

// How many times the accessibility tree gives text to a screen reader: as text, or as a name or
// a description taken from an attribute (title, aria-label, aria-describedby); a name computed
// from the contents (a row's, a cell's) repeats the text under it and is not counted.
async function announced(page, text) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    const has = (v) => typeof v?.value === 'string' && squash(v.value).includes(text);
    let n = 0;
    for (const x of nodes) {
      if (x.ignored) continue;
      if (x.role?.value === 'StaticText' && has(x.name)) n++;
      else if (has(x.name) && (x.name.sources || []).some((src) => src.type !== 'contents' && has(src.value))) n++;
      if (has(x.description)) n++;
    }
    return n;
  } finally {
    await cdp.detach();
  }
}

// ---- point 15: accounts, the audit log, the personnel import ------------------------------

test('an admin adds and changes a staff account', async () => {
  const { context, page, problems } = await open(browser);
  await staffLogin(page, ADMIN);
  await page.click('nav.staff-nav a:has-text("Hesaplar")');
  assert.equal(new URL(page.url()).pathname, '/yonetim/hesaplar');
  assert.equal(await page.locator(`tr[data-user="${APPROVER.user}"]`).count(), 1);
  const user = `sp-yeni-${RUN}`;
  // a first try with a weak password and no province: each field says what to do
  await page.fill('#username', user);
  await page.selectOption('#role', 'approver');
  await page.fill('#password', 'kisa');
  await submitAndWait(page, () => page.click('.account-add button[type="submit"]'));
  assert.match(await page.title(), /^Hata: /);
  const links = await page.$$eval('[data-error-summary] a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.includes('#province') && links.includes('#password'), JSON.stringify(links));
  await checkBoth(page, 'staff-15-accounts-errors');
  await page.selectOption('#province', '72');
  await page.fill('#email', 'yeni.onay@example.org');
  await page.fill('#password', 'Yeni-Onaylayici-2024');
  await submitAndWait(page, () => page.click('.account-add button[type="submit"]'));
  assert.match(await page.textContent('.notice-success'), new RegExp(`${user} hesabı oluşturuldu`));
  await checkBoth(page, 'staff-15-accounts');
  await page.click(`tr[data-user="${user}"] a`);
  assert.equal(squash(await page.textContent('dd[data-field="sp_acc_province"]')), 'Batman');
  await submitAndWait(page, () => page.click('button:has-text("Hesabı devre dışı bırak")'));
  assert.match(await page.textContent('.notice-success'), /Değişiklik kaydedildi/);
  assert.equal(squash(await page.textContent('dd[data-field="sp_acc_col_status"]')), 'Devre dışı');
  await checkBoth(page, 'staff-15-account');
  assert.deepEqual(unexpected(problems, [400]), []);
  await context.close();
});

test('the audit log: filtered, and its chain checked', async () => {
  const { context, page, problems } = await open(browser);
  await staffLogin(page, ADMIN);
  await page.goto(`${BASE}/yonetim/denetim?action=application.approve&actor=${APPROVER.user}`);
  const rows = page.locator('table.audit-log tbody tr');
  assert.ok((await rows.count()) >= 1, 'the approver\'s approvals');
  assert.match(await rows.first().textContent(), /Başvuru onaylandı/);
  // at 1280 px the number's heading is whole ("Sıra" was broken onto two lines)
  const seqLines = await page.evaluate(() => {
    const r = document.createRange();
    r.selectNodeContents(document.querySelector('table.audit-log thead th'));
    return new Set([...r.getClientRects()].map((q) => Math.round(q.top))).size;
  });
  assert.equal(seqLines, 1, '"Sıra" on one line at 1280 px');
  await checkBoth(page, 'staff-15-audit');
  await submitAndWait(page, () => page.click('button:has-text("Zinciri doğrula")'));
  assert.match(await page.textContent('.audit-intact'), /Zincir sağlam: \d+ kayıt doğrulandı/);
  await checkBoth(page, 'staff-15-audit-verified');
  assert.deepEqual(unexpected(problems, []), []);
  await context.close();
});

test('the admins\' pages in English: accounts, the audit log and its check, the import', async () => {
  const { context, page, problems } = await open(browser, { locale: 'en-GB' });
  await staffLogin(page, ADMIN);
  await page.click('nav.staff-nav a:has-text("Accounts")');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(squash(await page.textContent('h1')), 'Staff accounts');
  assert.equal(await page.locator(`tr[data-user="${APPROVER.user}"]`).count(), 1);
  assert.match(await page.textContent(`tr[data-user="${APPROVER.user}"]`), /provincial DYS administrator, Batman/);
  await checkBoth(page, 'staff-15-accounts-en');
  await page.click(`tr[data-user="${APPROVER.user}"] a`);
  assert.equal(squash(await page.textContent('dd[data-field="sp_acc_province"]')), 'Batman');
  await checkBoth(page, 'staff-15-account-en');
  await page.goto(`${BASE}/yonetim/denetim?action=application.approve&actor=${APPROVER.user}`);
  assert.equal(squash(await page.textContent('h1')), 'Audit log');
  assert.match(await page.locator('table.audit-log tbody tr').first().textContent(), /Application approved/);
  await submitAndWait(page, () => page.click('button:has-text("Check the chain")'));
  assert.match(await page.textContent('.audit-intact'), /The chain is intact: \d+ entries checked/);
  await checkBoth(page, 'staff-15-audit-en');
  await page.click('nav.staff-nav a:has-text("Personnel import")');
  assert.equal(squash(await page.textContent('h1')), 'Personnel import');
  await checkBoth(page, 'staff-15-import-en');
  // nothing untranslated on the way: no Turkish-only letters in the headings and labels
  for (const sel of ['h1', 'h2', 'label', 'th', 'button']) {
    const texts = await page.$$eval(sel, (els) => els.map((e) => e.textContent.trim()));
    for (const t of texts) assert.doesNotMatch(t, /[çğışÇĞİŞ]/, `${sel} "${t}" in English`);
  }
  assert.deepEqual(unexpected(problems, []), []);
  await context.close();
});

test('a personnel file imported with a progress bar, the refused rows downloaded', async () => {
  const header = 'tckn;ad;soyad;dogum_yeri;dogum_tarihi;kurum_kodu;kurum_adi;il_kodu;ilce;birim;unvan;gorev_durumu;gorevlendirme_bitis;eimza_hakki;eposta;cep_telefonu';
  const good = [];
  // 3000 numbers none of which the database or the file has already (random ones met once in
  // a run: "Yeni kayıt: 2999, güncellenen: 1")
  const taken = new Set(sql('SELECT tckn FROM personnel').split('\n'));
  const fresh = () => {
    let t;
    do t = tckn();
    while (taken.has(t));
    taken.add(t);
    return t;
  };
  for (let i = 0; i < 3000; i++) {
    good.push([fresh(), 'Aday', `Kişi${i}`, 'Batman', '1990-01-01', '720009', 'Batman Lisesi', 72, 'Merkez', 'Eğitim', 'Öğretmen', 'aktif', '', 1, `aday${i}@example.org`, `0553${String(i).padStart(7, '0')}`].join(';'));
  }
  const bad = ['12345678901;Bozuk;Kişi;Batman;1990-01-01;720009;Batman Lisesi;72;Merkez;Eğitim;Öğretmen;aktif;;1;b@example.org;05530000000'];
  const file = join(work, `il72-${RUN}.csv`);
  writeFileSync(file, [header, ...good.slice(0, 10), ...bad, ...good.slice(10)].join('\n') + '\n');
  const { context, page, problems } = await open(browser);
  await staffLogin(page, ADMIN);
  await page.goto(`${BASE}/yonetim/aktarim`);
  assert.equal(await page.isVisible('#file'), true, 'with script, a file can be chosen');
  await checkBoth(page, 'staff-15-import');
  // the upload from a fresh page: Playwright's full-page screenshot leaves an empty style
  // attribute on the file field, which lib.mjs's no-inline-style rule would then count
  await page.goto(`${BASE}/yonetim/aktarim`);
  await page.setInputFiles('#file', file);
  // a slow line (about 30 KiB/s up: some 13 s for the file), so the bar can be seen moving and
  // the page checked while it does
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 30 * 1024 });
  await page.click('.import-form button[type="submit"]');
  // the bar shows while the file goes, part of the way, said in words; then the result
  await page.waitForSelector('[data-import-progress]:not([hidden])');
  const midway = await eventually(async () => {
    const v = Number(await page.getAttribute('#import-progress', 'value'));
    return v > 0 && v < 100 ? v : 0;
  }, 20000);
  assert.ok(midway > 0 && midway < 100, `the bar part of the way (${midway})`);
  assert.match(await page.textContent('[data-import-status]'), /Dosya gönderiliyor: yüzde \d+/);
  // the page as it is during the upload, at both widths; then proof that it still was
  await checkBoth(page, 'staff-15-import-progress');
  assert.equal(await page.locator('.import-counts').count(), 0, 'the checks saw the upload, not its result');
  assert.equal(await page.isVisible('[data-import-progress]'), true, 'the bar still shown after the checks');
  await page.waitForSelector('.import-counts', { timeout: 60000 });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  assert.match(await page.textContent('.import-counts'), /Okunan satır: 3\.001\. Yeni kayıt: 3\.000, güncellenen: 0, değişmeyen: 0, reddedilen satır: 1/);
  assert.equal(squash(await page.textContent('table.import-rejects tbody th')), '12');
  // the reason speaks to the admin who imports, not to an applicant about their identity card
  assert.match(await page.textContent('table.import-rejects tbody'), /MEBBİS kaydıyla karşılaştırıp dosyada düzeltiniz/);
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1', 'the focus on the result');
  await checkBoth(page, 'staff-15-import-result');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('button:has-text("Reddedilen satırların listesini indir")'),
  ]);
  assert.equal(download.suggestedFilename(), 'reddedilen-satirlar.csv');
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(csv, /^\uFEFFsatir;sutun;neden_kodu;neden\r\n12;tckn;tckn_checksum;/);
  const audit = sql(`SELECT count(*) FROM audit_log WHERE action = 'personnel.import' AND actor = 'staff:${ADMIN.user}' AND object = 'il72-${RUN}.csv'`);
  assert.equal(audit, '1');
  // a form post that answers with a file is a navigation Chromium calls aborted
  assert.deepEqual(unexpected(problems, []).filter((p) => !/\/yonetim\/aktarim\/rapor net::ERR_ABORTED/.test(p)), []);
  await context.close();
});
