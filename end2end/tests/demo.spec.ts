import { expect, test } from '@playwright/test';
import { demo, hydrated, open, signInAndWaitForHome } from './helpers';

// What a newcomer finds in the demo on a phone: a year behind it and a year in motion. The figures
// that need enough people (the training effect, the pulse results, the consistency award) show.
test('the demo shows a year in motion to each role', async ({ browser }, info) => {
  test.skip(info.project.name !== 'phone', 'read-only: once is enough');
  const as = async (email: string) => {
    const context = await browser.newContext({ ...info.project.use });
    const page = await context.newPage();
    await signInAndWaitForHome(page, email);
    return { context, page };
  };

  // The employee: feedback and kudos arrived, and their progress is on the home.
  const sam = await as(demo.employee);
  await expect(sam.page.getByTestId('progress-score')).toBeVisible();
  await open(sam.page, '/inbox');
  await expect(sam.page.getByTestId('notice').filter({ hasText: 'James Osei gave you feedback' })).toBeVisible();
  await expect(sam.page.getByTestId('notice').filter({ hasText: 'kudos' })).toBeVisible();
  await sam.context.close();

  // The chief executive's line: the consistency award, earned over last year and this year.
  const grace = await as('grace.mwangi@example.com');
  await open(grace.page, '/recognition');
  await expect(grace.page.getByTestId('recognition').locator('.badge.good').first()).toBeVisible();
  await grace.context.close();

  // HR: last January's session shows its measured effect, with enough people on both sides.
  const hr = await as(demo.hr);
  await open(hr.page, '/training');
  await hr.page.getByRole('link', { name: 'Planning your learning year' }).click();
  await hydrated(hr.page);
  const effect = hr.page.getByTestId('training-effect').locator('tbody tr').first();
  await expect(effect).toContainText('(N = 10)');
  await expect(effect).toContainText(/\+\d+\.\d points/);
  await hr.context.close();

  // The committee: the rollout at step 4, November's pulse with results, the adoption trend.
  const zara = await as(demo.committee);
  await open(zara.page, '/change');
  await zara.page.getByRole('link', { name: 'Line of Sight rollout' }).click();
  await hydrated(zara.page);
  await expect(zara.page.getByTestId('steps-progress').first()).toHaveAttribute('aria-label', '3 of 8 steps signed off');
  await expect(zara.page.getByTestId('pulse-results').first()).toBeVisible();
  await zara.context.close();
});
