// eimza e2e — the form components on the --dev sample page (/ornek-form): the error summary
// (focused on load, its links taking the keyboard to each field, with and without script),
// the step indicator, hostile values shown as text and never run, the SMS countdown and
// its live region (on a fake clock), a POST round trip with errors and without, the
// English version, a phone viewport, and the accessibility check. Screenshots of the page
// at desktop and phone sizes, in both languages, and after a successful POST.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  BASE,
  DESKTOP,
  PHONE,
  a11yProblems,
  browserForFile,
  eventually,
  focusedId,
  open,
  screenshot,
  scrollsSideways,
  submitAndWait,
} from './lib.mjs';

const PAGE = `${BASE}/ornek-form`;
// the wrong values of the sample, in the order the error summary lists them
const ERROR_FIELDS = ['tckn', 'last_name', 'reason', 'postal_code', 'email'];

const browser = browserForFile();

test('the sample page: error summary, fields, step indicator, at desktop and phone sizes', async () => {
  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const { context, page, problems } = await open(browser(), { viewport });
    const res = await page.goto(PAGE);
    assert.equal(res.status(), 200);
    assert.match(await page.title(), /^Hata: /);

    // the summary: focused by focus-errors.js, announced (role=alert), one link per field
    await page.waitForFunction(() => document.activeElement?.hasAttribute('data-error-summary'));
    assert.equal(await page.getAttribute('[data-error-summary]', 'role'), 'alert');
    assert.equal((await page.textContent('#error-summary-title')).trim(), 'Bir sorun var');
    const hrefs = await page.locator('[data-error-summary] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(hrefs, ERROR_FIELDS.map((f) => `#${f}`));
    for (const f of ERROR_FIELDS) {
      const el = page.locator(`#${f}`);
      assert.equal(await el.count(), 1, `#${f} exists once`);
      const described = (await el.getAttribute('aria-describedby')) || '';
      const fieldset = await el.evaluate((e) => e.closest('fieldset')?.getAttribute('aria-describedby') || '');
      assert.ok(`${described} ${fieldset}`.split(/\s+/).includes(`${f}-error`), `#${f} is described by its error`);
      const message = (await page.textContent(`#${f}-error`)).trim();
      assert.match(message, /^Hata: \S/, `#${f}-error starts with the hidden "Hata:"`);
    }
    assert.equal(await page.getAttribute('#tckn', 'aria-invalid'), 'true');
    assert.equal(await page.getAttribute('#first_name', 'aria-invalid'), null);
    assert.match(await page.textContent('#tckn-error'), /11 haneli/);

    // the step indicator: step 2 of 5 is current
    assert.match(await page.textContent('.steps-counter'), /Adım 2 \/ 5: Başvuru formu/);
    assert.equal((await page.textContent('.steps li[aria-current="step"]')).trim(), 'Başvuru formu');
    assert.match(await page.textContent('.steps li.done'), /Tamamlandı: Giriş/);

    // hostile values are text: in the value, in the textarea, in a readonly field
    assert.equal(await page.inputValue('#first_name'), '"><script>alert(1)</script>');
    assert.match(await page.inputValue('#address'), /<\/textarea><script>alert\(2\)<\/script>$/);
    assert.equal(await page.inputValue('#institution_name'), 'Batman İl Millî Eğitim Müdürlüğü <b>&amp;</b>');
    assert.equal(await page.getAttribute('#institution_name', 'readonly'), '');
    assert.equal(await page.locator('main script').count(), 0);
    // a password is never sent back
    assert.equal(await page.inputValue('#security_word'), '');
    // radios: the first carries the field's id, the chosen one is checked
    assert.equal(await page.getAttribute('#notify_by-3', 'value'), 'both');
    assert.equal(await page.isChecked('#notify_by-3'), true);
    assert.equal(await page.inputValue('#province'), '72');
    assert.equal(await page.inputValue('input[name="csrf_token"]'), 'ornek-form-csrf');

    assert.equal(await scrollsSideways(page), false, `${size}: the page scrolls sideways`);
    assert.deepEqual(await a11yProblems(page), []);
    await screenshot(page, `components-tr-${size}`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('each error link takes the keyboard to its field (Tab, Enter)', async () => {
  const { context, page, problems } = await open(browser());
  for (let i = 0; i < ERROR_FIELDS.length; i++) {
    await page.goto(PAGE);
    await page.waitForFunction(() => document.activeElement?.hasAttribute('data-error-summary'));
    for (let k = 0; k <= i; k++) await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), `#${ERROR_FIELDS[i]}`);
    await page.keyboard.press('Enter');
    // following the link and moving the focus finish after the key press returns
    await eventually(async () => (await focusedId(page)) === ERROR_FIELDS[i]);
    assert.equal(await focusedId(page), ERROR_FIELDS[i]);
    // the field's label is on screen too, not scrolled off above it
    const labelTop = await page.evaluate((id) => {
      const el = document.getElementById(id);
      const label = el.labels?.[0] || el.closest('fieldset')?.querySelector('legend');
      return label.getBoundingClientRect().top;
    }, ERROR_FIELDS[i]);
    assert.ok(labelTop >= 0, `the label of #${ERROR_FIELDS[i]} is visible (top ${labelTop})`);
  }
  await page.keyboard.type('x');
  assert.deepEqual(problems, []);
  await context.close();
});

test('without JavaScript the error links still lead to the fields', async () => {
  const { context, page, problems } = await open(browser(), { js: false });
  await page.goto(PAGE);
  // nothing moves the focus: the keyboard starts at the top (skip link, header links, ...)
  let guard = 0;
  while ((await page.evaluate(() => document.activeElement.getAttribute('href'))) !== '#tckn') {
    await page.keyboard.press('Tab');
    assert.ok(++guard < 10, 'the first error link is among the first stops');
  }
  await page.keyboard.press('Enter');
  await page.waitForURL(/#tckn$/);
  // the browser follows the fragment and focuses the field (HTML's "scroll to the
  // fragment" runs the focusing steps); the CSS keeps room for its label above it
  assert.equal(await focusedId(page), 'tckn');
  const labelTop = await page.evaluate(() => document.querySelector('label[for="tckn"]').getBoundingClientRect().top);
  assert.ok(labelTop >= 0, `the label of #tckn is on screen (top ${labelTop})`);
  await page.keyboard.press('Tab');
  assert.equal(await focusedId(page), 'first_name', 'the keyboard carries on from the field');
  await screenshot(page, 'components-nojs-after-link');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the SMS countdown counts down and speaks only now and then (fake clock)', async () => {
  const { context, page, problems } = await open(browser(), { fakeClock: true });
  await page.goto(PAGE);
  const value = page.locator('[data-countdown-value]');
  const live = page.locator('[data-countdown-live]');
  // the time left in minutes and seconds (issue 17, point 2)
  assert.equal((await value.textContent()).trim(), '5 dakika');
  assert.equal(await page.getAttribute('.countdown-text', 'role'), 'timer');
  assert.equal(await page.getAttribute('[data-countdown-live]', 'aria-live'), 'polite');

  await page.clock.runFor(1000);
  assert.equal((await value.textContent()).trim(), '4 dakika 59 saniye');
  assert.equal((await live.textContent()).trim(), '', 'nothing said after one second');
  await page.clock.runFor(59_000);
  assert.equal((await value.textContent()).trim(), '4 dakika');
  assert.equal((await live.textContent()).trim(), 'SMS onay kodunuzun geçerliliği için kalan süre: 4 dakika');
  await page.clock.runFor(210_000);
  assert.equal((await live.textContent()).trim(), 'SMS onay kodunuzun geçerliliği için kalan süre: 30 saniye');
  await page.clock.runFor(30_000);
  const expired = 'Kodun süresi doldu. Lütfen yeni bir kod isteyiniz.';
  assert.equal((await page.textContent('.countdown-text')).trim(), expired);
  assert.equal((await live.textContent()).trim(), expired);
  assert.match(await page.getAttribute('.countdown', 'class'), /countdown-expired/);
  await page.clock.runFor(5_000); // stopped: no more changes, no errors
  assert.equal((await page.textContent('.countdown-text')).trim(), expired);
  assert.deepEqual(problems, []);
  await context.close();
});

test('POST: errors come back with the values typed; a corrected form is accepted', async () => {
  const { context, page, problems } = await open(browser());
  await page.goto(PAGE);
  // fix two of the five and submit with the keyboard (Enter in a text field sends the form)
  await page.fill('#tckn', '10000000146');
  await page.check('#reason');
  await page.fill('#first_name', 'Şükrü <i>');
  await submitAndWait(page, () => page.press('#first_name', 'Enter'));
  assert.match(await page.title(), /^Hata: /);
  const links = await page.locator('[data-error-summary] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, ['#last_name', '#postal_code', '#email']);
  assert.equal(await page.inputValue('#first_name'), 'Şükrü <i>');
  assert.equal(await page.inputValue('#tckn'), '10000000146');
  assert.equal(await page.isChecked('#reason'), true);

  await page.fill('#last_name', 'Öztürk');
  await page.fill('#postal_code', '72100');
  await page.fill('#email', 'sukru.ozturk@example.org');
  await submitAndWait(page, () => page.getByRole('button', { name: 'Tamam' }).click());
  assert.equal(await page.locator('[data-error-summary]').count(), 0);
  assert.doesNotMatch(await page.title(), /Hata/);
  assert.equal((await page.textContent('.notice-success')).trim(), 'Form hatasız gönderildi.');
  assert.equal(await page.getAttribute('.notice-success', 'role'), 'status');
  assert.equal(await page.locator('[aria-invalid]').count(), 0);
  assert.deepEqual(await a11yProblems(page), []);
  await screenshot(page, 'components-tr-after-post');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the sample page in English', async () => {
  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const { context, page, problems } = await open(browser(), { locale: 'en-US', viewport });
    await page.goto(PAGE);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await page.title(), /^Error: /);
    assert.equal((await page.textContent('#error-summary-title')).trim(), 'There is a problem');
    assert.match(await page.textContent('.steps-counter'), /Step 2 of 5: Application form/);
    assert.match(await page.textContent('#tckn-error'), /^Error: The T\.C\. Kimlik No must have 11 digits/);
    assert.equal(await scrollsSideways(page), false);
    assert.deepEqual(await a11yProblems(page), []);
    await screenshot(page, `components-en-${size}`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});
