import { Browser, expect, Page, test } from '@playwright/test';
import { demo, hydrated, signInAndWaitForHome } from './helpers';

// Each project plans for a different report of the demo manager, so both run on one database.
const employees: Record<string, { email: string; name: string }> = {
  phone: { email: 'chloe.dubois@example.com', name: 'Chloé Dubois' },
  desktop: { email: 'tariq.aziz@example.com', name: 'Tariq Aziz' },
};

async function as(browser: Browser, email: string, phone = false): Promise<Page> {
  const context = await browser.newContext(phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : {});
  const page = await context.newPage();
  await signInAndWaitForHome(page, email);
  return page;
}

/** Picks the option of a select whose text contains `text`. */
async function choose(page: Page, select: ReturnType<Page['getByTestId']>, text: string) {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
  await select.selectOption(value!);
}

test('from a goal to generated scores: plan, agreement, actuals by form, CSV and API', async ({ browser }, info) => {
  const employee = employees[info.project.name];
  const goal = `North key accounts grow 20% (${info.project.name})`;

  // HR sets a unit goal cascaded from an organisational goal.
  const hr = await as(browser, demo.hr);
  await hr.goto('/goals');
  await hydrated(hr);
  const form = hr.getByTestId('goal-form');
  await form.getByLabel('Goal', { exact: true }).fill(goal);
  await choose(hr, form.getByLabel('Unit', { exact: true }), 'Sales North');
  await choose(hr, form.getByLabel('Serves goal'), 'Grow revenue 15% profitably');
  await form.getByRole('button', { name: 'Add goal' }).click();
  await expect(hr.getByTestId('goal-tree')).toContainText(goal);

  // The manager builds the plan from the library; weights must add to 100.
  const manager = await as(browser, demo.manager);
  await manager.goto('/team');
  await hydrated(manager);
  await manager.getByTestId('scorecard-lines').getByRole('row', { name: new RegExp(employee.name) }).getByRole('link', { name: 'No plan yet' }).click();
  await expect(manager.getByTestId('plan-state')).toHaveText('Not drafted yet');
  await hydrated(manager);
  const kra = manager.getByTestId('kra-editor');
  await kra.getByTestId('kra-title').fill('Grow key accounts');
  await kra.getByTestId('kra-weight').fill('100');
  await choose(manager, kra.getByTestId('kra-goal'), goal);
  await kra.getByRole('button', { name: 'Remove KPI' }).click();
  for (const name of ['New revenue', 'Win rate']) {
    await choose(manager, kra.getByTestId('library-pick'), name);
    await kra.getByTestId('add-from-library').click();
  }
  await expect(kra.getByTestId('kpi-editor')).toHaveCount(2);
  await kra.getByTestId('kpi-weight').nth(0).fill('60');
  await kra.getByTestId('kpi-weight').nth(1).fill('30');
  await manager.getByRole('button', { name: 'Save plan' }).click();
  await expect(kra).toContainText('KPI weights: The weights add up to 90; they must add up to 100.');
  await kra.getByTestId('kpi-weight').nth(1).fill('40');
  await manager.getByRole('button', { name: 'Save plan' }).click();
  await expect(manager.getByTestId('plan-state')).toHaveText('Draft');
  await manager.getByRole('button', { name: 'Send to employee' }).click();
  await expect(manager.getByTestId('plan-state')).toHaveText('Waiting for the employee');
  const planUrl = manager.url();

  // The employee reads and acknowledges the plan on a phone.
  const phone = await as(browser, employee.email, true);
  await phone.goto('/plans/me');
  await hydrated(phone);
  await expect(phone.getByTestId('plan-read-only')).toContainText('New revenue');
  await expect(phone.getByTestId('plan-read-only')).toContainText(goal);
  await phone.getByRole('button', { name: 'Acknowledge plan' }).click();
  await expect(phone.getByTestId('plan-state')).toHaveText('Acknowledged, waiting for approval');

  await manager.goto(planUrl);
  await hydrated(manager);
  await manager.getByRole('button', { name: 'Approve plan' }).click();
  await expect(manager.getByTestId('plan-state')).toHaveText('Agreed');
  await manager.getByTestId('plan-history').click();
  await expect(manager.getByTestId('plan-history')).toContainText('acknowledged the plan');
  // Read as before → after, field by field, not as raw JSON.
  const history = manager.getByTestId('plan-history');
  await expect(history).toContainText('state: Acknowledged, waiting for approval → Agreed');
  await expect(history).toContainText('KRA “Grow key accounts”: — → added: weight 100 %, 2 KPI(s)');
  await expect(history).not.toContainText('"kpis"');
  // Changing an agreed plan says first that it will need agreeing again.
  await expect(manager.getByTestId('plan-redraft-warning')).toContainText('Saving a change makes it a draft again');

  // Actuals: New revenue by the form (manager), Win rate by CSV (HR), then replaced through the API.
  await manager.getByRole('link', { name: 'Scorecard', exact: true }).click();
  await hydrated(manager);
  const record = manager.getByTestId('record-actual');
  await choose(manager, record.getByLabel('KPI', { exact: true }), 'New revenue');
  await choose(manager, record.getByLabel('Period', { exact: true }), 'Q1');
  await record.getByLabel('Actual', { exact: true }).fill('90');
  await record.getByRole('button', { name: 'Record actual' }).click();
  await expect(record.getByText('Add the evidence')).toBeVisible();
  await record.getByLabel('Evidence note').fill('CRM closed-won report, Q1');
  await record.getByRole('button', { name: 'Record actual' }).click();
  await expect(manager.getByTestId('kpi-why').first()).toHaveText('one period so far: Q1 90% = 90%');

  await hr.goto('/scorecards/import');
  await hydrated(hr);
  await hr.getByTestId('csv-file').setInputFiles({
    name: 'actuals.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`email,kpi,period,value,note\n${employee.email},Win rate,Q1,20,CRM opportunity report\n`),
  });
  await hr.getByRole('button', { name: 'Import' }).click();
  await expect(hr.getByTestId('import-done')).toContainText('Imported 1 actuals');

  await hr.goto('/integrations');
  await hydrated(hr);
  await hr.getByLabel('System name').fill(`CRM (${info.project.name})`);
  await hr.getByRole('button', { name: 'Issue token' }).click();
  const token = (await hr.getByTestId('issued-token').textContent())!.trim();
  const api = await hr.request.post('/api/v1/actuals', {
    headers: { Authorization: `Bearer ${token}` },
    data: { actuals: [{ email: employee.email, kpi: 'Win rate', period: 'Q1', value: 25, note: 'nightly CRM export' }] },
  });
  expect(api.status()).toBe(200);
  expect((await api.json()).recorded).toBe(1);

  // New revenue 90 % × 60 + Win rate 100 % × 40 = 94 %, rating 2 on the demo scale.
  await phone.goto('/scorecards/me');
  await hydrated(phone);
  await expect(phone.getByTestId('plan-score')).toHaveText('94%');
  await expect(phone.getByTestId('plan-rating')).toHaveText('Rating 2 · Needs improvement');
  await expect(phone.getByTestId('plan-why')).toContainText('(100 × 94%) / 100 = 94%');
  const winRate = phone.getByTestId('kpi-card').filter({ hasText: 'Win rate' });
  await expect(winRate.getByTestId('kpi-why')).toHaveText('one period so far: Q1 100% = 100%');
  await expect(winRate).toContainText('integration: CRM');
  await expect(phone.getByTestId('line-of-sight').first()).toContainText(`Grow revenue 15% profitably › ${goal}`);

  await manager.goto('/team');
  await expect(manager.getByTestId('scorecard-lines').getByRole('row', { name: new RegExp(employee.name) })).toContainText('94%');
  await hr.goto('/scorecards');
  await expect(hr.getByTestId('scorecard-lines').getByRole('row', { name: new RegExp(employee.name) })).toContainText('94%');
  await hr.goto('/goals');
  await expect(hr.getByTestId('goal-tree').getByRole('listitem').filter({ hasText: goal })).toContainText('1 person · mean weight 100%');
});

test('the committee cannot open individual scorecards', async ({ page }) => {
  await signInAndWaitForHome(page, demo.committee);
  const response = await page.goto('/scorecards');
  expect(response?.status()).toBe(403);
});
