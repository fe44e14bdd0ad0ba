import { expect, Page } from '@playwright/test';

export const DEMO_PASSWORD = 'demo-password';

export const demo = {
  employee: 'sam.taylor@example.com',
  manager: 'james.osei@example.com',
  hr: 'amina.okafor@example.com',
  committee: 'zara.ahmed@example.com',
};

/** Waits until the page has hydrated and is interactive. */
export async function hydrated(page: Page) {
  await page.locator('body[data-hydrated="true"]').waitFor();
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signInAndWaitForHome(page: Page, email: string) {
  await signIn(page, email);
  await expect(page).toHaveURL(/\/$/);
  await hydrated(page);
}

export async function open(page: Page, path: string) {
  await page.goto(path);
  await hydrated(page);
}

/** Waits until the device has sent every queued change. */
export async function synced(page: Page) {
  const status = page.getByTestId('sync-status');
  await expect(status).toHaveAttribute('data-online', 'true');
  await expect(status).toHaveAttribute('data-pending', '0', { timeout: 20_000 });
}

/** A place in the main navigation, opening the "More" sheet when the bar (phones) lacks it. */
export async function navLink(page: Page, name: string) {
  const nav = page.getByRole('navigation', { name: 'Main' });
  const link = nav.getByRole('link', { name, exact: true });
  if (!(await link.first().isVisible())) await nav.getByRole('button', { name: 'More' }).click();
  return link.filter({ visible: true }).first();
}

/** The browser console's failed loads from now on: an expected refusal (a wrong password, a field
 *  to fix) is an answer, and must not show as one. */
export function failedLoads(page: Page): string[] {
  const failed: string[] = [];
  page.on('console', (message) => {
    if (/Failed to load resource/i.test(message.text())) failed.push(`${message.text()} ${message.location().url}`);
  });
  return failed;
}
