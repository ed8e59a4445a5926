// eimza e2e — what the staff pages' tests share (admin.test.mjs, staff.test.mjs): people of
// their own for each run (random valid T.C. Kimlik No, so a file can run again on the same
// server), loaded through the real interfaces only (`eimza import personnel`, `eimza import
// certificates` with certificates made by the openssl command, `eimza user add` on the
// server's database: EIMZA_E2E_DB, EIMZA_E2E_BIN from run.sh), applications made through the
// applicant JSON API (captcha from the development route, SMS code from the development
// outbox, "Yöntem 2" so that each waits for its signed paper), the staff JSON API, and the
// page checks at both widths.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  BASE,
  DESKTOP,
  PHONE,
  a11yProblems,
  apiAt,
  applyAt,
  axeViolations,
  screenshot,
  scrollsSideways,
  submitAndWait,
} from './lib.mjs';

export const BIN = process.env.EIMZA_E2E_BIN;
export const DB = process.env.EIMZA_E2E_DB;
if (!BIN || !DB) {
  throw new Error('EIMZA_E2E_BIN / EIMZA_E2E_DB are not set: run through tests/e2e/run.sh');
}

// A valid T.C. Kimlik No from nine random digits (the first not 0 or 1, so never one of the
// 1000000xx numbers the other tests use).
export function tckn() {
  const d = [2 + Math.floor(Math.random() * 8)];
  for (let i = 1; i < 9; i++) d.push(Math.floor(Math.random() * 10));
  const d10 = ((((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10) + 10) % 10;
  const d11 = (d.reduce((a, b) => a + b, 0) + d10) % 10;
  return d.join('') + d10 + d11;
}
export const masked = (t) => `${t.slice(0, 3)}******${t.slice(9)}`;
export const maskedRe = (t) => new RegExp(masked(t).replace(/\*/g, '\\*'));

// The eimza command on the server's database.
export function eimza(args, input) {
  return execFileSync(BIN, [...args, '--db', DB], { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

const HEADER =
  'tckn;ad;soyad;dogum_yeri;dogum_tarihi;kurum_kodu;kurum_adi;il_kodu;ilce;birim;unvan;gorev_durumu;gorevlendirme_bitis;eimza_hakki;eposta;cep_telefonu';

// Imports the people (an object of name -> {tckn, first, last, place, date, province, district,
// duty, certDays?, institution?}) into the personnel records, giving each a phone number
// (p.phone, 10 digits) and an e-mail address (p.email) of their own, and a certificate ending
// in certDays days to those that have one. work is a folder of the caller's.
export function importPeople(people, work, phoneBase) {
  const rows = Object.values(people).map((p, i) => {
    p.phone = `${phoneBase}${String(i).padStart(10 - phoneBase.length, '0')}`;
    p.email = `kisi${i}.${phoneBase}@example.org`;
    return [p.tckn, p.first, p.last, p.place, p.date, `${p.province}000009`,
      p.institution || (p.province === 72 ? 'Batman Anadolu Lisesi' : 'Diyarbakır Fen Lisesi'),
      p.province, p.district, 'Öğretmenler', 'Öğretmen', p.duty, '', 1, p.email, `0${p.phone}`].join(';');
  });
  writeFileSync(join(work, 'personnel.csv'), [HEADER, ...rows].join('\n') + '\n');
  eimza(['import', 'personnel', join(work, 'personnel.csv')]);
  const certs = [];
  for (const [name, p] of Object.entries(people)) {
    if (!p.certDays) continue;
    const out = join(work, `${name}.pem`);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
      '-nodes', '-keyout', join(work, `${name}.key`), '-subj', `/CN=${p.first} ${p.last}/serialNumber=${p.tckn}`,
      '-days', String(p.certDays), '-addext', 'basicConstraints=critical,CA:FALSE',
      '-addext', 'keyUsage=critical,nonRepudiation', '-out', out], { stdio: 'pipe' });
    certs.push(out);
  }
  if (certs.length) eimza(['import', 'certificates', ...certs]);
}

// A JSON API call to run.sh's server: { status, json, text }.
export const api = (method, path, opts) => apiAt(BASE, method, path, opts);

// An application through the applicant JSON API, up to "waiting for the signed paper"; sets
// p.number and p.token. form: fields to add to (or change in) the form sent.
export function apply(p, form = {}) {
  return applyAt(BASE, p, { reason: 'renewal', card_reader: 'none', validity_years: 3, security_word: 'Mavi Kelebek 7', security_word_repeat: 'Mavi Kelebek 7', address: 'Cumhuriyet Cad. No: 5', province: p.province, district: p.district, postal_code: `${p.province}100`, mobile_operator: 'turkcell', notify_by: 'sms', ...form });
}

// A staff member's Bearer token through the staff API.
export async function staffToken(who) {
  const login = await api('POST', '/api/v1/admin/login', { body: { username: who.user, password: who.password } });
  assert.equal(login.status, 200, login.text);
  return login.json.token;
}

// The ids of the people's applications (p.id), seen by an operator, and the signed paper of
// those named in paper recorded through the API.
export async function idsAndPaper(people, operator, paper) {
  const token = await staffToken(operator);
  const list = await api('GET', '/api/v1/admin/applications?state=&limit=500', { token });
  for (const [name, p] of Object.entries(people)) {
    if (!p.number) continue;
    const a = list.json.applications.find((x) => x.number === p.number);
    assert.ok(a, `${name}'s application is listed`);
    p.id = a.id;
  }
  for (const name of paper) {
    const r = await api('POST', `/api/v1/admin/applications/${people[name].id}/paper-received`, { token });
    assert.equal(r.status, 200, r.text);
  }
  await api('POST', '/api/v1/admin/logout', { token });
}

export const path = (page) => new URL(page.url()).pathname;
export const squash = (s) => (s || '').replace(/\s+/g, ' ').trim();

// The problems of a page but those a test causes on purpose: Chromium reports a page answered
// with an error status (the 403, 409, 429 pages) as a console error, and a favicon or an icon
// of the CSS (the search box's magnifier) still loading when the test moves on to the next
// page is aborted.
export function unexpected(problems, statuses) {
  const expected = new RegExp(`the server responded with a status of (${statuses.join('|') || 'none'}) `);
  return problems.filter(
    (p) => !expected.test(p) && !/\/(favicon|static\/img\/[a-z-]+)\.svg net::ERR_ABORTED/.test(p),
  );
}

// Logs in on the staff login page (--dev: no second factor for accounts without one).
export async function staffLogin(page, who) {
  await page.goto(`${BASE}/yonetim/giris`);
  await page.fill('#username', who.user);
  await page.fill('#password', who.password);
  await submitAndWait(page, () => page.click('main form button[type="submit"]'));
  assert.equal(path(page), '/yonetim');
}

// The page at both widths: lib.mjs's rules and axe-core's WCAG 2.2 A/AA rules (with AAA
// contrast) at 1280 px, axe-core again at 390 px with no sideways scrolling; a screenshot of
// each (PREFIX-NAME.png, PREFIX-NAME-phone.png).
export async function checkBoth(page, name) {
  assert.deepEqual(await a11yProblems(page), [], `accessibility of ${name}`);
  assert.deepEqual(await axeViolations(page), [], `axe on ${name} at 1280 px`);
  await screenshot(page, name);
  await page.setViewportSize(PHONE);
  assert.deepEqual(await axeViolations(page), [], `axe on ${name} at 390 px`);
  if (await scrollsSideways(page)) {
    // name what sticks out, so the failure says where to look
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}#${el.id} right=${Math.round(el.getBoundingClientRect().right)}`),
    );
    assert.fail(`${name} at 390 px scrolls sideways: ${wide.join(', ')}`);
  }
  await screenshot(page, `${name}-phone`);
  await page.setViewportSize(DESKTOP);
}
