// Real-browser, accessibility, HTML-validator and feed checks for the built sample site.
//
// Usage (run.sh does this):
//   node check.mjs --build NAME DIR ORIGIN BASE_URL [--build ...] [--large DIR ORIGIN BASE_URL]
// NAME      a label (sub, root)
// DIR       the built site folder (what `briefs build --output` wrote)
// ORIGIN    where a local static server serves it, e.g. http://127.0.0.1:8123
// BASE_URL  the base_url it was built with, e.g. https://example.org/briefs/
//           (its path is where the site lives on ORIGIN; its origin is mapped to ORIGIN)
// --large   a large generated site: its largest term page (tags/, entities/) must be
//           under 100 KB and score 100 in Lighthouse's performance category
//
// Prints PASS/FAIL/SKIP/NOTE lines and ends with `browser: N passed, M failed`.
// Exit code: 1 when anything failed, 2 on a harness error.

import { chromium } from 'playwright-core';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
const VNU_JAR = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');
const ARTIFACTS = path.join(HERE, 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const BRIEF_SLUG = 'amazon-trainium-external';
const SEARCHES = [
  { query: 'Trainium', slug: 'amazon-trainium-external' },
  { query: 'export', slug: 'us-accelerator-export-rule' },
];
// axe runs EVERY rule it has (WCAG, best practices, experimental), not only the
// WCAG-tagged ones; a rule is switched off only here, each with the reason.
const AXE_DISABLED = {};
const DESKTOP = { width: 1280, height: 800 };
const MOBILE = { width: 390, height: 844 };

// ---------------------------------------------------------------- results

const results = [];
function record(name, problems) {
  const ok = problems.length === 0;
  results.push({ name, ok });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}`);
  for (const p of problems) console.log(`     - ${String(p).replace(/\n/g, '\n       ')}`);
  return ok;
}
const skip = (name, why) => console.log(`SKIP ${name}: ${why}`);
const note = (msg) => console.log(`NOTE ${msg}`);
const T0 = Date.now();
const section = (title) => console.log(`\n== ${title}  [${((Date.now() - T0) / 1000).toFixed(1)} s]`);

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  const builds = [];
  let large = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--large') {
      const [dir, origin, base] = argv.slice(i + 1, i + 4);
      if (!base) throw new Error('--large needs DIR ORIGIN BASE_URL');
      large = { dir: path.resolve(dir), origin: new URL(origin).origin, prefix: new URL(base).pathname };
      i += 3;
    } else if (argv[i] === '--build') {
      const [name, dir, origin, base] = argv.slice(i + 1, i + 5);
      if (!base) throw new Error('--build needs NAME DIR ORIGIN BASE_URL');
      const baseUrl = new URL(base);
      builds.push({
        name,
        dir: path.resolve(dir),
        origin: new URL(origin).origin,
        canonicalOrigin: baseUrl.origin,
        prefix: baseUrl.pathname.endsWith('/') ? baseUrl.pathname : baseUrl.pathname + '/',
        baseUrl: baseUrl.href,
      });
      i += 4;
    } else {
      throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (builds.length === 0) throw new Error('no --build given');
  return { builds, large };
}

// ---------------------------------------------------------------- helpers

const short = (s, n = 90) => {
  s = String(s ?? '').replace(/\s+/g, ' ').trim();
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
};

/** Maps an absolute URL on the site's public origin (or the local one) to the local server; null if external. */
function toLocal(build, href) {
  let u;
  try { u = new URL(href); } catch { return null; }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  if (u.origin === build.origin) return u;
  if (u.origin === build.canonicalOrigin) return new URL(u.pathname + u.search + u.hash, build.origin);
  return null;
}
const withoutHash = (u) => { const c = new URL(u); c.hash = ''; return c.href; };
// A page's address without its query: the search page's state (`?q=&tag=`) is the same page.
const withoutQuery = (u) => { const c = new URL(u); c.search = ''; return c.href; };
/** Site-relative path for messages: /briefs/tags/ */
const rel = (u) => { try { const x = new URL(u); return x.pathname + x.search + x.hash; } catch { return String(u); } };

const resourceCache = new Map();
async function fetchStatus(url) {
  if (!resourceCache.has(url)) {
    resourceCache.set(url, (async () => {
      try {
        const res = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(10000) });
        const body = await res.arrayBuffer();
        return { status: res.status, type: res.headers.get('content-type') || '', finalUrl: res.url, redirected: res.redirected, size: body.byteLength };
      } catch (e) {
        return { status: 0, type: '', finalUrl: url, error: String(e.cause?.code || e.message) };
      }
    })());
  }
  return resourceCache.get(url);
}

function walk(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p)); else out.push(p);
  }
  return out;
}

/** Records console errors, page errors and failed or non-2xx requests of a page. */
function watchPage(page, build) {
  const problems = [];
  const ignoreStatusFor = new Set();
  page.on('console', (m) => {
    if (m.type() === 'error') {
      const loc = m.location();
      // The deliberate 404 of a not-found page test is not an error of the page.
      if (ignoreStatusFor.has(loc?.url) && /status of 404/.test(m.text())) return;
      problems.push(`console error: ${m.text()}${loc?.url ? ` (at ${rel(loc.url)}:${loc.lineNumber + 1})` : ''}`);
    }
  });
  page.on('pageerror', (e) => problems.push(`uncaught exception: ${e.message}`));
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText || 'failed';
    // ERR_ABORTED: cancelled because the test navigated on (a late favicon, say), not a failure of the site.
    if (why === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${r.method()} ${toLocal(build, r.url()) ? rel(r.url()) : r.url()} (${why})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !ignoreStatusFor.has(r.url())) problems.push(`HTTP ${r.status()} for ${rel(r.url())}`);
  });
  return { problems, ignoreStatusFor };
}

async function newContext(browser, build, { mobile = false, dark = false } = {}) {
  const ctx = await browser.newContext({
    viewport: mobile ? MOBILE : DESKTOP,
    deviceScaleFactor: 1,
    isMobile: mobile,
    hasTouch: mobile,
    colorScheme: dark ? 'dark' : 'light',
    reducedMotion: 'reduce',
  });
  // A static site must be self-contained: anything off the local server is refused and reported.
  await ctx.route((url) => url.origin !== build.origin, (route) => route.abort('blockedbyclient'));
  return ctx;
}

// ---------------------------------------------------------------- crawl + links

async function crawl(browser, build) {
  section(`[${build.name}] crawl and links from ${build.origin}${build.prefix}`);
  const ctx = await newContext(browser, build);
  const page = await ctx.newPage();
  const start = new URL(build.prefix, build.origin).href;
  const queue = [start];
  const seen = new Set(queue);
  const pages = new Map(); // url -> { ids:Set, links:[] }
  const anchorChecks = [];
  const redirects = new Set();
  // Template pages not necessarily linked from the index (404) are crawled too.
  for (const extra of ['404.html']) {
    if (fs.existsSync(path.join(build.dir, extra))) {
      const u = new URL(build.prefix + extra, build.origin).href;
      if (!seen.has(u)) { seen.add(u); queue.push(u); }
    }
  }

  while (queue.length) {
    const url = queue.shift();
    const watch = watchPage(page, build);
    const problems = watch.problems;
    let resp;
    try {
      resp = await page.goto(url, { waitUntil: 'load', timeout: 20000 });
    } catch (e) {
      problems.push(`navigation failed: ${e.message.split('\n')[0]}`);
    }
    if (resp && resp.status() !== 200) problems.push(`page answered HTTP ${resp.status()}`);
    let info = { ids: [], links: [], canonical: null };
    if (resp) {
      await page.waitForTimeout(30); // let late console errors arrive
      info = await page.evaluate(() => {
        const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
        for (const a of document.querySelectorAll('a[name]')) ids.push(a.getAttribute('name'));
        const links = [];
        const add = (el, attr, raw) => {
          if (raw == null) return;
          raw = raw.trim();
          if (raw === '') return;
          let resolved;
          try { resolved = new URL(raw, document.baseURI).href; } catch { resolved = null; }
          const text = (el.textContent || el.getAttribute('aria-label') || '').replace(/\s+/g, ' ').trim().slice(0, 60);
          const cls = el.getAttribute('class');
          const relAttr = el.getAttribute('rel');
          links.push({ tag: el.tagName.toLowerCase(), attr, raw, resolved, text, cls, rel: relAttr });
        };
        for (const el of document.querySelectorAll('a[href], area[href]')) add(el, 'href', el.getAttribute('href'));
        for (const el of document.querySelectorAll('link[href]')) add(el, 'href', el.getAttribute('href'));
        for (const el of document.querySelectorAll('img[src], script[src], source[src], iframe[src], video[src], audio[src], track[src], embed[src], input[src]')) add(el, 'src', el.getAttribute('src'));
        for (const el of document.querySelectorAll('video[poster]')) add(el, 'poster', el.getAttribute('poster'));
        for (const el of document.querySelectorAll('form[action]')) add(el, 'action', el.getAttribute('action'));
        for (const el of document.querySelectorAll('img[srcset], source[srcset]')) {
          for (const part of el.getAttribute('srcset').split(',')) add(el, 'srcset', part.trim().split(/\s+/)[0]);
        }
        for (const el of document.querySelectorAll('meta[property="og:url"], meta[property="og:image"], meta[name="twitter:image"]')) add(el, `content(${el.getAttribute('property') || el.getAttribute('name')})`, el.getAttribute('content'));
        const c = document.querySelector('link[rel="canonical"]');
        return { ids, links, canonical: c ? c.href : null };
      });
    }
    pages.set(url, { ids: new Set(info.ids), links: info.links });

    if (info.canonical) {
      const mapped = toLocal(build, info.canonical);
      const isNotFoundPage = rel(url).endsWith('/404.html');
      if (!mapped) problems.push(`canonical ${info.canonical} is not on ${build.canonicalOrigin} or the local server`);
      else if (!isNotFoundPage && withoutHash(mapped) !== withoutQuery(url)) problems.push(`canonical ${info.canonical} does not point at this page (${rel(url)})`);
    }

    let external = 0;
    for (const l of info.links) {
      const desc = `<${l.tag}${l.cls ? ` class="${l.cls}"` : ''}${l.rel ? ` rel="${l.rel}"` : ''} ${l.attr}="${l.raw}">${l.text ? ` "${short(l.text, 50)}"` : ''}`;
      if (!l.resolved) { problems.push(`unparseable URL in ${desc}`); continue; }
      if (/^(mailto|tel|javascript|data):/i.test(l.resolved)) continue;
      const local = toLocal(build, l.resolved);
      if (!local) { external++; continue; }
      if (!local.pathname.startsWith(build.prefix)) problems.push(`link leaves the site path ${build.prefix}: ${desc} -> ${rel(local.href)}`);
      const target = withoutHash(local.href);
      const st = await fetchStatus(target);
      if (st.status !== 200) {
        problems.push(`broken link: ${desc} -> ${rel(target)} (${st.status ? 'HTTP ' + st.status : st.error})`);
        continue;
      }
      if (st.redirected) redirects.add(`${rel(target)} -> ${rel(st.finalUrl)} (linked from ${rel(url)})`);
      const isHtml = st.type.startsWith('text/html');
      // A search state (`/search/?q=&tag=x`) is the search page again: checked to answer, not crawled.
      const crawlable = !local.search;
      if (isHtml && crawlable && !seen.has(target) && (l.tag === 'a' || l.tag === 'area' || l.tag === 'link' || l.attr.startsWith('content('))) {
        seen.add(target);
        queue.push(target);
      }
      const frag = local.hash ? decodeURIComponent(local.hash.slice(1)) : '';
      if (frag && frag.toLowerCase() !== 'top' && isHtml) anchorChecks.push({ from: url, target, frag, desc });
    }
    page.removeAllListeners();
    record(`[${build.name}] page ${rel(url)} loads without console errors or failed requests; its links resolve (${info.links.length} links, ${external} external not followed)`, problems);
  }

  // Anchors, once every linked page has been read.
  const anchorProblems = [];
  for (const a of anchorChecks) {
    const ids = pages.get(a.target)?.ids;
    if (!ids) anchorProblems.push(`on ${rel(a.from)}: ${a.desc}: target page ${rel(a.target)} was not crawled`);
    else if (!ids.has(a.frag)) anchorProblems.push(`on ${rel(a.from)}: ${a.desc}: no element with id "${a.frag}" on ${rel(a.target)}`);
  }
  record(`[${build.name}] all ${anchorChecks.length} #fragment links point at an existing id`, anchorProblems);

  // Built pages nobody links to (informational: a 404 page, for one, is legitimately unlinked).
  const htmlFiles = walk(build.dir).filter((f) => f.endsWith('.html'));
  const reached = new Set([...pages.keys()].map((u) => new URL(u).pathname));
  const orphans = htmlFiles
    .map((f) => build.prefix + path.relative(build.dir, f).split(path.sep).join('/'))
    .filter((p) => !reached.has(p) && !reached.has(p.replace(/index\.html$/, '')));
  if (redirects.size) note(`[${build.name}] internal links that only resolve through a redirect: ${[...redirects].join('; ')}`);
  if (orphans.length) note(`[${build.name}] built pages not reachable from the index: ${orphans.join(', ')}`);
  note(`[${build.name}] crawled ${pages.size} pages of ${htmlFiles.length} HTML files`);

  await ctx.close();
  return pages;
}

