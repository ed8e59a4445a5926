// eimza — helpers for the end-to-end tests (tests/e2e/*.test.mjs, run by tests/e2e/run.sh):
// launching Debian's Chromium through playwright-core, watching a page for console errors,
// Content-Security-Policy violations, script errors and failed loads, a small accessibility
// check of our own, axe-core's WCAG 2.2 A/AA rules with AAA contrast, screenshots kept as
// artefacts, and the JSON API of the portal (a call, the SMS in the development outbox, an
// application made through it).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const BASE = process.env.EIMZA_E2E_URL;
export const ARTIFACTS = process.env.EIMZA_ARTIFACTS;
if (!BASE) {
  throw new Error('EIMZA_E2E_URL is not set: run the tests through tests/e2e/run.sh');
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
export const WIDTHS = [
  ['desktop', DESKTOP],
  ['phone', PHONE],
];

// The machine's network is closed: without the background-networking flags Chromium keeps
// trying to reach Google's hosts. Playwright gives every launch a new, empty profile
// directory (--user-data-dir) of its own and removes it afterwards. extraArgs: more flags
// (relay.test.mjs: which addresses count as public, a host name mapped to 127.0.0.1).
export async function launch(extraArgs = []) {
  return chromium.launch({
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
      ...extraArgs,
    ],
  });
}

// One browser for all the tests of a file that needs nothing else set up first: launched in
// node:test's before() and closed in after(). Returns a function giving the browser (there is
// none until before() has run).
export function browserForFile() {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });
  return () => browser;
}

// A new context and page. opts: viewport, locale (sets Accept-Language), js (false turns
// scripts off), fakeClock (installs Playwright's clock before any page script runs).
// Returns { context, page, problems }: problems collects, as readable strings, every console
// error, uncaught script error, CSP violation, dialog (alert) and failed or 4xx/5xx load of
// anything but the page itself.
export async function open(browser, opts = {}) {
  const context = await browser.newContext({
    viewport: opts.viewport || DESKTOP,
    locale: opts.locale || 'tr-TR',
    javaScriptEnabled: opts.js !== false,
  });
  const page = await context.newPage();
  const problems = [];
  if (opts.fakeClock) {
    await page.clock.install();
  }
  // runs before the page's own scripts, outside the page's CSP (injected by the browser)
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') {
      problems.push(`console ${msg.type()}: ${msg.text()}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`script error: ${err.message}`));
  page.on('dialog', async (d) => {
    problems.push(`dialog: ${d.message()}`);
    await d.dismiss();
  });
  page.on('requestfailed', (req) => problems.push(`load failed: ${req.url()} ${req.failure()?.errorText}`));
  page.on('response', (res) => {
    const req = res.request();
    if (res.status() >= 400 && !req.isNavigationRequest()) {
      problems.push(`load ${res.status()}: ${res.url()}`);
    }
  });
  return { context, page, problems };
}

// Saves a full-page screenshot as ARTIFACTS/NAME.png.
export async function screenshot(page, name) {
  if (!ARTIFACTS) {
    return;
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

// What a basic accessibility review finds wrong with the page, as strings (empty: nothing).
// Not axe, but the rules the portal's pages must keep: <html lang>, a title, one h1 and no
// skipped heading level, every form control labelled by text, images with alt, ids unique,
// every aria-describedby/labelledby and every in-page link pointing at an element that
// exists, radios grouped in a fieldset with a legend, buttons and links with text, fields
// marked aria-invalid pointing at their error message, a <main id="main"> for the skip
// link, and no inline style or script (the CSP would block them anyway).
export async function a11yProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : '');
    const short = (el) => el.outerHTML.slice(0, 100);

    const lang = document.documentElement.getAttribute('lang');
    if (!lang || !/^(tr|en)$/.test(lang)) problems.push(`<html lang="${lang}">`);
    if (!document.title.trim()) problems.push('empty <title>');
    const h1 = document.querySelectorAll('h1');
    if (h1.length !== 1) problems.push(`${h1.length} <h1> elements, not one`);
    let last = 0;
    for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
      const level = Number(h.tagName[1]);
      if (last && level > last + 1) problems.push(`heading level skipped before ${short(h)}`);
      if (!text(h)) problems.push(`empty heading ${short(h)}`);
      last = level;
    }
    if (!document.querySelector('main#main')) problems.push('no <main id="main">');

    for (const img of document.querySelectorAll('img')) {
      if (!img.hasAttribute('alt')) problems.push(`image without alt: ${short(img)}`);
    }
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type)) continue;
      const byLabel = [...(el.labels || [])].some((l) => text(l));
      const byAria =
        (el.getAttribute('aria-label') || '').trim() ||
        (el.getAttribute('aria-labelledby') || '')
          .split(/\s+/)
          .some((id) => text(document.getElementById(id)));
      if (!byLabel && !byAria) problems.push(`control without a label: ${short(el)}`);
      if (el.type === 'radio') {
        const fs = el.closest('fieldset');
        if (!fs || !text(fs.querySelector(':scope > legend'))) {
          problems.push(`radio outside a fieldset with a legend: ${short(el)}`);
        }
      }
    }
    const ids = new Map();
    for (const el of document.querySelectorAll('[id]')) {
      ids.set(el.id, (ids.get(el.id) || 0) + 1);
    }
    for (const [id, n] of ids) if (n > 1) problems.push(`id "${id}" used ${n} times`);
    for (const attr of ['aria-describedby', 'aria-labelledby']) {
      for (const el of document.querySelectorAll(`[${attr}]`)) {
        for (const id of el.getAttribute(attr).split(/\s+/).filter(Boolean)) {
          if (!document.getElementById(id)) problems.push(`${attr} names missing id "${id}"`);
        }
      }
    }
    for (const el of document.querySelectorAll('[aria-invalid="true"]')) {
      const named = (el.getAttribute('aria-describedby') || '').split(/\s+/);
      if (!named.some((id) => document.getElementById(id)?.classList.contains('field-error'))) {
        problems.push(`aria-invalid without an error message: ${short(el)}`);
      }
    }
    for (const el of document.querySelectorAll('button, a[href]')) {
      if (!text(el) && !(el.getAttribute('aria-label') || '').trim()) {
        problems.push(`button or link without text: ${short(el)}`);
      }
    }
    for (const a of document.querySelectorAll('a[href^="#"]')) {
      const id = decodeURIComponent(a.getAttribute('href').slice(1));
      if (id && !document.getElementById(id)) problems.push(`link to missing #${id}`);
    }
    if (document.querySelector('[style]')) problems.push('an element has a style attribute');
    for (const s of document.querySelectorAll('script')) {
      if (!s.src) problems.push('an inline <script>');
    }
    for (const s of document.querySelectorAll('style')) problems.push('a <style> element');
    return problems;
  });
}

