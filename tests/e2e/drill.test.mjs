// End-to-end test of the drill-down: from a figure to the reports behind it, to one report's
// every field, its source (file, email, attachment) and its JSON as given, pretty-printed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useEnvironment, SAMPLES, SHOTS, text, appWithFiles, assertPrivate, settled, openFinding } from "./helpers.mjs";

useEnvironment();

const RFC = join(SAMPLES, "real/parsedmarc/rfc8460.json");
const EMAIL = join(SAMPLES, "real/isseis-tlsrpt-digest/tlsrpt_failure.eml");
const FILES = [RFC, join(SAMPLES, "real/parsedmarc/mail.ru.json"), EMAIL];

test("a figure leads to its reports, and a report to every field and its raw JSON", async () => {
  const { page, context, watch } = await appWithFiles(FILES);
  await page.click("[data-testid=tab-results]");
  await settled(page);
  const row = '[data-testid="result-row-company-y-example-sts"]';
  await page.click(`${row} [data-testid=trace]`);
  const panel = page.locator("[data-testid=drill]");
  assert.equal(await panel.locator("h2").innerText(), "The 1 report behind this figure");
  await panel.locator("[data-testid=drill-open]").first().click();
  assert.equal(await panel.locator("h2").innerText(), "Company-X report 5065427c-23d3-47ca-b6e0-946ea0e8c4be");
  const field = (name) => panel.locator(`[data-field="${name}"]`).innerText();
  assert.equal(await field("Source"), "rfc8460.json");
  assert.equal(await field("contact-info"), "sts-reporting@company-x.example");
  assert.match(await field("start-datetime"), /^2016-04-01T00:00:00Z \(2016-04-01 00:00:00 UTC\)$/);
  // Every failure detail, with every field.
  const detailRows = await panel.locator("[data-testid=drill-policy-0] tbody tr").count();
  assert.equal(detailRows, 3);
  assert.match(await panel.locator("[data-testid=drill-policy-0]").innerText(), /X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED/);
  // What failed, how often, why, where and from whom come first; no column is left empty.
  const columns = await panel.locator("[data-testid=drill-policy-0] thead th").evaluateAll((ths) => ths.map((th) => th.textContent));
  assert.deepEqual(columns.slice(0, 5), ["result-type", "failed-session-count", "failure-reason-code", "receiving-mx-hostname", "sending-mta-ip"]);
  for (const column of columns) {
    const cells = await panel.locator(`[data-testid=drill-policy-0] tbody td[data-col="${column}"]`).allInnerTexts();
    assert.ok(cells.some((cell) => cell.trim() !== ""), `${column} has a value`);
  }
  // The JSON as given: the same document as the file.
  const raw = await panel.locator("[data-testid=raw-json]").innerText();
  assert.deepEqual(JSON.parse(raw), JSON.parse(readFileSync(RFC, "utf8")));
  assert.match(raw, /^\{\n  "organization-name": "Company-X",\n  "date-range": \{/);
  await page.screenshot({ path: join(SHOTS, "19-drill-report.png") });
  await panel.locator("[data-testid=drill-back]").click();
  assert.equal(await panel.locator("h2").innerText(), "The 1 report behind this figure");
  await page.keyboard.press("Escape");
  assert.equal(await page.locator("[data-testid=drill]").count(), 0);

  // From a finding's evidence to the report that came in an email.
  await page.click("[data-testid=tab-problems]");
  await settled(page);
  const card = page.locator('[data-testid=findings] > li[data-domain="example.com"][data-rule="result/certificate-expired"]');
  await openFinding(page, card);
  await card.locator("[data-testid=evidence-open]").first().click();
  assert.match(await field("Source"), /^tlsrpt_failure\.eml › .*\.json\.gz$/);
  assert.equal(await panel.locator('[data-field="TLS-Report-Domain"]').innerText(), "example.com");
  assert.equal(await panel.locator('[data-field="TLS-Report-Submitter"]').innerText(), "google.com");
  await page.click("[data-testid=drill-close]");
  assert.equal(await page.locator("[data-testid=drill]").count(), 0);
  // A domain's health line, and a bar of the timeline, lead to their reports too.
  await page.locator('[data-testid="health-example-com"] [data-testid=health-reports]').click();
  assert.equal(await panel.locator("h2").innerText(), "The 2 reports behind this figure");
  await page.keyboard.press("Escape");
  await page.click("[data-testid=tab-timeline]");
  await settled(page);
  await page.locator('[data-testid="day-2016-04-01"]').focus();
  await page.keyboard.press("Enter");
  assert.equal(await panel.locator("h2").innerText(), "The 1 report behind this figure");
  await page.keyboard.press("Escape");
  // The overview's report count lists every report.
  await page.click("[data-testid=overview-reports-list]");
  assert.equal(await panel.locator("h2").innerText(), "The 3 reports behind this figure");
  assert.equal(await panel.locator("[data-testid=drill-open]").count(), 3);
  await page.keyboard.press("Escape");
  assertPrivate(watch);
  await context.close();
});

test("a report of hundreds of kilobytes shows its JSON as given, a part at a time, and no empty column", async () => {
  // Mail.ru's shape (no sending IP, no reason code), with 4,000 failure details: about 600 KB.
  const report = JSON.parse(readFileSync(join(SAMPLES, "real/parsedmarc/mail.ru.json"), "utf8"));
  const entry = report.policies[0];
  entry["failure-details"] = Array.from({ length: 4000 }, (_, i) => ({
    "result-type": "certificate-expired",
    "receiving-mx-hostname": `mx${i}.example.com`,
    "failed-session-count": 1 + (i % 5),
  }));
  const file = join(mkdtempSync(join(tmpdir(), "tlsrpt-large-")), "large.json");
  writeFileSync(file, JSON.stringify(report, null, 2));
  assert.ok(readFileSync(file).length > 400_000);
  const { page, context, watch } = await appWithFiles([file]);
  await page.click("[data-testid=overview-reports-list]");
  const panel = page.locator("[data-testid=drill]");
  await panel.locator("[data-testid=drill-open]").first().click();
  await panel.locator("[data-testid=raw-json]").waitFor();
  // Only the columns the details fill.
  const columns = await panel.locator("[data-testid=drill-policy-0] thead th").evaluateAll((ths) => ths.map((th) => th.textContent));
  assert.deepEqual(columns, ["result-type", "failed-session-count", "receiving-mx-hostname"]);
  // Paged: 200 of the 4,000 details at first, 200 more a click.
  const detailRows = () => panel.locator("[data-testid=drill-policy-0] tbody tr").count();
  assert.equal(await detailRows(), 200);
  assert.equal(await text(page, "[data-testid=details-more]"), "Show 200 more failure details (3,800 not shown)");
  await panel.locator("[data-testid=details-more]").click();
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=drill-policy-0] tbody tr").length === 400);
  // The text as given, in parts: together they are the file's JSON.
  const note = await text(page, "[data-testid=raw-note]");
  const [, , parts] = /part (\d+) of (\d+)/.exec(note).map(Number);
  assert.ok(parts >= 2, note);
  let whole = "";
  for (let part = 1; part <= parts; part++) {
    await page.waitForFunction((p) => document.querySelector("[data-testid=raw-note]")?.textContent.includes(`part ${p} of`), part);
    whole += await panel.locator("[data-testid=raw-json]").innerText();
    if (part < parts) await panel.locator("[data-testid=json-next]").first().click();
  }
  // The focus stays on the part buttons as the parts are drawn anew (the last part's Next is
  // disabled: Previous has it).
  await page.waitForFunction(() => document.activeElement?.dataset.testid === "json-previous");
  assert.equal(await panel.locator("[data-testid=json-next]").first().isDisabled(), true);
  assert.deepEqual(JSON.parse(whole), report);
  // The disabled Next is no stop of the panel's: Tab goes round within it (it counted as the
  // last control, and Tab from the one before it left the panel).
  const inPanel = () => page.evaluate(() => !!document.activeElement?.closest("[data-testid=drill]"));
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    assert.equal(await inPanel(), true, `Tab ${i + 1} stays in the panel`);
  }
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Shift+Tab");
    assert.equal(await inPanel(), true, `Shift+Tab ${i + 1} stays in the panel`);
  }
  await page.screenshot({ path: join(SHOTS, "19-drill-large-report.png") });
  assertPrivate(watch);
  await context.close();
});