// ---------------------------------------------------------------- axe per template

/** A page's shape: its first path segment and depth below the site root (tags/2 = a tag term page). */
function shapeOf(build, sitePath) {
  const segs = sitePath.slice(build.prefix.length).replace(/index\.html$/, '').split('/').filter(Boolean);
  return segs.length ? `${segs[0]}/${segs.length}` : '';
}

function templatePages(build, pages) {
  const firstDir = (sub) => {
    const d = path.join(build.dir, sub);
    if (!fs.existsSync(d)) return null;
    const names = fs.readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    return names.length ? `${sub}/${names[0]}/` : null;
  };
  const pick = (preferred, sub) => (fs.existsSync(path.join(build.dir, preferred, 'index.html')) ? preferred : firstDir(sub));
  const named = [
    ['index', ''],
    ['index page 2', 'page/2/'],
    ['brief', `briefs/${BRIEF_SLUG}/`],
    ['tag list', 'tags/'],
    ['tag term', pick('tags/ai-chips/', 'tags')],
    ['entity list', 'entities/'],
    ['entity term', pick('entities/amazon/', 'entities')],
    ['free page', 'about/'],
    ['search page', 'search/'],
    // A search with a query and a facet, as a reader shares it: results, facet counts, a chosen filter.
    ['search results', 'search/?q=chips&tag=ai-chips&sort=score'],
    ['watch page', 'watch/'],
    ['404 page', '404.html'],
  ].map(([kind, p]) => {
    const f = p == null ? null : p.split('?')[0];
    const file = f == null ? null : path.join(build.dir, f.endsWith('/') || f === '' ? path.join(f, 'index.html') : f);
    return { kind, path: p, exists: !!file && fs.existsSync(file) };
  });
  // Kinds of page the list above does not name yet (the site grows in parallel): one of each shape.
  const covered = new Set(named.filter((t) => t.path != null).map((t) => shapeOf(build, build.prefix + t.path)));
  const extra = new Map();
  for (const u of [...pages.keys()].sort()) {
    const p = new URL(u).pathname;
    if (!p.startsWith(build.prefix)) continue;
    const shape = shapeOf(build, p);
    if (!covered.has(shape) && !extra.has(shape)) extra.set(shape, p.slice(build.prefix.length));
  }
  return [...named, ...[...extra].map(([shape, p]) => ({ kind: `other page (${shape.replace(/\/\d+$/, '')}, depth ${shape.split('/')[1]})`, path: p, exists: true }))];
}

