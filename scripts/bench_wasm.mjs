// The engine's own work in the browser, for the side-by-side with the native engine on the
// same bytes (scripts/bench.sh). Serves the release build, drops every file of a folder on
// the page's file input, waits for the load to end, and prints one JSON line with what the
// worker measured (ui::load_timing): work_ms (moving the bytes into wasm memory, ingest,
// indexing: what bench_engine times as its session), diagnosis_ms, load_ms, and the reports.
// usage: node scripts/bench_wasm.mjs --dist DIR --dir FOLDER [--timeout-ms N]
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const { chromium } = await import(
  'file://' + path.resolve('tests/e2e/node_modules/playwright-core/index.mjs')
);
const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const dist = path.resolve(arg('dist', 'dist'));
const dir = path.resolve(arg('dir'));
const timeout = +arg('timeout-ms', 600000);
const files = fs.readdirSync(dir).sort().map((name) => path.join(dir, name));
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml' };

const server = http.createServer((req, res) => {
  let file = path.join(dist, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (!file.startsWith(dist)) return res.writeHead(403).end();
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (!fs.existsSync(file)) return res.writeHead(404).end();
  res.setHeader('content-type', types[path.extname(file)] || 'application/octet-stream');
  res.end(fs.readFileSync(file));
}).listen(0, '127.0.0.1');
await new Promise((resolve) => server.on('listening', resolve));

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector('[data-testid=file-input]', { state: 'attached' });
  await page.setInputFiles('[data-testid=file-input]', files);
  await page.waitForSelector('.app[data-work-ms]', { state: 'attached', timeout });
  const result = await page.evaluate(() => {
    const app = document.querySelector('.app');
    const number = (name) => Number(app.getAttribute(name));
    return {
      work_ms: number('data-work-ms'),
      diagnosis_ms: number('data-diagnosis-ms'),
      load_ms: number('data-load-ms'),
      reports: document.querySelector('[data-testid=overview-reports]')?.textContent.trim(),
    };
  });
  console.log(JSON.stringify({ dir, files: files.length, ...result }));
} finally {
  await browser.close();
  server.close();
}
