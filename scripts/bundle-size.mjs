// The browser bundle's size, counted as a phone downloads it: gzip -9 of each file of target/site/pkg.
// For the sign-in page and the signed-in home it adds up what loads before the page is interactive
// (the shell JS, CSS and main wasm, the chunk of the page's group and every chunk it needs), and what
// loads after, in the background (the offline copy's chunks); lists each group of pages' download and
// the largest chunks; and fails if a page's download to interactive or a single chunk is over its
// budget. A byte count, not a timing: the same build gives the same figures. Run by scripts/test.
//   node scripts/bundle-size.mjs [pkg dir]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

// Budgets guard what was reached, so growth is caught the day it happens (about 5 % above the
// figures of docs/BENCHMARKS.md). Issue 18's goals are lower (200 KB to interactive, 120 KB per
// chunk) and not reached yet. Raised on 2026-11-28 (sign-in 376 → 387 KB, home 1,118 → 1,143 KB)
// when the home gained its tasks and every page's server calls the client that reads refusals
// from 200 answers (`app::error::Api`); which part of the shell's 11 KB each took is not measured.
// Raised again the same day (sign-in 400.6 KB, home 1,174 KB measured: 420 and 1,230 KB) when
// the header gained the inbox link, the router the inbox page and the home its progress card.
const BUDGET = { 'sign-in': 420 * 1024, 'home (signed in)': 1230 * 1024 };
const CHUNK_BUDGET = 850 * 1024;
const GOALS = { interactive: 200 * 1024, chunk: 120 * 1024 };

const pkg = process.argv[2] ?? path.join(import.meta.dirname, '..', 'target', 'site', 'pkg');
const manifest = JSON.parse(fs.readFileSync(path.join(pkg, '__wasm_split_manifest.json'), 'utf8'));
const SHELL = ['line_of_sight.js', '__wasm_split.______________________.js', 'line_of_sight_bg.wasm', 'line_of_sight.css'];

const sizes = new Map();
function size(file) {
  if (!sizes.has(file)) {
    const bytes = fs.readFileSync(path.join(pkg, file));
    sizes.set(file, { raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length });
  }
  return sizes.get(file);
}

/** The files a lazy function (a route's view, or a chunk of the offline copy) loads. */
function split(prefix) {
  const keys = Object.keys(manifest).filter((k) => k.startsWith(prefix));
  if (keys.length !== 1) throw new Error(`the split manifest has ${keys.length} entries for ${prefix}: was the group of pages renamed?`);
  return manifest[keys[0]].map((name) => `${name}.wasm`);
}

const total = (files) => files.reduce((t, f) => ({ raw: t.raw + size(f).raw, gzip: t.gzip + size(f).gzip }), { raw: 0, gzip: 0 });
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const pages = {
  'sign-in': { interactive: [...SHELL, ...split('sign_in_pages_')], after: [] },
  'home (signed in)': { interactive: [...SHELL, ...split('employee_pages_')], after: [...split('read_copy_'), ...split('sync_once_')] },
};

let failed = false;
console.log(`Download per page (gzip -9); the goal to interactive is ${kb(GOALS.interactive)}:`);
for (const [page, { interactive, after }] of Object.entries(pages)) {
  const first = [...new Set(interactive)];
  const then = [...new Set(after)].filter((f) => !first.includes(f));
  const t = total(first);
  const a = total(then);
  const over = t.gzip > BUDGET[page];
  failed ||= over;
  console.log(`  ${page.padEnd(18)} to interactive ${String(first.length).padStart(4)} files ${kb(t.raw).padStart(10)} raw ${kb(t.gzip).padStart(9)} gzip  budget ${kb(BUDGET[page])}${over ? '  OVER' : ''}`);
  if (then.length > 0) console.log(`  ${''.padEnd(18)} then offline copy ${String(then.length).padStart(2)} files ${kb(a.raw).padStart(10)} raw ${kb(a.gzip).padStart(9)} gzip`);
}
console.log('  of which the shell:');
for (const f of SHELL) console.log(`    ${f.padEnd(40)} ${kb(size(f).raw).padStart(10)} raw  ${kb(size(f).gzip).padStart(9)} gzip`);

console.log('Each group of pages: what opening one of them adds to the shell (gzip -9):');
for (const key of Object.keys(manifest).filter((k) => /_pages_\d+$/.test(k)).sort()) {
  const t = total(manifest[key].map((n) => `${n}.wasm`));
  console.log(`  ${key.replace(/_\d+$/, '').padEnd(20)} ${String(manifest[key].length).padStart(4)} files ${kb(t.raw).padStart(10)} raw ${kb(t.gzip).padStart(9)} gzip`);
}

const wasm = fs.readdirSync(pkg).filter((f) => f.endsWith('.wasm') && f !== 'line_of_sight_bg.wasm');
const largest = wasm.sort((a, b) => size(b).gzip - size(a).gzip).slice(0, 5);
console.log(`Chunks: ${wasm.length} files, ${kb(total(wasm).gzip)} gzip in all; the largest (budget ${kb(CHUNK_BUDGET)}, goal ${kb(GOALS.chunk)}):`);
for (const f of largest) {
  const over = size(f).gzip > CHUNK_BUDGET;
  failed ||= over;
  console.log(`  ${f.padEnd(56)} ${kb(size(f).gzip).padStart(9)} gzip${over ? '  OVER' : ''}`);
}
if (failed) {
  console.error('The browser bundle is over its budget (issue 18): see the lines marked OVER.');
  process.exit(1);
}
