import { Browser, BrowserContext, expect, Page, test } from '@playwright/test';
import { demo, hydrated, navLink, open, signInAndWaitForHome, synced } from './helpers';

// Each project works as different people, so both run on one database.
const people: Record<string, { offline: string; offlineName: string; twoDevices: string }> = {
  phone: { offline: 'ravi.patel@example.com', offlineName: 'Ravi Patel', twoDevices: 'noah.johnson@example.com' },
  desktop: { offline: 'emma.wilson@example.com', offlineName: 'Emma Wilson', twoDevices: 'sofia.rossi@example.com' },
};

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

async function device(browser: Browser, email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await signInAndWaitForHome(page, email);
  // The service worker takes over, so the pages opened from now on are kept for offline use.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });
  return { context, page };
}

function status(page: Page) {
  return page.getByTestId('sync-status');
}

test('self-assessment and feedback offline, through a reload, synced and seen by the manager', async ({ browser }, info) => {
  const who = people[info.project.name];
  const { context, page } = await device(browser, who.offline);
  await open(page, '/feedback');
  await expect(page.getByTestId('give-feedback')).toBeVisible();
  await open(page, '/self-assessment');
  const questions = page.getByTestId('competency-question');
  await expect(questions.first()).toBeVisible();
  const count = await questions.count();
  expect(count).toBeGreaterThanOrEqual(4);

  await context.setOffline(true);
  await expect(status(page)).toHaveAttribute('data-online', 'false');
  // Submitting before every competency has a level and evidence says what is missing.
  await page.getByTestId('submit-self-assessment').click();
  await expect(page.getByRole('button', { name: 'Yes, submit it' })).toHaveCount(0);
  await expect(page.getByRole('alert')).toContainText('Before you submit, pick a level and give evidence for');
  for (let i = 0; i < count; i++) {
    const q = questions.nth(i);
    await q.getByRole('radio').nth(2).check();
    await q.getByRole('textbox').fill(`Offline evidence ${i}: led the March review`);
  }
  await page.getByLabel('Strengths', { exact: true }).fill('Calm with difficult customers');
  await page.getByLabel('Development wishes').fill('Negotiation training');
  await expect(status(page)).not.toHaveAttribute('data-pending', '0');

  // A reload without a connection: the page comes from the service worker, the work from the device.
  await page.reload();
  await hydrated(page);
  await expect(questions.nth(1).getByRole('textbox')).toHaveValue('Offline evidence 1: led the March review');
  await expect(questions.nth(0).getByRole('radio').nth(2)).toBeChecked();
  await expect(page.getByLabel('Strengths', { exact: true })).toHaveValue('Calm with difficult customers');
  await page.getByTestId('submit-self-assessment').click();
  await page.getByRole('button', { name: 'Yes, submit it' }).click();
  await expect(page.getByTestId('submit-self-assessment')).toBeDisabled();

  // Feedback, still offline.
  await open(page, '/feedback');
  const give = page.getByTestId('give-feedback');
  const chloe = await give.getByLabel('For').locator('option', { hasText: 'Chloé Dubois' }).getAttribute('value');
  await give.getByLabel('For').selectOption(chloe!);
  await give.getByLabel('Situation').fill(`Client call on Tuesday (${info.project.name})`);
  await give.getByLabel('Behaviour').fill('You summarised the options before the client asked');
  await give.getByLabel('Impact').fill('The client decided on the call');
  await give.getByRole('button', { name: 'Save feedback' }).click();
  await expect(page.getByTestId('given')).toContainText(`Client call on Tuesday (${info.project.name})`);
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId('given')).toContainText(`Client call on Tuesday (${info.project.name})`);

  // Back online: everything reaches the server.
  await context.setOffline(false);
  await synced(page);

  // The manager, in another browser, sees the submitted self-assessment and the feedback.
  const manager = await browser.newContext();
  const boss = await manager.newPage();
  await signInAndWaitForHome(boss, demo.manager);
  await open(boss, '/team');
  await boss.getByRole('row', { name: new RegExp(who.offlineName) }).getByRole('link', { name: 'Self-assessment and feedback' }).click();
  await hydrated(boss);
  await expect(boss.getByTestId('their-self-assessment')).toContainText('Submitted.');
  await expect(boss.getByTestId('their-self-assessment')).toContainText('Offline evidence 0: led the March review');
  await expect(boss.getByTestId('their-self-assessment')).toContainText('Calm with difficult customers');
  await open(boss, '/team');
  await boss.getByRole('row', { name: /Chloé Dubois/ }).getByRole('link', { name: 'Self-assessment and feedback' }).click();
  await hydrated(boss);
  await expect(boss.getByTestId('their-feedback')).toContainText(`Client call on Tuesday (${info.project.name})`);
  await manager.close();
  await context.close();
});

