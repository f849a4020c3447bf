// End-to-end test of printing: the print stylesheet keeps the health lines, the problems with
// their explanations and fixes, and the table by result, and drops the controls; Chromium's
// print-to-PDF makes the report.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { useEnvironment, SAMPLES, SHOTS, appWithFiles, summarize } from "./helpers.mjs";

useEnvironment();

const FILES = ["real/parsedmarc/mail.ru.json", "real/parsedmarc/rfc8460.json"].map((p) => join(SAMPLES, p));

test("printing gives a clean summary with every finding open", async () => {
  const summary = summarize(FILES);
  const { page, context } = await appWithFiles(FILES);
  assert.equal(await page.locator("[data-testid=print-summary]").isVisible(), false, "not on screen");
  await page.emulateMedia({ media: "print" });
  await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
  assert.equal(await page.locator(".topbar").isVisible(), false);
  assert.equal(await page.locator("[data-testid=filter-bar]").isVisible(), false);
  assert.equal(await page.locator("[data-testid=print-summary]").isVisible(), true);
  assert.equal(await page.locator("[data-testid=print-summary] tbody tr").count(), summary["per-result"].length);
  assert.equal(await page.locator("[data-testid=print-rows-cut]").count(), 0, "every row is printed");
  const open = await page.locator(".finding details").evaluateAll((all) => all.map((d) => d.open));
  assert.equal(open.length, summary.findings.length);
  assert.ok(open.every(Boolean), "every finding open for print");
  assert.equal(await page.locator("[data-testid=finding-fix]").first().isVisible(), true);
  await page.screenshot({ path: join(SHOTS, "20-print.png"), fullPage: true });
  const pdf = await page.pdf({ format: "A4" });
  assert.equal(pdf.subarray(0, 4).toString(), "%PDF");
  writeFileSync(join(SHOTS, "20-print.pdf"), pdf);
  // After printing, the findings close again.
  await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
  await page.emulateMedia({ media: "screen" });
  assert.ok((await page.locator(".finding details").evaluateAll((all) => all.map((d) => d.open))).every((o) => !o));
  await context.close();
});
