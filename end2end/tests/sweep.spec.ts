import { test, expect } from '@playwright/test';
import { demo } from './helpers';
import { sweep } from './audit';

for (const [role, email] of Object.entries(demo)) {
  test(`${role}: every page fits a phone, links lead somewhere, no accessibility violations`, async ({ page }, testInfo) => {
    test.skip(testInfo.project.name !== 'phone', 'the sweep sets both widths itself');
    test.setTimeout(600_000);
    const findings = await sweep(page, email);
    expect(findings, findings.join('\n')).toEqual([]);
  });
}
