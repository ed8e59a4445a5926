// eimza e2e — the landing page (GET /): Turkish and English from Accept-Language, the
// ?lang= switch remembered in a cookie, the step overview, the start link, the privacy
// notice, the footer, the stylesheets really applied, the skip link by keyboard, a phone
// viewport without sideways scrolling, no console errors or CSP violations, and our
// accessibility check. Screenshots at desktop and phone sizes.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  BASE,
  DESKTOP,
  PHONE,
  a11yProblems,
  browserForFile,
  eventually,
  open,
  screenshot,
  scrollsSideways,
} from './lib.mjs';

const browser = browserForFile();

const LANGS = [
  {
    locale: 'tr-TR',
    lang: 'tr',
    h1: 'E-imza sertifikanızı yenileyin',
    start: 'Başvuruya başla',
    service: 'Nitelikli elektronik sertifika başvurusu',
    ministry: 'T.C. Millî Eğitim Bakanlığı',
    // named as the step bar names them (issue 17, point 9)
    steps: ['Giriş', 'Başvuru formu', 'SMS onay kodu', 'İmza yöntemi', 'İmzalama ve gönderme'],
    kvkk: /KVKK/,
    other: 'English',
  },
  {
    locale: 'en-GB',
    lang: 'en',
    h1: 'Renew your e-signature certificate',
    start: 'Start your application',
    service: 'Qualified electronic certificate application',
    ministry: 'Ministry of National Education of Türkiye', // run.sh's ministry_name_en
    steps: ['Log in', 'Application form', 'SMS confirmation code', 'Signing method', 'Sign and send'],
    kvkk: /privacy notice/,
    other: 'Türkçe',
  },
];

for (const L of LANGS) {
  test(`landing page in ${L.lang} (Accept-Language ${L.locale})`, async () => {
    for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
      const { context, page, problems } = await open(browser(), { locale: L.locale, viewport });
      const res = await page.goto(`${BASE}/`);
      assert.equal(res.status(), 200);
      assert.match(res.headers()['content-type'], /^text\/html; charset=utf-8/);
      assert.match(res.headers()['content-security-policy'], /default-src 'self'/);
      assert.equal(await page.getAttribute('html', 'lang'), L.lang);
      assert.equal((await page.textContent('h1')).trim(), L.h1);
      assert.match(await page.title(), new RegExp(`${L.h1} – ${L.service}`));
      assert.equal((await page.textContent('.service-name')).trim(), L.service);
      assert.equal((await page.textContent('.ministry-name')).trim(), L.ministry);
      assert.equal((await page.textContent('.lang-switch')).trim(), L.other);

      const start = page.getByRole('link', { name: L.start });
      assert.equal(await start.getAttribute('href'), '/giris');
      assert.equal(await start.isVisible(), true);

      const steps = await page.locator('.landing-step-name').allTextContents();
      assert.deepEqual(steps.map((s) => s.trim()), L.steps);
      assert.equal(await page.locator('[aria-current]').count(), 0, 'the overview has no current step');

      assert.match(await page.textContent('#kvkk h2'), L.kvkk);
      assert.match(await page.textContent('#kvkk'), /6698/);
      assert.match(await page.textContent('footer'), /444\s5\s576/);
      assert.equal(await page.getAttribute('footer a[href="/#kvkk"]', 'href'), '/#kvkk');

      // the stylesheets arrived and apply: the start link is drawn as a filled button and
      // Pico's font stack is in force
      const bg = await start.evaluate((el) => getComputedStyle(el).backgroundColor);
      assert.notEqual(bg, 'rgba(0, 0, 0, 0)', 'the start link has no background: CSS missing?');
      const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
      assert.match(font, /system-ui/);

      assert.equal(await scrollsSideways(page), false, `${size}: the page scrolls sideways`);
      assert.deepEqual(await a11yProblems(page), []);
      await screenshot(page, `landing-${L.lang}-${size}`);
      assert.deepEqual(problems, []);
      await context.close();
    }
  });
}

test('?lang=en overrides Accept-Language and is remembered; ?lang=tr switches back', async () => {
  const { context, page, problems } = await open(browser(), { locale: 'tr-TR' });
  await page.goto(`${BASE}/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'tr');
  await page.click('.lang-switch');
  await page.waitForURL(/\?lang=en$/);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  const cookies = await context.cookies();
  const lang = cookies.find((c) => c.name === 'lang');
  assert.equal(lang?.value, 'en');
  assert.equal(lang?.httpOnly, true);
  await page.goto(`${BASE}/`); // no ?lang: the cookie decides
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.goto(`${BASE}/?lang=tr`);
  assert.equal(await page.getAttribute('html', 'lang'), 'tr');
  await page.goto(`${BASE}/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'tr');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the skip link is the first stop of the keyboard and moves the focus to <main>', async () => {
  const { context, page, problems } = await open(browser());
  await page.goto(`${BASE}/`);
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement.className);
  assert.equal(first, 'skip-link');
  assert.equal(await page.locator('.skip-link').isVisible(), true);
  await screenshot(page, 'landing-skip-link-focused');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the watchers catch what they are for (a CSP violation, a script error, a 404)', async () => {
  // The checks above are only worth something if they can fail: break the page on purpose.
  const { context, page, problems } = await open(browser());
  await page.goto(`${BASE}/`);
  await page.evaluate(() => {
    document.body.insertAdjacentHTML('beforeend', '<p style="color: red">inline style</p>');
    const s = document.createElement('script');
    s.textContent = 'window.__inline = 1';
    document.body.append(s);
  });
  await page.evaluate(() => fetch('/static/css/missing.css'));
  await page.evaluate(() => setTimeout(() => {
    throw new Error('deliberate');
  }));
  const wanted = [
    /CSP violation: style-src/,
    /CSP violation: script-src/,
    /load 404: .*missing\.css/,
    /script error: deliberate/,
  ];
  const seen = () => wanted.every((w) => problems.some((p) => w.test(p)));
  await eventually(seen);
  for (const w of wanted) {
    assert.ok(problems.some((p) => w.test(p)), `${w} not caught; caught:\n${problems.join('\n')}`);
  }
  assert.equal(await page.evaluate(() => window.__inline), undefined, 'the inline script ran');
  const a11y = await a11yProblems(page);
  assert.ok(a11y.includes('an element has a style attribute'), a11y.join('\n'));
  assert.ok(a11y.includes('an inline <script>'), a11y.join('\n'));
  await context.close();
});

test('the accessibility check finds the faults it looks for', async () => {
  const { context, page } = await open(browser(), { js: true });
  await page.setContent(`<!doctype html><html><head><title>x</title></head><body>
    <h1>One</h1><h1>Two</h1><h3>skipped</h3>
    <img src="data:,">
    <input id="a" name="a"><input id="a" type="radio" name="r">
    <span aria-describedby="nowhere">x</span>
    <input aria-invalid="true" aria-label="b">
    <a href="#absent">gone</a><button></button></body></html>`);
  const found = await a11yProblems(page);
  for (const want of [
    /^<html lang="null">$/,
    /2 <h1> elements/,
    /heading level skipped/,
    /image without alt/,
    /control without a label: <input id="a" name="a">/,
    /radio outside a fieldset/,
    /id "a" used 2 times/,
    /aria-describedby names missing id "nowhere"/,
    /aria-invalid without an error message/,
    /link to missing #absent/,
    /button or link without text/,
    /no <main id="main">/,
  ]) {
    assert.ok(found.some((f) => want.test(f)), `${want} not reported; got:\n${found.join('\n')}`);
  }
  await context.close();
});
