import { APIRequestContext, Browser, expect, Page, test } from '@playwright/test';
import { demo, hydrated, signInAndWaitForHome } from './helpers';

// Stored markup in a goal, a unit and a person's name (arriving by CSV import) must stay text on
// every page that shows it, whether the server drew the page or the browser did (client-side
// navigation, the offline pages drawn from the device's copy). A dialog means a payload ran; a
// console report of a Content-Security-Policy violation means the policy blocked something the
// app needs (or something injected). Each project (phone, desktop) writes its own records.

/** Fails the test on any dialog, script error or policy violation on this page. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('dialog', async (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    await dialog.dismiss();
  });
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

/** Opens a page from the server and checks its policy; the page must hydrate under it. */
async function visit(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response?.status(), path).toBeLessThan(400);
  const policy = response?.headers()['content-security-policy'] ?? '';
  expect(policy, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9_-]{22,}' 'wasm-unsafe-eval'/);
  await hydrated(page);
}

async function call(request: APIRequestContext, endpoint: string, data: object) {
  const answer = await request.post(`/api/${endpoint}`, { data, headers: { 'sec-fetch-site': 'same-origin' } });
  expect(answer.status(), `${endpoint}: ${await answer.text()}`).toBe(200);
  return answer.json();
}

async function signedIn(browser: Browser, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = watch(page);
  await signInAndWaitForHome(page, email);
  return { page, problems };
}

test('stored markup stays text on every page, under the Content-Security-Policy', async ({ page, browser }, info) => {
  // About twenty pages, each loading its code's chunks from the debug server the tests run.
  test.slow();
  const tag = info.project.name;
  const goal = `Grow ${tag}</title><script>alert('goal')</script>`;
  const description = `"><img src=x onerror=alert('description')>`;
  const unit = `<script>alert('unit')</script>Unit ${tag}`;
  const person = `<img src=x onerror=alert('name')>Pat ${tag}`;
  const problems = watch(page);

  // HR types a goal into the form: the browser draws it at once.
  await signInAndWaitForHome(page, demo.hr);
  await visit(page, '/goals');
  const form = page.getByTestId('goal-form');
  await form.getByLabel('Goal', { exact: true }).fill(goal);
  await form.getByLabel('Description').fill(description);
  await form.getByRole('button', { name: 'Add goal' }).click();
  const link = page.getByTestId('goal-tree').getByRole('link', { name: goal });
  await expect(link).toBeVisible();
  // Client-side navigation, then the same page drawn by the server: the title is the text typed.
  await link.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(goal);
  await expect(page).toHaveTitle(`${goal} · Line of Sight`);
  const goalPath = new URL(page.url()).pathname;
  await visit(page, goalPath);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(goal);
  await expect(page).toHaveTitle(`${goal} · Line of Sight`);
  await expect(page.getByText(description)).toBeVisible();

  // A unit and a person in it, the person's name arriving by CSV import.
  const units: { id: string; code: string }[] = await call(page.request, 'list_units', {});
  const hq = units.find((u) => u.code === 'HQ')!;
  const code = `XSS-${tag}`.toUpperCase();
  const saved = await call(page.request, 'save_unit', { input: { id: null, code, name: unit, parent_id: hq.id } });
  const email = `pat.${tag}@example.com`;
  const csv = `email,name,job_title,unit_code,manager_email,roles,active\n${email},${person},Analyst,${code},,,yes\n`;
  expect(await call(page.request, 'import_people', { csv })).toEqual({ created: 1, updated: 0 });
  const people: { id: string; email: string }[] = await call(page.request, 'list_people', { include_inactive: false });
  const pat = people.find((p) => p.email === email)!;

  for (const path of ['/people', `/people/${pat.id}`, `/plans/${pat.id}`, '/units', '/organisation', `/scorecards?unit=${saved.id}`, '/people/new']) {
    await visit(page, path);
  }
  await visit(page, `/people/${pat.id}`);
  await expect(page).toHaveTitle(`${person} · Line of Sight`);
  await expect(page.getByRole('heading', { level: 1, name: person })).toBeVisible();
  await visit(page, `/plans/${pat.id}`);
  await expect(page).toHaveTitle(`Plan · ${person} · Line of Sight`);
  await visit(page, '/units');
  await expect(page.getByTestId('units')).toContainText(unit);
  // The unit filter works without inline script.
  await visit(page, '/scorecards');
  await page.getByTestId('unit-filter').selectOption(saved.id);
  await expect(page).toHaveURL(new RegExp(`/scorecards\\?unit=${saved.id}$`));
  await expect(page.getByTestId('unit-filter')).toHaveValue(saved.id);

  // An employee: the goal, and the pages drawn from the phone's copy, which lists colleagues.
  const sam = await signedIn(browser, demo.employee);
  for (const path of [goalPath, '/goals', '/feedback', '/check-ins', '/self-assessment', '/results', '/recognition', '/sync', '/pulse', '/inbox']) {
    await visit(sam.page, path);
  }
  await visit(sam.page, '/feedback');
  await expect(sam.page.locator('option', { hasText: person }).first()).toBeAttached();
  await sam.page.context().close();

  // The pages people reach signed out, and the page for a wrong address.
  const anonymous = await browser.newContext();
  const outside = await anonymous.newPage();
  const outsideProblems = watch(outside);
  await visit(outside, '/sign-in');
  const missing = await outside.goto('/no-such-page');
  expect(missing?.status()).toBe(404);
  expect(missing?.headers()['content-security-policy']).toContain("'nonce-");
  await anonymous.close();

  expect([...problems, ...sam.problems, ...outsideProblems]).toEqual([]);
});
