// The portfolio views: with more than a handful of domains the health lines become the table
// of domains (searchable, sortable, paged, each row opening its domain), and every domain
// gets a verdict ("Ready to enforce?") that `summarize` prints the same.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SAMPLES, SHOTS, appWithFiles, assertPrivate, chooseDomain, env, openApp, openFinding, settled, slug, summarize, text, useEnvironment, violations, visibleDomainRows, waitForInputs } from "./helpers.mjs";
import { watchedPage } from "./browser.mjs";

useEnvironment();

const REPORTERS = ["Google LLC", "Microsoft Corporation"];

/**
 * A hosting provider's month: each reporter sends one report a day over `days` days, with a
 * policy entry for each of `domains` domains. Every seventh domain fails (certificate-expired)
 * on the last days, every third is enforced, and the last tenth only appears in the last 3
 * days (not enough data). Returns the files written.
 */
function portfolio(domains, days) {
  const dir = mkdtempSync(join(tmpdir(), "tlsrpt-portfolio-"));
  const names = Array.from({ length: domains }, (_, i) => `shop-${String(i).padStart(3, "0")}.example`);
  const files = [];
  for (const reporter of REPORTERS) {
    for (let day = 1; day <= days; day++) {
      const date = `2026-03-${String(day).padStart(2, "0")}`;
      const policies = names
        .map((domain, i) => ({ domain, i }))
        .filter(({ i }) => i < domains * 0.9 || day > days - 3)
        .map(({ domain, i }) => {
          const failed = i % 7 === 0 && day > days - 4 ? 5 + (i % 11) : 0;
          return {
            policy: {
              "policy-type": "sts",
              "policy-string": ["version: STSv1", `mode: ${i % 3 === 0 ? "enforce" : "testing"}`, `mx: mx.${domain}`, "max_age: 604800"],
              "policy-domain": domain,
              "mx-host": [`mx.${domain}`],
            },
            summary: { "total-successful-session-count": 50 + ((i * 13) % 400), "total-failure-session-count": failed },
            "failure-details": failed
              ? [{ "result-type": "certificate-expired", "sending-mta-ip": "192.0.2.7", "receiving-mx-hostname": `mx.${domain}`, "failed-session-count": failed }]
              : [],
          };
        });
      const report = {
        "organization-name": reporter,
        "date-range": { "start-datetime": `${date}T00:00:00Z`, "end-datetime": `${date}T23:59:59Z` },
        "contact-info": "tlsrpt@reporter.example",
        "report-id": `${reporter}-${date}`,
        policies,
      };
      const file = join(dir, `${slug(reporter)}-${date}.json`);
      writeFileSync(file, JSON.stringify(report));
      files.push(file);
    }
  }
  return files;
}

async function portfolioPage(files) {
  const opened = await watchedPage(env.browser, env.server.origin);
  await opened.page.setViewportSize({ width: 1400, height: 900 });
  await openApp(opened.page);
  await opened.page.setInputFiles("[data-testid=file-input]", files);
  await waitForInputs(opened.page, files.length);
  return opened;
}

const rowNames = (page) =>
  page.locator("[data-testid=domains-table] tbody tr").evaluateAll((rows) => rows.map((row) => row.querySelector("th").innerText.trim()));

