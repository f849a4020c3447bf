// The page's code in two modules (scripts/build_page.sh, src/ui/split.rs): the first paint
// needs only the first, within its byte budget; the second comes after it, and when it cannot
// be fetched the page says so, keeps the reports read, and draws them once a retry brings it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { ROOT, SAMPLES, assertViewsMatch, env, openApp, settled, summarize, useEnvironment } from "./helpers.mjs";
import { watchedPage } from "./browser.mjs";

useEnvironment();

const DIST = join(ROOT, "dist");
const gzipped = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
const SECOND = "**/split_later.wasm";

/** The files index.html loads before the app's first paint (and preloads), and the app's folder. */
function firstPaintFiles() {
  const index = readFileSync(join(DIST, "index.html"), "utf8");
  const js = /data-js="\.\/([^"]+)"/.exec(index)?.[1];
  const wasm = /data-wasm="\.\/([^"]+)"/.exec(index)?.[1];
  assert.ok(js && wasm, "index.html names the first module's script and wasm");
  assert.equal(js.split("/")[0], wasm.split("/")[0], "both in one folder");
  const folder = js.split("/")[0];
  // What the script imports before it runs (the second module's loader).
  const imports = [...readFileSync(join(DIST, js), "utf8").matchAll(/^import .* from "\.\/([^"]+)"/gm)].map((m) => `${folder}/${m[1]}`);
  // Fetched beside boot.js, not one after the other: the page preloads them all, and nothing else.
  const preloads = [...index.matchAll(/<link rel="(?:module)?preload" href="\.\/([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(preloads.sort(), [js, wasm, ...imports].sort(), "index.html preloads the first module's script, its imports and its wasm");
  return { folder, files: ["boot.js", js, ...imports, wasm] };
}

test("the first paint's code is within 250 KB gzip, and the service worker stores every part", () => {
  const { folder, files } = firstPaintFiles();
  const figures = files.map((name) => [name, gzipped(join(DIST, name))]);
  const first = figures.reduce((sum, [, bytes]) => sum + bytes, 0);
  const parts = readdirSync(join(DIST, folder)).map((name) => `${folder}/${name}`);
  const second = parts.filter((name) => !files.includes(name));
  assert.ok(second.some((name) => name.endsWith(".wasm")), "a second module");
  const all = first + second.reduce((sum, name) => sum + gzipped(join(DIST, name)), 0);
  console.log(`first paint: ${first} bytes gzip (${figures.map(([n, b]) => `${n} ${b}`).join(", ")}); the page's code in all: ${all}`);
  assert.ok(first <= 250_000, `the first paint's code is ${first} bytes gzip`);
  const shell = JSON.parse(/^const SHELL = (.*);$/m.exec(readFileSync(join(DIST, "sw.js"), "utf8"))[1]);
  for (const name of [...files, ...second]) assert.ok(shell.includes(name), `the service worker stores ${name}`);
});

test("without the second module the welcome works, and a load says the figures wait for it; Try again draws them", { timeout: 120_000 }, async () => {
  const { page, context, watch } = await watchedPage(env.browser, env.server.origin);
  let blocked = 0;
  try {
    await page.route(SECOND, (route) => {
      blocked += 1;
      return route.abort();
    });
    await openApp(page);
    assert.ok(blocked >= 1, "the page asked for the second module at its start");
    // The welcome and its buttons are the first module's.
    await page.waitForSelector("[data-testid=choose-files]");
    const paths = ["real/parsedmarc/smtp_tls.json", "real/parsedmarc/mail.ru.json"].map((p) => join(SAMPLES, p));
    await page.setInputFiles("[data-testid=file-input]", paths);
    const alert = page.locator("[data-testid=code-missing]");
    await alert.waitFor();
    assert.equal(await alert.getAttribute("role"), "alert");
    assert.match(await alert.innerText(), /could not be fetched/);
    assert.equal(await page.locator("[data-testid=overview-reports]").count(), 0, "no figures drawn");
    assert.equal(await page.locator("[data-testid=fatal-error]").count(), 0, "not the fatal error");
    assert.equal(await page.locator(".app").getAttribute("data-synced"), "false", "the page does not claim to answer");

    await page.unroute(SECOND);
    await page.click("[data-testid=code-retry]");
    await page.waitForSelector("[data-testid=overview-reports]");
    await settled(page);
    await assertViewsMatch(page, summarize(paths));
    assert.deepEqual(watch.foreign, [], "requests to other origins");
  } finally {
    await context.close();
  }
});