async function runAxe(page) {
  await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async (disabled) => {
    const rules = Object.fromEntries(window.axe.getRules().map((r) => [r.ruleId, { enabled: !(r.ruleId in disabled) }]));
    const r = await window.axe.run(document, { rules, resultTypes: ['violations', 'incomplete'] });
    const slim = (list) => list.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary || '' })),
    }));
    return { rules: Object.keys(rules).length, violations: slim(r.violations), incomplete: slim(r.incomplete) };
  }, AXE_DISABLED);
}

function describeViolations(list) {
  const out = [];
  for (const v of list) {
    for (const n of v.nodes) {
      const summary = n.summary.split('\n').map((s) => s.trim()).filter((s) => s && !/^Fix (any|all) of the following:$/.test(s)).join(' / ');
      out.push(`axe ${v.id} [${v.impact}] ${v.help}\n  target: ${n.target}\n  html: ${short(n.html, 160)}\n  summary: ${short(summary, 300)}\n  see: ${v.helpUrl}`);
    }
  }
  return out;
}

async function axeTemplates(browser, build, pages, { variants }) {
  section(`[${build.name}] axe-core (every rule${Object.keys(AXE_DISABLED).length ? ' but ' + Object.keys(AXE_DISABLED).join(', ') : ''}) on each page template`);
  const incompleteSeen = new Map();
  for (const variant of variants) {
    const ctx = await newContext(browser, build, variant);
    const page = await ctx.newPage();
    const label = `${variant.mobile ? 'mobile' : 'desktop'}${variant.dark ? ', dark' : ''}`;
    for (const t of templatePages(build, pages)) {
      const name = `[${build.name}] axe: ${t.kind} (${build.prefix}${t.path}) ${label}`;
      if (!t.exists) { if (variant === variants[0]) skip(`[${build.name}] ${t.kind}`, `${build.prefix}${t.path ?? '?'} not built yet`); continue; }
      const url = new URL(build.prefix + t.path, build.origin).href;
      const watch = watchPage(page, build);
      const problems = watch.problems;
      try {
        // Pages with scripts that fetch data (search) are checked once the network is idle.
        await page.goto(url, { waitUntil: t.kind.startsWith('search') ? 'networkidle' : 'load', timeout: 20000 });
        await page.evaluate(() => document.fonts.ready.then(() => true));
        const r = await runAxe(page);
        problems.push(...describeViolations(r.violations));
        for (const v of r.incomplete) {
          const key = `${v.id} on ${t.kind}`;
          if (!incompleteSeen.has(key)) incompleteSeen.set(key, `${v.id} (${v.nodes.length} nodes, e.g. ${v.nodes[0]?.target}) on ${t.kind}`);
        }
        if (variant.mobile) {
          const overflow = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth }));
          if (overflow.sw > overflow.w + 1) {
            const culprits = await page.evaluate((w) => [...document.querySelectorAll('body *')]
              .filter((e) => { const r = e.getBoundingClientRect(); return r.right > w + 1 && getComputedStyle(e).position !== 'fixed' && !e.closest('.table-scroll, pre'); })
              .slice(0, 3).map((e) => `${e.tagName.toLowerCase()}${e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''} (right edge ${Math.round(e.getBoundingClientRect().right)}px)`), overflow.w);
            problems.push(`page scrolls horizontally on a ${overflow.w}px-wide screen (document width ${overflow.sw}px; WCAG 1.4.10 reflow)${culprits.length ? '; widest: ' + culprits.join(', ') : ''}`);
          }
        }
      } catch (e) {
        problems.push(`could not run axe: ${e.message.split('\n')[0]}`);
      }
      page.removeAllListeners();
      record(name, problems);
    }
    await ctx.close();
  }
  if (incompleteSeen.size) note(`[${build.name}] axe "needs review" (not failures): ${[...incompleteSeen.values()].join('; ')}`);
}

// ---------------------------------------------------------------- 404 page served at a missing URL

