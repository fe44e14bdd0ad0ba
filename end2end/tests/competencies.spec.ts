import { expect, test } from '@playwright/test';
import { demo, hydrated, signInAndWaitForHome } from './helpers';

test('HR edits a competency and a role profile; others only read them', async ({ page, browser }, info) => {
  await signInAndWaitForHome(page, demo.hr);
  await page.goto('/competencies');
  await hydrated(page);
  const card = page.getByTestId('competency').first();
  await card.getByRole('button', { name: 'Edit' }).click();
  const form = card.getByTestId('competency-form');
  await form.getByLabel('Level 2 name').fill(`Developing (${info.project.name})`);
  await form.getByLabel('Level 3 behaviours, one per line').fill('');
  await form.getByRole('button', { name: 'Save competency' }).click();
  await expect(form).toContainText('Name the level and describe at least one behaviour that shows it.');
  await form.getByLabel('Level 3 behaviours, one per line').fill(`Shares plans early (${info.project.name})\nAsks for help in time`);
  await form.getByRole('button', { name: 'Save competency' }).click();
  await expect(card.getByTestId('competency-form')).toHaveCount(0);
  await expect(card).toContainText(`Developing (${info.project.name})`);
  await expect(card).toContainText(`Shares plans early (${info.project.name})`);

  // The expected level of a job title.
  const row = page.getByTestId('role-profile').filter({ hasText: 'Account Executive' });
  const level = info.project.name === 'phone' ? '4' : '2';
  await row.getByRole('combobox').first().selectOption(level);
  await row.getByRole('button', { name: 'Save' }).click();
  await expect(row).toContainText('Saved');
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId('role-profile').filter({ hasText: 'Account Executive' }).getByRole('combobox').first()).toHaveValue(level);

  // An employee reads the framework but cannot edit it.
  const context = await browser.newContext();
  const employee = await context.newPage();
  await signInAndWaitForHome(employee, demo.employee);
  await employee.goto('/competencies');
  await hydrated(employee);
  await expect(employee.getByTestId('competency').first()).toContainText(`Shares plans early`);
  await expect(employee.getByRole('button', { name: 'Edit' })).toHaveCount(0);
  await expect(employee.getByRole('combobox')).toHaveCount(0);
  await context.close();
});