test("500 domains: a table of domains, paged, searchable, sortable, each row opening its domain", { timeout: 300_000 }, async () => {
  const files = portfolio(500, 20);
  const { page, context, watch } = await portfolioPage(files);
  assert.equal(await page.locator(".health-line").count(), 0, "no health lines with 500 domains");
  assert.equal(await text(page, "[data-testid=domains-count]"), "500 domains; 50 shown.");
  assert.equal(await page.locator("[data-testid=domains-table] tbody tr").count(), 50);
  await page.screenshot({ path: join(SHOTS, "40-domains-500.png") });
  await page.locator("section.domains").screenshot({ path: join(SHOTS, "40-domains-500-table.png") });
  // At 1400×900, at least 8 rows of the table show, and the tabs and the first findings are
  // on the first screen.
  const visibleRows = await visibleDomainRows(page);
  console.log(`# ${visibleRows} rows of the table of domains show at 1400×900`);
  assert.ok(visibleRows >= 8, `${visibleRows} rows show`);
  for (const selector of ["[data-testid=tab-problems]", "[data-testid=findings] > li"]) {
    const box = await page.locator(selector).first().boundingBox();
    console.log(`# ${selector} at ${Math.round(box?.y)} px`);
    assert.ok(box && box.y + Math.min(box.height, 40) <= 900, `${selector} is below the fold: ${JSON.stringify(box)}`);
  }
  // Scrolled sideways, the table keeps each row's domain in view.
  await page.locator(".domains-scroll").evaluate((box) => { box.scrollLeft = box.scrollWidth; });
  const [scrollLeft, nameLeft] = await page.locator(".domains-scroll").evaluate((box) => [
    box.getBoundingClientRect().left,
    box.querySelector("tbody th").getBoundingClientRect().left,
  ]);
  assert.ok(Math.abs(nameLeft - scrollLeft) <= 2, `the domain column moved: ${nameLeft} vs ${scrollLeft}`);
  await page.locator(".domains-scroll").evaluate((box) => { box.scrollLeft = 0; });

  // Every verdict is one of three, and is the one `summarize` prints.
  const summary = summarize(files);
  assert.equal(summary.domains.length, 500);
  const verdicts = {
    "shop-000.example": /^Not yet healthy: the MTA-STS policy is enforced and degraded since 2026-03-17/,
    "shop-001.example": /^Ready: enforcing the MTA-STS policy would have cost no mail/,
    "shop-003.example": /^Ready: the MTA-STS policy is enforced and healthy/,
    "shop-470.example": /^Not enough data: no session failed, but the reports cover 3 days/,
  };
  for (const [name, verdict] of Object.entries(verdicts)) {
    await page.fill("[data-testid=domains-search]", name);
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=domains-table] tbody tr").length === 1);
    await settled(page);
    const shown = await text(page, `[data-testid=verdict-${slug(name)}]`);
    assert.match(shown, verdict);
    assert.equal(shown, summary.domains.find((d) => d["policy-domain"] === name).verdict, name);
  }

  // Search: any part of the name, any case.
  await page.fill("[data-testid=domains-search]", "SHOP-12");
  await page.waitForFunction(() => /^10 of 500 domains match; 10 shown\.$/.test(document.querySelector("[data-testid=domains-count]")?.textContent));
  const matching = await rowNames(page);
  assert.deepEqual([...matching].sort(), Array.from({ length: 10 }, (_, i) => `shop-12${i}.example`));
  // Unsorted, the worst come first: shop-126 fails (every seventh domain does), the others do not.
  assert.equal(matching[0], "shop-126.example");
  assert.match(await text(page, "[data-testid=domains-order]"), /^Worst first/);
  await page.fill("[data-testid=domains-search]", "");
  await page.waitForFunction(() => document.querySelector("[data-testid=domains-count]")?.textContent.startsWith("500 domains"));

  // Sorting runs over all 500 domains, not only the page drawn.
  await page.click("[data-testid=domains-table] [data-testid=sort-sessions]");
  await page.waitForFunction(() => document.querySelector("[data-testid=domains-table] th[aria-sort=descending]"));
  await settled(page);
  const bySessions = await rowNames(page);
  const most = [...summary.domains].sort((a, b) => b["successful-sessions"] + b["failed-sessions"] - (a["successful-sessions"] + a["failed-sessions"]) || a["policy-domain"].localeCompare(b["policy-domain"]))[0]["policy-domain"];
  assert.equal(bySessions[0], most);
  await page.click("[data-testid=domains-table] [data-testid=sort-verdict]");
  await page.waitForFunction(() => document.querySelector("[data-testid=domains-table] th[aria-sort]:not([aria-sort=none]) [data-testid=sort-verdict]"));
  await settled(page);
  assert.match(await page.locator("[data-testid=domains-table] tbody tr .verdict").first().innerText(), /^Not yet/);
  // Show more draws the next page.
  await page.click("[data-testid=domains-more]");
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=domains-table] tbody tr").length === 100);

  // A row opens its domain, as the domain filter does: one domain, its health line and verdict.
  await page.locator("[data-testid=domain-row-shop-007-example] [data-testid=domain-open]").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=health-shop-007-example]"));
  await settled(page);
  assert.match(await text(page, "[data-testid=filter-summary]"), /domain shop-007\.example/);
  assert.match(await text(page, "[data-testid=verdict-shop-007-example]"), /^Not yet: enforcing the MTA-STS policy would have cost mail/);
  assert.equal(await text(page, "[data-testid=overview-reports]"), "40");
  // The new views with 500 domains loaded (the filter cleared again; the bar is open while a
  // filter is set).
  await page.click("[data-testid=filter-clear]");
  await page.waitForFunction(() => document.querySelector("[data-testid=domains-table]"));
  for (const [tab, shot] of [["mx", "47-mx-500.png"], ["coverage", "48-coverage-500.png"], ["compare", "49-compare-500.png"]]) {
    await page.click(`[data-testid=tab-${tab}]`);
    await settled(page);
    await page.screenshot({ path: join(SHOTS, shot) });
  }
  assert.equal(await page.locator("[data-testid=compare-table] tbody tr").count(), 200, "the comparison is paged");
  assertPrivate(watch);
  await context.close();
});

