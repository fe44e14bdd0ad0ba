import { expect, test } from '@playwright/test';
import { demo, hydrated, open, signInAndWaitForHome } from './helpers';

// On a phone, once: it moves Emma Wilson's plan on (the desktop run would find it agreed).
test('HR sets the deadlines; tasks lead each person to the exact place, and doing one removes it', async ({ browser }, info) => {
  test.skip(info.project.name !== 'phone', 'one run: it changes the demo');
  const as = async (email: string) => {
    const page = await (await browser.newContext(info.project.use)).newPage();
    await signInAndWaitForHome(page, email);
    return page;
  };

  // HR: deadlines out of order are refused next to the field; in order they are saved.
  const hr = await as(demo.hr);
  await open(hr, '/cycles');
  const form = hr.getByTestId('deadlines-form');
  await form.getByLabel('Plans agreed by').fill('2026-07-31');
  await form.getByLabel('Self-assessment by').fill('2026-07-15');
  await form.getByRole('button', { name: 'Save deadlines' }).click();
  await expect(hr.locator('#field-self_assessment_by-error')).toContainText('comes after plans agreed by (2026-07-31)');
  await form.getByLabel('Self-assessment by').fill('');
  await form.getByLabel('Actuals due (days after a period ends)').fill('10');
  await form.getByRole('button', { name: 'Save deadlines' }).click();
  await expect(form.getByRole('status')).toHaveText('Deadlines saved.');

  // Emma's plan waits for her: her home says so first, overdue since the deadline, and why.
  const emma = await as('emma.wilson@example.com');
  const tasks = emma.getByTestId('tasks');
  const acknowledge = tasks.getByTestId('task').filter({ hasText: 'Read and acknowledge your plan' });
  await expect(acknowledge).toContainText('overdue (due 2026-07-31)');
  await expect(acknowledge).toContainText('KPIs in');
  await expect(acknowledge).toHaveClass(/overdue/);
  await expect(emma.getByText('appear here once HR opens a performance cycle')).toHaveCount(0);
  await acknowledge.getByRole('link').click();
  await expect(emma).toHaveURL(/\/plans\/me$/);
  await hydrated(emma);
  await emma.getByRole('button', { name: 'Acknowledge plan' }).click();
  await expect(emma.getByTestId('plan-state')).toHaveText('Acknowledged, waiting for approval');
  await open(emma, '/');
  await expect(emma.getByTestId('task').filter({ hasText: 'Read and acknowledge your plan' })).toHaveCount(0);

  // Now it is her manager's turn.
  const james = await as(demo.manager);
  const approve = james.getByTestId('task').filter({ hasText: "Approve Emma Wilson's plan" });
  await expect(approve).toContainText('Emma acknowledged it; approving agrees it.');
  await approve.getByRole('link').click();
  await hydrated(james);
  await james.getByRole('button', { name: 'Approve plan' }).click();
  await expect(james.getByTestId('plan-state')).toHaveText('Agreed');
  await open(james, '/');
  await expect(james.getByTestId('task').filter({ hasText: 'Emma Wilson' })).toHaveCount(0);
});