async function notFoundPage(browser, build) {
  const file = path.join(build.dir, '404.html');
  if (!fs.existsSync(file)) { skip(`[${build.name}] 404 page at a missing deep URL`, '404.html not built yet'); return; }
  const ctx = await newContext(browser, build);
  const page = await ctx.newPage();
  const missing = new URL(build.prefix + 'no/such/deep/page/', build.origin).href;
  // Static hosts serve 404.html at whatever URL was asked for: its links and assets must not be relative.
  await page.route(missing, (route) => route.fulfill({ status: 404, contentType: 'text/html; charset=utf-8', body: fs.readFileSync(file) }));
  const watch = watchPage(page, build);
  watch.ignoreStatusFor.add(missing);
  const problems = watch.problems;
  try {
    await page.goto(missing, { waitUntil: 'networkidle' });
    const styled = await page.evaluate(() => [...document.styleSheets].some((s) => { try { return s.cssRules.length > 0; } catch { return false; } }));
    if (!styled) problems.push('no stylesheet applied');
    const links = await page.evaluate(() => [...document.querySelectorAll('a[href]')].map((a) => ({ raw: a.getAttribute('href'), href: a.href })));
    for (const l of links) {
      const local = toLocal(build, l.href);
      if (!local) continue;
      const st = await fetchStatus(withoutHash(local.href));
      if (st.status !== 200 && !(l.raw.startsWith('#'))) problems.push(`link href="${l.raw}" resolves to ${rel(local.href)} (HTTP ${st.status}) when the page is served at ${rel(missing)}`);
    }
  } catch (e) {
    problems.push(`navigation failed: ${e.message.split('\n')[0]}`);
  }
  record(`[${build.name}] 404 page served at a missing deep URL (${rel(missing)}) keeps its styles and links`, problems);
  await ctx.close();
}

// ---------------------------------------------------------------- brief page structure

