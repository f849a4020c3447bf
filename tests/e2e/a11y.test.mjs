// Accessibility: axe-core (from npm) runs inside the page on every view, in the light and the
// dark theme, and must find no serious or critical violation. It also checks the theme toggle
// and that the keyboard reaches the controls.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { watchedPage } from "./browser.mjs";
import { env, useEnvironment, SAMPLES, SHOTS, openApp, appWithFiles, assertPrivate, violations } from "./helpers.mjs";
import { settled } from "./helpers.mjs";

useEnvironment();

const FILES = [
  "real/parsedmarc/mail.ru.json",
  "real/parsedmarc/rfc8460.json",
  "real/cry-inc-dmarc-report-viewer/microsoft.json",
  "real/isseis-tlsrpt-digest/tlsrpt_failure.eml",
].map((p) => join(SAMPLES, p));

test("no serious or critical accessibility violation on any view, light or dark", async () => {
  const found = [];
  const welcome = await watchedPage(env.browser, env.server.origin);
  await openApp(welcome.page);
  found.push(...(await violations(welcome.page, "welcome")));
  await welcome.context.close();

  const { page, context, watch } = await appWithFiles(FILES);
  for (const theme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: theme });
    await page.click("[data-testid=tab-problems]");
  await settled(page);
    await page.click("[data-testid=filter-bar] summary");
    await page.locator("[data-testid=findings] > li summary").first().click();
    found.push(...(await violations(page, `${theme} problems`)));
    await page.click("[data-testid=filter-bar] summary");
    for (const tab of ["timeline", "results", "sources", "mx", "coverage", "compare", "inputs"]) {
      await page.click(`[data-testid=tab-${tab}]`);
      found.push(...(await violations(page, `${theme} ${tab}`)));
    }
  }
  await page.click("[data-testid=tab-results]");
  await settled(page);
  await page.locator("[data-testid=trace]").first().click();
  await page.locator("[data-testid=drill-open]").first().click();
  await page.locator("[data-testid=raw-json]").waitFor();
  for (const theme of ["dark", "light"]) {
    await page.emulateMedia({ colorScheme: theme });
    found.push(...(await violations(page, `${theme} report detail`)));
  }
  await page.click("[data-testid=drill-close]");
  await page.click("[data-testid=tab-problems]");
  await settled(page);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: join(SHOTS, "18-dark.png"), fullPage: true });
  assert.deepEqual(found, []);
  assertPrivate(watch);
  await context.close();
});

test("the theme toggle switches and remembers light and dark", async () => {
  const { page, context } = await watchedPage(env.browser, env.server.origin);
  await openApp(page);
  const theme = () => page.evaluate(() => document.documentElement.dataset.theme ?? "system");
  const background = () => page.evaluate(() => getComputedStyle(document.body.querySelector(".app") ?? document.body).getPropertyValue("--bg").trim() || getComputedStyle(document.documentElement).getPropertyValue("--bg").trim());
  assert.equal(await theme(), "system");
  await page.click("[data-testid=theme-toggle]");
  assert.equal(await theme(), "light");
  const light = await background();
  await page.click("[data-testid=theme-toggle]");
  assert.equal(await theme(), "dark");
  assert.notEqual(await background(), light);
  await page.reload();
  await page.waitForSelector("[data-testid=welcome]");
  assert.equal(await theme(), "dark", "remembered in this browser");
  await page.click("[data-testid=theme-toggle]");
  assert.equal(await theme(), "system");
  await context.close();
});

test("the keyboard reaches every control in order", async () => {
  const { page, context } = await appWithFiles(FILES);
  // From the top (a load leaves the focus on the open view's heading).
  await page.focus("[data-testid=skip-link]");
  const reached = new Set(["skip-link"]);
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    const id = await page.evaluate(() => document.activeElement?.dataset.testid ?? document.activeElement?.tagName);
    reached.add(id);
  }
  for (const id of ["skip-link", "theme-toggle", "choose-files", "choose-folder", "tab-problems", "export-csv", "filter-critical"]) {
    assert.ok(reached.has(id), `${id} is reachable (reached: ${[...reached].join(", ")})`);
  }
  // The tabs are one stop (the open one); the arrow keys reach the others.
  assert.ok(!reached.has("tab-timeline"), "one stop for the tabs");
  await page.focus("[data-testid=tab-problems]");
  for (const id of ["tab-timeline", "tab-results", "tab-sources", "tab-mx", "tab-coverage", "tab-compare", "tab-inputs"]) {
    await page.keyboard.press("ArrowRight");
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), id);
  }
  await context.close();
});
