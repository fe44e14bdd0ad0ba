// Run by scripts/bench-web: signs in each demo role with Playwright (from end2end/), brings the
// demo into the appraisal phase so the conversation exists, then runs Lighthouse on each page with
// that person's session cookie, and prints one line per page.
//   LIGHTHOUSE=<lighthouse bin> CHROME_PATH=<chromium> node scripts/bench-web.mjs <base url>
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(path.join(import.meta.dirname, '..', 'end2end', 'package.json'));
const { chromium } = require('@playwright/test');

const base = process.argv[2];
const PASSWORD = 'demo-password';
const people = { employee: 'sam.taylor@example.com', manager: 'james.osei@example.com', hr: 'amina.okafor@example.com' };

const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH, args: ['--no-sandbox', '--disable-gpu'] });

async function signIn(email) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/sign-in`);
  await page.locator('body[data-hydrated="true"]').waitFor();
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/`);
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  return { page, cookie };
}

async function open(page, url) {
  await page.goto(`${base}${url}`);
  await page.locator('body[data-hydrated="true"]').waitFor();
}

// The appraisal phase: HR opens it, the manager submits grounded ratings for the employee, so the
// conversation wizard has something to walk through.
const hr = await signIn(people.hr);
await open(hr.page, '/cycles');
await hr.page.getByRole('row', { name: /FY2027/ }).getByRole('button', { name: 'Move to appraisal' }).click();
await hr.page.getByRole('button', { name: 'Yes, move to appraisal' }).click();
await hr.page.getByRole('button', { name: 'Move to closed' }).waitFor();
const manager = await signIn(people.manager);
await open(manager.page, '/appraisals');
await manager.page.getByTestId('report-appraisals').getByRole('row', { name: /Sam Taylor/ }).getByRole('link', { name: 'Prepare' }).click();
const ratings = manager.page.getByTestId('competency-rating');
await ratings.first().waitFor();
for (let i = 0; i < (await ratings.count()); i++) {
  const r = ratings.nth(i);
  await r.getByRole('radio').nth(2).check();
  await r.getByLabel('Date', { exact: true }).fill('2026-10-14');
  await r.getByLabel('What happened, what it shows').fill(`On 14 October: handled the depot outage (${i})`);
}
await manager.page.getByRole('button', { name: 'Submit ratings' }).click();
await manager.page.getByTestId('appraisal-state').filter({ hasText: 'Ready for the conversation' }).waitFor();
const conversation = new URL(
  await manager.page.getByRole('link', { name: 'Hold the appraisal conversation →' }).getAttribute('href'),
  base,
).pathname;
const employee = await signIn(people.employee);
await browser.close();

const pages = [
  ['sign-in', '/sign-in', ''],
  ['home (employee)', '/', employee.cookie],
  ['plan', '/plans/me', employee.cookie],
  ['scorecard', '/scorecards/me', employee.cookie],
  ['self-assessment', '/self-assessment', employee.cookie],
  ['feedback', '/feedback', employee.cookie],
  ['conversation (manager)', conversation, manager.cookie],
];

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'los-lighthouse-'));
console.log('page                     perf    LCP      TBT      TTI      bytes');
for (const [name, url, cookie] of pages) {
  const report = path.join(out, `${name.replace(/\W+/g, '-')}.json`);
  execFileSync(process.env.LIGHTHOUSE, [
    `${base}${url}`, '--only-categories=performance', '--output=json', `--output-path=${report}`, '--quiet',
    '--chrome-flags=--headless=new --no-sandbox --disable-gpu',
    ...(cookie ? [`--extra-headers=${JSON.stringify({ Cookie: cookie })}`] : []),
  ], { stdio: ['ignore', 'ignore', 'inherit'] });
  const lhr = JSON.parse(fs.readFileSync(report, 'utf8'));
  const a = lhr.audits;
  const s = (id) => `${(a[id].numericValue / 1000).toFixed(1)} s`;
  console.log(`${name.padEnd(24)} ${String(Math.round(lhr.categories.performance.score * 100)).padStart(4)}  ${s('largest-contentful-paint').padStart(7)}  ${`${Math.round(a['total-blocking-time'].numericValue)} ms`.padStart(7)}  ${s('interactive').padStart(7)}  ${`${(a['total-byte-weight'].numericValue / 1024).toFixed(0)} KB`.padStart(8)}`);
}
console.log(`Reports: ${out}`);