function expectedScore() {
  // Score value from the brief's front matter, band from site.yaml; null when either can't be read.
  try {
    const md = fs.readFileSync(path.join(REPO, 'content', 'briefs', `${BRIEF_SLUG}.md`), 'utf8');
    const fm = md.split(/^---\s*$/m)[1] || '';
    const m = fm.match(/^score:\s*\n(?:[ \t]+.*\n)*?[ \t]+value:\s*([0-9.]+)/m);
    const site = fs.readFileSync(path.join(REPO, 'site.yaml'), 'utf8');
    const bands = [...site.matchAll(/min:\s*([0-9.]+)\s*,\s*label:\s*([^}\n]+?)\s*\}/g)].map((b) => ({ min: +b[1], label: b[2].replace(/^["']|["']$/g, '') }));
    if (!m || !bands.length) return null;
    const value = +m[1];
    const band = bands.sort((a, b) => b.min - a.min).find((b) => value >= b.min);
    return { value: m[1], band: band?.label };
  } catch { return null; }
}

async function briefStructure(browser, build) {
  section(`[${build.name}] brief page structure`);
  const url = new URL(`${build.prefix}briefs/${BRIEF_SLUG}/`, build.origin).href;
  const ctx = await newContext(browser, build);
  const page = await ctx.newPage();
  const watch = watchPage(page, build);
  const problems = watch.problems;
  try {
    const resp = await page.goto(url, { waitUntil: 'load' });
    if (!resp || resp.status() !== 200) throw new Error(`HTTP ${resp?.status()}`);
    const s = await page.evaluate(() => {
      const items = [...document.querySelectorAll('#sources ol.sources > li')];
      const ids = new Set([...document.querySelectorAll('[id]')].map((e) => e.id));
      const citeRefs = [...document.querySelectorAll('a.cite-ref')].map((a) => ({ id: a.id, href: a.getAttribute('href') }));
      const backlinks = [...document.querySelectorAll('a.backlink')].map((a) => ({ href: a.getAttribute('href'), inItem: a.closest('#sources ol.sources > li')?.id || null }));
      const sr = document.querySelector('#scoring-rationale');
      const header = document.querySelector('.brief-header .score');
      return {
        itemIds: items.map((li) => li.id),
        ids: [...ids],
        citeRefs,
        backlinks,
        rationale: sr ? sr.textContent.replace(/\s+/g, ' ').trim() : null,
        headerScore: header ? { value: header.querySelector('.score-value')?.textContent.trim(), band: header.querySelector('.score-band')?.textContent.trim() } : null,
      };
    });
    const ids = new Set(s.ids);
    if (s.itemIds.length === 0) problems.push('no `#sources ol.sources > li` items');
    s.itemIds.forEach((id, i) => { if (id !== `source-${i + 1}`) problems.push(`source item ${i + 1} has id "${id}", expected "source-${i + 1}"`); });
    const sourceIds = new Set(s.itemIds);
    if (s.citeRefs.length === 0) problems.push('no a.cite-ref citations in the body');
    const citeIds = new Set(s.citeRefs.map((c) => c.id).filter(Boolean));
    for (const c of s.citeRefs) {
      const m = /^#(source-\d+)$/.exec(c.href || '');
      if (!m) problems.push(`a.cite-ref#${c.id} href="${c.href}" is not #source-N`);
      else if (!sourceIds.has(m[1])) problems.push(`a.cite-ref#${c.id} href="${c.href}" has no matching source list item`);
      if (!c.id) problems.push(`a.cite-ref href="${c.href}" has no id for a backlink to return to`);
    }
    const backTargets = new Set();
    for (const b of s.backlinks) {
      const id = (b.href || '').replace(/^#/, '');
      backTargets.add(id);
      if (!b.href?.startsWith('#') || !ids.has(id)) problems.push(`a.backlink href="${b.href}" (in ${b.inItem}) points at no element`);
      else if (!citeIds.has(id)) problems.push(`a.backlink href="${b.href}" (in ${b.inItem}) points at an element that is not an a.cite-ref`);
      else {
        const cite = s.citeRefs.find((c) => c.id === id);
        if (cite && b.inItem && cite.href !== `#${b.inItem}`) problems.push(`a.backlink href="${b.href}" in ${b.inItem} returns to a citation of ${cite.href}`);
      }
    }
    for (const id of citeIds) if (!backTargets.has(id)) problems.push(`citation a.cite-ref#${id} has no backlink from its source`);
    const exp = expectedScore() || (s.headerScore && { ...s.headerScore, fromHeader: true });
    if (s.rationale == null) problems.push('no #scoring-rationale section');
    else if (!exp) problems.push('could not determine the expected score');
    else {
      if (!s.rationale.includes(exp.value)) problems.push(`#scoring-rationale does not show the score ${exp.value}`);
      if (!exp.band || !s.rationale.includes(exp.band)) problems.push(`#scoring-rationale does not show the band ${exp.band}`);
      if (exp.fromHeader) note('expected score read from the page header (front matter or site.yaml not parseable)');
    }
    if (s.headerScore && exp && !exp.fromHeader && (s.headerScore.value !== exp.value || s.headerScore.band !== exp.band)) problems.push(`header score ${s.headerScore.value} ${s.headerScore.band} differs from the expected ${exp.value} ${exp.band}`);
    problems.length || note(`[${build.name}] brief has ${s.itemIds.length} sources, ${s.citeRefs.length} citations, ${s.backlinks.length} backlinks; rationale shows ${exp.value} ${exp.band}`);

    // Following a citation lands on its source; the backlink lands back on the citation.
    const first = s.citeRefs[0];
    if (first) {
      await page.click(`a.cite-ref[id="${first.id}"]`);
      await page.waitForFunction((h) => location.hash === h, first.href, { timeout: 3000 }).catch(() => problems.push(`clicking citation ${first.id} did not navigate to ${first.href}`));
      const back = page.locator(`${first.href} a.backlink[href="#${first.id}"]`);
      if (await back.count()) {
        await back.first().click();
        await page.waitForFunction((h) => location.hash === h, `#${first.id}`, { timeout: 3000 }).catch(() => problems.push(`clicking the backlink did not return to #${first.id}`));
      }
    }
  } catch (e) {
    problems.push(`could not check the brief: ${e.message.split('\n')[0]}`);
  }
  record(`[${build.name}] brief ${rel(url)}: sources source-1..n, citations and backlinks resolve, scoring rationale shows score and band`, problems);

  // Screenshots of the index and the brief, desktop and mobile.
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const shots = [];
  for (const mobile of [false, true]) {
    const c = await newContext(browser, build, { mobile });
    const p = await c.newPage();
    for (const [label, u] of [['index', build.prefix], ['brief', `${build.prefix}briefs/${BRIEF_SLUG}/`]]) {
      await p.goto(new URL(u, build.origin).href, { waitUntil: 'networkidle' });
      const file = path.join(ARTIFACTS, `${build.name}-${label}-${mobile ? 'mobile' : 'desktop'}.png`);
      await p.screenshot({ path: file, fullPage: true });
      shots.push(path.relative(REPO, file));
    }
    await c.close();
  }
  note(`[${build.name}] screenshots: ${shots.join(', ')}`);
  await ctx.close();
}

// ---------------------------------------------------------------- search

async function search(browser, build) {
  section(`[${build.name}] search`);
  if (!fs.existsSync(path.join(build.dir, 'search', 'index.html'))) { skip(`[${build.name}] search`, `${build.prefix}search/ not built yet`); return; }
  const ctx = await newContext(browser, build);
  const page = await ctx.newPage();
  const url = new URL(`${build.prefix}search/`, build.origin).href;
  for (const { query, slug } of SEARCHES) {
    const watch = watchPage(page, build);
    const problems = watch.problems;
    const want = `${build.prefix}briefs/${slug}/`;
    try {
      await page.goto(url, { waitUntil: 'networkidle' });
      const input = page.locator('#search-input');
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await input.click();
      await input.pressSequentially(query, { delay: 25 });
      try {
        await page.waitForFunction((want) => [...document.querySelectorAll('#search-results a[href]')].some((a) => new URL(a.href).pathname === want), want, { timeout: 5000 });
      } catch {
        const got = await page.evaluate(() => {
          const box = document.querySelector('#search-results');
          if (!box) return 'no #search-results element';
          const hrefs = [...box.querySelectorAll('a[href]')].map((a) => new URL(a.href).pathname);
          return hrefs.length ? `results: ${hrefs.join(', ')}` : `no result links; #search-results says "${box.textContent.replace(/\s+/g, ' ').trim().slice(0, 120)}"`;
        });
        problems.push(`typing "${query}" into #search-input gave no result link to ${want} within 5 s (${got})`);
      }
      // Following the result must land on the brief.
      for (const a of await page.locator('#search-results a[href]').all()) {
        if (new URL(await a.evaluate((e) => e.href)).pathname === want) {
          await Promise.all([page.waitForURL((u) => u.pathname === want, { timeout: 5000 }), a.click()]);
          break;
        }
      }
    } catch (e) {
      problems.push(`search failed: ${e.message.split('\n')[0]}`);
    }
    page.removeAllListeners();
    record(`[${build.name}] search: typing "${query}" finds ${want} and the result opens it`, problems);
  }
  await ctx.close();
}

// ---------------------------------------------------------------- feeds and sitemap

function xmlDecode(s) {
  return s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (m, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e.toLowerCase()] ?? (e[1] === 'x' || e[1] === 'X' ? String.fromCodePoint(parseInt(e.slice(2), 16)) : String.fromCodePoint(+e.slice(1)))));
}

async function checkUrls(build, label, urls) {
  const problems = [];
  for (const { url, what } of urls) {
    if (!url) { problems.push(`${what}: empty URL`); continue; }
    if (!url.startsWith(build.baseUrl)) { problems.push(`${what}: ${url} is not under base_url ${build.baseUrl}`); continue; }
    const local = toLocal(build, url);
    const st = await fetchStatus(withoutHash(local.href));
    if (st.status !== 200) problems.push(`${what}: ${url} -> ${rel(local.href)} answered ${st.status ? 'HTTP ' + st.status : st.error}`);
  }
  record(`[${build.name}] ${label}: all ${urls.length} URLs resolve`, problems);
}

/** Links inside a feed entry's HTML content, resolved against its base, must resolve, anchors included. */
async function contentLinks(build, pages, where, html, base, problems) {
  for (const m of html.matchAll(/\b(?:href|src)\s*=\s*"([^"]*)"/g)) {
    const raw = xmlDecode(m[1]);
    if (/^(mailto|tel|data|javascript):/i.test(raw)) continue;
    let abs;
    try { abs = new URL(raw, base); } catch { problems.push(`${where}: unparseable URL "${raw}"`); continue; }
    const local = toLocal(build, abs.href);
    if (!local) continue;
    const target = withoutHash(local.href);
    const st = await fetchStatus(target);
    if (st.status !== 200) { problems.push(`${where}: content link "${raw}" -> ${abs.href} answered ${st.status ? 'HTTP ' + st.status : st.error}`); continue; }
    const frag = local.hash ? decodeURIComponent(local.hash.slice(1)) : '';
    const ids = pages.get(target)?.ids;
    if (frag && ids && !ids.has(frag)) problems.push(`${where}: content link "${raw}" -> ${abs.href}: no id "${frag}" on that page`);
  }
}

async function feeds(build, pages) {
  section(`[${build.name}] feeds and sitemap`);
  const xmlFiles = walk(build.dir).filter((f) => f.endsWith('.xml')).sort();
  for (const name of ['atom.xml', 'sitemap.xml']) if (!fs.existsSync(path.join(build.dir, name))) skip(`[${build.name}] ${name}`, 'not built yet');
  for (const f of xmlFiles) {
    const r = spawnSync('xmllint', ['--noout', '--nonet', f], { encoding: 'utf8' });
    record(`[${build.name}] ${path.relative(build.dir, f)} is well-formed XML (xmllint)`, r.status === 0 ? [] : [(r.stderr || r.error?.message || `exit ${r.status}`).trim()]);
  }

  const sitemap = path.join(build.dir, 'sitemap.xml');
  if (fs.existsSync(sitemap)) {
    const text = fs.readFileSync(sitemap, 'utf8');
    const locs = [...text.matchAll(/<loc>\s*([^<]*?)\s*<\/loc>/g)].map((m) => ({ url: xmlDecode(m[1]), what: 'sitemap <loc>' }));
    if (!locs.length) record(`[${build.name}] sitemap.xml lists URLs`, ['no <loc> elements']);
    await checkUrls(build, 'sitemap.xml <loc>', locs);
    // Every built page (but the 404 page) should be in the sitemap.
    const listed = new Set(locs.map((l) => toLocal(build, l.url)?.pathname));
    const missing = walk(build.dir).filter((f) => f.endsWith('.html'))
      .map((f) => build.prefix + path.relative(build.dir, f).split(path.sep).join('/').replace(/(^|\/)index\.html$/, '$1'))
      .filter((p) => !listed.has(p) && !p.endsWith('404.html'));
    if (missing.length) note(`[${build.name}] built pages missing from sitemap.xml: ${missing.join(', ')}`);
  }

  const atomFiles = xmlFiles.filter((f) => /<feed\b[^>]*http:\/\/www\.w3\.org\/2005\/Atom/.test(fs.readFileSync(f, 'utf8')));
  for (const f of atomFiles) {
    const text = fs.readFileSync(f, 'utf8');
    const urls = [];
    const problems = [];
    if (!/<feed\b[^>]*xmlns="http:\/\/www\.w3\.org\/2005\/Atom"/.test(text)) problems.push('root is not <feed xmlns="http://www.w3.org/2005/Atom">');
    const entries = [...text.matchAll(/<entry\b[\s\S]*?<\/entry>/g)].map((m) => m[0]);
    const head = text.replace(/<entry\b[\s\S]*?<\/entry>/g, '');
    for (const l of head.matchAll(/<link\b([^>]*)>/g)) {
      const href = /\bhref="([^"]*)"/.exec(l[1])?.[1];
      const relv = /\brel="([^"]*)"/.exec(l[1])?.[1] || 'alternate';
      if (href) urls.push({ url: xmlDecode(href), what: `feed <link rel="${relv}">` });
    }
    const contentProblems = [];
    const feedBase = /<feed\b[^>]*\bxml:base="([^"]*)"/.exec(text)?.[1];
    for (const [i, e] of entries.entries()) {
      const base = xmlDecode(/<entry\b[^>]*\bxml:base="([^"]*)"/.exec(e)?.[1] || feedBase || build.baseUrl);
      for (const c of e.matchAll(/<(content|summary)\b[^>]*type="(?:html|xhtml)"[^>]*>([\s\S]*?)<\/\1>/g)) {
        await contentLinks(build, pages, `entry ${i + 1} <${c[1]}>`, xmlDecode(c[2]), base, contentProblems);
      }
    }
    entries.forEach((e, i) => {
      const links = [...e.matchAll(/<link\b([^>]*)>/g)].map((l) => ({ href: /\bhref="([^"]*)"/.exec(l[1])?.[1], rel: /\brel="([^"]*)"/.exec(l[1])?.[1] || 'alternate' }));
      const alt = links.filter((l) => l.rel === 'alternate');
      if (!alt.length) problems.push(`entry ${i + 1} has no <link rel="alternate" href>`);
      for (const l of links) if (l.href) urls.push({ url: xmlDecode(l.href), what: `entry ${i + 1} <link rel="${l.rel}">` });
      for (const tag of ['id', 'title', 'updated']) if (!new RegExp(`<${tag}\\b`).test(e)) problems.push(`entry ${i + 1} has no <${tag}>`);
    });
    for (const tag of ['id', 'title', 'updated']) if (!new RegExp(`<${tag}\\b`).test(head)) problems.push(`feed has no <${tag}>`);
    const label = path.relative(build.dir, f);
    record(`[${build.name}] ${label}: Atom feed/entry required elements (${entries.length} entries)`, problems);
    await checkUrls(build, `${label} links`, urls);
    record(`[${build.name}] ${label}: links inside entry content resolve (relative ones against xml:base)`, contentProblems);
  }

  const robots = path.join(build.dir, 'robots.txt');
  if (fs.existsSync(robots)) {
    const maps = [...fs.readFileSync(robots, 'utf8').matchAll(/^\s*sitemap:\s*(\S+)/gim)].map((m) => ({ url: m[1], what: 'robots.txt Sitemap:' }));
    await checkUrls(build, 'robots.txt Sitemap: lines', maps);
  }

  const jf = path.join(build.dir, 'feed.json');
  if (!fs.existsSync(jf)) { skip(`[${build.name}] feed.json`, 'not built yet'); }
  for (const f of walk(build.dir).filter((x) => path.basename(x) === 'feed.json').sort()) {
    const label = path.relative(build.dir, f);
    const problems = [];
    let feed;
    try { feed = JSON.parse(fs.readFileSync(f, 'utf8')); } catch (e) { record(`[${build.name}] ${label} is JSON`, [e.message]); continue; }
    if (feed.version !== 'https://jsonfeed.org/version/1.1') problems.push(`version is ${JSON.stringify(feed.version)}, expected "https://jsonfeed.org/version/1.1"`);
    if (typeof feed.title !== 'string' || !feed.title) problems.push('title missing or not a non-empty string');
    if (!Array.isArray(feed.items)) problems.push('items missing or not an array');
    const urls = [];
    const contentJobs = [];
    for (const k of ['home_page_url', 'feed_url']) {
      if (feed[k] == null) console.log(`WARN [${build.name}] ${label}: ${k} missing (recommended by JSON Feed 1.1)`);
      else if (typeof feed[k] !== 'string') problems.push(`${k} is not a string`);
      else urls.push({ url: feed[k], what: k });
    }
    if (typeof feed.feed_url === 'string' && toLocal(build, feed.feed_url)?.pathname !== build.prefix + label.split(path.sep).join('/')) problems.push(`feed_url ${feed.feed_url} is not this file's URL`);
    (Array.isArray(feed.items) ? feed.items : []).forEach((it, i) => {
      if (typeof it.id !== 'string' || !it.id) problems.push(`item ${i + 1}: id missing or not a non-empty string (${JSON.stringify(it.id)})`);
      const hasHtml = typeof it.content_html === 'string', hasText = typeof it.content_text === 'string';
      if (!hasHtml && !hasText) problems.push(`item ${i + 1} (${it.id}): neither content_html nor content_text`);
      if (it.url != null) urls.push({ url: it.url, what: `item ${i + 1} url` });
      if (hasHtml) contentJobs.push([`item ${i + 1} content_html`, it.content_html, typeof it.url === 'string' ? it.url : build.baseUrl]);
      if (it.date_published != null && Number.isNaN(Date.parse(it.date_published))) problems.push(`item ${i + 1}: date_published ${it.date_published} is not RFC 3339`);
    });
    record(`[${build.name}] ${label}: JSON Feed 1.1 required fields (${feed.items?.length ?? 0} items)`, problems);
    await checkUrls(build, `${label} URLs`, urls);
    const contentProblems = [];
    for (const [where, html, base] of contentJobs) await contentLinks(build, pages, where, html, base, contentProblems);
    record(`[${build.name}] ${label}: links inside content_html resolve (relative ones against the item url)`, contentProblems);
  }
}

