// End-to-end test of the diagnosis on the page: the health line of each domain, the Problems
// view shown first after loading, each finding opening to its explanation, fix and evidence,
// and the filters by domain and severity. Checked against `cargo run --example summarize`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { env, useEnvironment, SAMPLES, SHOTS, text, appWithFiles, assertPrivate, summarize, slug, settled, openFinding, chooseDomain } from "./helpers.mjs";

useEnvironment();

const MIXED = [
  "real/parsedmarc/mail.ru.json",
  "real/parsedmarc/rfc8460.json",
  "real/phi-ag-mta-sts-exporter/google.json",
  "real/phi-ag-mta-sts-exporter/microsoft-2.json",
  "real/robalexdev-tlsrpt-be/report.json",
  "real/isseis-tlsrpt-digest/tlsrpt_failure.eml",
  // Microsoft's TLSA records, as a JSON list inside one string.
  "real/cry-inc-dmarc-report-viewer/microsoft.json",
].map((p) => join(SAMPLES, p));

/** The findings on the page as [rule, severity, domain]. */
/** The findings drawn, once the worker has answered the view's choices. */
async function shownFindings(page) {
  await settled(page);
  return page.locator("[data-testid=findings] > li").evaluateAll((items) =>
    items.map((li) => [li.dataset.rule, li.dataset.severity, li.dataset.domain]),
  );
}

