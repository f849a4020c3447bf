// End-to-end tests of opening, sorting and searching views of forged inputs shaped to make
// them large: 30,000 days, 400,000 sending IPs, reports dated 0001-01-01 and 9999-12-31 from
// 50 reporters, 100,000 policy domains, a 10 MB search string. Every input is generated here;
// the longest main-thread task after each action is printed and must stay under 50 ms.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertPrivate, settled, text, useEnvironment } from "./helpers.mjs";
import { forgedLoad, longestTask, mailbox, smallReport, watchTasks, wideReport } from "./forge.mjs";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

useEnvironment();

/** Runs `action` and returns the longest main-thread task it caused, printed as `what`. */
async function measured(page, what, action) {
  await watchTasks(page);
  await action();
  await settled(page);
  const task = await longestTask(page);
  console.log(`# figures: ${what}: longest main-thread task ${task} ms`);
  return task;
}

async function sortBy(page, table, column) {
  await page.click(`${table} th:nth-child(${column}) button`);
}

test("30,000 days: the Timeline opens and sorts without a long task, its table paged", { timeout: 900_000 }, async () => {
  const reports = Array.from({ length: 30_000 }, (_, i) => smallReport(`day${i}`, i, ["example.com"]));
  const { page, context, watch } = await forgedLoad("Days.mbox", mailbox(reports), "30,000", "30,000 reports on 30,000 days");
  const tasks = [await measured(page, "opening the Timeline of 30,000 days", () => page.click("[data-testid=tab-timeline]"))];
  assert.equal(await page.locator("[data-testid=timeline-table] tbody tr").count(), 500);
  assert.match(await text(page, "[data-testid=timeline-more]"), /29,500/);
  tasks.push(await measured(page, "sorting it by failed sessions", () => sortBy(page, "[data-testid=timeline-table]", 3)));
  tasks.push(await measured(page, "sorting it by day, then again the other way", async () => {
    await sortBy(page, "[data-testid=timeline-table]", 1);
    await settled(page);
    await sortBy(page, "[data-testid=timeline-table]", 1);
  }));
  const first = await page.locator("[data-testid=timeline-table] tbody tr").first().innerText();
  const last = new Date(Date.UTC(2010, 0, 1) + 29_999 * 86400000).toISOString().slice(0, 10);
  assert.ok(first.startsWith(last), `the latest day first, sorted over every day: ${first}`);
  assert.ok(Math.max(...tasks) <= 50, `longest tasks: ${tasks}`);
  assertPrivate(watch);
  await context.close();
});

test("400,000 sending IPs: By source opens and sorts without a long task, paged", { timeout: 900_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "tlsrpt-ips-"));
  const files = [];
  for (let f = 0; f < 8; f++) {
    const report = smallReport(`ips${f}`, f, []);
    report["organization-name"] = `Sender ${f % 4}`;
    report.policies = [{
      policy: { "policy-type": "sts", "policy-domain": "example.com" },
      summary: { "total-successful-session-count": 1, "total-failure-session-count": 50_000 },
      "failure-details": Array.from({ length: 50_000 }, (_, i) => {
        const n = f * 50_000 + i;
        return { "result-type": "certificate-expired", "sending-mta-ip": `10.${n >> 16}.${(n >> 8) & 255}.${n & 255}`, "failed-session-count": 1 + (n % 7) };
      }),
    }];
    const file = join(dir, `ips${f}.json`);
    writeFileSync(file, JSON.stringify(report));
    files.push(file);
  }
  const { page, context, watch } = await forgedLoadMany(files, "8", "400,000 sending IPs in 8 reports");
  const tasks = [await measured(page, "opening By source with 400,000 IPs", () => page.click("[data-testid=tab-sources]"))];
  assert.ok((await page.locator("[data-testid^=source-ip-]").count()) <= 50);
  assert.match(await text(page, "[data-testid=sources-more]"), /rows/);
  tasks.push(await measured(page, "sorting By source by failed sessions", () => sortBy(page, "[data-testid^=source-org-] table", 2)));
  // "Show more" patches the table: the rows already drawn stay the same elements.
  await page.evaluate(() => { document.querySelector("[data-testid^=source-ip-]").dataset.kept = "yes"; });
  const before = await page.locator("[data-testid^=source-ip-]").count();
  tasks.push(await measured(page, "showing 50 more rows", () => page.click("[data-testid=sources-more]")));
  const after = await page.locator("[data-testid^=source-ip-]").count();
  assert.ok(after > before && after <= 100, `${before} rows, then ${after}`);
  assert.equal(await page.locator("[data-testid^=source-ip-]").first().getAttribute("data-kept"), "yes");
  assert.ok(Math.max(...tasks) <= 50, `longest tasks: ${tasks}`);
  assertPrivate(watch);
  await context.close();
});