// What axe-core (npm) finds on the page, as readable strings (empty: nothing): every rule
// tagged WCAG 2.0, 2.1 or 2.2 level A or AA, and color-contrast-enhanced, the AAA contrast
// (7:1 for small text, 4.5:1 for large). The library is evaluated in the page through the
// browser's debugging protocol, which the page's Content-Security-Policy does not govern (an
// injected <script> would be blocked, as it should be). Rules that do not apply to a page
// pass trivially; a rule axe cannot decide ("incomplete") is not counted as a violation.
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(AXE_SOURCE);
  }
  return page.evaluate(async () => {
    const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
    const rules = window.axe.getRules(tags).map((r) => r.ruleId);
    rules.push('color-contrast-enhanced');
    const r = await window.axe.run(document, {
      runOnly: { type: 'rule', values: rules },
      resultTypes: ['violations'],
    });
    return r.violations.flatMap((v) =>
      v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`),
    );
  });
}

// Runs action (a click or key press that sends a form) and waits until the page it leads to
// has loaded. A form posted to its own URL leaves nothing in the URL to wait for, and
// waitForLoadState() would answer for the old page: the old document is marked and the
// wait is for a document without the mark.
export async function submitAndWait(page, action) {
  await page.evaluate(() => {
    window.__eimzaOldPage = true;
  });
  await action();
  await page.waitForFunction(() => !window.__eimzaOldPage && document.readyState === 'complete');
}

// Polls cond() until it is true or ms pass; returns its last value.
export async function eventually(cond, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await cond();
    if (v || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The id of the element that has the keyboard focus ('' for none or no id).
export const focusedId = (page) => page.evaluate(() => document.activeElement?.id || '');

// A JSON API call to the server at base (BASE, or the server of a file's own set-up):
// { status, json (null when the body is not JSON), text }.
export async function apiAt(base, method, path, { body, token } = {}) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, json, text };
}

// The body of the last SMS to phone (10 digits) in the development outbox of the server at
// base whose text matches re; asserts there is one.
export async function lastSms(base, phone, re) {
  const outbox = (await apiAt(base, 'GET', '/dev/outbox')).json;
  const m = outbox.filter((x) => x.channel === 'sms' && x.to === phone && re.test(x.body)).at(-1);
  assert.ok(m, `an SMS to ${phone} matching ${re}`);
  return m.body;
}

// An application of p (tckn, first, last, place, date, phone) through the applicant JSON API
// of the server at base, up to "waiting for the signed paper": the captcha's answer from the
// development route, form sent as the application form, the SMS code from the development
// outbox, "Yöntem 2" (the signed paper). Sets p.number and p.token; logout: the session is
// ended afterwards.
export async function applyAt(base, p, form, { logout = false } = {}) {
  const api = (method, path, opts) => apiAt(base, method, path, opts);
  const cap = await api('GET', '/api/v1/captcha');
  const ans = await api('GET', `/dev/captcha/${cap.json.id}`);
  const login = await api('POST', '/api/v1/login', {
    body: { tckn: p.tckn, first_name: p.first, last_name: p.last, birth_place: p.place, birth_date: p.date, captcha_id: cap.json.id, captcha_answer: ans.json.answer },
  });
  assert.equal(login.status, 200, `login of ${p.first}: ${login.text}`);
  const token = login.json.token;
  const app = await api('GET', '/api/v1/application', { token });
  const res = await api('PUT', '/api/v1/application', { token, body: form });
  assert.equal(res.status, 200, `form of ${p.first}: ${res.text}`);
  assert.equal((await api('POST', '/api/v1/application/otp', { token })).status, 200);
  const code = (await lastSms(base, p.phone, /\b\d{6}\b/)).match(/\b(\d{6})\b/)[1];
  assert.equal((await api('POST', '/api/v1/application/otp/verify', { token, body: { code } })).status, 200);
  const m = await api('POST', '/api/v1/application/method', { token, body: { method: 'wet' } });
  assert.equal(m.json?.state, 'awaiting_original', `method of ${p.first}: ${m.text}`);
  p.number = app.json.number;
  p.token = token;
  if (logout) await api('POST', '/api/v1/logout', { token });
}

// True when the page scrolls sideways (the phone test).
export async function scrollsSideways(page) {
  return page.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
  );
}