// ---------------------------------------------------------------- a large site

// Every page of a large site must stay small: a reader pays for each byte.
const MAX_PAGE_BYTES = 100_000;
const LIGHTHOUSE_CLI = path.join(path.dirname(require.resolve('lighthouse/package.json')), 'cli', 'index.js');

/** Lighthouse's performance score (0–1) of `url`, with its audits that explain it. */
function lighthouse(url, preset) {
  const out = path.join(ARTIFACTS, `lighthouse-${preset}.json`);
  const args = [LIGHTHOUSE_CLI, url, '--only-categories=performance', '--output=json', `--output-path=${out}`, '--quiet',
    '--chrome-flags=--headless=new --no-sandbox --disable-gpu'];
  if (preset === 'desktop') args.push('--preset=desktop');
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, CHROME_PATH: CHROMIUM }, timeout: 180_000 });
  if (r.status !== 0) return { error: `lighthouse exited ${r.status ?? r.signal}: ${short(r.stderr || r.error?.message, 400)}` };
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  const audit = (id) => `${id} ${report.audits[id]?.displayValue ?? '?'}`;
  return {
    score: report.categories.performance.score,
    why: ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index'].map(audit).join(', '),
  };
}

async function largeSite(browser, large) {
  section(`[large] the largest term page of ${large.dir}`);
  const pages = ['tags', 'entities'].flatMap((t) => walk(path.join(large.dir, t))).filter((f) => f.endsWith('.html'));
  const [file, size] = pages.map((f) => [f, fs.statSync(f).size]).reduce((a, b) => (b[1] > a[1] ? b : a));
  const sitePath = large.prefix + path.relative(large.dir, file).split(path.sep).join('/').replace(/index\.html$/, '');
  note(`[large] ${pages.length} term pages; the largest is ${sitePath} at ${size} bytes`);
  record(`[large] the largest term page ${sitePath} is under ${MAX_PAGE_BYTES} bytes (${size})`, size < MAX_PAGE_BYTES ? [] : [`${size} bytes`]);
  // The desktop preset is asserted. The mobile one multiplies the main thread's time by
  // four, so on a shared two-core machine its Total Blocking Time follows the machine's
  // load more than the page; it is reported, not asserted.
  const url = new URL(sitePath, large.origin).href;
  // Its summarised score history and pagination pass axe like the sample's pages.
  const ctx = await newContext(browser, large);
  const page = await ctx.newPage();
  const watch = watchPage(page, large);
  try {
    await page.goto(url, { waitUntil: 'load', timeout: 20000 });
    const r = await runAxe(page);
    watch.problems.push(...describeViolations(r.violations));
  } catch (e) {
    watch.problems.push(`axe failed: ${e.message.split('\n')[0]}`);
  }
  record(`[large] axe: ${sitePath} has no violations`, watch.problems);
  await ctx.close();
  const desktop = lighthouse(url, 'desktop');
  record(`[large] Lighthouse (desktop) scores ${sitePath} 100 for performance (got ${desktop.score == null ? '?' : Math.round(desktop.score * 100)}: ${desktop.why ?? ''})`,
    desktop.error ? [desktop.error] : desktop.score === 1 ? [] : [`performance ${Math.round(desktop.score * 100)}: ${desktop.why}`]);
  const mobile = lighthouse(url, 'mobile');
  note(`[large] Lighthouse (mobile, simulated 4x CPU slowdown) scores ${sitePath} ${mobile.error ?? Math.round(mobile.score * 100)}${mobile.why ? ` (${mobile.why})` : ''}`);
}