test("typing into the search: the worker answers the latest request, not every key", { timeout: 300_000 }, async () => {
  const files = portfolio(500, 20);
  const opened = await watchedPage(env.browser, env.server.origin);
  const { page, context, watch } = opened;
  // Count the view requests the page posts and the models the worker sends back.
  await page.addInitScript(() => {
    window.__views = 0;
    window.__models = 0;
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (message, ...rest) {
      if (Array.isArray(message) && message[0] && typeof message[0] === "object" && "view" in message[0]) window.__views++;
      return post.call(this, message, ...rest);
    };
    const Original = window.Worker;
    window.Worker = function (...args) {
      const worker = new Original(...args);
      worker.addEventListener("message", (event) => {
        if (typeof event.data === "string" && event.data.startsWith('{"model"')) window.__models++;
      });
      return worker;
    };
    window.Worker.prototype = Original.prototype;
  });
  await page.setViewportSize({ width: 1400, height: 900 });
  await openApp(page);
  await page.setInputFiles("[data-testid=file-input]", files);
  await waitForInputs(page, files.length);
  await settled(page);
  const typed = "shop-123.example";
  const counts = await page.evaluate(async (text) => {
    window.__views = 0;
    window.__models = 0;
    const input = document.querySelector("[data-testid=domains-search]");
    // A key per task, faster than the worker answers: each is a request of its own.
    for (let i = 1; i <= text.length; i++) {
      input.value = text.slice(0, i);
      input.dispatchEvent(new Event("input", { bubbles: true }));
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    return window.__views;
  }, typed);
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=domains-table] tbody tr").length === 1);
  await settled(page);
  const models = await page.evaluate(() => window.__models);
  console.log(`# figures: ${typed.length} keys: ${counts} view requests, ${models} models answered`);
  assert.equal(counts, typed.length, "a request per key");
  assert.ok(models < counts, `the worker answered ${models} of ${counts} requests`);
  assert.deepEqual(await rowNames(page), [typed]);
  assert.equal(await text(page, "[data-testid=domains-count]"), "1 of 500 domains match; 1 shown.");
  assertPrivate(watch);
  await context.close();
});

