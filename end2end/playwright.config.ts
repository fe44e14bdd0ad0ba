import { defineConfig } from '@playwright/test';

// The server under test: the binary and site built by scripts/test, on a fresh in-memory database
// with the demo organisation, or on a SurrealDB server given by LOS_E2E_DATABASE_URL (ws://…, an
// empty database, root/root) so every journey is proven remote too.
const port = 3100;
const database = process.env.LOS_E2E_DATABASE_URL ?? 'mem://';
const credentials = database.startsWith('ws') ? ' --db-user root --db-password root' : '';
const bin = process.env.LOS_SERVER_BIN ?? '../target/debug/line-of-sight';
const site = process.env.LOS_SITE_ROOT ?? '../target/site';

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  timeout: 60_000,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [
    { name: 'phone', testIgnore: /appraisal\.spec/, use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } },
    { name: 'desktop', testIgnore: /appraisal\.spec/, use: { viewport: { width: 1280, height: 800 } } },
    // Moving the cycle into appraisal freezes plans, so the appraisal test runs last, once (it
    // opens its own phone, tablet and desktop contexts).
    { name: 'appraisal', testMatch: /appraisal\.spec/, dependencies: ['phone', 'desktop'] },
  ],
  webServer: {
    command: `${bin} --database-url ${database}${credentials} --demo-data --bind 127.0.0.1:${port} --site-root ${site} --log warn`,
    url: `http://127.0.0.1:${port}/sign-in`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
  },
});
