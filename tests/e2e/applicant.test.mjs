// eimza e2e — the applicant's pages walked as a teacher would (issue 17): every page checked
// with axe-core (WCAG 2.2 A and AA, and AAA contrast) and our own accessibility rules at
// 1280 and 390 px, in Turkish and in English, with screenshots of each kept.
//
// The people are made here with random valid T.C. Kimlik No (so the file can run again on the
// same server, as run.sh retries a failing file) through the real interfaces: `eimza import
// personnel` (with the kurum_sicil_no column), `eimza import certificates` (a certificate made
// with `openssl ca` that ends at 23:59:59 UTC, 21:00 UTC being the day's end in Turkey) and
// `eimza user add` on the server's database. run.sh starts the server with an English ministry
// name and a logo file of the tests', and the provinces' DYS contacts of
// fixtures/province-contacts.csv.
//
// What is shown, point by point of the issue: (1) the mobile number is the personnel record's,
// locked, and the code goes to the number the record has now; (2) the code page in minutes and
// seconds, one name for the code, "İptal" keeping the saved form, a new code offered by itself
// after the cool-down; (3) the warning before the session ends, "Oturumu uzat", and what was
// typed coming back after a session that did end; (4) the check of the answers with a
// "Değiştir" link per field, the confirmation panel and the print view; (5) the birth date in
// three fields, spaces in the T.C. Kimlik No, EMINE for EMİNE; (6) each field's own message,
// limits stated alike in hint and maxlength, the postal code's example in the person's own
// province; (7) the wet path saying where the paper goes, the step bar keeping the last step
// open; (8) the certificate's end the same day for the applicant and the approver; (9) the
// ministry's name and logo, the help page with the province's DYS unit, the accessibility
// statement, the landing page's steps named as the step bar; (10) the Turkish words and the
// English plural; (17) the Kurum Sicil No from the personnel file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import {
  BASE,
  DESKTOP,
  PHONE,
  a11yProblems,
  axeViolations,
  launch,
  open,
  screenshot,
  scrollsSideways,
  submitAndWait,
} from './lib.mjs';

const BIN = process.env.EIMZA_E2E_BIN;
const DB = process.env.EIMZA_E2E_DB;
if (!BIN || !DB) {
  throw new Error('EIMZA_E2E_BIN / EIMZA_E2E_DB are not set: run through tests/e2e/run.sh');
}

// ---- the data of this run -------------------------------------------------------------------

