import { expect, test } from '@playwright/test';
import { demo, failedLoads, hydrated, navLink, signIn, signInAndWaitForHome } from './helpers';

test.describe('each demo role sees its own home', () => {
  const homes: [string, string, string[], string[]][] = [
    // [role, email, sections shown, sections not shown]
    ['employee', demo.employee, ['home-employee'], ['home-manager', 'home-hr', 'home-committee']],
    ['manager', demo.manager, ['home-employee', 'home-manager'], ['home-hr']],
    ['HR administrator', demo.hr, ['home-employee', 'home-hr'], ['home-committee-only']],
    ['change committee member', demo.committee, ['home-employee', 'home-committee'], ['home-manager', 'home-hr']],
  ];
  for (const [role, email, shown, hidden] of homes) {
    test(`${role}`, async ({ page }) => {
      await signInAndWaitForHome(page, email);
      for (const id of shown) await expect(page.getByTestId(id)).toBeVisible();
      for (const id of hidden) await expect(page.getByTestId(id)).toHaveCount(0);
    });
  }

  test('navigation follows the roles', async ({ page }) => {
    await signInAndWaitForHome(page, demo.employee);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(await navLink(page, 'My profile')).toBeVisible();
    await expect(nav.getByRole('link', { name: 'People', includeHidden: true })).toHaveCount(0);
    await expect(nav.getByRole('link', { name: 'My team', includeHidden: true })).toHaveCount(0);
    // Typing the address of an HR page does not open it either.
    const response = await page.goto('/people');
    expect(response?.status()).toBe(403);
    await expect(page.getByRole('heading', { name: 'No access' })).toBeVisible();
    await expect(page.getByTestId('people')).toHaveCount(0);
  });
});

test('a wrong password shows an error and does not sign in', async ({ page }) => {
  const failed = failedLoads(page);
  await signIn(page, demo.employee, 'not-my-password');
  await expect(page.getByTestId('sign-in-error')).toHaveText('Email or password is incorrect.');
  await expect(page).toHaveURL(/\/sign-in$/);
  expect(failed, 'a refusal is an answer, not a failed load').toEqual([]);
});

test('signing out ends the session; going back shows nothing private', async ({ page }) => {
  await signInAndWaitForHome(page, demo.manager);
  await page.goto('/team');
  await hydrated(page);
  await expect(page.getByTestId('team')).toContainText('Sam Taylor');
  await page.getByTestId('sign-out').click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goBack();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByText('Sam Taylor')).toHaveCount(0);
  // The server agrees: the old session opens nothing.
  const me = await page.request.post('/api/current_user', { data: {}, headers: { 'sec-fetch-site': 'same-origin' } });
  expect(await me.text()).toBe('null');
});

test('pages that do not exist say so', async ({ page }) => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
});

test('form errors appear next to their fields', async ({ page }) => {
  const failed = failedLoads(page);
  await signInAndWaitForHome(page, demo.hr);
  await page.goto('/people/new');
  await hydrated(page);
  await page.getByLabel('Name').fill('Pat Example');
  await page.getByLabel('Work email').fill('not-an-email');
  await page.getByRole('button', { name: 'Add person' }).click();
  await expect(page.locator('#field-email-error')).toContainText('is not an email address');
  await expect(page.locator('#field-job_title-error')).toContainText("job title");
  await expect(page.locator('#field-name-error')).toBeEmpty();
  expect(failed, 'a refusal is an answer, not a failed load').toEqual([]);
});

test('HR imports people from CSV: one bad row refuses the file, a good file lands', async ({ page }, testInfo) => {
  const tag = testInfo.project.name;
  const header = 'email,name,job_title,unit_code,manager_email,roles,active';
  const rows = [
    `ines.${tag}@example.com,Inês ${tag},Sales Representative,SALES-N,james.osei@example.com,,yes`,
    `omar.${tag}@example.com,Omar ${tag},Sales Representative,ATLANTIS,james.osei@example.com,,yes`,
  ];
  await signInAndWaitForHome(page, demo.hr);
  await page.goto('/people/import');
  await hydrated(page);

  await page.getByTestId('csv-file').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from([header, ...rows].join('\n')) });
  await page.getByRole('button', { name: 'Import' }).click();
  const errors = page.getByTestId('import-errors');
  await expect(errors).toContainText('Nothing was imported');
  await expect(errors.locator('tbody tr')).toHaveCount(1);
  await expect(errors.locator('tbody tr').first()).toContainText('3');
  await expect(errors.locator('tbody tr').first()).toContainText('unit_code');
  await expect(errors).toContainText("No unit has the code 'ATLANTIS'");

  const fixed = [header, rows[0], rows[1].replace('ATLANTIS', 'SALES-N')].join('\n');
  await page.getByTestId('csv-file').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed) });
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByTestId('import-done')).toContainText('2 added');

  await page.goto('/people');
  await hydrated(page);
  await expect(page.getByTestId('people')).toContainText(`Inês ${tag}`);
  await expect(page.getByTestId('people')).toContainText(`Omar ${tag}`);
});

test('HR adds a unit and a person in it, then deactivates them', async ({ page }, testInfo) => {
  const tag = testInfo.project.name;
  await signInAndWaitForHome(page, demo.hr);
  await page.goto('/units');
  await hydrated(page);
  const form = page.getByTestId('unit-form');
  await form.getByLabel('Name').fill(`Key Accounts ${tag}`);
  await form.getByLabel('Code').fill(`key-${tag}`);
  await form.getByLabel('Part of').selectOption({ label: '— Sales' });
  await form.getByRole('button', { name: 'Add unit' }).click();
  await expect(page.getByTestId('units')).toContainText(`Key Accounts ${tag}`);
  await expect(page.getByTestId('units')).toContainText(`KEY-${tag.toUpperCase()}`);

  await page.goto('/people/new');
  await hydrated(page);
  await page.getByLabel('Name').fill(`Rosa ${tag}`);
  await page.getByLabel('Work email').fill(`rosa.${tag}@example.com`);
  await page.getByLabel('Job title').fill('Key Account Manager');
  await page.getByLabel('Unit').selectOption({ label: `— — Key Accounts ${tag}` });
  await page.getByLabel('Manager').selectOption({ label: 'Maria Santos · Sales Director' });
  await page.getByRole('button', { name: 'Add person' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Rosa ${tag}` })).toBeVisible();
  await expect(page.getByTestId('person-facts')).toContainText(`Key Accounts ${tag}`);
  await expect(page.getByTestId('person-facts')).toContainText('Maria Santos');

  await hydrated(page);
  await page.getByLabel('Active').uncheck();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await page.goto('/people');
  await hydrated(page);
  await expect(page.getByTestId('people')).not.toContainText(`Rosa ${tag}`);
  await page.getByLabel('Show inactive').check();
  await expect(page.getByTestId('people').getByRole('row', { name: new RegExp(`Rosa ${tag}`) })).toContainText('Inactive');
});