test("20 domains: the table, and a verdict's figures in the health line of one domain", { timeout: 120_000 }, async () => {
  const files = portfolio(20, 20);
  const { page, context, watch } = await portfolioPage(files);
  assert.equal(await text(page, "[data-testid=domains-count]"), "20 domains; 20 shown.");
  await page.screenshot({ path: join(SHOTS, "41-domains-20.png") });
  const found = await violations(page, "light domains");
  await page.emulateMedia({ colorScheme: "dark" });
  found.push(...(await violations(page, "dark domains")));
  await page.screenshot({ path: join(SHOTS, "42-domains-20-dark.png") });
  await page.emulateMedia({ colorScheme: "light" });
  assert.deepEqual(found, [], "no serious or critical accessibility violation on the table of domains");
  await page.locator("[data-testid=domain-row-shop-002-example] [data-testid=domain-open]").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=health-shop-002-example]"));
  await settled(page);
  const health = page.locator("[data-testid=health-shop-002-example]");
  await health.locator(".verdict-figures summary").click();
  const figures = await health.locator(".verdict-figures li").allInnerTexts();
  assert.ok(figures.some((f) => /^Last 14 days \(2026-03-07 to 2026-03-20\): [\d,]+ sessions, 0 failed \(100\.0% over TLS\)\.$/.test(f)), figures.join("\n"));
  assert.ok(figures.includes("Reports on 20 days of the last 30 days, from 2 reporters: Google LLC, Microsoft Corporation."), figures.join("\n"));
  await page.screenshot({ path: join(SHOTS, "43-verdict-figures.png") });

  // The timeline draws a bar per day, per week or per month.
  await page.click("[data-testid=tab-timeline]");
  await settled(page);
  const bars = () => page.locator("[data-testid=timeline-chart] g.day").count();
  assert.equal(await bars(), 20);
  assert.equal(await page.locator("[data-testid=timeline-binned]").count(), 0);
  await page.selectOption("[data-testid=timeline-granularity]", "weeks");
  await page.waitForSelector("[data-testid=timeline-binned]");
  assert.equal(await text(page, "[data-testid=timeline-binned]"), "20 days with reports are drawn as 4 bars, one per week; the table below lists every day.");
  assert.equal(await bars(), 4);
  await page.selectOption("[data-testid=timeline-granularity]", "months");
  await page.waitForFunction(() => /one per month/.test(document.querySelector("[data-testid=timeline-binned]")?.textContent));
  assert.equal(await bars(), 1);
  assert.equal(await page.locator("[data-testid=timeline-table] tbody tr").count(), 20, "the table keeps every day");
  for (const theme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: theme });
    assert.deepEqual(await violations(page, `${theme} verdict`), [], "no serious or critical accessibility violation on a verdict");
  }
  // Clear, then the same files chosen at once: they load (the new session's models are not
  // taken for stale ones), and the bars are one per day again.
  await page.click("[data-testid=clear]");
  await page.setInputFiles("[data-testid=file-input]", files);
  await waitForInputs(page, files.length);
  await page.click("[data-testid=tab-timeline]");
  await settled(page);
  assert.equal(await page.locator("[data-testid=timeline-granularity]").inputValue(), "days");
  assert.equal(await page.locator("[data-testid=timeline-granularity] option:checked").innerText(), "one per day");
  assert.equal(await bars(), 20, "and the bars are one per day");
  assertPrivate(watch);
  await context.close();
});