// The large site is built with `search: { counts_kb: 20 }` (run.sh): a query spread over its
// ten rows files counts its tags from a sample of them. What a reader sees: estimates marked
// "≈" and said to be, fetched within the budget; "Count all" gives exact counts, each of which
// is what that tag's own filter then finds; axe passes with the estimates shown.
const LARGE_QUERY = 'supply';
async function largeSearch(browser, large) {
  section(`[large] tag counts estimated from a sample, then counted exactly`);
  const facets = JSON.parse(fs.readFileSync(path.join(large.dir, 'search', 'facets.json'), 'utf8'));
  const ctx = await newContext(browser, large);
  const page = await ctx.newPage();
  const watch = watchPage(page, large);
  const problems = watch.problems;
  const rows = [];
  page.on('response', async (r) => {
    if (/\/search\/r\/\d+\.json\.gz$/.test(r.url())) rows.push((await r.body()).length);
  });
  const counts = () => page.$$eval('#search-facets details[data-kind=tag] .search-facet-value', (buttons) =>
    buttons.map((b) => [b.firstChild.textContent, b.querySelector('.search-facet-count').textContent.trim()]));
  try {
    await page.goto(new URL(`${large.prefix}search/?q=${LARGE_QUERY}`, large.origin).href, { waitUntil: 'networkidle' });
    const status = await page.locator('#search-status').textContent();
    const total = Number(status.match(/^(\d+) briefs match/)?.[1]);
    if (!total) throw new Error(`the status says "${status}"`);
    await page.locator('#search-facets details[data-kind=tag] summary').click();
    const estimate = page.locator('#search-facets details[data-kind=tag] .search-facet-note');
    await estimate.filter({ hasText: 'Estimated' }).waitFor({ timeout: 10000 });
    const said = (await estimate.textContent()).match(/Estimated from (\d+) of the (\d+) results/);
    if (!said || Number(said[2]) !== total || !(Number(said[1]) < total)) problems.push(`the note says "${await estimate.textContent()}" for ${total} results`);
    const fetched = rows.reduce((a, b) => a + b, 0);
    const sampled = rows.length;
    if (!rows.length || fetched > facets.budget) problems.push(`the estimate fetched ${rows.length} rows files, ${fetched} bytes, for a budget of ${facets.budget}`);
    if (rows.length >= facets.rowBytes.length) problems.push(`the estimate read all ${rows.length} rows files`);
    const estimated = new Map((await counts()).map(([tag, n]) => [tag, n]));
    if (![...estimated.values()].every((n) => /^≈\d+$/.test(n.replace(/about /, '')))) problems.push(`estimates not marked ≈: ${[...estimated.values()].slice(0, 5).join(', ')}`);
    const axe = await runAxe(page);
    problems.push(...describeViolations(axe.violations));
    await page.locator('#search-facets details[data-kind=tag] .search-facet-all').click();
    await estimate.waitFor({ state: 'detached', timeout: 10000 });
    const focused = await page.evaluate(() => document.activeElement?.closest('details')?.getAttribute('data-kind') + ' ' + document.activeElement?.tagName);
    if (focused !== 'tag SUMMARY') problems.push(`after "Count all" the focus is on ${focused}, not the tags' summary`);
    const exact = (await counts()).map(([tag, n]) => [tag, Number(n)]);
    if (!exact.length || exact.some(([, n]) => !Number.isInteger(n))) problems.push(`exact counts: ${exact.slice(0, 5).join(', ')}`);
    // Every tag held by more than 2% of the results is in the estimate, within four standard
    // deviations of a random sample of that many results (plus the rounding to two digits).
    const seen = Number(said?.[1]);
    const number = (text) => Number(String(text ?? '').replace(/[^\d]/g, ''));
    let worst = 0;
    for (const [tag, n] of exact.filter(([, n]) => n > total / 50)) {
      const e = number(estimated.get(tag));
      const sd = Math.sqrt(n * (1 - n / total) * (total - seen) / seen);
      const unit = n < 100 ? 1 : 10 ** (Math.floor(Math.log10(n)) - 1);
      worst = Math.max(worst, Math.abs(e - n) / n);
      if (!(Math.abs(e - n) <= 4 * sd + unit)) problems.push(`tag ${tag}: estimated ${estimated.get(tag)}, exactly ${n} (4 sd: ${Math.round(4 * sd)})`);
    }
    note(`[large] "${LARGE_QUERY}": ${total} results; tags estimated from ${seen} of them (${sampled} rows files, ${fetched} bytes), at most ${(worst * 100).toFixed(1)}% off, e.g. ${exact.slice(0, 3).map(([t, n]) => `${t} ≈${number(estimated.get(t))} / ${n}`).join(', ')}`);
    // The top tag's exact count is what its filter finds.
    const [tag, n] = exact[0];
    await page.locator('#search-facets details[data-kind=tag] .search-facet-value').first().click();
    await page.waitForFunction(() => /tagged/.test(document.getElementById('search-status').textContent), null, { timeout: 10000 });
    const filtered = await page.locator('#search-status').textContent();
    if (!filtered.startsWith(`${n} briefs match`)) problems.push(`tag ${tag} counted ${n}; its filter says "${filtered}"`);
  } catch (e) {
    problems.push(`large search failed: ${e.message.split('\n')[0]}`);
  }
  record(`[large] search "${LARGE_QUERY}": tag counts estimated within the rows budget, marked ≈, then counted exactly on request`, problems);
  await ctx.close();
}

