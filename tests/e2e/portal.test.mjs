// eimza e2e — an applicant walks the five steps as a person would, on the fixture person
// (tests/e2e/fixtures/personnel.csv: 10000000146, Ayşe Işık, Iğdır, 1980-03-27): two failed
// logins that must say the same thing, a login typed with the keyboard only, the form sent
// once with mistakes (the error summary's links taking the focus to each field) and once
// right, the check of the answers, the SMS code from the development outbox entered wrong and
// then right, the content to sign with the application number in it, Yöntem 2, the
// confirmation and the status page. Every page is
// checked for console errors, CSP violations and our accessibility rules, the form also on a
// phone; screenshots of each step are kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  BASE,
  DESKTOP,
  PHONE,
  a11yProblems,
  axeViolations,
  browserForFile,
  eventually,
  focusedId,
  open,
  screenshot,
  scrollsSideways,
  submitAndWait,
} from './lib.mjs';

const PERSON = {
  tckn: '10000000146',
  first: 'Ayşe',
  last: 'Işık',
  place: 'Iğdır',
  date: ['27', '3', '1980'], // Gün, Ay, Yıl: the login's three fields
};

const browser = browserForFile();

const path = (page) => new URL(page.url()).pathname;

// The answer of the captcha on the page, from the development route.
async function captchaAnswer(page) {
  const id = await page.inputValue('input[name="captcha_id"]');
  assert.match(id, /^[0-9a-f]{32}$/);
  const res = await page.request.get(`${BASE}/dev/captcha/${id}`);
  assert.equal(res.status(), 200);
  return (await res.json()).answer;
}

// Presses Tab until the element with this id has the focus (at most max presses).
async function tabTo(page, id, max = 12) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if ((await focusedId(page)) === id) return;
  }
  assert.fail(`Tab never reached #${id} (focus on #${await focusedId(page)})`);
}

async function checkPage(page, name) {
  assert.deepEqual(await a11yProblems(page), [], `accessibility of ${name}`);
  assert.deepEqual(await axeViolations(page), [], `axe on ${name}`);
  await screenshot(page, `portal-${name}`);
}

async function summaryText(page) {
  return (await page.textContent('[data-error-summary] ul')).replace(/\s+/g, ' ').trim();
}