test("reports dated 0001-01-01 and 9999-12-31 from 50 reporters: Coverage opens within its column cap", { timeout: 300_000 }, async () => {
  const reports = [];
  for (let r = 0; r < 50; r++) {
    for (const day of ["0001-01-01", "9999-12-31"]) {
      const report = smallReport(`${r}-${day}`, 0, ["example.com"]);
      report["organization-name"] = `Reporter ${r}`;
      report["date-range"] = { "start-datetime": `${day}T00:00:00Z`, "end-datetime": `${day}T23:59:59Z` };
      reports.push(report);
    }
  }
  const { page, context, watch } = await forgedLoad("Span.mbox", mailbox(reports), "100", "100 reports dated 0001-01-01 and 9999-12-31");
  const task = await measured(page, "opening Coverage over 3.6 million days", () => page.click("[data-testid=tab-coverage]"));
  assert.match(await text(page, "[data-testid=coverage-caption]"), /^50 reporters from 0001-01-01 to 9999-12-31, a column per [\d,]+ days\./);
  const width = await page.locator("[data-testid=coverage-grid] svg").first().evaluate((svg) => svg.getBoundingClientRect().width);
  assert.ok(width <= 1200, `a row is ${width} px wide`);
  assert.ok(task <= 50, `${task} ms`);
  await page.click("[data-testid=tab-problems]");
  await settled(page);
  assert.equal(await page.locator('[data-rule="data/date-out-of-range"]').count() > 0, true, "the dates are flagged");
  assertPrivate(watch);
  await context.close();
});

test("100,000 policy domains: By result opens, and a 10 MB search string is cut, without a long task", { timeout: 900_000 }, async () => {
  const report = wideReport(100_000);
  const { page, context, watch } = await forgedLoad("wide.json", JSON.stringify(report), "1", "one report with 100,000 policy domains");
  const tasks = [await measured(page, "opening By result with 100,000 rows", () => page.click("[data-testid=tab-results]"))];
  assert.equal(await page.locator("[data-testid=results-table] tbody tr").count(), 500);
  await page.click("[data-testid=tab-problems]");
  await settled(page);
  tasks.push(await measured(page, "a 10 MB search string typed into the table of domains", async () => {
    await page.focus("[data-testid=domains-search]");
    await page.keyboard.insertText("d0".repeat(5 << 20));
  }));
  const typed = await page.locator("[data-testid=domains-search]").evaluate((input) => input.value.length);
  assert.ok(typed <= 1024, `the search holds ${typed} characters`);
  assert.ok(Math.max(...tasks) <= 50, `longest tasks: ${tasks}`);
  assertPrivate(watch);
  await context.close();
});

/** `forgedLoad` for several files already written. */
async function forgedLoadMany(files, reports, what) {
  const { watchedPage } = await import("./browser.mjs");
  const { env, openApp } = await import("./helpers.mjs");
  const opened = await watchedPage(env.browser, env.server.origin);
  await openApp(opened.page);
  await watchTasks(opened.page);
  const start = Date.now();
  await opened.page.setInputFiles("[data-testid=file-input]", files);
  await opened.page.waitForFunction((n) => document.querySelector("[data-testid=overview-reports]")?.textContent.trim() === n, reports, { timeout: 600_000 });
  await opened.page.waitForSelector("[data-testid=progress]", { state: "detached" });
  await settled(opened.page);
  console.log(`# figures: ${what}: final figures in ${Date.now() - start} ms; longest main-thread task ${await longestTask(opened.page)} ms`);
  return opened;
}
