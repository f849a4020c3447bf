// End-to-end test of offline use: after a first visit, the service worker serves the app, and
// the bundled demo reports load, with the network switched off.
import { test } from "node:test";
import assert from "node:assert/strict";
import { watchedPage } from "./browser.mjs";
import { env, useEnvironment, text } from "./helpers.mjs";

useEnvironment();

test("after the first visit the app works with no network at all", { timeout: 120_000 }, async () => {
  const { page, context, watch } = await watchedPage(env.browser, env.server.origin);
  await page.goto(env.server.url);
  await page.waitForSelector("[data-testid=welcome]");
  // Wait until the service worker has stored the app and controls the page (it claims the
  // page on activation); a failed install would time out here rather than hang.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  const cached = await page.evaluate(async () => {
    const [name] = await caches.keys();
    const cache = await caches.open(name);
    return (await cache.keys()).map((r) => new URL(r.url).pathname);
  });
  assert.ok(cached.some((p) => p.endsWith("_bg.wasm")), cached.join(", "));
  assert.ok(!cached.some((p) => p.includes("samples/")), "no report is cached");

  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector("[data-testid=welcome]");
  await page.click("[data-testid=load-demo]");
  await page.waitForSelector("[data-testid=overview-reports]");
  assert.ok(Number((await text(page, "[data-testid=overview-reports]")).replaceAll(",", "")) >= 10);
  // Reports the user gives still load: reading them never needed the network.
  await context.setOffline(false);
  assert.deepEqual(watch.foreign, []);
  await context.close();
});