test("the verdict on real samples: Mail.ru's fetch error is not ready, Google's clean report needs more data", async () => {
  const { page, context, watch } = await appWithFiles([
    join(SAMPLES, "real/parsedmarc/mail.ru.json"),
    join(SAMPLES, "real/cry-inc-dmarc-report-viewer/google.json"),
  ]);
  // Mail.ru gives no policy text, so no mode: the verdict says so rather than assume testing.
  assert.match(await text(page, "[data-testid=verdict-example-com]"), /^Not yet: the reports do not give the MTA-STS policy's mode; were it testing, enforcing it would have cost mail: .*sts-policy-fetch-error reported by Mail\.ru/);
  assert.match(await text(page, "[data-testid=verdict-foo-bar-io]"), /^Not enough data: no session failed, but the reports cover 1 day of the last 30 days, from 1 reporter;/);
  assertPrivate(watch);
  await context.close();
});

test("a portfolio's problems: a finding per problem across domains, or per domain, as summarize gives them", { timeout: 120_000 }, async () => {
  const files = portfolio(20, 20);
  const summary = summarize(files);
  const { page, context, watch } = await portfolioPage(files);
  const shown = () =>
    page.locator("[data-testid=findings] > li").evaluateAll((items) => items.map((li) => [li.dataset.rule, li.dataset.severity, li.querySelector(".finding-title").textContent]));
  const as = (findings) => findings.map((f) => [f.rule, f.severity, f.title]);
  // More than five domains and none chosen: a finding per problem, across domains.
  assert.equal(await page.locator("[data-testid=problems-grouping]").inputValue(), "rule");
  assert.deepEqual(await shown(), as(summary["findings-by-rule"]));
  assert.ok(summary["findings-by-rule"].length < summary.findings.length);
  const expired = summary["findings-by-rule"].find((f) => f.rule === "result/certificate-expired");
  assert.match(expired.title, /^Failures of type certificate-expired: \d+ domains$/);
  const card = page.locator(`[data-testid="finding-${expired.id}"]`);
  await openFinding(page, card);
  const rows = await card.locator("[data-testid=finding-part]").evaluateAll((trs) => trs.map((tr) => tr.cells[1].innerText.trim()));
  assert.deepEqual(rows, expired.parts.map((part) => part["policy-domain"]));
  await page.screenshot({ path: join(SHOTS, "51-problems-per-rule.png") });
  // Per domain, as summarize's findings.
  await page.selectOption("[data-testid=problems-grouping]", "domain");
  await page.waitForFunction(() => document.querySelector("[data-testid=problems-grouping]").value === "domain");
  await settled(page);
  assert.deepEqual(await shown(), as(summary.findings.slice(0, 50)));
  // Back across domains; then one domain chosen shows that domain's own findings.
  await page.selectOption("[data-testid=problems-grouping]", "rule");
  await settled(page);
  assert.deepEqual(await shown(), as(summary["findings-by-rule"]));
  await chooseDomain(page, "shop-000.example");
  await page.waitForFunction(() => !document.querySelector("[data-testid=problems-grouping]"));
  const own = summarize(["--filter=domain=shop-000.example", ...files]).findings;
  assert.ok(own.length > 0 && own.every((f) => f["policy-domain"] === "shop-000.example"));
  assert.deepEqual(await shown(), as(own), "a domain chosen shows its own findings");
  await chooseDomain(page, "");
  const found = [];
  for (const theme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: theme });
    found.push(...(await violations(page, `${theme} problems per rule`)));
  }
  assert.deepEqual(found, []);
  assertPrivate(watch);
  await context.close();
});

test("the MX view: the domains each host serves, whether the policy names it, its failures", { timeout: 120_000 }, async () => {
  const files = portfolio(20, 20);
  const summary = summarize(files);
  const { page, context, watch } = await portfolioPage(files);
  await page.click("[data-testid=tab-mx]");
  await settled(page);
  const rows = page.locator("[data-testid=mx-table] tbody tr");
  assert.equal(await rows.count(), summary["per-mx"].length);
  // Most failures first, as summarize lists them.
  const top = summary["per-mx"][0];
  const first = rows.first();
  assert.equal(await first.getAttribute("data-testid"), `mx-row-${slug(top["mx-host"])}`);
  assert.equal(await first.locator("td.num").innerText(), top["failed-sessions"].toLocaleString("en-US"));
  assert.match(await first.innerText(), /named by policy/);
  assert.match(await first.innerText(), /certificate-expired/);
  // Sorted by the worker: by host, then by host backwards.
  const hosts = () => page.locator("[data-testid=mx-table] tbody tr td:first-child").allInnerTexts();
  const byName = summary["per-mx"].map((row) => row["mx-host"]).sort();
  await page.click("[data-testid=mx-table] [data-testid=sort-mx-host]");
  await page.waitForFunction(() => document.querySelector("[data-testid=mx-table] th[aria-sort=ascending] [data-testid=sort-mx-host]"));
  await settled(page);
  assert.deepEqual(await hosts(), byName);
  await page.click("[data-testid=mx-table] [data-testid=sort-mx-host]");
  await page.waitForFunction(() => document.querySelector("[data-testid=mx-table] th[aria-sort=descending] [data-testid=sort-mx-host]"));
  await settled(page);
  assert.deepEqual(await hosts(), [...byName].reverse());
  await page.click("[data-testid=mx-table] [data-testid=sort-failed]");
  await page.waitForFunction(() => document.querySelector("[data-testid=mx-table] th[aria-sort=descending] [data-testid=sort-failed]"));
  await settled(page);
  assert.equal(await first.getAttribute("data-testid"), `mx-row-${slug(top["mx-host"])}`);
  await page.screenshot({ path: join(SHOTS, "44-mx-20.png") });
  await page.locator("section.view").screenshot({ path: join(SHOTS, "44-mx-20-view.png") });
  const found = [];
  for (const theme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: theme });
    found.push(...(await violations(page, `${theme} mx`)));
  }
  assert.deepEqual(found, []);
  // The CSV of this view has a row per host and domain.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=export-csv]")]);
  const period = (await text(page, "[data-testid=overview-date-range]")).replace(" – ", "-to-");
  assert.equal(download.suggestedFilename(), `tlsrpt-by-mx-${period}.csv`);
  assertPrivate(watch);
  await context.close();
});

