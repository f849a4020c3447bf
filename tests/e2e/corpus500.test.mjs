// The first-hour issue's own portfolio: 3,000 reports over 500 domains from `make_corpus`,
// rather than the hand-made portfolios of the other tests. On it: the table of domains
// triages (worst first, 8 rows and the tabs on a 1400×900 screen), a Ready domain shows as
// Ready, no text of the diagnosis runs past 2,000 characters, a filter by reporter leaves a
// domain's own verdict and shows its filtered figure beside it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { watchedPage } from "./browser.mjs";
import {
  ROOT, SHOTS, assertPrivate, chooseInFilterBar, env, number, openApp, settled, slug, summarize, text, useEnvironment,
  visibleDomainRows, waitForInputs,
} from "./helpers.mjs";

useEnvironment();

/** The table's own order: Not yet, Not enough data, Ready; most failed sessions; name. */
const RANK = { "not-yet": 0, "not-enough-data": 1, ready: 2 };
const worstFirst = (a, b) =>
  RANK[a["verdict-status"]] - RANK[b["verdict-status"]] ||
  b["failed-sessions"] - a["failed-sessions"] ||
  (a["policy-domain"] < b["policy-domain"] ? -1 : 1);

test("the 500-domain corpus: a table that triages, a Ready domain, texts of a readable length, the verdict under a filter", { timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "tlsrpt-c500-"));
  execFileSync("cargo", ["run", "-q", "--release", "--example", "make_corpus", "--", "--reports", "3000", "--domains", "500", "--formats", "mbox", "--out", dir], { cwd: ROOT, stdio: "pipe" });
  const mbox = join(dir, "reports.mbox");
  const summary = summarize([mbox]);
  const domains = summary.domains.filter((d) => d["policy-domain"] !== "(no policy-domain)");
  // Each of 3,000 reports names one of 500 domains at random: a few get none.
  assert.ok(domains.length > 480 && domains.length <= 500, `${domains.length} domains`);

  // No title, explanation or fix step past 2,000 characters, across domains or per domain.
  for (const finding of [...summary.findings, ...summary["findings-by-rule"]]) {
    for (const piece of [finding.title, finding.explanation, ...finding.fix]) {
      assert.ok(piece.length <= 2000, `${finding.id}: ${piece.length} characters`);
    }
    assert.doesNotMatch(finding.title, /\.\.$/, finding.title);
  }

  const opened = await watchedPage(env.browser, env.server.origin);
  const { page } = opened;
  await page.setViewportSize({ width: 1400, height: 900 });
  await openApp(page);
  await page.setInputFiles("[data-testid=file-input]", [mbox]);
  await waitForInputs(page, 1);
  await page.locator("[data-testid=domains-table] tbody tr").first().waitFor();
  await settled(page);

  // Worst first, as summarize's figures rank them.
  const shown = await page.locator("[data-testid=domains-table] tbody tr").evaluateAll((rows) => rows.slice(0, 12).map((row) => row.querySelector("th").innerText.trim()));
  assert.deepEqual(shown, [...domains].sort(worstFirst).slice(0, 12).map((d) => d["policy-domain"]));
  // At 1400×900: at least 8 rows, and the tabs on the first screen.
  const visibleRows = await visibleDomainRows(page);
  assert.ok(visibleRows >= 8, `${visibleRows} rows show`);
  const tabs = await page.locator("[data-testid=tab-problems]").boundingBox();
  assert.ok(tabs.y + tabs.height <= 900, JSON.stringify(tabs));
  await page.screenshot({ path: join(SHOTS, "60-corpus-500.png") });

  // A Ready domain, found by the search, says Ready.
  const ready = domains.find((d) => d["verdict-status"] === "ready");
  assert.ok(ready, "the corpus has a Ready domain");
  await page.fill("[data-testid=domains-search]", ready["policy-domain"]);
  await page.waitForFunction(() => /^1 of [\d,]+ domains match/.test(document.querySelector("[data-testid=domains-count]")?.textContent));
  assert.match(await text(page, `[data-testid=verdict-${slug(ready["policy-domain"])}]`), /^Ready/);
  await page.fill("[data-testid=domains-search]", "");

  // A reporter's filter on the worst domain: its line and verdict stay its own, over all of
  // its reports, and the filtered figure is beside them, labelled.
  const worst = [...domains].sort(worstFirst)[0];
  await page.click(`[data-testid=domain-row-${slug(worst["policy-domain"])}] [data-testid=domain-open]`);
  await settled(page);
  const line = `[data-testid=health-${slug(worst["policy-domain"])}]`;
  const own = await text(page, `${line} .health-text`);
  const verdict = await text(page, `[data-testid=verdict-${slug(worst["policy-domain"])}]`);
  const reporter = summary["per-source"].find((g) => g.sources.some((s) => s["policy-domains"].includes(worst["policy-domain"]))).organization;
  await chooseInFilterBar(page, "filter-org", reporter);
  await page.waitForSelector(`${line} [data-testid=health-filtered]`);
  await settled(page);
  assert.equal(await text(page, `${line} .health-text`), own);
  assert.equal(await text(page, `[data-testid=verdict-${slug(worst["policy-domain"])}]`), verdict);
  assert.match(await text(page, `${line} [data-testid=health-filtered]`), /^\(Under the filter: (\d+\.\d% of [\d,]+ sessions? over TLS|no sessions reported)\)$/);
  const sessions = number(/of ([\d,]+) sessions?/.exec(own)[1]);
  assert.equal(sessions, worst["successful-sessions"] + worst["failed-sessions"]);
  // Back to every domain the reporter reports on: the table ranks them by their own figures
  // (the worst still first), each with the filter's rate beside its own, and its reports and
  // trend said to be the filter's.
  await page.click("[data-testid=all-domains]");
  await settled(page);
  const row = page.locator("[data-testid=domains-table] tbody tr").first();
  assert.equal(await row.getAttribute("data-testid"), `domain-row-${slug(worst["policy-domain"])}`);
  assert.match(await row.locator("[data-testid=domain-filtered]").innerText(), /^filtered: /);
  assert.match(await row.innerText(), /under the filter/);

  assertPrivate(opened.watch);
  await opened.context.close();
});
