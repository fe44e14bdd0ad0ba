// Run by scripts/bench-load: signs in a demo employee on each app instance given, then loads each
// route with autocannon (16 connections in all, shared evenly by the instances, for a fixed
// time) and prints its rate, its ratio to the static route's rate in the same run, and p50/p99.
//   AUTOCANNON_DIR=<dir with node_modules/autocannon> node scripts/bench-load.mjs <label> <base url>...
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(path.join(process.env.AUTOCANNON_DIR, 'package.json'));
const autocannon = require('autocannon');

const [label, ...bases] = process.argv.slice(2);
const CONNECTIONS = 16;
const SECONDS = Number(process.env.LOS_BENCH_SECONDS ?? 10);
const same = { 'sec-fetch-site': 'same-origin' };

async function signIn(base) {
  const answer = await fetch(`${base}/api/sign_in`, {
    method: 'POST',
    headers: { ...same, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: 'email=sam.taylor%40example.com&password=demo-password',
  });
  if (!answer.ok) throw new Error(`sign-in at ${base}: ${answer.status} ${await answer.text()}`);
  const cookie = answer.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('los_session='));
  const me = await (await fetch(`${base}/api/current_user`, { method: 'POST', headers: { ...same, cookie, 'content-type': 'application/json' }, body: '{}' })).json();
  return { cookie, id: me.id };
}

const sessions = await Promise.all(bases.map(signIn));
const routes = [
  { name: 'static route (GET /api/v1/openapi.json)', request: () => ({ method: 'GET', path: '/api/v1/openapi.json' }) },
  { name: 'current_user (signed in)', request: (s) => ({ method: 'POST', path: '/api/current_user', headers: { ...same, cookie: s.cookie, 'content-type': 'application/json' }, body: '{}' }) },
  {
    name: 'person_scorecard (signed in, own)',
    request: (s) => ({ method: 'POST', path: '/api/person_scorecard', headers: { ...same, cookie: s.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ person_id: s.id, cycle_id: null }) }),
  },
];

/** One route on every instance at once; the rates add up, the latencies are the worst instance's. */
async function load(route) {
  const runs = await Promise.all(
    bases.map((base, i) => {
      const { method, path: p, headers, body } = route.request(sessions[i]);
      return autocannon({ url: `${base}${p}`, method, headers, body, connections: CONNECTIONS / bases.length, duration: SECONDS });
    }),
  );
  for (const run of runs) {
    const failed = run.non2xx + run.errors + run.timeouts;
    if (failed > 0) throw new Error(`${route.name}: ${failed} failed requests`);
  }
  return {
    rate: runs.reduce((sum, r) => sum + r.requests.average, 0),
    p50: Math.max(...runs.map((r) => r.latency.p50)),
    p99: Math.max(...runs.map((r) => r.latency.p99)),
  };
}

console.log(`\n${label}: ${bases.length} instance(s), ${CONNECTIONS} connections, ${SECONDS} s per route`);
console.log('| request | rate (req/s) | of the static route | p50 / p99 (ms) |');
console.log('|---|---|---|---|');
let baseline;
for (const route of routes) {
  const figures = await load(route);
  baseline ??= figures.rate;
  const ratio = ((100 * figures.rate) / baseline).toFixed(1);
  console.log(`| ${route.name} | ${Math.round(figures.rate)} | ${ratio} % | ${figures.p50} / ${figures.p99} |`);
}
