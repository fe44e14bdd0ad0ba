import { expect, test } from '@playwright/test';
import { hydrated, open, signInAndWaitForHome } from './helpers';

// The demo sends no email (no SMTP server is set): the page says so, and keeps each person's
// choices for when it does. The mail itself is tested against a real SMTP server in
// server/tests/mail.rs.
test('a person chooses what email they receive, with the keyboard, on a phone', async ({ page }, info) => {
  test.skip(info.project.name !== 'phone', 'one run: it changes the demo');
  await page.setViewportSize({ width: 360, height: 740 });
  await signInAndWaitForHome(page, 'chloe.dubois@example.com');
  await open(page, '/profile');
  const link = page.getByRole('link', { name: 'Choose what you receive by email →' });
  await link.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/settings\/email$/);
  await hydrated(page);
  await expect(page.getByTestId('mail-off')).toContainText('This server sends no email yet');
  await expect(page.getByText('Mail goes to chloe.dubois@example.com.')).toBeVisible();

  const reminders = page.getByRole('checkbox', { name: /Reminders/ });
  await expect(reminders).toBeChecked();
  await reminders.focus();
  await page.keyboard.press('Space');
  await expect(reminders).not.toBeChecked();
  await page.getByRole('button', { name: 'Save' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

  // Kept: a fresh load shows the choice.
  await open(page, '/settings/email');
  await expect(page.getByRole('checkbox', { name: /Reminders/ })).not.toBeChecked();
  await expect(page.getByRole('checkbox', { name: /When something needs me/ })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: /A weekly digest/ })).toBeChecked();
});

test('an unsubscribe link that was changed says so, without signing in', async ({ page }, info) => {
  test.skip(info.project.name !== 'phone', 'one run');
  await open(page, '/unsubscribe/someone.digest.0123456789abcdef0123456789abcdef');
  await expect(page.getByTestId('link-refused').getByRole('alert')).toContainText('This unsubscribe link is not complete or was changed');
  await expect(page.getByRole('link', { name: 'Choose what you receive' })).toBeVisible();
});
