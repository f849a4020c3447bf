// Shared by the end-to-end test files: one server, a second origin and one browser per file,
// and the checks that compare the page with the native summary.
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { startServer } from "./server.mjs";
import { launch, watchedPage } from "./browser.mjs";

export const ROOT = new URL("../..", import.meta.url).pathname;
export const SAMPLES = join(ROOT, "samples");
export const SHOTS = join(ROOT, "tests/e2e/screenshots");

/** The server of dist/, a second origin that must never be contacted, the browser, a temp dir. */
export const env = {};

/** Starts and stops the environment around the tests of the calling file. */
export function useEnvironment() {
  before(async () => {
    env.server = await startServer(join(ROOT, "dist"));
    env.otherOrigin = await startServer(join(ROOT, "dist"));
    env.browser = await launch();
    mkdirSync(SHOTS, { recursive: true });
    env.tmp = mkdtempSync(join(tmpdir(), "tlsrpt-e2e-"));
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
    await env.otherOrigin?.close();
  });
}

/** The same slug as the app's test ids. */
export const slug = (text) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
export const number = (text) => Number(text.replaceAll(",", "").trim());

/** What the app should show, from the native core. */
export function summarize(paths) {
  const out = execFileSync("cargo", ["run", "-q", "--example", "summarize", "--", "--reports", ...paths], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  return JSON.parse(out);
}

/** Waits until the figures drawn answer what the page shows (the worker has answered). */
export async function settled(page) {
  await page.waitForSelector(".app[data-synced=true]");
}

/**
 * Chooses one domain (or all, with "") in the filter bar, the page's one domain choice, and
 * waits for the worker's answer. Opens the bar first when it is closed.
 */
export async function chooseDomain(page, domain) {
  await chooseInFilterBar(page, "filter-by-domain", domain);
  await page.waitForFunction((d) => document.querySelector("[data-testid=filter-by-domain]").value === d, domain);
  await settled(page);
}

/** Opens the filter bar if need be, and chooses `value` in its field `testid` (a list, or a
 * text field where the list would be too long). */
export async function chooseInFilterBar(page, testid, value) {
  const bar = page.locator("[data-testid=filter-bar]");
  if (!(await bar.evaluate((details) => details.open))) await bar.locator("summary").click();
  const field = page.locator(`[data-testid=${testid}]`);
  if ((await field.evaluate((el) => el.tagName)) === "SELECT") await field.selectOption(value);
  else {
    await field.fill(value);
    await field.press("Enter");
  }
}

/** How many rows of the table of domains show whole in its box, below its header and
 * within the window. */
export function visibleDomainRows(page) {
  return page.locator(".domains-scroll").evaluate((box) => {
    const area = box.getBoundingClientRect();
    const head = box.querySelector("thead").getBoundingClientRect();
    return [...box.querySelectorAll("tbody tr")].filter((tr) => {
      const r = tr.getBoundingClientRect();
      return r.top >= head.bottom - 1 && r.bottom <= area.bottom + 1 && r.bottom <= innerHeight;
    }).length;
  });
}

/**
 * Opens a finding's card and waits for its body and the worker's answer: the details element
 * tells the page it opened in a toggle event of its own, after the click has returned.
 */
export async function openFinding(page, card) {
  // With three findings or fewer, the most severe is open already.
  if (!(await card.locator("details").evaluate((details) => details.open))) await card.locator("summary").click();
  await card.locator("[data-testid=finding-explanation]").waitFor();
  await settled(page);
}

export async function text(page, selector) {
  await settled(page);
  return (await page.locator(selector).first().innerText()).trim();
}

export async function openApp(page) {
  await page.goto(env.server.url);
  await page.waitForSelector("[data-testid=welcome]");
}

export async function waitForInputs(page, files) {
  await page.waitForFunction(
    (n) => /^from ([\d,]+) files?/.exec(document.querySelector("[data-testid=overview-inputs]")?.textContent)?.[1].replaceAll(",", "") === String(n),
    files,
  );
  await page.waitForSelector("[data-testid=progress]", { state: "detached" });
  await settled(page);
}

/** A new page with the app, after these files were chosen and read. */
export async function appWithFiles(paths) {
  const opened = await watchedPage(env.browser, env.server.origin);
  await openApp(opened.page);
  await opened.page.setInputFiles("[data-testid=file-input]", paths);
  await waitForInputs(opened.page, paths.length);
  return opened;
}

/** The Inputs view's rows as [file name, outcome, reason]. */
export async function inputRows(page) {
  await page.click("[data-testid=tab-inputs]");
  await settled(page);
  await settled(page);
  return page.locator("[data-testid=inputs-table] tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [tr.querySelector("[data-col=name]").textContent, tr.dataset.outcome, tr.querySelector("[data-col=reason]").textContent]),
  );
}

export function assertPrivate(watch) {
  assert.deepEqual(watch.foreign, [], "requests to other origins");
  assert.deepEqual(watch.errors, [], "console errors");
}

/** Checks every figure of the overview and both views against the native summary. */
export async function assertViewsMatch(page, summary) {
  const o = summary.overview;
  assert.equal(number(await text(page, "[data-testid=overview-reports]")), o.reports);
  assert.equal(number(await text(page, "[data-testid=overview-successful-sessions]")), o["successful-sessions"]);
  assert.equal(number(await text(page, "[data-testid=overview-failed-sessions]")), o["failed-sessions"]);
  assert.equal(await text(page, "[data-testid=overview-success-rate]"), summary["success-rate"]);
  assert.equal(await text(page, "[data-testid=overview-domains]"), o["policy-domains"].join(", "));
  assert.equal(await text(page, "[data-testid=overview-organizations]"), o.organizations.join(", "));

  await page.click("[data-testid=tab-results]");
  await settled(page);
  assert.equal(await page.locator("[data-testid=results-table] tbody tr").count(), summary["per-result"].length);
  for (const row of summary["per-result"]) {
    const tr = `[data-testid="result-row-${slug(row["policy-domain"])}-${slug(row["policy-type"])}"]`;
    assert.equal(number(await text(page, `${tr} [data-col=successful]`)), row["successful-sessions"], tr);
    assert.equal(number(await text(page, `${tr} [data-col=failed]`)), row["failed-sessions"], tr);
    const chips = await page.locator(`${tr} .chip`).evaluateAll((els) =>
      els.map((el) => [el.dataset.type, Number(el.querySelector(".chip-count").textContent.replaceAll(",", ""))]),
    );
    assert.deepEqual(chips, row["failures-by-type"].map((t) => [t["result-type"], t.sessions]), tr);
  }

  await page.click("[data-testid=tab-sources]");
  await settled(page);
  for (const group of summary["per-source"]) {
    const org = `[data-testid="source-org-${slug(group.organization)}"]`;
    assert.equal(number(await text(page, `${org} .group-head [data-col=successful]`)), group["successful-sessions"], org);
    assert.equal(number(await text(page, `${org} .group-head [data-col=failed]`)), group["failed-sessions"], org);
    assert.equal(await page.locator(`${org} tbody tr`).count(), group.sources.length, org);
    for (const source of group.sources) {
      const ip = source["sending-ip"] ? slug(source["sending-ip"]) : "not-given";
      const tr = `[data-testid="source-ip-${slug(group.organization)}-${ip}"]`;
      assert.equal(number(await text(page, `${tr} [data-col=failed]`)), source["failed-sessions"], tr);
      const mx = (await text(page, `${tr} [data-col=mx]`)).split("\n").filter((l) => l && l !== "not given");
      assert.deepEqual(mx, source["receiving-mx-hosts"], tr);
    }
  }
}


const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Serious and critical accessibility violations (axe-core) on the page as it is now, as
 * readable lines prefixed with `where`. */
export async function violations(page, where) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const { violations } = await window.axe.run(document, { resultTypes: ["violations"] });
    return violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  });
  return result.map((line) => `${where}: ${line}`);
}