test('an applicant goes through steps 1 to 5', async () => {
  const { context, page, problems } = await open(browser(), { viewport: DESKTOP });

  // ---- step 1: two failed logins say the same thing ----
  let res = await page.goto(`${BASE}/giris`);
  assert.equal(res.status(), 200);
  assert.equal((await page.textContent('h1')).trim(), 'Kimlik bilgilerinizle giriş yapınız');
  assert.match(await page.textContent('.steps-counter'), /Adım 1 \/ 5: Giriş/);
  const img = page.locator('img.captcha-image');
  assert.match(await img.getAttribute('src'), /^\/api\/v1\/captcha\/[0-9a-f]{32}\.png$/);
  assert.ok((await img.getAttribute('alt')).length > 10);
  assert.ok(await img.evaluate((i) => i.complete && i.naturalWidth > 0), 'the captcha image loads');
  assert.match(await page.getAttribute('text=Resmi sesli dinle', 'href'), /\.wav$/);
  await checkPage(page, '1-login');

  async function failLogin(tckn, first) {
    await page.fill('#tckn', tckn);
    await page.fill('#first_name', first);
    await page.fill('#last_name', PERSON.last);
    await page.fill('#birth_place', PERSON.place);
    await page.fill('#birth_date_day', PERSON.date[0]);
    await page.fill('#birth_date_month', PERSON.date[1]);
    await page.fill('#birth_date_year', PERSON.date[2]);
    await page.fill('#captcha_answer', await captchaAnswer(page));
    await submitAndWait(page, () => page.click('button[type="submit"]'));
    assert.equal(path(page), '/giris');
    assert.match(await page.title(), /^Hata: /);
    return summaryText(page);
  }
  const wrongName = await failLogin(PERSON.tckn, 'Fatma');
  assert.match(wrongName, /Girdiğiniz bilgiler kayıtlarla eşleşmedi/);
  await checkPage(page, '1-login-failed');
  const unknown = await failLogin('10000000450', PERSON.first);
  assert.equal(unknown, wrongName, 'an unknown number and a wrong name read the same');
  assert.ok(!page.url().includes('10000000'), 'no T.C. Kimlik No in the URL');

  // ---- step 1: the keyboard only ----
  await page.goto(`${BASE}/giris`);
  await page.focus('#tckn');
  await page.keyboard.type(PERSON.tckn);
  await tabTo(page, 'first_name');
  await page.keyboard.type(PERSON.first);
  await tabTo(page, 'last_name');
  await page.keyboard.type(PERSON.last);
  await tabTo(page, 'birth_place');
  await page.keyboard.type(PERSON.place);
  // the date as three fields, day first whatever the browser's language (no date picker)
  for (const [i, part] of ['birth_date_day', 'birth_date_month', 'birth_date_year'].entries()) {
    await tabTo(page, part);
    await page.keyboard.type(PERSON.date[i]);
  }
  const answer = await captchaAnswer(page);
  await tabTo(page, 'captcha_answer');
  await page.keyboard.type(answer);
  await submitAndWait(page, () => page.keyboard.press('Enter'));
  assert.equal(path(page), '/basvuru');
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'eimza_session');
  assert.ok(session?.httpOnly && session.sameSite === 'Strict', 'the session cookie');

  // ---- step 2: the form, first with mistakes ----
  assert.match(await page.textContent('.steps-counter'), /Adım 2 \/ 5: Başvuru formu/);
  assert.equal(await page.inputValue('#tckn'), '100******46');
  assert.equal(await page.inputValue('#institution_name'), 'Batman İl Milli Eğitim Müdürlüğü'); // the record's
  assert.equal(await page.inputValue('#province'), '72');
  assert.equal(await page.isChecked('#reason'), true, 'Yenileme by default');
  assert.equal(await page.isChecked('#validity_years-3'), true, '3 years by default');
  for (const h of ['Başvuru bilgileri', 'Kişisel bilgiler', 'Kurum bilgileri', 'İletişim bilgileri']) {
    assert.equal(await page.locator('h2', { hasText: h }).count(), 1, h);
  }
  assert.match(await page.textContent('main'), /Aşağıda yazılı bütün bilgilerin doğru olduğunu/);
  await checkPage(page, '2-form');
  await page.setViewportSize(PHONE);
  assert.equal(await scrollsSideways(page), false, 'the form on a phone scrolls only down');
  await screenshot(page, 'portal-2-form-phone');
  await page.setViewportSize(DESKTOP);

  await page.fill('#address', 'Kültür Mah. Atatürk Bulvarı No: 1');
  await page.fill('#postal_code', '34000'); // İstanbul's, not Batman's
  await page.selectOption('#mobile_operator', 'turkcell');
  await page.fill('#security_word', 'Kırmızı77');
  await page.fill('#security_word_repeat', 'Mavi7788');
  await submitAndWait(page, () => page.click('button:has-text("Kaydet ve devam et")'));
  assert.equal(path(page), '/basvuru');
  assert.match(await page.title(), /^Hata: /);
  await page.waitForFunction(() => document.activeElement?.hasAttribute('data-error-summary'));
  const links = await page
    .locator('[data-error-summary] a')
    .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, ['#security_word_repeat', '#postal_code'], 'in page order');
  assert.equal(await page.inputValue('#security_word'), '', 'the security word is not echoed');
  assert.equal(await page.inputValue('#postal_code'), '34000', 'the value sent is kept');
  await checkPage(page, '2-form-errors');
  for (const href of links) {
    await page.click(`[data-error-summary] a[href="${href}"]`);
    await eventually(async () => (await focusedId(page)) === href.slice(1));
    assert.equal(await focusedId(page), href.slice(1), `${href} takes the focus to its field`);
  }

  await page.fill('#postal_code', '72100');
  await page.fill('#security_word', 'Kırmızı77');
  await page.fill('#security_word_repeat', 'Kırmızı77');
  await submitAndWait(page, () => page.click('button:has-text("Kaydet ve devam et")'));
  assert.equal(path(page), '/kontrol');

  // ---- the check of the answers, then the SMS code is sent ----
  assert.match(await page.textContent('.steps-counter'), /Adım 2 \/ 5/);
  assert.match(await page.textContent('main'), /72100/);
  assert.match(await page.textContent('main'), /5\*{7}67 numaralı cep telefonunuza/);
  await checkPage(page, '3-check');
  await submitAndWait(page, () => page.click('button:has-text("Onayla ve SMS onay kodunu gönder")'));
  assert.equal(path(page), '/sms');

  // ---- step 3: a wrong code, then the right one ----
  assert.match(await page.textContent('.steps-counter'), /Adım 3 \/ 5: SMS onay kodu/);
  assert.match(await page.textContent('.countdown'), /SMS onay kodunuzun geçerliliği için kalan süre: (5 dakika|4 dakika \d+ saniye)/);
  await checkPage(page, '4-code');
  const outbox = await (await page.request.get(`${BASE}/dev/outbox`)).json();
  const sms = outbox.filter((m) => m.channel === 'sms').at(-1);
  assert.equal(sms.to, '5551234567');
  const code = sms.body.match(/\b(\d{6})\b/)[1];
  const wrong = String((Number(code) + 1) % 1000000).padStart(6, '0');
  await page.fill('#code', wrong);
  await submitAndWait(page, () => page.keyboard.press('Enter'));
  assert.match(await summaryText(page), /SMS onay kodu hatalı\. .*; 2 deneme hakkınız kaldı\./);
  assert.equal(await page.getAttribute('#code', 'aria-invalid'), 'true');
  await checkPage(page, '4-code-wrong');
  await page.fill('#code', code);
  await submitAndWait(page, () => page.click('button:has-text("Tamam")'));
  assert.equal(path(page), '/yontem');

  // ---- step 4: the content, and Yöntem 2 ----
  assert.match(await page.textContent('.steps-counter'), /Adım 4 \/ 5: İmza yöntemi/);
  const number = (await page.textContent('.app-number')).match(/([0-9A-Z]{10})/)[1];
  const content = await page.textContent('pre.signed-content');
  assert.ok(content.includes(number), 'the content holds the application number');
  const served = await (await page.request.get(`${BASE}/api/v1/application/content`)).text();
  assert.equal(content, served, 'the page shows exactly the bytes to sign');
  // no certificate on record: only the wet signature, and the page says why
  assert.equal(await page.locator('input[value="esign"]').count(), 0);
  assert.match(await page.textContent('main'), /Sertifikanızın süresi dolduğu için/);
  await checkPage(page, '5-method');
  await page.check('input[value="wet"]');
  await submitAndWait(page, () => page.click('button:has-text("Devam et")'));
  assert.equal(path(page), '/basvuru/tamam');

  // ---- the confirmation, then the result ----
  assert.equal((await page.textContent('.panel-confirmation .panel-body strong')).trim(), number);
  assert.match(await page.textContent('.steps-counter'), /Adım 5 \/ 5: İmzalama ve gönderme – ıslak imzalı formunuz bekleniyor/);
  await checkPage(page, '6-done');
  await page.goto(`${BASE}/durum`);
  assert.equal((await page.textContent('h1')).trim(), 'Başvurunuzun durumu');
  assert.match(await page.textContent('.state'), /Islak imzalı form bekleniyor/);
  assert.match(await page.textContent('.timeline'), /\d{2}\.\d{2}\.\d{4}\s\d{2}:\d{2}/);
  assert.match(await page.textContent('main'), /444\s5\s576/);
  await checkPage(page, '7-status');
  await page.setViewportSize(PHONE);
  assert.equal(await scrollsSideways(page), false, 'the status page on a phone');
  await page.setViewportSize(DESKTOP);

  // ---- logout ----
  await submitAndWait(page, () => page.click('button:has-text("Çıkış")'));
  assert.equal(path(page), '/');
  res = await page.goto(`${BASE}/durum`);
  assert.equal(path(page), '/giris', 'no session: back to the login');

  assert.deepEqual(problems, []);
  await context.close();
});

test('the pages in English, and a page asked for without a session', async () => {
  const { context, page, problems } = await open(browser(), { locale: 'en-GB' });
  await page.goto(`${BASE}/basvuru`);
  assert.equal(path(page), '/giris');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal((await page.textContent('h1')).trim(), 'Log in with your identity details');
  assert.equal(await page.locator('button[type="submit"]').textContent(), 'Log in');
  assert.deepEqual(await a11yProblems(page), []);
  await screenshot(page, 'portal-1-login-en');
  assert.deepEqual(problems, []);
  await context.close();
});
