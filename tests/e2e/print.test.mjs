// End-to-end test of printing: the print stylesheet keeps the health lines, the problems with
// their explanations and fixes, and the table by result, and drops the controls; Chromium's
// print-to-PDF makes the report.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { inflateSync } from "node:zlib";
import { join } from "node:path";
import { useEnvironment, SAMPLES, SHOTS, ROOT, appWithFiles, summarize, chooseDomain, settled, text } from "./helpers.mjs";

useEnvironment();

const FILES = ["real/parsedmarc/mail.ru.json", "real/parsedmarc/rfc8460.json"].map((p) => join(SAMPLES, p));

test("printing gives a clean summary with every finding open", async () => {
  const summary = summarize(FILES);
  const { page, context } = await appWithFiles(FILES);
  assert.equal(await page.locator("[data-testid=print-summary]").isVisible(), false, "not on screen");
  await page.emulateMedia({ media: "print" });
  await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
  assert.equal(await page.locator(".topbar").isVisible(), false);
  assert.equal(await page.locator("[data-testid=filter-bar]").isVisible(), false);
  assert.equal(await page.locator("[data-testid=print-summary]").isVisible(), true);
  assert.equal(await page.locator("[data-testid=print-summary] tbody tr").count(), summary["per-result"].length);
  assert.equal(await page.locator("[data-testid=print-rows-cut]").count(), 0, "every row is printed");
  const open = await page.locator(".finding details").evaluateAll((all) => all.map((d) => d.open));
  assert.equal(open.length, summary.findings.length);
  assert.ok(open.every(Boolean), "every finding open for print");
  assert.equal(await page.locator("[data-testid=finding-fix]").first().isVisible(), true);
  await page.screenshot({ path: join(SHOTS, "20-print.png"), fullPage: true });
  const pdf = await page.pdf({ format: "A4" });
  assert.equal(pdf.subarray(0, 4).toString(), "%PDF");
  writeFileSync(join(SHOTS, "20-print.pdf"), pdf);
  // After printing, the findings close again.
  await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
  await page.emulateMedia({ media: "screen" });
  assert.ok((await page.locator(".finding details").evaluateAll((all) => all.map((d) => d.open))).every((o) => !o));
  await context.close();
});

/**
 * The text blocks drawn on each page of a PDF as Chromium writes it: each page object names
 * its content stream, deflated drawing operators in which each text block (a line, or a part
 * of one in another style) sits between `BT` and `ET`.
 */
function pdfPageBlocks(pdf) {
  const raw = pdf.toString("latin1");
  const objects = new Map();
  for (const match of raw.matchAll(/(\d+) 0 obj\b/g)) {
    const start = match.index + match[0].length;
    const end = raw.indexOf("endobj", start);
    const text = raw.slice(start, end);
    const streamAt = text.search(/stream\r?\n/);
    const head = streamAt >= 0 ? text.slice(0, streamAt) : text;
    let body = null;
    if (streamAt >= 0) {
      const from = start + streamAt + text.slice(streamAt).match(/stream\r?\n/)[0].length;
      body = pdf.subarray(from, raw.indexOf("endstream", from));
    }
    objects.set(match[1], { head, body });
  }
  const pages = [...objects.values()].filter((o) => /\/Type \/Page\b(?!s)/.test(o.head));
  return pages.map((page) => {
    const contents = page.head.match(/\/Contents\s*(\[[^\]]*\]|\d+ 0 R)/)?.[1] ?? "";
    let blocks = 0;
    for (const [, ref] of contents.matchAll(/(\d+) 0 R/g)) {
      const body = objects.get(ref)?.body;
      if (!body) continue;
      let ops;
      try {
        ops = inflateSync(body).toString("latin1");
      } catch {
        ops = body.toString("latin1");
      }
      blocks += (ops.match(/^BT$/gm) ?? []).length;
    }
    return blocks;
  });
}

test("every domain of the 2,000-report corpus prints in at most 12 A4 pages, under a header", { timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "tlsrpt-print-"));
  execFileSync("cargo", ["run", "-q", "--release", "--example", "make_corpus", "--", "--reports", "2000", "--formats", "mbox", "--out", dir], { cwd: ROOT, stdio: "pipe" });
  const mbox = join(dir, "reports.mbox");
  const { page, context } = await appWithFiles([mbox]);
  const domains = JSON.parse(execFileSync("cargo", ["run", "-q", "--example", "summarize", "--", mbox], { cwd: ROOT, maxBuffer: 1 << 30 }))
    .domains.map((d) => d["policy-domain"]).filter((d) => d !== "(no policy-domain)");
  assert.equal(domains.length, 20);
  const pages = {};
  for (const domain of domains) {
    await chooseDomain(page, domain);
    await page.emulateMedia({ media: "print" });
    await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
    await settled(page);
    const header = page.locator("[data-testid=print-header]");
    assert.equal(await header.isVisible(), true);
    const said = await header.innerText();
    assert.match(said, /TLS-RPT Viewer/);
    assert.ok(said.includes(domain), said);
    assert.match(said, /\d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2}/, said);
    assert.match(said, /Printed \d{4}-\d{2}-\d{2} \d{2}:\d{2}/, said);
    const pdf = await page.pdf({ format: "A4" });
    if (domain === "shop-00.example") {
      writeFileSync(join(SHOTS, "21-print-one-domain.pdf"), pdf);
      await page.screenshot({ path: join(SHOTS, "21-print-one-domain.png"), fullPage: true });
    }
    // At most 12 pages, none blank and none holding a lone line.
    const blocks = pdfPageBlocks(pdf);
    pages[domain] = blocks.length;
    console.log(`# ${domain}: ${blocks.length} pages, text blocks on each: ${blocks.join(" ")}`);
    assert.ok(blocks.length >= 1 && blocks.length <= 12, `${domain}: ${blocks.length} pages`);
    assert.ok(blocks.every((n) => n >= 4), `${domain}: text blocks per page: ${blocks.join(" ")}`);
    await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
    await page.emulateMedia({ media: "screen" });
  }
  console.log(`# pages per domain: ${JSON.stringify(pages)}`);
  await context.close();
});
