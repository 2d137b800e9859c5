// Save-to-screen latency of `briefs serve` in a real browser (issue 14), run by
// benches/reload.sh: opens a brief's page in headless Chromium, then saves the brief
// SAVES times (a temporary file renamed over it, as editors save), each with a new
// last paragraph, and times each save from the rename to the first frame the
// browser draws after live reload brought the edited page in, and to the moment
// that reload began (the page's navigation start).
//
//   node benches/reload.mjs --url URL --file BRIEF.md [--saves 20]
//
// Prints one line per save and the median and maximum. Measures; never asserts
// a time (it fails only when the edit does not show up).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

// playwright-core is installed for the browser tests.
const require = createRequire(new URL('../tests/browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');

function parseArgs(argv) {
  const args = { saves: 20 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--url') args.url = value;
    else if (flag === '--file') args.file = value;
    else if (flag === '--saves') args.saves = Number(value);
    else throw new Error(`unknown argument ${flag}`);
  }
  if (!args.url || !args.file || !(args.saves > 0)) {
    throw new Error('usage: node benches/reload.mjs --url URL --file BRIEF.md [--saves N]');
  }
  return args;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const { url, file, saves } = parseArgs(process.argv.slice(2));
  const original = fs.readFileSync(file, 'utf8');
  const swap = path.join(path.dirname(file), `.${path.basename(file)}.swp`);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const times = [];
  const reloads = [];
  try {
    const page = await browser.newPage();
    const response = await page.goto(url, { waitUntil: 'load' });
    if (!response || response.status() !== 200) {
      throw new Error(`${url}: HTTP ${response && response.status()}`);
    }
    // Live reload's connection is opened by the page's script once loaded.
    await sleep(1000);
    for (let i = 1; i <= saves; i++) {
      const marker = `Edit ${i} of the reload benchmark.`;
      fs.writeFileSync(swap, `${original}\n\n${marker}\n`);
      const saved = Date.now();
      fs.renameSync(swap, file);
      // The first page load that shows the edit (a reload that came before
      // the edited page was written would not).
      let shown = null;
      while (!shown) {
        await page.waitForEvent('load', { timeout: 30000 });
        shown = await page.evaluate(
          (text) =>
            new Promise((resolve) => {
              if (!document.body.innerText.includes(text)) {
                resolve(null);
                return;
              }
              // requestAnimationFrame runs just before the next frame is
              // drawn, the timeout right after it.
              requestAnimationFrame(() =>
                setTimeout(
                  () =>
                    resolve({
                      reload: performance.timeOrigin,
                      frame: performance.timeOrigin + performance.now(),
                    }),
                  0,
                ),
              );
            }),
          marker,
        );
      }
      const total = Math.round(shown.frame - saved);
      const reload = Math.round(shown.reload - saved);
      times.push(total);
      reloads.push(reload);
      console.log(`save ${i}: on screen ${total} ms after the save (the reload began at ${reload} ms)`);
      await sleep(400);
    }
  } finally {
    fs.writeFileSync(swap, original);
    fs.renameSync(swap, file);
    await browser.close();
  }
  const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
  console.log(
    `on screen after a save: median ${median(times)} ms, max ${Math.max(...times)} ms, min ${Math.min(...times)} ms ` +
      `(${saves} saves); the reload began at a median ${median(reloads)} ms, so the page took ${median(times) - median(reloads)} ms to load and draw`,
  );
}

main().catch((e) => {
  console.error(`reload.mjs: ${e.message}`);
  process.exit(1);
});
