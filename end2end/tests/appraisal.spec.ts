import { Browser, expect, Page, test } from '@playwright/test';
import { demo, hydrated, open, signInAndWaitForHome, synced } from './helpers';
import { sweep } from './audit';

// Runs once, after the phone and desktop projects (playwright.config.ts): HR moves the demo cycle
// into appraisal, which freezes plans for everyone.
const employee = { email: 'samuel.adeyemi@example.com', name: 'Samuel Adeyemi' };
const manager = 'peter.kamau@example.com';
const hr = 'amina.okafor@example.com';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const TABLET = { viewport: { width: 820, height: 1180 }, hasTouch: true };

async function person(browser: Browser, email: string, options: object) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await signInAndWaitForHome(page, email);
  return { context, page };
}



test('appraisal: self-assessment, grounded ratings with the bias report, the conversation offline, both sign, calibration', async ({ browser }) => {
  const h = await person(browser, hr, {});
  await open(h.page, '/cycles');
  await h.page.getByRole('row', { name: /FY2027/ }).getByRole('button', { name: 'Move to appraisal' }).click();
  // Irreversible: the consequence is said and confirmed first.
  await expect(h.page.getByText('Every plan freezes')).toBeVisible();
  await h.page.getByRole('button', { name: 'Yes, move to appraisal' }).click();
  await expect(h.page.getByRole('button', { name: 'Move to closed' })).toBeVisible();

  // The employee submits a self-assessment on the phone.
  const e = await person(browser, employee.email, PHONE);
  await open(e.page, '/self-assessment');
  const questions = e.page.getByTestId('competency-question');
  await expect(questions.first()).toBeVisible();
  const count = await questions.count();
  for (let i = 0; i < count; i++) {
    await questions.nth(i).getByRole('radio').nth(2).check();
    await questions.nth(i).getByRole('textbox').fill(`In March I handled case ${i} end to end`);
  }
  await e.page.getByTestId('submit-self-assessment').click();
  await e.page.getByRole('button', { name: 'Yes, submit it' }).click();
  await expect(e.page.getByTestId('submit-self-assessment')).toBeDisabled();
  await synced(e.page);

  // The manager prepares on a tablet: self and manager side by side, grounded ratings.
  const m = await person(browser, manager, TABLET);
  await open(m.page, '/appraisals');
  await m.page.getByTestId('report-appraisals').getByRole('row', { name: new RegExp(employee.name) }).getByRole('link', { name: 'Prepare' }).click();
  await expect(m.page.getByTestId('appraisal-state')).toContainText('Manager preparing');
  const ratings = m.page.getByTestId('competency-rating');
  await expect(ratings).toHaveCount(count);
  await expect(ratings.first().getByTestId('self-rating')).toContainText('Self-assessment: level 3 — In March I handled case 0');
  const levels: number[] = [];
  const expected: number[] = [];
  for (let i = 0; i < count; i++) {
    const r = ratings.nth(i);
    const radios = r.getByRole('radio');
    const top = await radios.count();
    // The first competency at the top of the scale (a gap with the self-assessment), the rest at 3.
    const level = i === 0 ? top : 3;
    levels.push(level);
    expected.push(Number((await r.getByText(/Expected for the role: level \d/).textContent())!.match(/level (\d)/)![1]));
    await radios.nth(level - 1).check();
    await r.getByLabel('Date', { exact: true }).fill('2026-10-14');
    await r.getByLabel('What happened, what it shows').fill(`On 14 October: handled the depot outage for competency ${i}`);
  }
  await expect(ratings.first().getByTestId('gap')).toHaveText(`Gap: self 3, you ${levels[0]}`);
  // The rating pattern reads as the ratings are entered, before anything is saved.
  await expect(m.page.getByTestId('bias-report')).toContainText(`${count} ratings of 1 person by you`);
  // An extreme rating without a justification is refused, with the reason next to it.
  await m.page.getByRole('button', { name: 'Submit ratings' }).click();
  await expect(ratings.first().getByRole('alert').filter({ hasText: 'is at the end of the scale' })).toBeVisible();
  await ratings.first().getByLabel(/Justification/).fill('Rebuilt the dispatch plan for all three depots during the outage');
  await m.page.getByLabel('Potential').selectOption('3');
  await m.page.getByRole('button', { name: 'Save draft' }).click();

  // After saving, still before submitting, in plain language.
  const bias = m.page.getByTestId('bias-report');
  await expect(bias).toContainText(`${count} ratings of 1 person by you`);
  await expect(bias).toContainText('Leniency or severity');
  await expect(bias).toContainText('Central tendency');
  await expect(bias).toContainText('Halo');

  // The final score is DOMAIN.md's: (60 × KPI part + 40 × competency part) / 100, the competency
  // part the mean of level ÷ expected level (each capped at 120 %), mapped on the band table.
  const kpiText = (await m.page.getByTestId('kpi-generated').textContent())!;
  const kpi = Number(kpiText.match(/([\d.]+)%/)![1]);
  const competency = (100 * levels.map((l, i) => Math.min(l / expected[i], 1.2)).reduce((a, b) => a + b, 0)) / count;
  const why = (await m.page.getByTestId('final-why').textContent())!;
  const terms = why.match(/\(60 × ([\d.]+)% \+ 40 × ([\d.]+)%\) \/ 100 = ([\d.]+)% → rating (\d)/)!;
  expect(Number(terms[1])).toBe(kpi);
  expect(Math.abs(Number(terms[2]) - competency)).toBeLessThan(0.051);
  const final = (60 * Number(terms[1]) + 40 * competency) / 100;
  expect(Math.abs(Number(terms[3]) - final)).toBeLessThan(0.051);
  // DOMAIN.md's band table: <80 % → 1, 80–95 → 2, 95–105 → 3, 105–115 → 4, ≥115 → 5.
  const band = [80, 95, 105, 115].filter((from) => Number(terms[3]) >= from).length + 1;
  expect(Number(terms[4])).toBe(band);
  // The draft is saved (the buttons wait while it is on its way).
  await expect(m.page.getByTestId('ratings-saved')).toHaveText('Saved.');
  await m.page.getByRole('button', { name: 'Submit ratings' }).click();
  await expect(m.page.getByTestId('appraisal-state')).toContainText('Ready for the conversation');

  // The conversation, step by step on the tablet, with the keyboard alone (no pointer); the
  // connection drops in the middle.
  const press = async (control: ReturnType<Page['getByRole']>, key = 'Enter') => { await control.focus(); await m.page.keyboard.press(key); };
  await press(m.page.getByRole('link', { name: 'Hold the appraisal conversation →' }));
  await hydrated(m.page);
  const step = m.page.getByTestId('conversation-step');
  await expect(step).toContainText('Open and set the tone');
  await expect(m.page.getByTestId('conversation-progress')).toContainText('Step 1 of 9');
  await step.getByTestId('step-note').fill('Relaxed start; agreed 45 minutes');
  const next = m.page.getByRole('button', { name: 'Next', exact: true });
  // The new step's title takes the focus and the step is announced.
  await press(next);
  await expect(step).toContainText("The employee's view first");
  await expect(step.getByRole('heading', { level: 2 })).toBeFocused();
  await expect(m.page.getByTestId('conversation-progress')).toHaveAttribute('aria-live', 'polite');
  await expect(m.page.getByTestId('conversation-steps').getByRole('button', { name: "The employee's view first" })).toHaveAttribute('aria-current', 'step');
  // Each step is named once (the list numbers it), not "1. 1. Open…".
  await expect(m.page.getByTestId('conversation-steps').getByRole('button').first()).toHaveText('Open and set the tone');
  await press(next);
  await expect(m.page.getByTestId('kpi-results')).toContainText('On-time dispatch');
  await synced(m.page);

  await m.context.setOffline(true);
  await expect(m.page.getByTestId('sync-status')).toHaveAttribute('data-online', 'false');
  await press(next);
  await expect(m.page.getByTestId('competency-gaps')).toBeVisible();
  await press(next);
  await step.getByTestId('step-note').fill('Strong under pressure; clear with drivers');
  await press(next);
  await expect(step).toContainText('Development needs and agreed actions');
  await step.getByLabel('Action', { exact: true }).fill('Route-planning course');
  await step.getByLabel('Due', { exact: true }).fill('2027-03-31');
  await press(step.getByRole('button', { name: 'Add action' }));
  await expect(m.page.getByTestId('agreed-actions')).toContainText('Route-planning course (Training), due 2027-03-31');
  await press(next);
  await press(next);
  await expect(m.page.getByTestId('conversation-rating')).toContainText(`Proposed: ${terms[3]}% → rating ${terms[4]}`);
  await press(step.getByRole('radio', { name: 'The rating is agreed' }), 'Space');
  await press(next);
  await expect(m.page.getByTestId('conversation-progress')).toContainText('Step 9 of 9');
  await press(step.getByRole('button', { name: 'Sign as manager' }));
  // A signature cannot be taken back: said, then confirmed.
  await expect(step.getByTestId('confirm')).toContainText('It cannot be taken back.');
  await expect(step.getByRole('button', { name: 'Yes, sign' })).toBeFocused();
  await m.page.keyboard.press('Enter');
  await expect(m.page.getByTestId('signatures')).toContainText('Manager');
  await expect(m.page.getByTestId('sync-status')).not.toHaveAttribute('data-pending', '0');

  // Back online: everything reaches the server; a reload resumes at the furthest step.
  await m.context.setOffline(false);
  await synced(m.page);
  await m.page.reload();
  await hydrated(m.page);
  await expect(m.page.getByTestId('conversation-progress')).toContainText('Step 9 of 9');
  await expect(m.page.getByTestId('signatures')).toContainText(/Manager\s*Signed on/);

  // The employee signs on the phone, then adds a comment; the record is read-only.
  await open(e.page, '/appraisals/me/conversation');
  await expect(e.page.getByTestId('conversation-progress')).toContainText('Step 9 of 9');
  await e.page.getByRole('button', { name: 'Sign as employee' }).click();
  await e.page.getByRole('button', { name: 'Yes, sign' }).click();
  await e.page.getByLabel('Your comment (optional, added once)').fill('A fair conversation; thank you.');
  await e.page.getByRole('button', { name: 'Add comment' }).click();
  await expect(e.page.getByTestId('employee-comment')).toContainText('A fair conversation; thank you.');
  await synced(e.page);
  // The competencies step, whose table is the widest, fits the phone.
  await e.page.getByRole('button', { name: 'Competencies where you differ' }).click();
  await expect(e.page.getByTestId('competency-gaps')).toBeVisible();
  expect(await e.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await e.page.getByRole('button', { name: 'Open and set the tone' }).click();
  await expect(e.page.getByTestId('step-note')).toBeDisabled();

  // HR's home leads to each unit's calibration to lock; HR calibrates the rating, only with a
  // reason; the log keeps before and after.
  await open(h.page, '/');
  const lock = h.page.getByTestId('tasks').getByTestId('task').filter({ hasText: /Calibrate and lock Logistics: \d+ of \d+ appraisals rated/ });
  await lock.getByRole('link').first().click();
  await expect(h.page).toHaveURL(/\/calibration\/[^/]+$/);
  await hydrated(h.page);
  await expect(h.page.getByTestId('nine-box')).toContainText(employee.name);
  const row = h.page.getByTestId('calibration-lines').getByRole('row', { name: new RegExp(employee.name) });
  const before = Number(await row.locator('td').nth(5).textContent());
  const after = before > 1 ? before - 1 : 2;
  await h.page.getByLabel('Person').selectOption({ label: `${employee.name} (now ${before})` });
  await h.page.getByLabel('New rating').selectOption(String(after));
  await h.page.getByRole('button', { name: 'Adjust rating' }).click();
  await expect(h.page.getByRole('alert').filter({ hasText: 'Give the reason for the change' })).toBeVisible();
  await h.page.getByLabel('Reason (kept in the log)').fill('Against the other dispatchers the on-time figures do not support it');
  await h.page.getByRole('button', { name: 'Adjust rating' }).click();
  await expect(h.page.getByTestId('calibration-log')).toContainText(`${employee.name}: ${before} → ${after} by Amina Okafor`);

  // The employee sees the calibrated rating with its reason.
  await open(e.page, '/appraisals/me/conversation');
  await expect(e.page.getByTestId('calibrated')).toContainText(`Calibrated from ${before} to ${after}: Against the other dispatchers`);

  for (const c of [h, e, m]) await c.context.close();
});

test('merit: HR sets the matrix and a budget, proposals appear, the manager goes over range with a reason, the budget warning shows, HR scales to budget', async ({ browser }) => {
  const h = await person(browser, hr, {});
  await open(h.page, '/rewards');
  await h.page.getByLabel('Rating 3 band 2 high').fill('3.5');
  await h.page.getByLabel('Budget for Logistics').fill('500');
  await h.page.getByRole('button', { name: 'Save policy' }).click();
  await expect(h.page.getByLabel('Rating 3 band 2 high')).toHaveValue('3.5');
  await expect(h.page.getByLabel('Budget for Logistics')).toHaveValue('500');

  // The rated employee's proposal is generated from the final rating and the matrix.
  const m = await person(browser, manager, TABLET);
  await open(m.page, '/merit');
  const unit = m.page.getByTestId('merit-unit').filter({ hasText: 'Logistics' });
  const line = unit.getByTestId('merit-lines').getByRole('row', { name: new RegExp(employee.name) });
  await expect(line).toBeVisible();
  await expect(m.page.getByTestId('merit-missing')).toContainText('no final rating yet');
  const raise = m.page.getByLabel(`Raise for ${employee.name}`);
  await raise.fill('15');
  await expect(line).toContainText('outside range');
  await expect(line).toContainText('say why');
  // Saved anyway: the server refuses by the same rule, and the reason is said once, on the line.
  await line.getByRole('button', { name: 'Save' }).click();
  await expect(unit.getByText(/say why/)).toHaveCount(1);
  await expect(unit.getByTestId('budget')).toContainText('Over budget');
  // Amounts say their currency (HR's setting under Reward policy).
  await expect(unit.getByTestId('budget')).toContainText('EUR ');
  await m.page.getByLabel(`Reason for ${employee.name}`).fill('Ran night dispatch alone for two months');
  await line.getByRole('button', { name: 'Save' }).click();
  await expect(m.page.getByTestId('merit-lines').getByRole('row', { name: new RegExp(employee.name) })).toContainText('set by Peter Kamau');
  await expect(m.page.getByTestId('merit-unit').filter({ hasText: 'Logistics' }).getByTestId('budget')).toContainText('Over budget');

  // HR scales the unit pro rata to its pool; approval waits for everyone in the unit to have a proposal.
  await open(h.page, '/merit');
  const hrUnit = h.page.getByTestId('merit-unit').filter({ hasText: 'Logistics' });
  await hrUnit.getByRole('button', { name: 'Scale to budget' }).click();
  await expect(h.page.getByTestId('merit-unit').filter({ hasText: 'Logistics' }).getByTestId('budget')).toContainText('Within budget');
  await h.page.getByTestId('merit-unit').filter({ hasText: 'Logistics' }).getByRole('button', { name: 'Approve' }).click();
  await h.page.getByTestId('merit-unit').filter({ hasText: 'Logistics' }).getByRole('button', { name: 'Yes, approve' }).click();
  await expect(h.page.getByTestId('merit-unit').filter({ hasText: 'Logistics' }).getByRole('alert').filter({ hasText: 'have no proposal yet' })).toBeVisible();
  // Nothing approved yet: the export says so instead of downloading an empty file.
  await h.page.getByRole('button', { name: 'Export approved raises for payroll (CSV)' }).click();
  await expect(h.page.getByTestId('export-problem')).toContainText('No approved raises to export yet');
  for (const c of [h, m]) await c.context.close();
});

test('in the appraisal phase every page each role reaches fits a phone, links lead somewhere, no accessibility violations', async ({ page }) => {
  test.setTimeout(1_200_000);
  const findings: string[] = [];
  for (const email of Object.values(demo)) {
    await page.context().clearCookies();
    findings.push(...(await sweep(page, email)));
  }
  expect(findings, findings.join('\n')).toEqual([]);
});
