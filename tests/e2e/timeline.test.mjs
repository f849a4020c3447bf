// End-to-end test of the Timeline view: the chart is drawn, and its bars match the daily
// figures of `cargo run --example summarize`, for all domains and for one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { env, useEnvironment, SAMPLES, SHOTS, text, appWithFiles, assertPrivate, summarize, slug } from "./helpers.mjs";
import { settled, chooseDomain } from "./helpers.mjs";

useEnvironment();

const FILES = [
  "real/parsedmarc/mail.ru.json",
  "real/parsedmarc/rfc8460.json",
  "real/phi-ag-mta-sts-exporter/google.json",
  "real/phi-ag-mta-sts-exporter/microsoft.json",
  "real/phi-ag-mta-sts-exporter/microsoft-2.json",
  "real/robalexdev-tlsrpt-be/report.json",
  "real/isseis-tlsrpt-digest/tlsrpt_failure.eml",
  "real/isseis-tlsrpt-digest/tlsrpt_success_google_1.eml",
  "real/isseis-tlsrpt-digest/tlsrpt_success_google_2.eml",
].map((p) => join(SAMPLES, p));

/** The bars on the page: day, successful, failed and the failure segments. */
async function bars(page) {
  return page.locator("[data-testid=timeline-chart] g.day").evaluateAll((groups) =>
    groups.map((g) => ({
      day: g.dataset.day,
      successful: Number(g.dataset.successful),
      failed: Number(g.dataset.failed),
      segments: [...g.querySelectorAll("rect[data-type]")].map((r) => [r.dataset.type, Number(r.dataset.sessions)]),
    })),
  );
}

function expectedBars(days) {
  return days.map((d) => ({
    day: d.day,
    successful: d["successful-sessions"],
    failed: d["failed-sessions"],
    segments: [
      ...d["failures-by-type"].map((t) => [t["result-type"], t.sessions]),
      ...(d["unitemised-failures"] > 0 ? [["without details", d["unitemised-failures"]]] : []),
    ],
  }));
}

test("the timeline draws one bar per day, matching the daily figures", async () => {
  const summary = summarize(FILES);
  const { page, context, watch } = await appWithFiles(FILES);
  await page.click("[data-testid=tab-timeline]");
  await settled(page);
  await page.waitForSelector("[data-testid=timeline-chart] svg");
  assert.deepEqual(await bars(page), expectedBars(summary["per-day"]));
  // By hand: 2016-04-01 is the RFC example (5,326 successful, 303 failed: 200
  // starttls-not-supported, 100 certificate-expired, 3 validation-failure).
  const rfc = page.locator('[data-testid="day-2016-04-01"]');
  assert.equal(await rfc.getAttribute("data-successful"), "5326");
  assert.equal(await rfc.getAttribute("data-failed"), "303");
  assert.match(await rfc.locator("title").textContent(), /^2016-04-01: 5,326 successful, 303 failed\n  starttls-not-supported: 200\n/);
  // Bars are drawn to scale: the failure segments of a day add up to its failure bar's share.
  const heights = await rfc.locator("rect[data-type]").evaluateAll((rects) => rects.map((r) => Number(r.getAttribute("height"))));
  assert.ok(Math.abs(heights[0] / heights[1] - 2) < 0.01, `200 vs 100 sessions: ${heights}`);
  // The table gives the same figures.
  assert.equal(await text(page, '[data-testid="timeline-row-2016-04-01"] [data-col=failed]'), "303");
  await page.hover('[data-testid="day-2016-04-01"]');
  await page.screenshot({ path: join(SHOTS, "14-timeline.png"), fullPage: true });

  // A date axis: 2016-04-01 and 2024-02-16 are years apart, a break of the axis labelled with
  // its dates; the four days without reports between 2024-02-17 and 2024-02-22 are room to
  // scale (the bar of the 22nd stands five slots after that of the 17th).
  const gaps = await page.locator("[data-testid=timeline-gap]").evaluateAll((gs) => gs.map((g) => [g.dataset.from, g.dataset.to, g.querySelector("title").textContent]));
  assert.deepEqual(gaps[0], ["2016-04-02", "2024-02-15", "No reports from 2016-04-02 to 2024-02-15 (2,876 days)"]);
  assert.equal(gaps.length, 5, JSON.stringify(gaps));
  const slot = (day) => page.locator(`[data-testid="day-${day}"]`).getAttribute("data-slot").then(Number);
  assert.equal((await slot("2024-02-22")) - (await slot("2024-02-17")), 5);
  assert.equal((await slot("2024-02-17")) - (await slot("2024-02-16")), 1);
  const quiet = await page.locator("[data-testid=timeline-quiet]").evaluateAll((gs) => gs.map((g) => [g.dataset.from, g.dataset.to]));
  assert.deepEqual(quiet, [["2024-02-18", "2024-02-21"]]);
  // Two days stand far above the rest (5,629 and 4,525 sessions against 201 at most): their
  // bars are cut at the panel's top and labelled with their figures, and the page says why.
  const clipped = await page.locator("g.day.clipped").evaluateAll((gs) => gs.map((g) => [g.dataset.day, document.querySelector(`.clipped-label[data-day="${g.dataset.day}"]`).textContent]));
  assert.deepEqual(clipped, [["2016-04-01", "5,629"], ["2026-02-08", "4,525"]]);
  await page.locator("[data-testid=timeline-clipped]").waitFor();
  // The day of 201 sessions now stands over a third of the panel's height (its axis ends at 300).
  const tallest = await page.locator('[data-testid="day-2025-08-04"] rect.seg-success').evaluate((r) => Number(r.getAttribute("height")));
  assert.ok(tallest > 40, `${tallest}`);

  // One domain at a time: the filter bar's domain, the page's one domain choice.
  await chooseDomain(page, "example.com");
  assert.deepEqual(await bars(page), expectedBars(summary["per-day-by-domain"]["example.com"]));
  await page.setViewportSize({ width: 390, height: 900 });
  await page.screenshot({ path: join(SHOTS, "15-timeline-narrow.png"), fullPage: true });
  assertPrivate(watch);
  await context.close();
});
