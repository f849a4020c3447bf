// First render: the time from the navigation's start to the first paint of the app (its
// welcome panel in the DOM), over seven fresh page loads with nothing cached, from the
// release build served on 127.0.0.1. Prints the seven times and their median, and one JSON
// line. For scripts/bench.sh.
// usage: node scripts/bench_first_render.mjs [DIST]
import path from 'node:path'; import http from 'node:http'; import fs from 'node:fs';
const { chromium } = await import('file://' + path.resolve('tests/e2e/node_modules/playwright-core/index.mjs'));
const dist = path.resolve(process.argv[2] || 'dist');
const types = {'.html':'text/html','.js':'text/javascript','.wasm':'application/wasm','.css':'text/css','.svg':'image/svg+xml'};
const server = http.createServer((req, res) => { let f = path.join(dist, decodeURIComponent(new URL(req.url, 'http://x').pathname)); if (fs.existsSync(f) && fs.statSync(f).isDirectory()) f = path.join(f, 'index.html'); if (!fs.existsSync(f)) return res.writeHead(404).end(); res.setHeader('content-type', types[path.extname(f)] || 'application/octet-stream'); res.end(fs.readFileSync(f)); }).listen(0, '127.0.0.1');
await new Promise(r => server.on('listening', r));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const times = [];
for (let i = 0; i < 7; i++) {
  const context = await browser.newContext(); const page = await context.newPage();
  await page.addInitScript(() => { new MutationObserver((_, o) => { if (document.querySelector('[data-testid=welcome]')) { window.__first = performance.now(); o.disconnect(); } }).observe(document, { subtree: true, childList: true }); });
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector('[data-testid=welcome]');
  times.push(Math.round(await page.evaluate(() => window.__first)));
  await context.close();
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ first_render_ms: times, median_ms: times[3] }));
await browser.close(); server.close();
