// End-to-end tests with forged inputs: markup and script in every report field, in a file
// name and in an email's headers are shown as text and never run; direction controls are
// shown escaped; counts past what a count holds are shown capped.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SAMPLES, appWithFiles, assertPrivate, settled, text } from "./helpers.mjs";
import { useEnvironment } from "./helpers.mjs";

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
