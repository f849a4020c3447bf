// End-to-end tests with forged inputs: markup and script in every report field, in a file
// name and in an email's headers are shown as text and never run; direction controls are
// shown escaped; counts past what a count holds are shown capped.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SAMPLES, appWithFiles, assertPrivate, settled, text, useEnvironment } from "./helpers.mjs";
import { mailbox, smallReport, forgedLoad } from "./forge.mjs";

useEnvironment();

const PAYLOAD = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;

test("markup in every field of a forged report is shown as text and never runs", async () => {
  const report = JSON.parse(readFileSync(join(SAMPLES, "real/parsedmarc/rfc8460.json"), "utf8"));
  report["organization-name"] = `Org ${PAYLOAD}`;
  report["report-id"] = `id ${PAYLOAD}`;
  report["contact-info"] = PAYLOAD;
  const policy = report.policies[0];
  policy.policy["policy-domain"] = `d${PAYLOAD}.example`;
  policy.policy["policy-string"] = [`mode: ${PAYLOAD}`];
  for (const detail of policy["failure-details"]) {
    detail["sending-mta-ip"] = PAYLOAD;
    detail["receiving-mx-hostname"] = `mx${PAYLOAD}`;
    detail["additional-information"] = `javascript:window.__xss=3 ${PAYLOAD}`;
    detail["failure-reason-code"] = PAYLOAD;
  }
  policy["failure-details"][0]["result-type"] = PAYLOAD;
  // A right-to-left override in a name, and a count past what a count holds.
  report["organization-name"] += " \u202Emoc.elgoog";
  policy.summary["total-successful-session-count"] = 2 ** 64;
  const dir = mkdtempSync(join(tmpdir(), "tlsrpt-hostile-"));
  const file = join(dir, `<img src=x onerror=window.__xss=4>.json`);
  writeFileSync(file, JSON.stringify(report));
  const { page, context, watch } = await appWithFiles([file]);

  for (const tab of ["problems", "results", "timeline", "sources", "inputs"]) {
    await page.click(`[data-testid=tab-${tab}]`);
    await settled(page);
  }
  // Open the drill-down of the report, with its raw JSON.
  await page.click("[data-testid=tab-problems]");
  await settled(page);
  await page.click("[data-testid=overview-reports-list]");
  await page.locator("[data-testid=drill] button, [data-testid=drill] a").first().click().catch(() => {});
  await page.waitForTimeout(500);

  assert.equal(await page.evaluate(() => window.__xss), undefined, "no payload ran");
  assert.equal(await page.locator("img[src=x], script:not([src]), a[href^='javascript:']").count(), 0, "no markup from a report");
  const organizations = await text(page, "[data-testid=overview-organizations]");
  assert.ok(organizations.includes("<img src=x"), organizations);
  assert.ok(organizations.includes("[U+202E]moc.elgoog"), organizations);
  assert.ok(!organizations.includes("\u202E"), "the override is not obeyed");
  assert.match(await text(page, "[data-testid=overview-successful-sessions]"), /\(capped\)$/);
  assertPrivate(watch);
  await context.close();
});

// Forged inputs of a size that no real report has. For each: the longest main-thread task and
// the time to final figures are printed (figures, not timed assertions); the page must show the
// right counts, draw a bounded number of elements, and still answer a click.

/** A click on a tab answers: the tab's view shows within a few seconds. */
async function answers(page, tab) {
  const start = Date.now();
  await page.click(`[data-testid=tab-${tab}]`);
  await settled(page);
  return Date.now() - start;
}

test("a report with 20,000 policy domains: figures right, every list paged", { timeout: 600_000 }, async () => {
  const domains = Array.from({ length: 20_000 }, (_, i) => `d${String(i).padStart(5, "0")}.example`);
  const report = JSON.stringify(smallReport("wide", 0, domains));
  const { page, context, watch } = await forgedLoad("wide.json", report, "1", "one report with 20,000 policy domains");
  assert.equal(await text(page, "[data-testid=overview-domain-count]"), "20,000");
  assert.ok((await page.locator(".health-line").count()) <= 500, "health lines are paged");
  assert.ok((await page.locator("option").count()) <= 2_000, "the filter choices are bounded");
  assert.ok((await page.locator("body *").count()) < 20_000, "the page stays small");
  console.log(`# figures: then the table by result answers in ${await answers(page, "results")} ms, the Problems view in ${await answers(page, "problems")} ms`);
  assert.ok((await page.locator("[data-testid=results-table] tbody tr").count()) <= 500);
  // On paper, the table by result says which rows it holds.
  await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
  assert.equal(
    await text(page, "[data-testid=print-rows-cut]"),
    "The first 500 of 20,000 rows are printed; the CSV export of the table by result has every row.",
  );
  assert.equal(await page.locator("[data-testid=print-summary] tbody tr").count(), 500);
  await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
  assertPrivate(watch);
  await context.close();
});

test("a 20,000-message mailbox opened in the Inputs view: figures right, rows paged", { timeout: 600_000 }, async () => {
  const reports = Array.from({ length: 20_000 }, (_, i) => smallReport(`m${i}`, i % 90, ["example.com"]));
  const { page, context, watch } = await forgedLoad("Huge.mbox", mailbox(reports), "20,000", "a 20,000-message mailbox");
  console.log(`# figures: the Inputs view answers in ${await answers(page, "inputs")} ms`);
  await page.click('[data-testid="toggle-0"]');
  await settled(page);
  const rows = await page.locator("[data-testid=inputs-table] tbody tr").count();
  assert.ok(rows > 100 && rows <= 1_000, `the opened mailbox draws a page of rows: ${rows}`);
  assertPrivate(watch);
  await context.close();
});

test("5,000 reports on 5,000 different days: the timeline bins, the table pages", { timeout: 600_000 }, async () => {
  const reports = Array.from({ length: 5_000 }, (_, i) => smallReport(`day${i}`, i, ["example.com"]));
  const { page, context, watch } = await forgedLoad("Days.mbox", mailbox(reports), "5,000", "5,000 reports on 5,000 days");
  console.log(`# figures: the timeline answers in ${await answers(page, "timeline")} ms`);
  assert.match(await text(page, "[data-testid=timeline-binned]"), /^5,000 days with reports are drawn as \d+ bars, one per month;/);
  const bars = await page.locator("[data-testid=timeline-chart] g.day").count();
  assert.ok(bars > 0 && bars <= 400, `the chart bins its bars: ${bars}`);
  const width = await page.locator("[data-testid=timeline-chart] svg").evaluate((svg) => svg.getBoundingClientRect().width);
  assert.ok(width < 20_000, `the chart is ${width} px wide`);
  assertPrivate(watch);
  await context.close();
});