test("compare two periods: the day of a change splits the loaded days, as summarize compares them", { timeout: 120_000 }, async () => {
  const files = portfolio(20, 20);
  const { page, context, watch } = await portfolioPage(files);
  await page.click("[data-testid=tab-compare]");
  await settled(page);
  // By default the loaded days are cut in two.
  assert.equal(await text(page, "[data-testid=compare-periods]"), "Before: 2026-03-01 to 2026-03-10 (20 reports). After: 2026-03-11 to 2026-03-20 (20 reports).");
  await page.fill("[data-testid=compare-split]", "2026-03-17");
  await page.waitForFunction(() => document.querySelector("[data-testid=compare-periods]")?.textContent.startsWith("Before: 2026-03-01 to 2026-03-16 (32 reports)"));
  await settled(page);
  const summary = summarize(["--compare=2026-03-01..2026-03-16,2026-03-17..2026-03-20", ...files]);
  const expected = summary.comparison.rows.find((row) => row.domain === "shop-007.example");
  assert.deepEqual(expected["types-appeared"], ["certificate-expired"]);
  const row = page.locator("[data-testid=compare-row-shop-007-example]");
  const cells = await row.locator("td").allInnerTexts();
  const sessions = (f) => (f["successful-sessions"] + f["failed-sessions"]).toLocaleString("en-US");
  assert.equal(cells[1], sessions(expected.before));
  assert.equal(cells[3], sessions(expected.after));
  assert.equal(cells[2], "100.0%");
  assert.match(cells[5], /^−\d+\.\d points$/);
  assert.equal(cells[6], "appeared: certificate-expired");
  assert.equal(cells[7], "none changed");
  assert.equal(await page.locator("[data-testid=compare-table] tbody tr").count(), summary.comparison.rows.length);
  // Sorted by the worker: by the change in points, the best first, then (a second click) the
  // worst first; no change counts 0.
  await page.click("[data-testid=compare-table] [data-testid=sort-change]");
  await page.waitForFunction(() => document.querySelector("[data-testid=compare-table] th[aria-sort=descending] [data-testid=sort-change]"));
  await page.click("[data-testid=compare-table] [data-testid=sort-change]");
  await page.waitForFunction(() => document.querySelector("[data-testid=compare-table] th[aria-sort=ascending] [data-testid=sort-change]"));
  await settled(page);
  const changes = (await page.locator("[data-testid=compare-table] tbody tr td:nth-child(6)").allInnerTexts()).map((cell) =>
    cell === "no change" ? 0 : Number(cell.replace("−", "-").replace(" points", "")),
  );
  // A domain without sessions in a period ("–") comes last.
  const known = changes.filter((value) => !Number.isNaN(value));
  assert.ok(changes.slice(known.length).every(Number.isNaN), changes.join(" "));
  assert.ok(known.every((value, i) => i === 0 || known[i - 1] <= value), changes.join(" "));
  assert.ok(changes[0] < 0, "a domain that got worse comes first");
  await page.screenshot({ path: join(SHOTS, "45-compare-20.png") });
  await page.locator("section.view").screenshot({ path: join(SHOTS, "45-compare-20-view.png") });
  const found = [];
  for (const theme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: theme });
    found.push(...(await violations(page, `${theme} compare`)));
  }
  assert.deepEqual(found, []);
  assertPrivate(watch);
  await context.close();
});

