import { expect, Page } from '@playwright/test';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { signInAndWaitForHome, hydrated } from './helpers';

// Every page each demo role can reach, opened at a phone's width and a desktop's: the page never
// scrolls sideways, no link leads to a page that answers "not found", and axe-core finds no WCAG
// 2.2 A/AA violation. The pages are found by following links from the home, so a page added to
// the navigation is swept without touching this file.

// Evaluated rather than added as a script tag: the app's Content-Security-Policy forbids inline scripts.
const axeSource = readFileSync(createRequire(__filename).resolve('axe-core/axe.min.js'), 'utf8');
const WIDTHS = [
  { width: 360, height: 740 },
  { width: 1280, height: 800 },
];
// One page per route: /people/abc and /people/xyz are the same page with other data.
const WORDS = new Set(['me', 'new', 'import', 'report', 'prepare', 'conversation', 'adoption']);
const routeOf = (path: string) =>
  path.split('/').map((s, i) => (i < 2 || WORDS.has(s) ? s : ':id')).join('/');

type Finding = string;

async function auditPage(page: Page, path: string, from: string, findings: Finding[]) {
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    const response = await page.goto(path);
    const status = response?.status() ?? 0;
    if (status === 404 || status >= 500) {
      findings.push(`${path}: answers ${status} (linked from ${from})`);
      return;
    }
    await hydrated(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) findings.push(`${path} at ${size.width}px: ${overflow}px wider than the screen`);
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      // @ts-ignore axe is the global the script defines
      const result = await axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      });
      return result.violations.map((v: any) => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 2).map((n: any) => n.target.join(' ')).join(' | ')}`);
    });
    for (const v of violations) findings.push(`${path} at ${size.width}px: ${v}`);
  }
}

async function linksOn(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('a[href]'))
      .filter((a) => !a.hasAttribute('download'))
      .map((a) => new URL((a as HTMLAnchorElement).href, location.href))
      .filter((u) => u.origin === location.origin && !u.pathname.startsWith('/api/') && !u.pathname.startsWith('/pkg/'))
      .map((u) => u.pathname),
  );
}

export async function sweep(page: Page, email: string): Promise<Finding[]> {
  await signInAndWaitForHome(page, email);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const queue: [string, string][] = [['/', 'signing in']];
  seen.add(routeOf('/'));
  while (queue.length) {
    const [path, from] = queue.shift()!;
    await auditPage(page, path, from, findings);
    for (const link of await linksOn(page)) {
      const route = routeOf(link);
      if (link === '/sign-in' || seen.has(route)) continue;
      seen.add(route);
      queue.push([link, path]);
    }
  }
  expect(seen.size, 'pages found').toBeGreaterThan(5);
  return findings;
}