test('a page never opened on this device opens offline from inside the app after a fresh sign-in', async ({ browser }, info) => {
  // The pages' code comes in chunks (app/src/app.rs); the service worker keeps every chunk soon
  // after install, so pages never opened, even those whose code never loaded, open offline.
  const who = people[info.project.name];
  const { context, page } = await device(browser, who.offline);
  await synced(page);
  await expect.poll(() => page.evaluate(async () => {
    const wanted = new Set((await (await fetch('/sw.js')).text()).match(/'\/pkg\/(split|chunk)_[^']+'/g)).size;
    const name = (await caches.keys()).find((n) => n.startsWith('los-assets'));
    const kept = name ? (await (await caches.open(name)).keys()).filter((r) => /\/pkg\/(split|chunk)_/.test(r.url)).length : 0;
    return wanted > 0 && kept === wanted;
  }), { timeout: 60_000 }).toBe(true);
  await context.setOffline(true);
  await expect(status(page)).toHaveAttribute('data-online', 'false');
  const fromWorker: string[] = [];
  page.on('response', (r) => { if (/\/pkg\/split_/.test(r.url()) && r.fromServiceWorker()) fromWorker.push(r.url()); });
  // A page never opened, drawn from the device's copy.
  await (await navLink(page, 'Feedback')).click();
  await expect(page).toHaveURL(/\/feedback$/);
  await expect(page.getByTestId('give-feedback')).toBeVisible();
  // A page whose code this device has never loaded: its chunk comes from the worker.
  await (await navLink(page, 'Appraisals')).click();
  await expect(page).toHaveURL(/\/appraisals$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Appraisals' })).toBeVisible();
  expect(fromWorker.some((url) => url.includes('split_manager_pages'))).toBe(true);
  await context.close();
});

test('an edit made on two devices shows a conflict to resolve', async ({ browser }, info) => {
  const email = people[info.project.name].twoDevices;
  const phone = await device(browser, email);
  const laptop = await device(browser, email);
  for (const d of [phone, laptop]) {
    await open(d.page, '/self-assessment');
    await expect(d.page.getByTestId('competency-question').first()).toBeVisible();
    await d.context.setOffline(true);
  }
  await phone.page.getByLabel('Strengths', { exact: true }).fill('Written on the phone');
  await laptop.page.getByLabel('Strengths', { exact: true }).fill('Written on the laptop');

  await phone.context.setOffline(false);
  await synced(phone.page);
  await laptop.context.setOffline(false);
  const problems = laptop.page.getByTestId('sync-problems');
  await expect(problems).toHaveText('1 change needs you', { timeout: 20_000 });
  await problems.click();
  await hydrated(laptop.page);
  const problem = laptop.page.getByTestId('problem');
  await expect(problem.getByTestId('mine')).toHaveText('Written on the laptop');
  await expect(problem.getByTestId('theirs')).toHaveText('Written on the phone');
  await problem.getByRole('button', { name: 'Keep mine' }).click();
  await expect(laptop.page.getByTestId('no-problems')).toBeVisible();
  await synced(laptop.page);

  // The phone hears of the laptop's value at its next sync.
  await open(phone.page, '/self-assessment');
  await expect(phone.page.getByLabel('Strengths', { exact: true })).toHaveValue('Written on the laptop', { timeout: 20_000 });
  await phone.context.close();
  await laptop.context.close();
});

const safety: Record<string, string> = { phone: 'diego.ramirez@example.com', desktop: 'lina.yusuf@example.com' };

test('storage full is reported and loses nothing; signing out wipes the device', async ({ browser }, info) => {
  const { context, page } = await device(browser, safety[info.project.name]);
  await open(page, '/self-assessment');
  await expect(page.getByTestId('competency-question').first()).toBeVisible();
  // The browser refuses to store more, as it does when the origin's quota is used up (filling
  // the quota for real leaves a varying amount of slack, so the test would be flaky).
  await page.evaluate(() => {
    const real = Storage.prototype.setItem;
    (window as any).realSetItem = real;
    Storage.prototype.setItem = function (key: string, value: string) {
      if (key.startsWith('los:')) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return real.call(this, key, value);
    };
  });
  // Offline, so the change can only wait in memory (once sent, the smaller copy saves again and
  // the warning goes).
  await context.setOffline(true);
  await page.getByLabel('Strengths', { exact: true }).fill('Kept in memory, then sent');
  await expect(status(page)).toContainText('storage for Line of Sight is full');
  await expect(status(page)).toHaveAttribute('data-pending', '1');
  await context.setOffline(false);
  await synced(page);
  // What was sent is on the server: another device of the same person sees it.
  const other = await device(browser, safety[info.project.name]);
  await open(other.page, '/self-assessment');
  await expect(other.page.getByLabel('Strengths', { exact: true })).toHaveValue('Kept in memory, then sent', { timeout: 20_000 });
  await other.context.close();

  await page.evaluate(() => { Storage.prototype.setItem = (window as any).realSetItem; });
  await page.getByTestId('sign-out').click();
  await expect(page).toHaveURL(/\/sign-in/);
  const left = await page.evaluate(async () => ({
    keys: Object.keys(localStorage).filter((k) => k.startsWith('los:')),
    caches: (await caches.keys()).filter((n) => n.startsWith('los-pages')),
  }));
  expect(left).toEqual({ keys: [], caches: [] });
});

// Each project records as a different person, whose plan no other test touches.
const recorders: Record<string, string> = { phone: 'priya.nair@example.com', desktop: 'ben.carter@example.com' };

test('an actual entered offline waits on the device, survives a reload and lands on the scorecard', async ({ browser }, info) => {
  const { context, page } = await device(browser, recorders[info.project.name]);
  await open(page, '/results');
  const form = page.getByTestId('enter-actual');
  await expect(form).toBeVisible();
  const kpiName = (await form.getByLabel('KPI', { exact: true }).locator('option:checked').textContent())!.replace(/ \([^)]*\)$/, '');
  const period = (await form.getByLabel('Period').locator('option:checked').textContent())!;

  await context.setOffline(true);
  await expect(status(page)).toHaveAttribute('data-online', 'false');
  // Without evidence the device says what is missing and keeps nothing.
  await form.getByLabel('Actual', { exact: true }).fill('77.5');
  await form.getByRole('button', { name: 'Save actual' }).click();
  await expect(form.getByRole('alert')).toContainText('Add the evidence');
  await expect(status(page)).toHaveAttribute('data-pending', '0');
  await form.getByLabel('Evidence note').fill('Month-end report, entered offline');
  await form.getByRole('button', { name: 'Save actual' }).click();
  await expect(page.getByTestId('entry-saved')).toBeVisible();
  await expect(status(page)).toHaveAttribute('data-pending', '1');
  const waitingRow = () => page.getByTestId('result-kpi').filter({ hasText: kpiName }).first().getByTestId('result-row').filter({ hasText: period });
  await expect(waitingRow()).toContainText('77.5');
  await expect(waitingRow().getByTestId('waiting')).toBeVisible();

  // A reload without a connection keeps it.
  await page.reload();
  await hydrated(page);
  await expect(waitingRow().getByTestId('waiting')).toBeVisible();
  await expect(waitingRow()).toContainText('77.5');

  await context.setOffline(false);
  await synced(page);
  await expect(waitingRow().getByTestId('waiting')).toHaveCount(0);
  await expect(waitingRow()).toContainText('77.5');
  // On the server: the scorecard, rendered from the database, shows it with its evidence and source.
  await open(page, '/scorecards/me');
  const card = page.getByTestId('kpi-card').filter({ hasText: kpiName }).first();
  await expect(card.locator('tr').filter({ hasText: period })).toContainText('77.5');
  await expect(card.locator('tr').filter({ hasText: period })).toContainText('Month-end report, entered offline');
  await expect(card.locator('tr').filter({ hasText: period })).toContainText('(device)');
  await context.close();
});
