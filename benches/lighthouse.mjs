// Lighthouse on each page kind of a built site (issue 25): for a site folder
// and the origin it is served at, picks one page of each kind (the largest
// file of the kind, where a kind has many: a reader pays for its bytes) and
// runs Lighthouse's four categories on it with the desktop preset, then the
// mobile one's performance (a simulated 4x CPU slowdown, which on a shared
// machine follows the load more than the page).
//
//   node benches/lighthouse.mjs --site DIR --origin http://127.0.0.1:PORT
//
// Prints one line per page: its kind, path, bytes and the four scores.
// Measures; never asserts a number (tests/browser/run.sh asserts).
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(new URL('../tests/browser/package.json', import.meta.url));
const CLI = path.join(path.dirname(require.resolve('lighthouse/package.json')), 'cli', 'index.js');
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '--site') args.site = argv[i + 1];
    else if (argv[i] === '--origin') args.origin = argv[i + 1];
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!args.site || !args.origin) throw new Error('usage: node benches/lighthouse.mjs --site DIR --origin URL');
  return args;
}

// The `index.html` files under `dir` (not deeper than `depth` folders).
function pages(dir, depth) {
  if (!fs.existsSync(dir)) return [];
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && depth > 0) out.push(...pages(full, depth - 1));
    else if (entry.name === 'index.html') out.push(full);
  }
  return out;
}

const largest = (files) => files.map((f) => [f, fs.statSync(f).size]).reduce((a, b) => (b[1] > a[1] ? b : a), [null, -1])[0];

// One page per kind: [kind, file, query].
function kinds(site) {
  const at = (...p) => path.join(site, ...p, 'index.html');
  const firstBrief = fs.readdirSync(path.join(site, 'briefs')).sort().find((d) => fs.existsSync(at('briefs', d)));
  const list = [
    ['index', at()],
    ['index, a later page', largest(pages(path.join(site, 'page'), 1))],
    ['brief', at('briefs', firstBrief)],
    ['tag list', at('tags')],
    ['tag page', largest(pages(path.join(site, 'tags'), 1))],
    ['tag, a later page', largest(pages(path.join(site, 'tags'), 3).filter((f) => f.includes(`${path.sep}page${path.sep}`)))],
    ['entity list', at('entities')],
    ['entity page', largest(pages(path.join(site, 'entities'), 1))],
    ['band page', largest(pages(path.join(site, 'bands'), 1))],
    ['sources', at('sources')],
    ['top', at('top')],
    ['watchlist', at('watch')],
    ['search, with a query', at('search'), '?q=supply+chain'],
    ['free page', largest(fs.readdirSync(site, { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(at(e.name)) &&
        !['briefs', 'tags', 'entities', 'bands', 'sources', 'top', 'watch', 'search', 'page', 'review'].includes(e.name))
      .map((e) => at(e.name)))],
    ['404', path.join(site, '404.html')],
  ];
  return list.filter(([, file]) => file && fs.existsSync(file));
}

function lighthouse(url, preset, categories) {
  const out = path.join(os.tmpdir(), `briefs-lighthouse-${process.pid}.json`);
  const args = [CLI, url, `--only-categories=${categories.join(',')}`, '--output=json', `--output-path=${out}`, '--quiet',
    '--chrome-flags=--headless=new --no-sandbox --disable-gpu'];
  if (preset === 'desktop') args.push('--preset=desktop');
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, CHROME_PATH: process.env.CHROMIUM || '/usr/bin/chromium' }, timeout: 240_000 });
  if (r.status !== 0) return { error: `lighthouse exited ${r.status ?? r.signal}` };
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  fs.rmSync(out, { force: true });
  const scores = Object.fromEntries(categories.map((c) => [c, Math.round(report.categories[c].score * 100)]));
  // What cost points, so a score under 100 says why.
  const failed = Object.values(report.audits)
    .filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'notApplicable')
    .map((a) => a.id);
  return { scores, failed };
}

const args = parseArgs(process.argv.slice(2));
for (const [kind, file, query] of kinds(args.site)) {
  const rel = path.relative(args.site, file).split(path.sep).join('/');
  // Lighthouse refuses a page answered with 404, so the 404 page is asked by its file name.
  const urlPath = rel.replace(/index\.html$/, '');
  const url = new URL(urlPath + (query || ''), args.origin.replace(/\/?$/, '/')).href;
  const desktop = lighthouse(url, 'desktop', CATEGORIES);
  const mobile = lighthouse(url, 'mobile', ['performance']);
  const bytes = fs.statSync(file).size;
  const shown = desktop.error ?? CATEGORIES.map((c) => `${c} ${desktop.scores[c]}`).join(', ');
  console.log(`${kind.padEnd(22)} ${String(bytes).padStart(7)} B  ${shown}; mobile performance ${mobile.error ?? mobile.scores.performance}` +
    `  /${urlPath}${query || ''}` + (desktop.failed?.length ? `  (under 90: ${desktop.failed.join(', ')})` : ''));
}