test("coverage: who reported when, with gaps and reports received again", { timeout: 120_000 }, async () => {
  const files = portfolio(20, 20);
  const dir = mkdtempSync(join(tmpdir(), "tlsrpt-coverage-"));
  // A third reporter with a week's gap, and one of Google's reports received twice.
  for (const day of [1, 2, 10]) {
    const date = `2026-03-${String(day).padStart(2, "0")}`;
    const report = {
      "organization-name": "Yahoo",
      "report-id": `yahoo-${date}`,
      "date-range": { "start-datetime": `${date}T00:00:00Z`, "end-datetime": `${date}T23:59:59Z` },
      policies: [{ policy: { "policy-type": "sts", "policy-domain": "shop-001.example" }, summary: { "total-successful-session-count": 9, "total-failure-session-count": 0 } }],
    };
    const file = join(dir, `yahoo-${date}.json`);
    writeFileSync(file, JSON.stringify(report));
    files.push(file);
  }
  const again = join(dir, "google-resent.json");
  writeFileSync(again, readFileSync(files[4]));
  files.push(again);
  const summary = summarize(files);
  const { page, context, watch } = await portfolioPage(files);
  await page.click("[data-testid=tab-coverage]");
  await settled(page);
  assert.equal(await text(page, "[data-testid=coverage-caption]"), "3 reporters from 2026-03-01 to 2026-03-20, a column per day.");
  assert.equal(await text(page, "[data-testid=coverage-row-yahoo] .coverage-figures"), "3 reports, 7 gaps");
  assert.equal(await text(page, "[data-testid=coverage-row-google-llc] .coverage-figures"), "20 reports, 0 gaps");
  // Hovering over a cell says its count.
  const svg = page.locator("[data-testid=coverage-row-google-llc] svg");
  const box = await svg.boundingBox();
  const cell = box.width / 20;
  await page.mouse.move(box.x + cell * 4 + cell / 2, box.y + box.height / 2);
  await page.waitForFunction(() => document.querySelector("[data-testid=coverage-hover]")?.textContent.length > 0);
  assert.equal(await text(page, "[data-testid=coverage-hover]"), "Google LLC, 2026-03-05: 1 report, 1 received again");
  // The keyboard: one stop, then the arrow keys move from cell to cell.
  const order = summary.coverage.rows.map((row) => row.reporter);
  assert.equal(order[0], "Google LLC");
  await page.focus("[data-testid=coverage-grid]");
  await page.waitForFunction(() => document.querySelector("[data-testid=coverage-hover]")?.textContent.startsWith("Google LLC, 2026-03-01"));
  for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowRight");
  assert.equal(await text(page, "[data-testid=coverage-hover]"), "Google LLC, 2026-03-05: 1 report, 1 received again");
  for (let i = 0; i < order.indexOf("Yahoo"); i++) await page.keyboard.press("ArrowDown");
  assert.equal(await text(page, "[data-testid=coverage-hover]"), "Yahoo, 2026-03-05: 0 reports");
  await page.keyboard.press("End");
  assert.equal(await text(page, "[data-testid=coverage-hover]"), "Yahoo, 2026-03-20: 0 reports");
  assert.equal(await page.locator("[data-testid=coverage-row-yahoo] .cov-cursor").count(), 1, "the cursor is drawn");
  // The table lists every cell with reports, as summarize does.
  assert.equal(await page.locator("[data-testid=coverage-table] tbody tr").count(), summary.coverage.cells.length);
  await page.screenshot({ path: join(SHOTS, "46-coverage-20.png") });
  await page.locator("section.view").screenshot({ path: join(SHOTS, "46-coverage-20-view.png") });
  const found = [];
  for (const theme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: theme });
    found.push(...(await violations(page, `${theme} coverage`)));
  }
  assert.deepEqual(found, []);
  assertPrivate(watch);
  await context.close();
});