// A valid T.C. Kimlik No from nine random digits (never 1000000xx, the other tests' numbers).
function tckn() {
  const d = [2 + Math.floor(Math.random() * 8)];
  for (let i = 1; i < 9; i++) d.push(Math.floor(Math.random() * 10));
  const d10 = ((((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10) + 10) % 10;
  const d11 = (d.reduce((a, b) => a + b, 0) + d10) % 10;
  return d.join('') + d10 + d11;
}
const masked = (phone) => `${phone[0]}*******${phone.slice(8)}`;
const RUN = Date.now().toString(36);
const phone = () => `55${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

// the certificate's end: 23:59:59 UTC, 60 days from now, which is the next day in Turkey
const CERT_END = new Date();
CERT_END.setUTCDate(CERT_END.getUTCDate() + 60);
CERT_END.setUTCHours(23, 59, 59, 0);
const twoDigits = (n) => String(n).padStart(2, '0');
const trDay = new Date(CERT_END.getTime() + 3 * 3600 * 1000);
const CERT_END_TR = `${twoDigits(trDay.getUTCDate())}.${twoDigits(trDay.getUTCMonth() + 1)}.${trDay.getUTCFullYear()}`;
const CERT_END_UTC = `${twoDigits(CERT_END.getUTCDate())}.${twoDigits(CERT_END.getUTCMonth() + 1)}.${CERT_END.getUTCFullYear()}`;

const PEOPLE = {
  // İzmir, a certificate ending at 23:59 UTC, a registry number: the Turkish walk (wet path)
  emine: { first: 'Emine', last: 'Yıldırım', place: 'İzmir', date: [9, 4, 1981], province: 35, district: 'Konak', registry: '35-4412', cert: true },
  // Batman, no certificate: the English walk
  ahmet: { first: 'Ahmet', last: 'Kılıç', place: 'Batman', date: [2, 11, 1976], province: 72, district: 'Merkez', registry: '' },
  // the session's end
  zehra: { first: 'Zehra', last: 'Aydın', place: 'Siirt', date: [15, 6, 1988], province: 72, district: 'Kozluk', registry: '72-0099' },
  // the mobile number that changes in the personnel record
  murat: { first: 'Murat', last: 'Öztürk', place: 'Mardin', date: [21, 1, 1979], province: 72, district: 'Merkez', registry: '' },
};
for (const p of Object.values(PEOPLE)) {
  p.tckn = tckn();
  p.phone = phone();
}
const APPROVER = { user: `onay35-${RUN}`, password: 'İzmir-Onay-2026!' };
const HEADER =
  'tckn;ad;soyad;dogum_yeri;dogum_tarihi;kurum_kodu;kurum_adi;il_kodu;ilce;birim;unvan;gorev_durumu;gorevlendirme_bitis;eimza_hakki;eposta;cep_telefonu;kurum_sicil_no';

let work;
function eimza(args, input) {
  return execFileSync(BIN, [...args, '--db', DB], { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

function personnelRow(p, i) {
  const [d, m, y] = p.date;
  return [p.tckn, p.first, p.last, p.place, `${y}-${twoDigits(m)}-${twoDigits(d)}`, `${p.province}00000${i}`,
    p.province === 35 ? 'Konak Anadolu Lisesi' : 'Batman Fen Lisesi', p.province, p.district, 'Öğretmenler',
    'Öğretmen', 'aktif', '', 1, `kisi${i}.${RUN}@example.org`, `0${p.phone}`, p.registry].join(';');
}

function importPeople() {
  writeFileSync(join(work, 'personnel.csv'), [HEADER, ...Object.values(PEOPLE).map(personnelRow)].join('\n') + '\n');
  eimza(['import', 'personnel', join(work, 'personnel.csv')]);
}

// A certificate eimza tracks (serialNumber = the T.C. Kimlik No), its end set to the second
// with `openssl ca` (openssl req -x509 only counts days from now).
function makeCertificate(p) {
  const ca = join(work, 'ca');
  writeFileSync(join(work, 'index.txt'), '');
  // a serial of its own each run: a certificate is also unique by issuer and serial
  writeFileSync(join(work, 'serial'), `${Date.now().toString(16).padStart(12, '0')}\n`);
  writeFileSync(join(work, 'ca.cnf'), [
    '[ca]', 'default_ca = own', '[own]', `dir = ${work}`, `database = ${work}/index.txt`,
    `new_certs_dir = ${work}`, `serial = ${work}/serial`, 'default_md = sha256', 'policy = any',
    'unique_subject = no', 'x509_extensions = holder', '[any]', 'commonName = supplied',
    'serialNumber = supplied', '[holder]', 'basicConstraints = critical,CA:FALSE',
    'keyUsage = critical,nonRepudiation', ''].join('\n'));
  const run = (args) => execFileSync('openssl', args, { stdio: 'pipe' });
  run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${ca}.key`,
    '-subj', `/CN=e2e test CA ${RUN}`, '-days', '3650', '-out', `${ca}.pem`]);
  run(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout',
    join(work, 'holder.key'), '-subj', `/CN=${p.first} ${p.last}/serialNumber=${p.tckn}`, '-out', join(work, 'holder.csr')]);
  const utc = (t) => t.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  const start = new Date(CERT_END.getTime() - 1000 * 24 * 3600 * 1000);
  run(['ca', '-batch', '-config', join(work, 'ca.cnf'), '-cert', `${ca}.pem`, '-keyfile', `${ca}.key`, '-in',
    join(work, 'holder.csr'), '-out', join(work, 'holder.pem'), '-startdate', utc(start), '-enddate', utc(CERT_END),
    '-notext']);
  eimza(['import', 'certificates', join(work, 'holder.pem')]);
}