test("the Problems view comes first and explains every finding of a mixed upload", async () => {
  const summary = summarize(MIXED);
  const { page, context, watch } = await appWithFiles(MIXED);
  assert.equal(await page.getAttribute("[data-testid=tab-problems]", "aria-selected"), "true");

  // One health line per domain, as the core writes it.
  for (const domain of summary.domains) {
    assert.equal(await text(page, `[data-testid="health-${slug(domain["policy-domain"])}"] .health-text`), domain.line);
    assert.equal(await text(page, `[data-testid="verdict-${slug(domain["policy-domain"])}"]`), domain.verdict);
  }
  assert.equal(
    await text(page, '[data-testid="health-example-com"] .health-text'),
    // By hand: 53 + 7 + 4,523 successful and 1 + 2 failed sessions (Microsoft's tlsa copy not
    // added); problems: Mail.ru's policy fetch error and Google's expired certificate (each
    // under 1% here, so warnings) and Google's certificate-expired beginning partway; notes:
    // Mail.ru's details beyond its summary, Microsoft's zone-less times, three policy texts.
    "example.com: 99.9% of 4,586 sessions over TLS; 3 problems, 3 notes",
  );

  // The policies the senders saw, field by field, with the meaning of each TLSA record.
  for (const domain of summary.domains) {
    const block = page.locator(`[data-testid="policies-${slug(domain["policy-domain"])}"]`);
    const expectedCount = domain["sts-policies"].length + domain["tlsa-records"].length;
    assert.equal(await block.locator("li").count(), expectedCount, domain["policy-domain"]);
  }
  const tlsa = await page.locator('[data-testid="policies-random-net"] li[data-kind=tlsa]').allInnerTexts();
  assert.equal(tlsa.length, 2);
  assert.ok(tlsa.every((t) => /: DANE-(EE|TA) \(\d\), (public key|full certificate) \(\d\), SHA-(256|512) \(\d\)$/.test(t)), tlsa.join("\n"));
  assert.match(await text(page, '[data-testid="policies-company-y-example"] li[data-kind=sts]'), /^MTA-STS STSv1: mode testing, mx \*\.mail\.company-y\.example, max_age 86,400 s$/);

  // Every finding, in the core's order.
  const expected = summary.findings.map((f) => [f.rule, f.severity, f["policy-domain"]]);
  assert.deepEqual(await shownFindings(page), expected);
  assert.equal(await text(page, "[data-testid=problems-count]"), `${expected.length} findings, most urgent first.`);
  const problems = summary.findings.filter((f) => f.severity !== "info").length;
  assert.equal(await text(page, "[data-testid=tab-problems]"), `Problems (${problems})`);

  // Mail.ru's finding opens to what is wrong with the policy host and what to do.
  const mailRu = summary.findings.find((f) => f.reporters.includes("Mail.ru"));
  const card = page.locator(`[data-testid="finding-${mailRu.id}"]`);
  assert.equal(await card.getAttribute("data-rule"), "result/sts-policy-fetch-error");
  assert.equal(await card.locator("[data-testid=finding-explanation]").isVisible(), false, "closed at first");
  await card.locator("summary").click();
  const explanation = await card.locator("[data-testid=finding-explanation]").innerText();
  assert.equal(explanation, mailRu.explanation);
  assert.match(explanation, /https:\/\/mta-sts\.example\.com\/\.well-known\/mta-sts\.txt/);
  assert.match(explanation, /A 404 means the web server behind mta-sts\.example\.com has no file/);
  // The steps as written, less their Copy buttons: the URL and each host named has one.
  const steps = await card.locator("[data-testid=finding-fix] li").evaluateAll((items) => items.map((li) => {
    const copy = li.cloneNode(true);
    copy.querySelectorAll("button.copy").forEach((button) => button.remove());
    return copy.textContent;
  }));
  assert.deepEqual(steps, mailRu.fix.map((s) => s.replaceAll("`", "")));
  const copied = await card.locator("[data-testid=finding-fix] [data-testid=copy-name]").evaluateAll((buttons) => buttons.map((b) => b.previousElementSibling.textContent));
  assert.deepEqual(copied, ["https://mta-sts.example.com/.well-known/mta-sts.txt", "mta-sts.example.com", "mta-sts.example.com", "_mta-sts.example.com"]);
  const evidence = await card.locator("[data-testid=finding-evidence] li").allInnerTexts();
  assert.equal(evidence.length, 2);
  assert.match(evidence[0], /reason: bad https response code: 404 — from .*mail\.ru\.json open the report$/);
  await page.screenshot({ path: join(SHOTS, "12-problems.png"), fullPage: true });

  // One domain, chosen in the filter bar (the page's one domain choice): the findings of its
  // own reports, as summarize finds them with the same filter; then without the info notes.
  assert.equal(await page.locator("[data-testid=filter-domain], [data-testid=timeline-domain]").count(), 0, "one domain choice");
  await chooseDomain(page, "company-y.example");
  const rfcOnly = summarize(["--filter=domain=company-y.example", ...MIXED]).findings.map((f) => [f.rule, f.severity, f["policy-domain"]]);
  assert.ok(rfcOnly.length > 0 && rfcOnly.every((f) => f[2] === "company-y.example"), JSON.stringify(rfcOnly));
  assert.deepEqual(await shownFindings(page), rfcOnly);
  assert.equal(await text(page, "[data-testid=problems-count]"), `${rfcOnly.length} findings, most urgent first.`);
  await chooseDomain(page, "");
  await page.uncheck("[data-testid=filter-info]");
  assert.deepEqual(await shownFindings(page), expected.filter((f) => f[1] !== "info"));
  await page.uncheck("[data-testid=filter-critical]");
  assert.deepEqual(await shownFindings(page), expected.filter((f) => f[1] === "warning"));
  await page.screenshot({ path: join(SHOTS, "13-problems-filtered.png"), fullPage: true });
  assertPrivate(watch);
  await context.close();
});

test("healthy reports say that no rule found a problem", async () => {
  const { page, context } = await appWithFiles([join(SAMPLES, "real/phi-ag-mta-sts-exporter/google.json")]);
  assert.equal(await text(page, "[data-testid=problems-count]"), "No problems found in these reports: every rule passed.");
  assert.equal(await text(page, '[data-testid="health-example-com"] .health-text'), "example.com: 100.0% of 53 sessions over TLS; no problems");
  assert.equal(await page.getAttribute('[data-testid="health-example-com"]', "data-worst"), "none");
  await context.close();
});

