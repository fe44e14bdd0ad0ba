import { expect, Page, test } from '@playwright/test';
import { demo, hydrated, open, signInAndWaitForHome } from './helpers';

// Both projects share one database: each walks its own programme with an employee no other test
// uses (a submitted self-assessment is read-only for good).
const employees: Record<string, { email: string; unit: string }> = {
  phone: { email: 'aisha.bello@example.com', unit: 'Customer Service' },
  desktop: { email: 'jonas.lind@example.com', unit: 'Customer Service' },
};

async function submitSelfAssessment(page: Page) {
  await open(page, '/self-assessment');
  const questions = page.getByTestId('competency-question');
  await expect(questions.first()).toBeVisible();
  const count = await questions.count();
  for (let i = 0; i < count; i++) {
    await questions.nth(i).getByRole('radio').nth(3).check();
    await questions.nth(i).getByRole('textbox').fill(`Ran the regional launch, example ${i}`);
  }
  await page.getByTestId('submit-self-assessment').click();
  await page.getByRole('button', { name: 'Yes, submit it' }).click();
  await expect(page.getByTestId('submit-self-assessment')).toBeDisabled();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-pending', '0', { timeout: 20_000 });
}

test('the committee walks the Kotter steps, adoption moves with use, a small pulse stays hidden', async ({ browser, page }, info) => {
  const employee = employees[info.project.name];
  const name = `Performance rollout (${info.project.name})`;
  await signInAndWaitForHome(page, demo.committee);
  await open(page, '/change');

  // A programme: a bad one first says what to fix.
  const form = page.getByTestId('programme-form');
  await form.getByRole('button', { name: 'Create programme' }).click();
  await expect(form.getByText('Give the programme a name')).toBeVisible();
  await expect(form.getByText('Pick at least one unit')).toBeVisible();
  await form.getByLabel('Name').fill(name);
  await form.getByRole('checkbox', { name: 'Head Office' }).check();
  await form.getByLabel('Sponsor').selectOption({ label: 'Grace Mwangi' });
  await form.getByLabel('Chair').selectOption({ label: 'Zara Ahmed' });
  await form.getByRole('checkbox', { name: 'David Kim' }).check();
  await form.getByLabel('Starts on').fill('2026-11-01');
  await form.getByLabel('Ends on').fill('2027-12-31');
  await form.getByRole('button', { name: 'Create programme' }).click();
  await expect(page).toHaveURL(/\/change\/[a-z0-9]+$/);
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  const programmeUrl = page.url();

  // Step 1: purpose and guidance, a checklist, an action, evidence.
  const panel = page.getByTestId('step-panel');
  await expect(panel).toContainText('Create a sense of urgency');
  await expect(panel).toContainText('Show the gap with facts people recognise');
  // Ticked with the keyboard: the focus stays on the box.
  const listening = page.getByRole('checkbox', { name: 'Hold listening sessions with employees and managers' });
  await listening.focus();
  await page.keyboard.press('Space');
  await expect(listening).toBeChecked();
  await expect(listening).toBeFocused();
  await page.getByLabel('Add an activity').fill('Share last year\'s appraisal survey');
  await page.getByRole('button', { name: 'Save checklist' }).click();
  await expect(page.getByTestId('checklist-saved')).toHaveText('Checklist saved.');
  await expect(page.getByText("Share last year's appraisal survey")).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'Hold listening sessions with employees and managers' })).toBeChecked();

  const action = page.getByTestId('action-form');
  await action.getByLabel('Action', { exact: true }).fill('Present the case for change to the board');
  await action.getByLabel('Owner').selectOption({ label: 'Grace Mwangi' });
  await action.getByLabel('Due on').fill('2026-12-15');
  await action.getByRole('button', { name: 'Add action' }).click();
  await expect(page.getByTestId('actions')).toContainText('Present the case for change to the board');

  const evidence = page.getByTestId('evidence-form');
  await evidence.getByLabel('Evidence note').fill('Listening sessions held in all regions');
  await evidence.getByLabel('Evidence link').fill('https://intranet.example.com/urgency-notes');
  await evidence.getByRole('button', { name: 'Add evidence' }).click();
  await expect(page.getByTestId('evidence')).toContainText('Listening sessions held in all regions');

  // Signing off with an open action and unmet criteria warns first.
  await page.getByRole('button', { name: 'Sign off step 1' }).click();
  const warnings = page.getByTestId('sign-off-warnings');
  await expect(warnings).toContainText('1 action(s) of this step are still open.');
  await expect(warnings).toContainText('not marked as met');
  await warnings.getByRole('button', { name: 'Sign off anyway' }).click();

  // The wizard moves on to step 2; with its criteria met it is signed off without warnings.
  await expect(panel).toContainText('Build a guiding coalition');
  await expect(page.getByTestId('steps-progress').first()).toHaveAttribute('aria-label', '1 of 8 steps signed off');
  await page.getByRole('checkbox', { name: 'Every unit in scope is represented' }).check();
  await page.getByRole('checkbox', { name: 'The sponsor has committed time' }).check();
  await page.getByRole('button', { name: 'Save checklist' }).click();
  await expect(page.getByRole('checkbox', { name: 'The sponsor has committed time' })).toBeChecked();
  await page.getByRole('button', { name: 'Sign off step 2' }).click();
  await expect(panel).toContainText('Form a strategic vision');
  await expect(page.getByTestId('steps-progress').first()).toHaveAttribute('aria-label', '2 of 8 steps signed off');

  // Back to step 1: signed off by the chair, with what the committee recorded.
  await page.getByRole('link', { name: /1\. Create a sense of urgency/ }).click();
  await expect(panel).toContainText('Create a sense of urgency');
  await expect(page.getByTestId('signed-off')).toContainText('Signed off by Zara Ahmed');
  await expect(page.getByTestId('actions')).toContainText('Present the case for change to the board');
  await expect(page.getByTestId('evidence')).toContainText('Listening sessions held in all regions');

  // A pulse survey.
  const pulseForm = page.getByTestId('pulse-form');
  await pulseForm.getByLabel('Survey title').fill(`Readiness (${info.project.name})`);
  await pulseForm.getByLabel('Questions, one per line').fill('I understand why we are changing how we manage performance');
  await pulseForm.getByRole('button', { name: 'Open survey' }).click();
  await expect(page.getByTestId('pulse')).toContainText('Answers: fewer than 5 answers — hidden to protect anonymity');

  // The adoption metric of the employee's unit, before.
  await open(page, `${programmeUrl}/adoption`);
  const cell = page.locator(`tr[data-unit="${employee.unit}"] td[data-metric="self_assessments_submitted"]`);
  await expect(cell).toBeVisible();
  const before = await cell.textContent();

  // The employee submits a self-assessment and answers the pulse.
  const other = await browser.newContext();
  const staff = await other.newPage();
  await signInAndWaitForHome(staff, employee.email);
  await submitSelfAssessment(staff);
  await open(staff, '/pulse');
  const survey = staff.getByTestId('pulse-survey').filter({ hasText: `Readiness (${info.project.name})` });
  await survey.getByRole('radio', { name: '4 Mostly' }).check();
  await survey.getByRole('button', { name: 'Send answers' }).click();
  await expect(staff.getByTestId('pulse-answered').filter({ hasText: `Readiness (${info.project.name})` })).toContainText('recorded anonymously');
  await other.close();

  // The metric moved; the survey with one answer shows neither results nor how many answered.
  await page.reload();
  await hydrated(page);
  await expect(cell).not.toHaveText(before ?? '');
  await open(page, programmeUrl);
  await expect(page.getByTestId('pulse-answers')).toHaveText('Answers: fewer than 5 answers — hidden to protect anonymity');
  await expect(page.getByTestId('pulse-results-hidden')).toBeVisible();
  await expect(page.getByTestId('pulse-results')).toHaveCount(0);
});
