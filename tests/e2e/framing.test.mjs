// A page of another site can frame the viewer (a <meta> CSP cannot forbid it, and static
// hosts may not send headers), but it cannot choose the viewer's filters through the address:
// framed by another origin, the viewer applies no fragment and says so. A documentation page
// on the viewer's own origin embeds it as before.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { env, useEnvironment } from "./helpers.mjs";
import { watchedPage } from "./browser.mjs";
import { startServer } from "./server.mjs";

useEnvironment();

test("framed by another site, the viewer applies no filter from its address, and says so", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tlsrpt-framer-"));
  const viewer = `${env.server.url}?src=samples/mail.ru.json#domain=forged.example`;
  writeFileSync(join(dir, "index.html"), `<!doctype html><title>framer</title><iframe id="v" width="1200" height="800" src="${viewer}"></iframe>`);
  const framer = await startServer(dir);
  const { page, context } = await watchedPage(env.browser, framer.origin);
  try {
    await page.goto(framer.url);
    const frame = page.frameLocator("#v");
    await frame.locator("[data-testid=fragment-ignored]").waitFor();
    assert.match(await frame.locator("[data-testid=fragment-ignored]").innerText(), /filters in its address were not applied/);
    await frame.locator(".app[data-synced=true]").waitFor();
    const summary = await frame.locator("[data-testid=filter-summary]").innerText();
    assert.equal(summary.trim(), "Filters: none; every loaded report is shown.");
    const inner = page.frames().find((f) => f.url().startsWith(env.server.url));
    assert.equal(await inner.evaluate(() => location.hash), "", "the fragment is taken out of the address");
  } finally {
    await context.close();
    await framer.close();
  }
});

test("the same-origin documentation page still embeds the viewer, with no such note", async () => {
  const { page, context, watch } = await watchedPage(env.browser, env.server.origin);
  await page.goto(`${env.server.url}embed.html`);
  const frame = page.frameLocator("[data-testid=embedded-viewer]");
  await frame.locator("[data-testid=findings]").waitFor({ timeout: 30_000 });
  assert.equal(await frame.locator("[data-testid=fragment-ignored]").count(), 0);
  assert.deepEqual(watch.foreign, []);
  await context.close();
});
