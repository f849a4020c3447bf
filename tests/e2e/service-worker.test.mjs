// End-to-end tests of the offline service worker (sw.js, stamped by scripts/stamp_sw.mjs):
// it never reaches another site through a redirect, it stores exactly the app's own files
// whatever the tab opens, and a new release replaces the old one so that offline starts keep
// working. Each test serves its own copy of dist/ from a server it controls.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { launch, watchedPage } from "./browser.mjs";
import { ROOT } from "./helpers.mjs";
import { startSite } from "./server.mjs";

/** A site whose /redir answers 302 to `site.redirectTo`. */
function serve(site) {
  site.routes = { "/redir": (_, res) => res.writeHead(302, { location: site.redirectTo }).end() };
  return startSite(site);
}

/** A copy of dist/ to serve. */
function copyOfDist() {
  const dir = mkdtempSync(join(tmpdir(), "tlsrpt-sw-"));
  cpSync(join(ROOT, "dist"), dir, { recursive: true });
  return dir;
}

/** The cache names and the paths stored in each, as the page sees them. */
async function storage(page) {
  return page.evaluate(async () => {
    const out = {};
    for (const name of await caches.keys()) {
      out[name] = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname).sort();
    }
    return out;
  });
}

/** The list sw.js was stamped with, as paths. */
function stampedShell(dir) {
  const source = readFileSync(join(dir, "sw.js"), "utf8");
  const cache = JSON.parse(/^const CACHE = (.*);$/m.exec(source)[1]);
  const shell = JSON.parse(/^const SHELL = (.*);$/m.exec(source)[1]);
  return { cache, paths: shell.map((name) => `/${name}`).sort() };
}

async function controlled(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
}

