// What one search query costs a reader (issue 25), run by benches/search.sh:
// for each query, a fresh headless Chromium context (nothing cached) opens the
// search page of a built site, waits until it has loaded, then submits the query
// and times it to the first result on screen, counting every request made and
// every byte received after the page had loaded. The same queries go through
// Pagefind's JavaScript API on the same site, when the site holds a Pagefind
// index (`pagefind/`), loaded only once the query is made, as its UI does.
//
//   node benches/search.mjs --origin http://127.0.0.1:PORT [--queries "a b,c"]
//     [--runs 3]
//
// Prints one line per query and engine (bytes, requests, ms to the first result,
// results found; for ours, the bytes by folder of the index, what opening the
// tags' and entities' counts adds, and when those are estimated, what counting
// them all adds), and the medians. Measures; never asserts a number.
import { createRequire } from 'node:module';

// playwright-core is installed for the browser tests.
const require = createRequire(new URL('../tests/browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function parseArgs(argv) {
  const args = { runs: 3, queries: ['tidewater price cut', 'keller', 'semiconductors export', 'market'] };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--origin') args.origin = value;
    else if (flag === '--queries') args.queries = value.split(',');
    else if (flag === '--runs') args.runs = Number(value);
    else if (flag === '--pagefind') args.pagefind = value === 'yes';
    else throw new Error(`unknown argument ${flag}`);
  }
  if (!args.origin) throw new Error('usage: node benches/search.mjs --origin URL [--queries a,b] [--runs N]');
  return args;
}

// Counts the requests and received bytes (body and headers, as received)
// of a context from now on, with the browser cache off so nothing is reused.
async function meter(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const seen = { requests: 0, bytes: 0, folders: {}, failed: [], pending: [] };
  page.context().on('requestfinished', (request) => {
    if (!seen.pending) return; // settled: this meter has stopped
    seen.requests += 1;
    // Bytes by folder of the index (`search/t`, `search/f`, …).
    const folder = new URL(request.url()).pathname.split('/').slice(-3, -1).join('/');
    seen.pending.push(request.sizes().then((s) => {
      const bytes = s.responseBodySize + s.responseHeadersSize;
      seen.bytes += bytes;
      seen.folders[folder] = (seen.folders[folder] || 0) + bytes;
    }));
  });
  page.context().on('response', (response) => {
    if (response.status() >= 400) seen.failed.push(`${response.status()} ${response.url()}`);
  });
  return seen;
}

async function settle(seen) {
  await Promise.all(seen.pending);
  delete seen.pending;
}

// Our own search page: type the query, press Enter, wait for a result.
async function ours(browser, origin, query) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${origin}/search/`, { waitUntil: 'load' });
  await page.fill('#search-input', query);
  const seen = await meter(page);
  const start = Date.now();
  await page.press('#search-input', 'Enter');
  await page.waitForFunction(() => {
    const s = document.getElementById('search-status').textContent;
    return document.querySelector('#search-results li') || /No briefs|unavailable/.test(s);
  }, null, { timeout: 20000, polling: 'raf' });
  const ms = Date.now() - start;
  await page.waitForLoadState('networkidle');
  await settle(seen);
  const found = await page.locator('#search-status').textContent();
  // Then the reader opens the tags' and entities' counts: what that adds.
  const counts = await meter(page);
  const closed = page.locator('#search-facets details:not([open]) summary');
  while (await closed.count()) {
    await closed.first().click();
    await page.waitForLoadState('networkidle');
  }
  await page.waitForFunction(() => !/Counting/.test(document.getElementById('search-facets').textContent),
    null, { timeout: 20000 });
  await settle(counts);
  // Past the site's budget (`search.counts_kb`) the counts are estimates; then the reader
  // asks for them all: what that adds.
  const estimated = await page.locator('.search-facet-all').count() > 0;
  let all;
  if (estimated) {
    const rest = await meter(page);
    await page.locator('.search-facet-all').first().click();
    await page.waitForFunction(() => !document.querySelector('.search-facet-all'), null, { timeout: 60000 });
    await page.waitForLoadState('networkidle');
    await settle(rest);
    all = rest.bytes;
  }
  await context.close();
  return { ms, ...seen, found: found.trim(), errors, counts: counts.bytes, estimated, all };
}

// Pagefind's API on the same site: import pagefind.js, search, and fetch the
// data of the first ten results (what a page of results shows).
async function pagefind(browser, origin, query) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${origin}/search/`, { waitUntil: 'load' });
  const seen = await meter(page);
  const result = await page.evaluate(async (q) => {
    const start = performance.now();
    const pf = await import('/pagefind/pagefind.js');
    const search = await pf.search(q);
    const first = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
    return { ms: Math.round(performance.now() - start), count: search.results.length, shown: first.length };
  }, query);
  await page.waitForLoadState('networkidle');
  await settle(seen);
  await context.close();
  return { ms: result.ms, ...seen, found: `${result.count} results`, errors };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: FLAGS,
  });
  const engines = [['briefs', ours]];
  if (args.pagefind !== false) engines.push(['pagefind', pagefind]);
  const all = {};
  try {
    for (const query of args.queries) {
      for (const [name, run] of engines) {
        for (let r = 0; r < args.runs; r++) {
          const got = await run(browser, args.origin, query);
          (all[name] ||= []).push(got);
          const problems = [...got.failed, ...got.errors];
          const kb = (b) => Math.round(b / 1024);
          const folders = Object.entries(got.folders).filter(([f]) => f.startsWith('search/'))
            .map(([f, b]) => `${f.slice(7)} ${kb(b)}`).join(', ');
          console.log(`${name.padEnd(8)} ${JSON.stringify(query).padEnd(24)} ${String(kb(got.bytes)).padStart(6)} KB ` +
            `${String(got.requests).padStart(3)} requests ${String(got.ms).padStart(5)} ms  ${got.found}` +
            (folders ? `  [KB by folder: ${folders}]` : '') +
            (got.counts !== undefined ? `  opening the counts: +${kb(got.counts)} KB${got.estimated ? ` (estimated; counting all: +${kb(got.all)} KB)` : ''}` : '') +
            (problems.length ? `  PROBLEMS: ${problems.join('; ')}` : ''));
        }
      }
    }
  } finally {
    await browser.close();
  }
  for (const [name, runs] of Object.entries(all)) {
    console.log(`${name}: median ${Math.round(median(runs.map((x) => x.bytes)) / 1024)} KB, ` +
      `${median(runs.map((x) => x.requests))} requests, ${median(runs.map((x) => x.ms))} ms ` +
      `(max ${Math.round(Math.max(...runs.map((x) => x.bytes)) / 1024)} KB, ${Math.max(...runs.map((x) => x.ms))} ms)`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