test("grouped findings: a row per host inside one finding, and a shared MX named once for its domains", async () => {
  const { mkdtempSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const entry = (domain, failures) => ({
    policy: { "policy-type": "sts", "policy-domain": domain, "policy-string": ["version: STSv1", "mode: testing", "mx: *.hoster.example", `mx: *.${domain}`, "max_age: 86400"] },
    summary: { "total-successful-session-count": 100, "total-failure-session-count": failures.reduce((sum, [, , n]) => sum + n, 0) },
    "failure-details": failures.map(([kind, mx, n]) => ({ "result-type": kind, "sending-mta-ip": "192.0.2.1", "receiving-mx-hostname": mx, "failed-session-count": n })),
  });
  const shared = [["certificate-expired", "mx.hoster.example", 4]];
  const report = {
    "organization-name": "Google LLC",
    "report-id": "grouped",
    "date-range": { "start-datetime": "2026-03-01T00:00:00Z", "end-datetime": "2026-03-01T23:59:59Z" },
    policies: [
      entry("a.example", shared),
      entry("b.example", shared),
      entry("c.example", [["starttls-not-supported", "mx1.c.example", 9], ["starttls-not-supported", "mx2.c.example", 5], ["starttls-not-supported", "mx3.c.example", 1]]),
    ],
  };
  const file = join(mkdtempSync(join(tmpdir(), "tlsrpt-grouped-")), "grouped.json");
  writeFileSync(file, JSON.stringify(report));
  const summary = summarize([file]);
  const { page, context, watch } = await appWithFiles([file]);
  const expected = summary.findings.map((f) => [f.rule, f.severity, f["policy-domain"]]);
  assert.deepEqual(await shownFindings(page), expected);

  // The three hosts of c.example: one finding, a row per host.
  const hosts = summary.findings.find((f) => f.rule === "result/starttls-not-supported");
  assert.equal(hosts.title, "mx1.c.example did not offer STARTTLS, and 2 more MX hosts");
  assert.equal(hosts.parts.length, 3);
  const card = page.locator(`[data-testid="finding-${hosts.id}"]`);
  assert.equal(await card.locator(".finding-title").innerText(), hosts.title);
  await openFinding(page, card);
  const rows = await card.locator("[data-testid=finding-part]").evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => [td.dataset.label, td.innerText.trim()])));
  // All of one domain: no domain column.
  assert.deepEqual(rows.map((r) => [r[0][1], r[1][1]]), hosts.parts.map((p) => [p.title, String(p.sessions)]));
  assert.ok(rows.every((r) => r.every(([label]) => label !== "Domain")), JSON.stringify(rows));
  assert.equal(await card.locator("[data-testid=finding-evidence] li").count(), 3);

  // The shared host: one finding for both domains, found under either in the domain choice.
  const sharedFinding = summary.findings.find((f) => f.rule === "result/certificate-expired");
  assert.deepEqual(sharedFinding.domains, ["a.example", "b.example"]);
  assert.equal(sharedFinding.title, "mx.hoster.example presents an expired certificate (for 2 domains)");
  const sharedCard = page.locator(`[data-testid="finding-${sharedFinding.id}"]`);
  assert.match(await sharedCard.locator(".finding-meta").innerText(), /^a\.example, b\.example · 8 sessions \(3\.8% of these domains' sessions\)/);
  await openFinding(page, sharedCard);
  assert.equal(await sharedCard.locator("[data-testid=finding-part]").count(), 2);
  assert.match(await sharedCard.locator("[data-testid=finding-explanation]").innerText(), /This host serves 2 domains: a\.example and b\.example\./);
  await page.screenshot({ path: join(SHOTS, "50-grouped-findings.png"), fullPage: true });
  for (const domain of ["a.example", "b.example"]) {
    await chooseDomain(page, domain);
    const shown = await shownFindings(page);
    assert.ok(shown.some(([rule]) => rule === "result/certificate-expired"), `${domain}: ${JSON.stringify(shown)}`);
  }
  assertPrivate(watch);
  await context.close();
});