/** A new page with the app opened at `url` (the server's root by default), once the worker controls it. */
async function openControlled(server, url = server.url) {
  const opened = await watchedPage(browser, server.origin);
  await opened.page.goto(url);
  await opened.page.waitForSelector("[data-testid=welcome]");
  await controlled(opened.page);
  return opened;
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("the release's service worker is stamped with exactly the app's files", () => {
  const { cache, paths } = stampedShell(join(ROOT, "dist"));
  assert.match(cache, /^tlsrpt-viewer-[0-9a-f]{16}$/);
  const files = readdirSync(join(ROOT, "dist"));
  for (const built of files.filter((name) => /\.(wasm|js|css)$/.test(name) && name !== "sw.js")) {
    assert.ok(paths.includes(`/${built}`), `${built} is stored`);
  }
  for (const left of ["/sw.js", "/embed.html"]) assert.ok(!paths.includes(left), `${left} is not stored`);
  assert.ok(paths.every((path) => !path.startsWith("/samples")), "no report is stored");
});

test("with the worker in control, a same-origin redirect to another site reaches nobody", { timeout: 120_000 }, async () => {
  const other = await serve({ root: copyOfDist() });
  const site = { root: copyOfDist(), redirectTo: `${other.origin}/leak.json` };
  const server = await serve(site);
  const { page, context } = await openControlled(server);

  // ?src= names a same-origin file that redirects away: the page's CSP must be the judge.
  await page.goto(`${server.url}?src=redir`);
  await page.waitForSelector("[data-testid=welcome], [data-testid=overview-inputs]");
  await page.click("[data-testid=tab-inputs]").catch(() => {});
  await page.waitForTimeout(1500);
  assert.ok(server.requests.includes("/redir"), "the page asked for /redir");
  assert.deepEqual(other.requests, [], "the other site got no request");
  await context.close();
  await server.close();
  await other.close();
});

test("a host that sends /index.html to / still gets the app stored for offline use", { timeout: 120_000 }, async () => {
  const site = { root: copyOfDist(), redirectTo: "/" };
  const server = await serve(site);
  site.routes["/index.html"] = (_, res) => res.writeHead(301, { location: "/" }).end();
  const { page, context } = await openControlled(server);
  const expected = stampedShell(site.root);
  assert.deepEqual((await storage(page))[`${expected.cache} ${server.url}`], expected.paths);
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector("[data-testid=welcome]");
  await context.setOffline(false);
  await context.close();
  await server.close();
});

test("the cache holds the app's files only, whatever the tab opens", { timeout: 120_000 }, async () => {
  const site = { root: copyOfDist(), redirectTo: "/" };
  const server = await serve(site);
  const { page, context } = await openControlled(server);
  const expected = stampedShell(site.root);

  // The footer's notice, a report opened as a page, a report preloaded with ?src=.
  await page.goto(`${server.url}DEMO-NOTICE.txt`);
  await page.goto(`${server.url}samples/mail.ru.json`);
  await page.goto(`${server.url}?src=samples/mail.ru.json`);
  await page.waitForSelector("[data-testid=overview-reports]");
  const stored = await storage(page);
  const name = `${expected.cache} ${server.url}`;
  assert.deepEqual(Object.keys(stored), [name]);
  assert.deepEqual(stored[name], expected.paths);
  const index = await page.evaluate(async (name) => (await (await caches.open(name)).match("index.html")).text(), name);
  assert.match(index, /data-wasm=/, "index.html is still the app");

  // Offline, the app opens as the app (not the notice, not a report).
  await context.setOffline(true);
  await page.goto(server.url);
  await page.waitForSelector("[data-testid=welcome]");
  await page.goto(`${server.url}DEMO-NOTICE.txt`);
  assert.match(await page.locator("body").innerText(), /licen[cs]e/i, "the notice, offline");
  await context.setOffline(false);
  await context.close();
  await server.close();
});

test("after a new release the worker replaces the old files, and offline starts open the new one", { timeout: 180_000 }, async () => {
  // Release 1 is this build; release 2 renames the folder of the page's code (as a new
  // build's hash would), changes the title, and is stamped again.
  const first = copyOfDist();
  const second = copyOfDist();
  const html = readFileSync(join(second, "index.html"), "utf8");
  const folder = /data-js="\.\/(app-[0-9a-f]+)\//.exec(html)[1];
  renameSync(join(second, folder), join(second, `${folder}2`));
  writeFileSync(
    join(second, "index.html"),
    html.replaceAll(folder, `${folder}2`).replace("<title>TLS-RPT Viewer</title>", "<title>TLS-RPT Viewer, release 2</title>"),
  );
  execFileSync("node", [join(ROOT, "scripts/stamp_sw.mjs"), second]);
  const one = stampedShell(first);
  const two = stampedShell(second);
  assert.notEqual(one.cache, two.cache);

  const site = { root: first, redirectTo: "/" };
  const server = await serve(site);
  const { page, context } = await openControlled(server);
  // Cache Storage is the origin's: the name carries this copy's scope.
  await page.evaluate(() => caches.open("tlsrpt-viewer-other-copy https://elsewhere/"));
  assert.deepEqual(Object.keys(await storage(page)).sort(), [`${one.cache} ${server.url}`, "tlsrpt-viewer-other-copy https://elsewhere/"].sort());

  // The new release goes up; the next visit installs its worker, which takes over.
  site.root = second;
  await page.reload();
  await page.waitForSelector("[data-testid=welcome]");
  const deadline = Date.now() + 30_000;
  let stored = await storage(page);
  const current = `${two.cache} ${server.url}`;
  const expectedNames = JSON.stringify([current, "tlsrpt-viewer-other-copy https://elsewhere/"].sort());
  while (JSON.stringify(Object.keys(stored).sort()) !== expectedNames && Date.now() < deadline) {
    await page.waitForTimeout(200);
    stored = await storage(page);
  }
  assert.equal(JSON.stringify(Object.keys(stored).sort()), expectedNames, "this copy's old cache is gone, another copy's stays");
  assert.deepEqual(stored[current], two.paths);
  assert.ok(two.paths.includes(`/${folder}2/tlsrpt-viewer_bg.wasm`), "the new wasm is stored");
  assert.ok(two.paths.includes(`/${folder}2/split_later.wasm`), "and its second module");

  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector("[data-testid=welcome]");
  assert.equal(await page.title(), "TLS-RPT Viewer, release 2");
  await page.click("[data-testid=load-demo]");
  await page.waitForSelector("[data-testid=overview-reports]");
  await context.setOffline(false);
  await context.close();
  await server.close();
});

test("with the worker in control, an app file that now redirects away is not followed: the stored copy answers", { timeout: 120_000 }, async () => {
  const other = await serve({ root: copyOfDist() });
  const site = { root: copyOfDist(), redirectTo: "/" };
  const server = await serve(site);
  const { page, context } = await openControlled(server);

  // The host is taken over: the page's scripts and wasm now answer 302 to another site.
  const html = readFileSync(join(site.root, "index.html"), "utf8");
  const folder = /data-js="\.\/(app-[0-9a-f]+)\//.exec(html)[1];
  const files = ["tlsrpt-viewer.js", "tlsrpt-viewer_bg.wasm", "__wasm_split.js", "split_later.wasm"];
  for (const file of files.map((name) => `${folder}/${name}`)) {
    site.routes[`/${file}`] = (_, res) => res.writeHead(302, { location: `${other.origin}/${file}` }).end();
  }
  await page.reload();
  await page.waitForSelector("[data-testid=welcome]");
  await page.click("[data-testid=load-demo]");
  await page.waitForSelector("[data-testid=overview-reports]");
  assert.ok(server.requests.includes(`/${folder}/tlsrpt-viewer.js`), "the worker asked the host for the script");
  assert.deepEqual(other.requests, [], "the other site got no request");
  await context.close();
  await server.close();
  await other.close();
});

test("a copy served under a sub-path stores its own files under its own scope, and opens offline", { timeout: 120_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), "tlsrpt-sw-sub-"));
  cpSync(join(ROOT, "dist"), join(root, "viewer"), { recursive: true });
  const site = { root };
  const server = await serve(site);
  const url = `${server.url}viewer/`;
  const { page, context } = await openControlled(server, url);
  const expected = stampedShell(join(root, "viewer"));
  const stored = await storage(page);
  assert.deepEqual(Object.keys(stored), [`${expected.cache} ${url}`]);
  assert.deepEqual(
    stored[`${expected.cache} ${url}`],
    expected.paths.map((path) => `/viewer${path}`),
  );
  // The scope is the sub-path: a page beside it is not this worker's.
  assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).scope), url);

  await context.setOffline(true);
  await page.goto(`${url}?embed=1`);
  await page.waitForSelector("[data-testid=welcome], [data-testid=load-demo]");
  await page.goto(url);
  await page.waitForSelector("[data-testid=welcome]");
  await page.click("[data-testid=load-demo]");
  await page.waitForSelector("[data-testid=overview-reports]");
  const outside = await page.goto(`${server.url}index.html`).then(
    () => "answered",
    () => "failed",
  );
  assert.equal(outside, "failed", "outside its scope the worker answers nothing offline");
  await context.setOffline(false);
  await context.close();
  await server.close();
});
