// End-to-end test of the tables: sorting by any column, and a table of 10,000 rows that
// is drawn 500 rows at a time and stays responsive.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { env, useEnvironment, SAMPLES, appWithFiles, assertPrivate, summarize, number } from "./helpers.mjs";
import { settled } from "./helpers.mjs";

useEnvironment();

const FILES = [
  "real/parsedmarc/mail.ru.json",
  "real/parsedmarc/rfc8460.json",
  "real/phi-ag-mta-sts-exporter/google.json",
  "real/robalexdev-tlsrpt-be/report.json",
  "real/isseis-tlsrpt-digest/tlsrpt_failure.eml",
].map((p) => join(SAMPLES, p));

test("any column sorts the table, and a second click turns the order round", async () => {
  const summary = summarize(FILES);
  const { page, context } = await appWithFiles(FILES);
  await page.click("[data-testid=tab-results]");
  await settled(page);
  const failed = () => page.locator("[data-testid=results-table] tbody tr [data-col=failed]").allInnerTexts();
  // The worker sorts every row of this table: the page shows its answer.
  await page.click("[data-testid=sort-failed]");
  await settled(page);
  const expected = summary["per-result"].map((r) => r["failed-sessions"]).sort((a, b) => b - a);
  assert.deepEqual((await failed()).map(number), expected);
  assert.equal(await page.getAttribute("[data-testid=results-table] th:has([data-testid=sort-failed])", "aria-sort"), "descending");
  await page.click("[data-testid=sort-failed]");
  await settled(page);
  assert.deepEqual((await failed()).map(number), [...expected].reverse());
  await page.click("[data-testid=sort-policy-domain]");
  await settled(page);
  const domains = await page.locator("[data-testid=results-table] tbody tr [data-col=domain]").allInnerTexts();
  assert.deepEqual(domains, [...domains].sort());
  // The timeline's table too.
  await page.click("[data-testid=tab-timeline]");
  await settled(page);
  await page.click("[data-testid=sort-successful]");
  await settled(page);
  const ok = (await page.locator("[data-testid=timeline-table] tbody tr [data-col=successful]").allInnerTexts()).map(number);
  assert.deepEqual(ok, [...ok].sort((a, b) => b - a));
  await context.close();
});

test("a table of 10,000 rows is drawn a page at a time and sorts quickly", async () => {
  const details = [];
  for (let i = 0; i < 10000; i++) {
    details.push({
      "result-type": i % 2 ? "certificate-expired" : "starttls-not-supported",
      "sending-mta-ip": `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      "receiving-mx-hostname": "mx.example.com",
      "failed-session-count": (i % 97) + 1,
    });
  }
  const total = details.reduce((n, d) => n + d["failed-session-count"], 0);
  const report = {
    "organization-name": "Big Sender",
    "date-range": { "start-datetime": "2026-11-01T00:00:00Z", "end-datetime": "2026-11-01T23:59:59Z" },
    "contact-info": "tls@big.example",
    "report-id": "big-1",
    policies: [{ policy: { "policy-type": "sts", "policy-domain": "example.com" }, summary: { "total-successful-session-count": 1, "total-failure-session-count": total }, "failure-details": details }],
  };
  const path = join(env.tmp, "big.json");
  writeFileSync(path, JSON.stringify(report));
  const { page, context, watch } = await appWithFiles([path]);
  const rows = '[data-testid="source-org-big-sender"] tbody tr';
  let start = Date.now();
  await page.click("[data-testid=tab-sources]");
  await settled(page);
  await page.waitForSelector(rows);
  const drawMs = Date.now() - start;
  assert.equal(await page.locator(rows).count(), 50);
  assert.match(await page.locator("[data-testid=sources-more]").innerText(), /^Show 50 more rows \(9,950 not shown\)$/);
  start = Date.now();
  await page.click("[data-testid=sort-failed]");
  await page.waitForFunction((sel) => document.querySelector(sel + " [data-col=failed]")?.textContent === "97", rows);
  const sortMs = Date.now() - start;
  const firsts = (await page.locator(`${rows} [data-col=failed]`).allInnerTexts()).slice(0, 3).map(number);
  assert.deepEqual(firsts, [97, 97, 97]);
  await page.click("[data-testid=sources-more]");
  await settled(page);
  assert.equal(await page.locator(rows).count(), 100);
  // Scrolling the page through the table: a figure, not a pass/fail threshold.
  await page.evaluate(() => {
    window.longest = 0;
    new PerformanceObserver((list) => list.getEntries().forEach((e) => (window.longest = Math.max(window.longest, e.duration)))).observe({ type: "longtask" });
  });
  for (let i = 0; i < 20; i++) await page.mouse.wheel(0, 1500);
  const longest = await page.evaluate(() => window.longest);
  console.log(`# figures: 10,000-row table: first 50 rows drawn in ${drawMs} ms, sorted in ${sortMs} ms; longest task while scrolling ${longest.toFixed(0)} ms`);
  assertPrivate(watch);
  await context.close();
});
