// End-to-end tests of preloading (?src=), the embedded layout (&embed=1) through the example
// documentation page, refusals of other origins, and hosting under a sub-path.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startServer } from "./server.mjs";
import { watchedPage } from "./browser.mjs";
import { env, useEnvironment, ROOT, SAMPLES, SHOTS, text, assertPrivate, summarize } from "./helpers.mjs";
import { settled } from "./helpers.mjs";

useEnvironment();

let subPath;
before(async () => {
  subPath = await startServer(join(ROOT, "dist"), "/tools/tlsrpt/");
});
after(async () => subPath?.close());

async function waitForReports(frameOrPage, count) {
  await frameOrPage.locator("[data-testid=overview-reports]").first().waitFor();
  await frameOrPage.locator(`[data-testid=overview-reports]:text-is("${count}")`).waitFor();
}

test("the example docs page embeds the viewer preloaded with the Mail.ru sample", async () => {
  const { page, context, watch } = await watchedPage(env.browser, env.server.origin);
  await page.goto(`${env.server.url}embed.html`);
  const frame = page.frameLocator("[data-testid=embedded-viewer]");
  // Compact: the health line and the problems, without the overview cards.
  await frame.locator("[data-testid=findings]").waitFor();
  assert.equal(await frame.locator(".overview").isVisible(), false);
  const summary = summarize([join(SAMPLES, "real/parsedmarc/mail.ru.json")]);
  assert.equal(await frame.locator('[data-testid="health-example-com"] .health-text').innerText(), summary.domains[0].line);
  const first = summary.findings[0];
  assert.equal(await frame.locator(`[data-testid="finding-${first.id}"] .finding-title`).innerText(), first.title);
  // No page chrome inside the frame.
  assert.equal(await frame.locator(".topbar").isVisible(), false);
  assert.equal(await frame.locator("[data-testid=tab-problems]").getAttribute("aria-selected"), "true");
  await page.screenshot({ path: join(SHOTS, "17-embed.png"), fullPage: true });
  assertPrivate(watch);
  await context.close();
});

test("?src= refuses another origin and says why a missing file was not loaded", async () => {
  const { page, context, watch } = await watchedPage(env.browser, env.server.origin);
  const before = env.otherOrigin.requests.length;
  const foreign = `${env.otherOrigin.url}samples/rfc8460.json`;
  await page.goto(`${env.server.url}?src=samples/rfc8460.json&src=${encodeURIComponent(foreign)}&src=samples/missing.json`);
  await waitForReports(page, 1);
  await page.click("[data-testid=tab-inputs]");
  await settled(page);
  const reasons = await page.locator("[data-testid=inputs-table] tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [tr.querySelector("[data-col=name] .mono").textContent, tr.dataset.outcome, tr.querySelector("[data-col=reason]").textContent]),
  );
  assert.deepEqual(reasons.map((r) => r.slice(0, 2)), [
    ["samples/rfc8460.json", "loaded"],
    [foreign, "rejected"],
    ["samples/missing.json", "rejected"],
  ]);
  assert.match(reasons[1][2], new RegExp(`^not preloaded: ${env.otherOrigin.origin.replaceAll(".", "\\.")} is another site`));
  assert.match(reasons[2][2], /^not preloaded: the server answered 404/);
  assert.equal(env.otherOrigin.requests.length, before, "the other origin was never contacted");
  // The browser logs the 404 of missing.json itself; that one is expected.
  watch.errors = watch.errors.filter((e) => !/status of 404/.test(e));
  assertPrivate(watch);
  await context.close();
});

test("dist/ works from a sub-path as well as from the root", async () => {
  const { page, context, watch } = await watchedPage(env.browser, subPath.origin);
  const failed = [];
  page.on("response", (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(`${subPath.url}?src=samples/rfc8460.json`);
  await waitForReports(page, 1);
  assert.equal(await text(page, "[data-testid=overview-successful-sessions]"), "5,326");
  await page.click("text=Load demo reports");
  await page.waitForFunction(() => Number(document.querySelector("[data-testid=overview-reports]").textContent.replaceAll(",", "")) > 5);
  await page.goto(`${subPath.url}embed.html`);
  await page.frameLocator("[data-testid=embedded-viewer]").locator("[data-testid=findings]").waitFor();
  assert.deepEqual(failed, []);
  assert.ok(subPath.requests.every((url) => url.startsWith("/tools/tlsrpt/")), subPath.requests.join("\n"));
  assertPrivate(watch);
  await context.close();
});
