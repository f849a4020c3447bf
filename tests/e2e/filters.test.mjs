// End-to-end test of the filters: set on the page, applied to every view (the problems
// included), kept in the page's history entry (never in its address, which goes into the
// browser's history), kept by a reload, and given as a link on request that restores them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { watchedPage } from "./browser.mjs";
import {
  env, useEnvironment, SAMPLES, SHOTS, text, waitForInputs, appWithFiles, assertPrivate, assertViewsMatch, summarize,
} from "./helpers.mjs";
import { settled } from "./helpers.mjs";

useEnvironment();

const FILES = [
  "real/parsedmarc/mail.ru.json",
  "real/parsedmarc/rfc8460.json",
  "real/phi-ag-mta-sts-exporter/google.json",
  "real/robalexdev-tlsrpt-be/report.json",
  "real/isseis-tlsrpt-digest/tlsrpt_failure.eml",
].map((p) => join(SAMPLES, p));

const FRAGMENT = "domain=company-y.example&ip=2001:db8:abcd::/48";

async function findingRules(page) {
  await page.click("[data-testid=tab-problems]");
  await settled(page);
  return page.locator("[data-testid=findings] > li").evaluateAll((items) => items.map((li) => [li.dataset.rule, li.dataset.domain]));
}

async function assertFiltered(page, summary) {
  await assertViewsMatch(page, summary);
  assert.deepEqual(await findingRules(page), summary.findings.map((f) => [f.rule, f["policy-domain"]]));
}

test("a filter applies to every view, stays out of the address, and survives a reload", async () => {
  const full = summarize(FILES);
  const filtered = summarize([`--filter=${FRAGMENT}`, ...FILES]);
  // By hand: the RFC example's two IPv6 senders, 200 starttls-not-supported and 100
  // certificate-expired failures; successful sessions are not broken down by IP.
  assert.equal(filtered.overview["failed-sessions"], 300);
  assert.equal(filtered.overview["successful-sessions"], 0);

  const { page, context, watch } = await appWithFiles(FILES);
  assert.equal(await text(page, "[data-testid=filter-summary]"), "Filters: none; every loaded report is shown.");
  await page.click("[data-testid=filter-bar] summary");
  await page.selectOption("[data-testid=filter-by-domain]", "company-y.example");
  await page.fill("[data-testid=filter-ip]", "2001:db8:abcd::/48");
  await page.press("[data-testid=filter-ip]", "Enter");
  await page.waitForFunction((f) => history.state === f, FRAGMENT);
  assert.equal(await page.evaluate(() => location.hash), "", "no filter value in the address");
  assert.ok(!(await page.evaluate(() => location.href)).includes("company-y"));
  assert.match(await text(page, "[data-testid=filter-summary]"), /^Filtered: domain company-y\.example · sending IP 2001:db8:abcd::\/48\. Reports do not break successful sessions down/);
  await assertFiltered(page, filtered);
  await page.screenshot({ path: join(SHOTS, "16-filtered.png"), fullPage: true });

  // A link to this view, made on request, names the filters.
  await page.click("[data-testid=link-to-view]");
  assert.equal(await page.inputValue("[data-testid=view-link]"), `${env.server.url}#${FRAGMENT}`);
  // A reload keeps the filter: it applies once the reports are loaded again.
  await page.reload();
  await page.waitForSelector("[data-testid=welcome]");
  assert.equal(await page.evaluate(() => location.hash), "");
  await page.setInputFiles("[data-testid=file-input]", FILES);
  await waitForInputs(page, FILES.length);
  await assertFiltered(page, filtered);

  // Cleared: everything again.
  await page.click("[data-testid=filter-clear]");
  await page.waitForFunction(() => history.state === "");
  await assertFiltered(page, full);
  assertPrivate(watch);
  await context.close();
});

test("a bookmarked filter is restored from the URL", async () => {
  const filtered = summarize([`--filter=${FRAGMENT}`, ...FILES]);
  const { page, context, watch } = await watchedPage(env.browser, env.server.origin);
  await page.goto(`${env.server.url}#${FRAGMENT}`);
  await page.waitForSelector("[data-testid=welcome]");
  await page.setInputFiles("[data-testid=file-input]", FILES);
  await waitForInputs(page, FILES.length);
  assert.equal(await page.evaluate(() => location.hash), "", "taken out of the address once read");
  assert.equal(await page.inputValue("[data-testid=filter-by-domain]"), "company-y.example");
  assert.equal(await page.inputValue("[data-testid=filter-ip]"), "2001:db8:abcd::/48");
  await assertFiltered(page, filtered);
  // Going to another fragment (a pasted link, back and forward) applies it at once.
  await page.evaluate(() => (location.hash = "#org=Google%20Inc."));
  await page.waitForFunction(() => document.querySelector("[data-testid=filter-summary]").textContent.includes("reporter Google Inc."));
  await assertFiltered(page, summarize(["--filter=org=Google%20Inc.", ...FILES]));
  assert.equal(await page.evaluate(() => location.hash), "");
  assertPrivate(watch);
  await context.close();
});
