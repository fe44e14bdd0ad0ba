import { test, expect, Page } from '@playwright/test';
import { hydrated, open, signInAndWaitForHome } from './helpers';

// With the keyboard alone: the skip link first, then every control in order.
const people: Record<string, string> = { phone: 'tomasz.nowak@example.com', desktop: 'hannah.schmidt@example.com' };

/** What has the keyboard's focus: its tag, type and accessible text. */
async function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { tag: el?.tagName.toLowerCase() ?? '', type: (el as HTMLInputElement | null)?.type ?? '', text: el?.textContent?.trim() ?? '' };
  });
}

test('the self-assessment can be completed with the keyboard alone', async ({ page }, info) => {
  await signInAndWaitForHome(page, people[info.project.name]);
  await open(page, '/self-assessment');
  await expect(page.getByTestId('competency-question').first()).toBeVisible();

  // The first Tab reaches the skip link, which jumps past the navigation.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();

  let levels = 0;
  for (let presses = 0; presses < 300; presses++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (now.tag === 'input' && now.type === 'radio') {
      // Into a competency's levels: the arrow picks the second level.
      await page.keyboard.press('ArrowDown');
      levels++;
    } else if (now.tag === 'textarea') {
      await page.keyboard.type('On 3 November: led the handover and wrote it up');
    } else if (now.tag === 'button' && now.text === 'Submit self-assessment') {
      await page.keyboard.press('Enter');
      // Asked first, for good: the confirming button has the focus.
      await expect(page.getByRole('button', { name: 'Yes, submit it' })).toBeFocused();
      await page.keyboard.press('Enter');
      break;
    }
  }
  expect(levels).toBe(await page.getByTestId('competency-question').count());
  await expect(page.getByText('Submitted: your manager sees it now')).toBeVisible();
  await expect(page.getByTestId('submit-self-assessment')).toBeDisabled();
  // Each competency kept the level the arrow chose.
  for (const question of await page.getByTestId('competency-question').all()) {
    await expect(question.getByRole('radio').nth(1)).toBeChecked();
  }
});

test('signing in from a link to a page lands on that page', async ({ page }) => {
  await page.goto('/check-ins');
  await expect(page).toHaveURL(/\/sign-in\?next=\/check-ins$/);
  await hydrated(page);
  await page.getByLabel('Work email').fill(people.desktop);
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/check-ins$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Check-ins' })).toBeVisible();
});

test('answering a request for feedback takes the focus to the form it fills', async ({ browser }, info) => {
  // Each project its own pair (tests share one database).
  const [asker, asked, askedName, askerName] = info.project.name === 'phone'
    ? ['laura.martin@example.com', 'lucas.berg@example.com', 'Lucas Berg', 'Laura Martin']
    : ['lucas.berg@example.com', 'laura.martin@example.com', 'Laura Martin', 'Lucas Berg'];
  const one = await browser.newContext();
  const page = await one.newPage();
  await signInAndWaitForHome(page, asker);
  await open(page, '/feedback');
  const ask = page.getByTestId('ask-feedback');
  const whom = ask.getByLabel('Ask');
  await whom.selectOption((await whom.locator('option', { hasText: askedName }).getAttribute('value'))!);
  await ask.getByLabel('On what').fill(`How I ran the quarterly review (${info.project.name})`);
  await ask.getByRole('button', { name: 'Ask', exact: true }).click();
  await expect(ask).toContainText('Asked.');
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-pending', '0', { timeout: 20_000 });
  await one.close();

  const two = await browser.newContext();
  const other = await two.newPage();
  await signInAndWaitForHome(other, asked);
  await open(other, '/feedback');
  const request = other.getByTestId('requests-to-me').getByRole('listitem').filter({ hasText: `(${info.project.name})` });
  await request.getByRole('button', { name: 'Answer' }).click();
  await expect(other.getByTestId('give-feedback').getByRole('heading', { level: 2 })).toHaveText('Answer a request');
  await expect(other.getByTestId('give-feedback').getByLabel('Situation')).toBeFocused();
  await expect(other.getByTestId('give-feedback').getByLabel('For').locator('option:checked')).toHaveText(new RegExp(`^${askerName} · `));
  await two.close();
});

test('a trend chart keeps its labels inside its frame on a phone', async ({ page }, info) => {
  test.skip(info.project.name !== 'phone', 'the phone is where it was cut off');
  await signInAndWaitForHome(page, 'sam.taylor@example.com');
  await open(page, '/scorecards/me');
  const charts = page.locator('svg.trend');
  expect(await charts.count()).toBeGreaterThan(0);
  for (const chart of await charts.all()) {
    const outside = await chart.evaluate((svg: SVGSVGElement) => {
      const width = svg.viewBox.baseVal.width;
      return Array.from(svg.querySelectorAll('text')).filter((t) => { const b = (t as SVGTextElement).getBBox(); return b.x < 0 || b.x + b.width > width; }).map((t) => t.textContent);
    });
    expect(outside).toEqual([]);
  }
});

test('a plan refused for its fields says where they are', async ({ page }, info) => {
  // Peter's report Laura; nothing is saved (the form refuses before sending).
  test.skip(info.project.name !== 'desktop', 'once is enough');
  await signInAndWaitForHome(page, 'peter.kamau@example.com');
  await open(page, '/team');
  await page.getByTestId('scorecard-lines').getByRole('row', { name: /Laura Martin/ }).getByRole('link', { name: /Agreed|Draft|Waiting|Acknowledged|No plan yet/ }).click();
  await hydrated(page);
  await page.getByTestId('kra-weight').first().fill('0');
  await page.getByRole('button', { name: 'Save plan' }).click();
  await expect(page.getByText('The plan was not saved: fix the fields marked above.')).toBeVisible();
});
