// Typing into the table of domains' search with a large session loaded: the release build in
// headless Chromium loads the reports of a folder (zips, as bench.sh makes them), then types a
// domain name into the search, a key every 30 ms, as a person would. Prints, as one JSON line:
// the time from the last key until the table shows only the matching rows and the page says
// it answers what it shows (`search_ms`), the longest main-thread task from the first key to
// then (`longest_task_ms`), and how many view requests the page sent while typing against how
// many models it drew. Then nine filter changes in the same page, one domain and none in turn:
// each from the change of the URL fragment to the new report count (`filter_ms`; the medians
// `to_domain_ms` and `to_none_ms`; the longest task meanwhile). Several DIST folders are measured one
// after the other in this run, so that a change can be measured side by side with the build
// before it.
// usage: node scripts/bench_search.mjs --dir DIR --reports N [--type TEXT] DIST...
import path from 'node:path'; import http from 'node:http'; import fs from 'node:fs';
const { chromium } = await import('file://' + path.resolve('tests/e2e/node_modules/playwright-core/index.mjs'));

const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(name); if (i < 0) return fallback; const [value] = args.splice(i, 2).slice(1); return value; };
const dir = option('--dir');
const reports = Number(option('--reports'));
const typed = option('--type', 'shop-00.example');
const dists = args.length ? args : ['dist'];
// Filter changes after the search: the first to one domain, then none, and so on.
const FILTER_CHANGES = 9;
if (!dir || !reports) { console.error('usage: node scripts/bench_search.mjs --dir DIR --reports N [--type TEXT] DIST...'); process.exit(2); }
const files = fs.readdirSync(dir).filter((f) => !f.startsWith('.')).sort().map((f) => path.join(dir, f));

const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };
function serve(dist) {
  const server = http.createServer((req, res) => {
    let f = path.join(dist, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!f.startsWith(dist)) return res.writeHead(403).end();
    if (fs.existsSync(f) && fs.statSync(f).isDirectory()) f = path.join(f, 'index.html');
    if (!fs.existsSync(f)) return res.writeHead(404).end();
    res.setHeader('content-type', types[path.extname(f)] || 'application/octet-stream');
    res.end(fs.readFileSync(f));
  }).listen(0, '127.0.0.1');
  return new Promise((resolve) => server.on('listening', () => resolve(server)));
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const results = [];
for (const dist of dists.map((d) => path.resolve(d))) {
  const server = await serve(dist);
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector('[data-testid=welcome]');
  // Count the view requests the page posts and the models it is sent.
  await page.evaluate(() => {
    window.__posted = 0; window.__models = 0;
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (message, ...rest) {
      if (Array.isArray(message) && message[0] && typeof message[0] === 'object' && 'view' in message[0]) window.__posted++;
      return post.call(this, message, ...rest);
    };
  });
  const started = Date.now();
  await page.setInputFiles('[data-testid=file-input]', files);
  const count = reports.toLocaleString('en-US');
  await page.waitForFunction((n) => document.querySelector('[data-testid=overview-reports]')?.textContent.trim() === n, count, { timeout: 1_800_000 });
  await page.waitForSelector('.app[data-synced=true]', { timeout: 600_000 });
  const load_ms = Date.now() - started;
  await page.waitForSelector('[data-testid=domains-search]');
  await page.evaluate(() => {
    window.__longest = 0; window.__watching = true;
    new PerformanceObserver((list) => { for (const e of list.getEntries()) if (window.__watching) window.__longest = Math.max(window.__longest, e.duration); }).observe({ type: 'longtask' });
    document.querySelector('[data-testid=domains-search]').addEventListener('input', () => { window.__lastKey = performance.now(); });
    window.__posted = 0;
  });
  await page.focus('[data-testid=domains-search]');
  await page.keyboard.type(typed, { delay: 30 });
  // From the last key: every row drawn matches, and the page answers what it shows.
  const search_ms = await page.evaluate((text) => new Promise((resolve) => {
    const check = () => {
      const rows = [...document.querySelectorAll('[data-testid=domains-table] tbody tr')];
      const synced = document.querySelector('.app')?.dataset.synced === 'true';
      if (synced && rows.length > 0 && rows.every((row) => row.querySelector('th')?.innerText.includes(text))) {
        window.__watching = false;
        resolve(performance.now() - window.__lastKey);
      } else requestAnimationFrame(check);
    };
    check();
  }), typed);
  const figures = await page.evaluate(() => ({ longest: window.__longest, posted: window.__posted }));
  const rows = await page.locator('[data-testid=domains-table] tbody tr').count();
  // Filter changes in the same page, one domain and none in turn (one alone is noisy on a
  // 2-core machine): each from the change of the URL fragment until the report count changes,
  // as drive.mjs's filter_ms; the next once the page answers what it shows.
  const filter_ms = [];
  await page.evaluate(() => { window.__longest = 0; window.__watching = true; });
  for (let i = 0; i < FILTER_CHANGES; i++) {
    // (An empty fragment leaves the filter be: "domain=" names none.)
    const hash = i % 2 === 0 ? `domain=${typed}` : 'domain=';
    filter_ms.push(await page.evaluate((hash) => new Promise((resolve) => {
      const before = document.querySelector('[data-testid=overview-reports]')?.textContent;
      const t0 = performance.now();
      location.hash = hash;
      const check = () => {
        if (document.querySelector('[data-testid=overview-reports]')?.textContent !== before) resolve(Math.round(performance.now() - t0));
        else requestAnimationFrame(check);
      };
      check();
    }), hash));
    console.error(`bench_search: filter ${JSON.stringify(hash)}: ${filter_ms.at(-1)} ms`);
    await page.waitForSelector('.app[data-synced=true]', { timeout: 600_000 });
  }
  const filter_longest_task_ms = Math.round(await page.evaluate(() => window.__longest));
  const median = (list) => [...list].sort((a, b) => a - b)[list.length >> 1];
  const to_domain_ms = median(filter_ms.filter((_, i) => i % 2 === 0));
  const to_none_ms = median(filter_ms.filter((_, i) => i % 2 === 1));
  results.push({ dist, reports, load_ms, typed, keys: typed.length, search_ms: Math.round(search_ms), longest_task_ms: Math.round(figures.longest), view_requests: figures.posted, rows, filter_ms, to_domain_ms, to_none_ms, filter_longest_task_ms });
  console.error(`bench_search: ${dist}: ${JSON.stringify(results.at(-1))}`);
  await context.close();
  server.close();
}
await browser.close();
console.log(JSON.stringify(results));