// ---------------------------------------------------------------- Nu Html Checker

function startVnu(builds) {
  const args = ['-Xss1m', '-jar', VNU_JAR, '--errors-only', '--skip-non-html', '--format', 'json', ...builds.map((b) => b.dir)];
  const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  return new Promise((resolve) => {
    child.on('error', (e) => resolve({ code: -1, out, err: String(e) }));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

async function reportVnu(builds, pending) {
  section('Nu Html Checker (vnu.jar --errors-only)');
  const { code, out, err } = await pending;
  let messages;
  try { messages = JSON.parse((out + err).trim().match(/\{[\s\S]*\}$/)?.[0] || '{}').messages; } catch { messages = undefined; }
  if (!Array.isArray(messages)) { record('Nu Html Checker ran', [`exit ${code}: ${short(out + err, 600)}`]); return; }
  const byFile = new Map();
  for (const m of messages) {
    if (m.type !== 'error' && !(m.type === 'non-document-error')) continue;
    const file = m.url ? fileURLToPath(m.url) : '(unknown)';
    if (!byFile.has(file)) byFile.set(file, []);
    const where = m.lastLine ? `line ${m.firstLine ?? m.lastLine}:${m.firstColumn ?? ''}` : '';
    byFile.get(file).push(`${where} ${m.message}${m.extract ? `\n  extract: ${short(m.extract, 160)}` : ''}`.trim());
  }
  for (const b of builds) {
    const files = walk(b.dir).filter((f) => f.endsWith('.html')).sort();
    let failed = 0;
    for (const f of files) {
      const errs = byFile.get(f) || [];
      if (errs.length) { failed++; record(`[${b.name}] vnu: ${path.relative(b.dir, f)}`, errs); }
      byFile.delete(f);
    }
    record(`[${b.name}] vnu: ${files.length - failed} of ${files.length} HTML files have no errors`, failed ? [`${failed} files with errors (listed above)`] : []);
  }
  for (const [f, errs] of byFile) record(`vnu: ${f}`, errs);
}

// ---------------------------------------------------------------- main

async function main() {
  const { builds, large } = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  const vnu = startVnu(builds);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    for (const [i, build] of builds.entries()) {
      const pages = await crawl(browser, build);
      // Contrast and reflow do not depend on the base URL: the dark and mobile variants run on the first build only.
      await axeTemplates(browser, build, pages, { variants: i === 0 ? [{}, { dark: true }, { mobile: true }] : [{}] });
      await notFoundPage(browser, build);
      await briefStructure(browser, build);
      await search(browser, build);
      await feeds(build, pages);
    }
    if (large) {
      await largeSite(browser, large);
      await largeSearch(browser, large);
    }
  } finally {
    await browser.close();
  }
  await reportVnu(builds, vnu);
  const failed = results.filter((r) => !r.ok).length;
  console.log(`\nchecks took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (failed) {
    console.log('\nFailed:');
    for (const r of results.filter((x) => !x.ok)) console.log(`  ${r.name}`);
  }
  console.log(`\nbrowser: ${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  console.error(`harness error: ${e.stack || e}`);
  const passed = results.filter((r) => r.ok).length;
  console.log(`\nbrowser: ${passed} passed, ${results.length - passed + 1} failed`);
  process.exitCode = 2;
});