let browser;
before(async () => {
  work = mkdtempSync(join(tmpdir(), 'eimza-e2e-applicant-'));
  importPeople();
  makeCertificate(PEOPLE.emine);
  eimza(['user', 'add', APPROVER.user, '--role', 'approver', '--province', '35'], APPROVER.password);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

// ---- helpers ------------------------------------------------------------------------------

const path = (page) => new URL(page.url()).pathname;
const squash = (s) => (s || '').replace(/\s+/g, ' ').trim();
// what a page reports that is not a fault of the page: a favicon still loading when the test
// moves on is aborted; the refusals a test causes on purpose, answered with their status
const faults = (problems, ...statuses) =>
  problems.filter((p) => !/favicon\.svg net::ERR_ABORTED/.test(p) &&
    !statuses.some((s) => p.includes(`status of ${s}`)));
const text = async (page, sel) => squash(await page.textContent(sel));

// What follows a form's buttons (the SMS page's note under "Tamam", the footer after the form)
// stands apart from them: the forms whose next visible element is closer than 12 px.
const gluedToButtons = (page) => page.evaluate(() => {
  const out = [];
  for (const b of document.querySelectorAll('form > .buttons:last-child')) {
    if (!b.offsetParent) continue; /* a form not shown (the new code's, until the wait is over) */
    let next = b.parentElement.nextElementSibling;
    while (next && getComputedStyle(next).display === 'none') next = next.nextElementSibling;
    if (!next && b.closest('main') && !b.parentElement.nextElementSibling) next = document.querySelector('body > footer');
    if (!next) continue;
    const gap = next.getBoundingClientRect().top - b.getBoundingClientRect().bottom;
    if (gap < 12) out.push(`${b.parentElement.getAttribute('action')}: ${Math.round(gap)} px`);
  }
  return out;
});

// The help page's questions: the open/close marker has a place of its own at the right, neither
// on a line of its own under a long question nor over its last words.
const crampedQuestions = (page) => page.evaluate(() => [...document.querySelectorAll('details.faq > summary')]
  .filter((s) => {
    const r = document.createRange();
    r.selectNodeContents(s);
    const text = r.getBoundingClientRect(), box = s.getBoundingClientRect(), cs = getComputedStyle(s);
    const inner = box.height - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
    return inner > text.height + 4 || box.right - text.right < 16;
  }).map((s) => s.textContent.trim()));

// The page at both widths: our rules and axe-core at 1280 px, then axe-core again at 390 px
// (whose layout differs: the step list goes, tables become cards) with no sideways scrolling,
// nothing glued to a form's buttons and no help question crowding its marker; a screenshot of
// each.
async function checkBoth(page, name) {
  assert.deepEqual(await a11yProblems(page), [], `accessibility of ${name}`);
  assert.deepEqual(await axeViolations(page), [], `axe on ${name} at 1280 px`);
  assert.deepEqual(await gluedToButtons(page), [], `${name} at 1280 px: glued to the buttons`);
  await screenshot(page, `applicant-${name}`);
  await page.setViewportSize(PHONE);
  assert.deepEqual(await axeViolations(page), [], `axe on ${name} at 390 px`);
  assert.equal(await scrollsSideways(page), false, `${name} at 390 px scrolls sideways`);
  assert.deepEqual(await gluedToButtons(page), [], `${name} at 390 px: glued to the buttons`);
  assert.deepEqual(await crampedQuestions(page), [], `${name} at 390 px: questions over their marker`);
  await screenshot(page, `applicant-${name}-phone`);
  await page.setViewportSize(DESKTOP);
}

async function captchaAnswer(page) {
  const id = await page.inputValue('input[name="captcha_id"]');
  const res = await page.request.get(`${BASE}/dev/captcha/${id}`);
  assert.equal(res.status(), 200);
  return (await res.json()).answer;
}

// Fills the login form; typed: what differs from the record (the i's, spaces).
async function fillLogin(page, p, typed = {}) {
  const [d, m, y] = typed.date || p.date;
  await page.fill('#tckn', typed.tckn ?? p.tckn);
  await page.fill('#first_name', typed.first ?? p.first);
  await page.fill('#last_name', typed.last ?? p.last);
  await page.fill('#birth_place', typed.place ?? p.place);
  await page.fill('#birth_date_day', String(d));
  await page.fill('#birth_date_month', String(m));
  await page.fill('#birth_date_year', String(y));
  await page.fill('#captcha_answer', await captchaAnswer(page));
}

async function login(page, p, typed) {
  await page.goto(`${BASE}/giris`);
  await fillLogin(page, p, typed);
  await submitAndWait(page, () => page.click('form button[type="submit"]'));
  assert.equal(path(page), '/basvuru', `${p.first} is logged in`);
}

// The form's editable fields filled right (the mobile number is the record's, locked).
async function fillForm(page, p) {
  await page.fill('#address', 'Atatürk Cad. No: 7');
  await page.selectOption('#province', String(p.province));
  await page.fill('#district', p.district);
  await page.fill('#postal_code', `${p.province}100`);
  await page.selectOption('#mobile_operator', 'turkcell');
  await page.fill('#security_word', 'Kırmızı Lale 77');
  await page.fill('#security_word_repeat', 'Kırmızı Lale 77');
}

async function lastCode(page, p) {
  const outbox = await (await page.request.get(`${BASE}/dev/outbox`)).json();
  const sms = outbox.filter((m) => m.channel === 'sms' && m.to === p.phone);
  return { count: sms.length, code: sms.at(-1)?.body.match(/\b(\d{6})\b/)?.[1], body: sms.at(-1)?.body };
}

async function summaryLinks(page) {
  return page.locator('[data-error-summary] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
}

// ---- the Turkish walk ----------------------------------------------------------------------

test('a teacher in İzmir applies in Turkish, on paper, every page at 1280 and 390 px', async () => {
  const p = PEOPLE.emine;
  const { context, page, problems } = await open(browser, { fakeClock: true });

  // ---- the landing page: the ministry, the steps named as the step bar names them ----
  await page.goto(`${BASE}/`);
  assert.equal(await text(page, '.ministry-name'), 'T.C. Millî Eğitim Bakanlığı');
  assert.equal(await page.getAttribute('.brand-logo', 'src'), '/logo');
  assert.ok(await page.locator('.brand-logo').evaluate((i) => i.complete && i.naturalWidth > 0), 'the configured logo loads');
  assert.equal(await page.getAttribute('footer a[href="/yardim"]', 'href'), '/yardim');
  assert.equal(await page.getAttribute('footer a[href="/erisilebilirlik"]', 'href'), '/erisilebilirlik');
  assert.match(await text(page, 'footer .operator'), /T\.C\. Millî Eğitim Bakanlığı personelinin/);
  const landingSteps = (await page.locator('.landing-step-name').allTextContents()).map(squash);
  assert.deepEqual(landingSteps, ['Giriş', 'Başvuru formu', 'SMS onay kodu', 'İmza yöntemi', 'İmzalama ve gönderme']);
  await checkBoth(page, '01-landing');

  // ---- the login: the date in three fields, its own message, then spaces and EMINE ----
  await page.goto(`${BASE}/giris`);
  const barSteps = (await page.locator('.steps li').allTextContents()).map((s) => squash(s).replace(/^Tamamlandı: /, ''));
  assert.deepEqual(barSteps, landingSteps, 'the landing page names the steps as the step bar does');
  assert.equal(await text(page, '#birth_date legend, fieldset.date-parts legend'), 'Doğum tarihi');
  for (const [id, label] of [['birth_date_day', 'Gün'], ['birth_date_month', 'Ay'], ['birth_date_year', 'Yıl']]) {
    assert.equal(await text(page, `label[for="${id}"]`), label);
    assert.equal(await page.getAttribute(`#${id}`, 'inputmode'), 'numeric');
  }
  await fillLogin(page, p, { date: ['', 4, 1981] });
  await submitAndWait(page, () => page.click('form button[type="submit"]'));
  assert.equal(path(page), '/giris');
  assert.deepEqual(await summaryLinks(page), ['#birth_date_day'], 'the summary leads to the day');
  assert.match(await text(page, '#birth_date-error'), /Doğum tarihinizin gününü giriniz/);
  assert.equal(await page.getAttribute('#birth_date_day', 'aria-invalid'), 'true');
  assert.equal(await page.getAttribute('#birth_date_month', 'aria-invalid'), null);
  assert.equal(await page.inputValue('#birth_date_month'), '4', 'what was typed stays');
  await checkBoth(page, '02-login-date-error');
  await fillLogin(page, p, { date: [31, 2, 1981] });
  await submitAndWait(page, () => page.click('form button[type="submit"]'));
  assert.match(await text(page, '#birth_date-error'), /gerçek bir tarih/);
  // the number with spaces, EMINE for Emine (İ), the place in capitals with I for İ
  const spaced = `${p.tckn.slice(0, 3)} ${p.tckn.slice(3, 6)} ${p.tckn.slice(6, 9)} ${p.tckn.slice(9)}`;
  await login(page, p, { tckn: spaced, first: 'EMINE', place: 'IZMIR' });

  // ---- the form: the record's number locked, the registry number, Turkey's date ----
  assert.match(await text(page, '.steps-counter'), /Adım 2 \/ 5: Başvuru formu/);
  assert.equal(await text(page, 'h1'), 'Başvuru formu');
  assert.equal(await page.inputValue('#registry_no'), '35-4412', 'Kurum Sicil No from the personnel file');
  assert.equal(await page.getAttribute('#registry_no', 'readonly'), '');
  const shownPhone = `0${p.phone.slice(0, 3)} ${p.phone.slice(3, 6)} ${p.phone.slice(6, 8)} ${p.phone.slice(8)}`;
  assert.equal(await page.inputValue('#mobile_phone'), shownPhone);
  assert.equal(await page.getAttribute('#mobile_phone', 'readonly'), '', 'the mobile number is locked');
  assert.match(await text(page, '#mobile_phone-hint'), /özlük birimine/);
  assert.match(await text(page, '.cert-end'), new RegExp(CERT_END_TR.replace(/\./g, '\\.')));
  assert.ok(!(await text(page, 'main')).includes(CERT_END_UTC), 'no UTC day on the page');
  assert.match(await text(page, '#postal_code-hint'), /İzmir için 35xxx/);
  assert.match(await text(page, '#security_word-hint'), /6 ile 32 karakter/);
  assert.equal(await page.getAttribute('#security_word', 'maxlength'), '32');
  assert.equal(await page.getAttribute('#address', 'maxlength'), '250');
  assert.match(await text(page, '#address-hint'), /250 karakter/);
  await checkBoth(page, '03-form');

  // each field says what to do about it
  await page.fill('#address', '');
  await page.fill('#postal_code', '');
  await page.fill('#security_word', 'Kırmızı Lale 77');
  await page.fill('#security_word_repeat', 'Mavi');
  await submitAndWait(page, () => page.click('button:has-text("Kaydet ve devam et")'));
  assert.equal(path(page), '/basvuru');
  const summary = await text(page, '[data-error-summary] ul');
  for (const want of ['Kurumunuzun ya da biriminizin adresini yazınız', 'Kurumunuzun posta kodunu giriniz',
    'Cep telefonunuzun operatörünü seçiniz', 'Güvenlik sözcüğü ile tekrarı aynı değil']) {
    assert.ok(summary.includes(want), `"${want}" in: ${summary}`);
  }
  assert.ok(!summary.includes('Bu alan zorunludur'), 'no message without a field in it');
  await checkBoth(page, '04-form-errors');

  // a draft: typed, kept by its button, back after the page is left
  await page.fill('#address', 'Gazi Bulvarı No: 12');
  await page.fill('#postal_code', '35250');
  await submitAndWait(page, () => page.click('button:has-text("Taslak olarak kaydet")'));
  assert.match(await text(page, '.notice-success'), /Taslağınız kaydedildi/);
  await page.goto(`${BASE}/`);
  await page.goto(`${BASE}/basvuru`);
  assert.equal(await page.inputValue('#address'), 'Gazi Bulvarı No: 12', 'the draft comes back');
  assert.match(await text(page, 'main'), /Kaydetmediğiniz değişiklikleriniz geri getirildi/);
  await fillForm(page, p);
  await page.fill('#postal_code', '35250');
  await submitAndWait(page, () => page.click('button:has-text("Kaydet ve devam et")'));

  // ---- the check of the answers ----
  assert.equal(path(page), '/kontrol');
  assert.equal(await text(page, 'h1'), 'Başvurunuzu kontrol ediniz');
  const answers = await text(page, 'main');
  for (const want of ['35250', '35-4412', 'Konak', 'Kayıtlı (güvenliğiniz için gösterilmez)', shownPhone]) {
    assert.ok(answers.includes(want), `"${want}" among the answers`);
  }
  const changes = await page.locator('.summary-change a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(changes, ['/basvuru#reason', '/basvuru#card_reader', '/basvuru#validity_years', '/basvuru#security_word',
    '/basvuru#unit', '/basvuru#title', '/basvuru#address', '/basvuru#province', '/basvuru#district', '/basvuru#postal_code',
    '/basvuru#email', '/basvuru#work_phone', '/basvuru#mobile_operator', '/basvuru#home_phone', '/basvuru#notify_by']);
  assert.match(await text(page, 'main'), new RegExp(`${masked(p.phone).replace(/\*/g, '\\*')} numaralı cep telefonunuza`));
  await checkBoth(page, '05-check');
  await page.click('.summary-change a[href="/basvuru#postal_code"]');
  await page.waitForURL(/\/basvuru#postal_code$/);
  assert.equal(await page.inputValue('#postal_code'), '35250');
  await page.goto(`${BASE}/kontrol`);
  await submitAndWait(page, () => page.click('button:has-text("Onayla ve SMS onay kodunu gönder")'));

  // ---- the code: minutes and seconds, one name, a new code by itself ----
  assert.equal(path(page), '/sms');
  assert.match(await text(page, '.steps-counter'), /Adım 3 \/ 5: SMS onay kodu/);
  assert.equal(await text(page, 'label[for="code"]'), 'SMS onay kodu');
  const left0 = await text(page, '.countdown-text');
  assert.match(left0, /^SMS onay kodunuzun geçerliliği için kalan süre: (5 dakika|4 dakika \d+ saniye)$/);
  assert.ok(!(await text(page, 'main')).match(/doğrulama kodu/i), 'the code has one name');
  assert.equal(await page.locator('form.resend').isVisible(), false, 'no new code during the cool-down');
  assert.match(await text(page, '.resend-wait'), /1 dakika sonra yeni kod/);
  const first = await lastCode(page, p);
  assert.equal(first.count, 1);
  assert.match(first.body, /SMS onay kodunuz/);
  await checkBoth(page, '06-code');
  await page.clock.runFor(1000);
  const left1 = await text(page, '.countdown-text');
  assert.match(left1, /: 4 dakika \d+ saniye$/);
  assert.notEqual(left1, left0, 'the time counts down, in minutes and seconds');
  await page.clock.runFor(60_000);
  assert.equal(await page.locator('form.resend').isVisible(), true, 'the new code appears by itself');
  assert.equal(await page.locator('.resend-wait').isVisible(), false);
  assert.match(await text(page, '[data-countdown-live]'), /Şimdi yeni kod isteyebilirsiniz/);
  await screenshot(page, 'applicant-06-code-resend');
  // "İptal": back to the answers, the saved security word kept; confirming again while the
  // code is good asks for no second one
  await submitAndWait(page, () => page.click('button:has-text("İptal")'));
  assert.equal(path(page), '/kontrol');
  assert.match(await text(page, 'main'), /Kayıtlı \(güvenliğiniz için gösterilmez\)/);
  await submitAndWait(page, () => page.click('button:has-text("Onayla ve SMS onay kodunu gönder")'));
  assert.equal(path(page), '/sms');
  assert.equal((await lastCode(page, p)).count, 1, 'no second code');
  await page.fill('#code', String((Number(first.code) + 1) % 1000000).padStart(6, '0'));
  await submitAndWait(page, () => page.click('button:has-text("Tamam")'));
  assert.match(await text(page, '[data-error-summary]'), /SMS onay kodu hatalı\. .*; 2 deneme hakkınız kaldı\./);
  await checkBoth(page, '06-code-wrong');
  await page.fill('#code', `${first.code.slice(0, 3)} ${first.code.slice(3)}`);
  await submitAndWait(page, () => page.click('button:has-text("Tamam")'));

  // ---- the method: step 4 ----
  assert.equal(path(page), '/yontem');
  assert.match(await text(page, '.steps-counter'), /Adım 4 \/ 5: İmza yöntemi/);
  await checkBoth(page, '07-method');
  await page.check('input[value="wet"]');
  await submitAndWait(page, () => page.click('button:has-text("Devam et")'));

  // ---- the confirmation: the panel, the paper awaited, where it goes ----
  assert.equal(path(page), '/basvuru/tamam');
  assert.equal(await text(page, '.panel-confirmation h1'), 'Başvurunuz kaydedildi');
  const number = await text(page, '.panel-body strong');
  assert.match(number, /^[0-9A-Z]{10}$/);
  assert.match(await text(page, '.steps-counter'), /Adım 5 \/ 5: İmzalama ve gönderme – ıslak imzalı formunuz bekleniyor/);
  assert.equal(await page.locator('.steps li.outstanding[aria-current="step"]').count(), 1);
  assert.ok(!(await text(page, 'main')).includes('Bütün adımlar tamamlandı'));
  const address = await text(page, '.postal-address');
  assert.match(address, /İzmir İl Millî Eğitim Müdürlüğü DYS Birimi/);
  assert.match(address, /35250 Konak\/İzmir/);
  assert.equal(await page.locator('form[action="/api/v1/application/wet-signature"] button').count(), 1);
  assert.ok(!(await text(page, 'main')).includes('Başarıyla Bitirildi'));
  await checkBoth(page, '08-done-wet');

  // ---- the print view ----
  await page.click('a[href="/basvuru/ozet"]');
  await page.waitForURL(/\/basvuru\/ozet$/);
  assert.equal(await text(page, 'h1'), 'Başvuru özeti');
  assert.match(await text(page, '.print-view'), new RegExp(number));
  assert.match(await text(page, '.print-view'), /35-4412/);
  assert.equal(await page.locator('[data-print]').isVisible(), true, 'the print button, with script');
  assert.equal(await page.locator('.summary-change').count(), 0, 'nothing to change here');
  await checkBoth(page, '09-print');

  // ---- the status page says the same about the paper ----
  await page.goto(`${BASE}/durum`);
  assert.equal(await page.locator('.steps li.outstanding').count(), 1, 'the paper is still to come');
  assert.equal(await text(page, '.postal-address'), address, 'the wet path in the same words');
  await checkBoth(page, '10-status-wet');

  // ---- help: this province's DYS unit, logged in; the accessibility statement ----
  await page.goto(`${BASE}/yardim`);
  assert.equal(await text(page, 'h1'), 'Yardım');
  assert.equal(await page.locator('details.faq').count(), 8);
  assert.equal(await page.inputValue('#il'), '35');
  assert.match(await text(page, '#dys'), /İzmir İl Millî Eğitim Müdürlüğü DYS Birimi/);
  assert.match(await text(page, '#dys'), /0232\s482\s00\s00/);
  assert.match(await text(page, 'main'), /444\s5\s576/);
  await page.locator('details.faq summary').nth(1).click();
  await checkBoth(page, '11-help');
  await page.goto(`${BASE}/erisilebilirlik`);
  assert.equal(await text(page, 'h1'), 'Erişilebilirlik beyanı');
  assert.match(await text(page, 'main'), /WCAG\) 2\.2/);
  await checkBoth(page, '12-accessibility');

  assert.deepEqual(faults(problems), []);
  await context.close();

  // ---- the approver sees the same day, and "1 application" in English ----
  const staff = await open(browser);
  await staff.page.goto(`${BASE}/yonetim/giris`);
  await staff.page.fill('#username', APPROVER.user);
  await staff.page.fill('#password', APPROVER.password);
  await submitAndWait(staff.page, () => staff.page.click('button:has-text("Giriş")'));
  assert.equal(path(staff.page), '/yonetim');
  await staff.page.goto(`${BASE}/yonetim?state=awaiting_original`);
  const row = staff.page.locator(`tr[data-number="${number}"]`);
  assert.equal(await row.count(), 1);
  assert.match(squash(await row.textContent()), new RegExp(CERT_END_TR.replace(/\./g, '\\.')),
    'the certificate ends the same day for the approver');
  await staff.page.goto(`${BASE}/yonetim?state=awaiting_original&lang=en`);
  assert.match(await text(staff.page, '.queue-count'), /^1 application; showing 1–1\.$/);
  assert.deepEqual(faults(staff.problems), []);
  await staff.context.close();
});

// ---- the English walk ----------------------------------------------------------------------

test('the same pages in English, at 1280 and 390 px', async () => {
  const p = PEOPLE.ahmet;
  const { context, page, problems } = await open(browser, { locale: 'en-GB' });
  await page.goto(`${BASE}/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await text(page, '.ministry-name'), 'Ministry of National Education of Türkiye', 'the configured name');
  assert.deepEqual((await page.locator('.landing-step-name').allTextContents()).map(squash),
    ['Log in', 'Application form', 'SMS confirmation code', 'Signing method', 'Sign and send']);
  await checkBoth(page, 'en-01-landing');

  await page.goto(`${BASE}/giris`);
  assert.equal(await text(page, 'label[for="birth_date_year"]'), 'Year');
  await fillLogin(page, p, { date: [2, 13, 1976] });
  await submitAndWait(page, () => page.click('form button[type="submit"]'));
  assert.deepEqual(await summaryLinks(page), ['#birth_date_month']);
  assert.match(await text(page, '#birth_date-error'), /month/i);
  await checkBoth(page, 'en-02-login-error');
  await login(page, p);

  assert.equal(await text(page, 'h1'), 'Application form');
  assert.match(await text(page, '#postal_code-hint'), /for Batman: 72xxx/);
  assert.match(await text(page, '#mobile_phone-hint'), /personnel unit/);
  await page.fill('#postal_code', '');
  await submitAndWait(page, () => page.click('button:has-text("Save and continue")'));
  assert.match(await text(page, '[data-error-summary] ul'), /Enter your institution's postal code/);
  await checkBoth(page, 'en-03-form-errors');
  await fillForm(page, p);
  await submitAndWait(page, () => page.click('button:has-text("Save and continue")'));
  assert.equal(path(page), '/kontrol');
  assert.equal(await text(page, 'h1'), 'Check your answers');
  assert.equal(await page.locator('.summary-change a').first().textContent(), 'Change: Reason for applying');
  await checkBoth(page, 'en-04-check');
  await submitAndWait(page, () => page.click('button:has-text("Confirm and send the SMS confirmation code")'));
  assert.match(await text(page, '.countdown-text'), /5 minutes/);
  assert.match(await text(page, '.resend-wait'), /in 1 minute\./);
  await checkBoth(page, 'en-05-code');
  const { code } = await lastCode(page, p);
  await page.fill('#code', code);
  await submitAndWait(page, () => page.click('button:has-text("OK")'));
  assert.equal(path(page), '/yontem');
  await checkBoth(page, 'en-06-method');
  await page.check('input[value="wet"]');
  await submitAndWait(page, () => page.click('button:has-text("Continue")'));
  assert.equal(await text(page, '.panel-confirmation h1'), 'Your application was saved');
  assert.match(await text(page, '.postal-address'), /Batman İl Millî Eğitim Müdürlüğü DYS Birimi/);
  await checkBoth(page, 'en-07-done-wet');
  await page.goto(`${BASE}/basvuru/ozet`);
  await checkBoth(page, 'en-08-print');
  await page.goto(`${BASE}/yardim?il=72`);
  assert.match(await text(page, '#dys'), /0488\s213\s00\s00/);
  await checkBoth(page, 'en-09-help');
  await page.goto(`${BASE}/yardim?il=6`);
  assert.match(await text(page, '#dys'), /No contact for Ankara/);
  await page.goto(`${BASE}/erisilebilirlik`);
  assert.equal(await text(page, 'h1'), 'Accessibility statement');
  await checkBoth(page, 'en-10-accessibility');
  assert.deepEqual(faults(problems), []);
  await context.close();
});

// ---- the session's end ----------------------------------------------------------------------

test('the session warns before it ends, "Oturumu uzat" keeps it, and nothing typed is lost', async () => {
  const p = PEOPLE.zehra;
  const { context, page, problems } = await open(browser, { fakeClock: true });
  await login(page, p);
  // typing is saved as a draft a moment after it stops (session.js)
  await page.fill('#address', 'Hükümet Cad. No: 3');
  const saved = page.waitForResponse((r) => r.url().endsWith('/basvuru') && r.request().method() === 'POST');
  await page.clock.runFor(3500);
  const answer = await (await saved).json();
  assert.equal(answer.saved, true);
  assert.ok(answer.expires_in > 1100, 'the draft request counts as activity');
  // two minutes before the end: the warning
  await page.clock.runFor((answer.expires_in - 119) * 1000);
  await page.waitForSelector('#session-warning[open]');
  assert.match(await text(page, '#session-warning'), /Oturumunuz kapanmak üzere/);
  assert.match(await text(page, '#session-warning [data-session-time]'), /1 dakika 59 saniye|2 dakika/);
  assert.equal(await page.evaluate(() => document.activeElement?.hasAttribute('data-session-extend')), true);
  assert.deepEqual(await axeViolations(page), [], 'axe with the warning open');
  await screenshot(page, 'applicant-13-session-warning');
  await page.setViewportSize(PHONE);
  assert.deepEqual(await axeViolations(page), [], 'axe with the warning open at 390 px');
  await screenshot(page, 'applicant-13-session-warning-phone');
  await page.setViewportSize(DESKTOP);
  const extended = page.waitForResponse((r) => r.url().endsWith('/api/v1/session/extend'));
  await page.click('button:has-text("Oturumu uzat")');
  assert.equal((await extended).status(), 200);
  await page.waitForFunction(() => !document.getElementById('session-warning').open);
  // the session really ends on the server (made older than the idle limit), and on the page
  const file = DB.replace(/^sqlite:/, '');
  execFileSync('sqlite3', [file, "UPDATE sessions SET last_seen = last_seen - 7200 WHERE kind = 'applicant'"]);
  await page.clock.runFor(1201 * 1000);
  await page.waitForSelector('#session-ended[open]');
  assert.match(await text(page, '#session-ended'), /taslak olarak saklandı/);
  assert.deepEqual(await axeViolations(page), [], 'axe with the end said');
  await screenshot(page, 'applicant-14-session-ended');
  await submitAndWait(page, () => page.click('#session-ended a[href="/giris"]'));
  assert.equal(path(page), '/giris');
  await login(page, p);
  assert.equal(await page.inputValue('#address'), 'Hükümet Cad. No: 3', 'what was typed is back');
  assert.match(await text(page, 'main'), /Kaydetmediğiniz değişiklikleriniz geri getirildi/);
  assert.deepEqual(faults(problems, 401), []);
  await context.close();
});

// ---- the mobile number ----------------------------------------------------------------------

test('the mobile number is the personnel record\'s: locked on the form, refused when changed, and the code goes to the record\'s number', async () => {
  const p = PEOPLE.murat;
  const { context, page, problems } = await open(browser);
  await login(page, p);
  const csrf = await page.inputValue('form[action="/basvuru"] input[name="csrf_token"]');
  // the JSON API: a changed number is a 400 on its field, saying whom to ask
  const put = await page.request.put(`${BASE}/api/v1/application`, {
    headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
    data: { mobile_phone: '0532 000 00 00' },
  });
  assert.equal(put.status(), 400);
  const body = await put.json();
  assert.match(body.error.fields.mobile_phone, /özlük birimine/);
  // the personnel unit corrects the record: the form shows the new number at once
  const old = p.phone;
  p.phone = phone();
  importPeople();
  await page.goto(`${BASE}/basvuru`);
  assert.match(await page.inputValue('#mobile_phone'), new RegExp(p.phone.slice(6, 8) + ' ' + p.phone.slice(8) + '$'));
  await fillForm(page, p);
  await submitAndWait(page, () => page.click('button:has-text("Kaydet ve devam et")'));
  assert.equal(path(page), '/kontrol');
  assert.match(await text(page, 'main'), new RegExp(masked(p.phone).replace(/\*/g, '\\*')));
  await submitAndWait(page, () => page.click('button:has-text("Onayla ve SMS onay kodunu gönder")'));
  assert.equal((await lastCode(page, p)).count, 1, 'the code went to the record\'s new number');
  assert.equal((await lastCode(page, { phone: old })).count, 0, 'and not to the old one');
  assert.deepEqual(faults(problems, 400), []);
  await context.close();
});
