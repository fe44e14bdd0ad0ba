import { expect, Page, test } from '@playwright/test';
import { demo, hydrated, open, signInAndWaitForHome, synced } from './helpers';

// Each project uses its own manager and reports (tests share one database).
const people: Record<string, { manager: string; managerName: string; report: string; reportName: string; colleagueName: string }> = {
  phone: { manager: 'fatima.zahra', managerName: 'Fatima Zahra', report: 'mei.tanaka', reportName: 'Mei Tanaka', colleagueName: 'Carlos Mendes' },
  desktop: { manager: 'olga.ivanova', managerName: 'Olga Ivanova', report: 'yusuf.demir', reportName: 'Yusuf Demir', colleagueName: 'Anna Kowalska' },
};


test('a manager records a GROW check-in offline on a phone; both see it once synced; its next step joins the development plan and is closed with evidence; kudos reach the team page', async ({ page, browser }, info) => {
  const who = people[info.project.name];
  await signInAndWaitForHome(page, `${who.manager}@example.com`);
  await open(page, '/check-ins');
  await page.getByLabel('Check in with').selectOption({ label: `${who.reportName} (reports to you)` });
  // The meeting happens where there is no connection: everything is kept on the phone.
  await page.context().setOffline(true);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-online', 'false');
  const withReport = page.getByTestId('check-ins').getByRole('listitem').filter({ hasText: `with ${who.reportName}` });
  const before = await withReport.count();
  await page.getByRole('button', { name: 'Start a check-in' }).click();
  await expect(withReport).toHaveCount(before + 1);
  // A second tap the same day opens that check-in again rather than a twin.
  await page.getByRole('button', { name: 'Start a check-in' }).click();
  await expect(withReport).toHaveCount(before + 1);
  const note = page.getByTestId('check-in');
  // A next step may aim at one of the report's KPIs, not only at a competency.
  expect(await note.getByLabel('For').locator('option[value^="kpi:"]').count()).toBeGreaterThan(0);
  await note.getByRole('textbox', { name: /^Goal/ }).fill('First-contact resolution back to target by January');
  await note.getByRole('textbox', { name: /^Reality/ }).fill('At 68% in October; repeat calls about billing');
  await note.getByRole('textbox', { name: /^Options/ }).fill('Billing module refresher, shadowing, a checklist');
  await note.getByRole('textbox', { name: /^Will/ }).fill('Shadow a senior colleague twice before the next check-in');
  await note.getByLabel('Action', { exact: true }).fill(`Shadow a senior colleague (${info.project.name})`);
  await note.getByLabel('Kind').selectOption('mentoring');
  await note.getByLabel('Due').fill('2027-01-15');
  await note.getByRole('button', { name: 'Add action' }).click();
  await expect(note.getByTestId('agreed-actions')).toContainText(`Shadow a senior colleague (${info.project.name}) (Mentoring), due 2027-01-15`);
  await note.getByRole('button', { name: 'Complete check-in' }).click();
  await expect(note).toContainText('Completed on');
  await expect(note.getByRole('textbox', { name: /^Goal/ })).toBeDisabled();
  await expect(page.getByTestId('sync-status')).not.toHaveAttribute('data-pending', '0');
  await page.context().setOffline(false);
  await synced(page);

  // The report sees the same note on their own device, read-only.
  const context = await browser.newContext();
  const mine = await context.newPage();
  await signInAndWaitForHome(mine, `${who.report}@example.com`);
  await open(mine, '/check-ins');
  await mine.getByTestId('check-ins').getByRole('button', { name: new RegExp(`with ${who.managerName}`) }).click();
  await expect(mine.getByTestId('check-in').getByRole('textbox', { name: /^Reality/ })).toHaveValue('At 68% in October; repeat calls about billing');

  // The next step is in the development plan; closing it needs evidence.
  await open(mine, '/development/me');
  const row = mine.getByTestId('development-items').getByRole('row', { name: new RegExp(`Shadow a senior colleague \\(${info.project.name}\\)`) });
  await expect(row).toContainText('Check-in');
  await row.getByLabel('Status').selectOption('done');
  await row.getByRole('button', { name: 'Update' }).click();
  await expect(mine.getByRole('alert').filter({ hasText: 'Say what shows it is done' })).toBeVisible();
  await row.getByLabel('Evidence of completion').fill('Shadowed Carlos on 3 and 10 December; notes shared');
  await row.getByRole('button', { name: 'Update' }).click();
  await expect(mine.getByTestId('development-items').getByRole('row', { name: /Shadow a senior colleague/ })).toContainText('Done');

  // Kudos to a colleague for a competency show on the manager's team page.
  await open(mine, '/recognition');
  await mine.getByLabel('To', { exact: true }).selectOption({ label: who.colleagueName });
  await mine.getByLabel('For the competency').selectOption({ index: 1 });
  await mine.getByLabel('What they did').fill(`Covered my queue during training (${info.project.name})`);
  await mine.getByRole('button', { name: 'Give kudos' }).click();
  await expect(mine.getByTestId('kudos-given')).toContainText(`To ${who.colleagueName} for`);
  await open(page, '/team');
  await expect(page.getByTestId('recognition')).toContainText(`Kudos from ${who.reportName}`);
  await expect(page.getByTestId('recognition')).toContainText(`Covered my queue during training (${info.project.name})`);
  await context.close();
});

test('HR adds a training aimed at a KPI, a session and its attendance; the effect report never shows a figure from too few people', async ({ page }, info) => {
  await signInAndWaitForHome(page, demo.hr);
  await open(page, '/training');
  const title = `Handling billing calls (${info.project.name})`;
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Provider').fill('Internal L&D');
  await page.getByLabel('Should move').selectOption({ label: 'KPI: First contact resolution' });
  await page.getByRole('button', { name: 'Add training' }).click();
  await page.getByRole('link', { name: title }).click();
  await hydrated(page);
  await page.getByLabel('Date').fill('2026-10-01');
  await page.getByRole('button', { name: 'Add session' }).click();
  await page.getByText('Record attendance').click();
  await page.getByLabel('Mei Tanaka').check();
  await page.getByRole('button', { name: 'Save attendance' }).click();
  await expect(page.getByText('Attended (1): Mei Tanaka')).toBeVisible();
  await expect(page.getByTestId('training-effect')).toContainText('too few people to show');
  await expect(page.getByTestId('training-effect')).toContainText('N = ');
});
