// Temporary: profile the main thread while a forged file loads (not a test; deleted after use).
import { launch } from "./browser.mjs";
import { startServer } from "./server.mjs";
import { writeFileSync } from "node:fs";
const [dist, file, out] = process.argv.slice(2);
const server = await startServer(dist, "/");
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
const page = await context.newPage();
await page.goto(server.url);
await page.waitForSelector("[data-testid=welcome]");
await page.evaluate(() => {
  window.tasks = [];
  window.changeAt = Infinity;
  window.addEventListener("change", () => (window.changeAt = performance.now()), true);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.startTime >= window.changeAt) window.tasks.push([Math.round(e.startTime - window.changeAt), Math.round(e.duration)]);
  }).observe({ type: "longtask" });
});
const cdp = await context.newCDPSession(page);
await cdp.send("Profiler.enable");
await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
await cdp.send("Profiler.start");
await page.setInputFiles("[data-testid=file-input]", [file]);
await page.waitForFunction(() => document.querySelector("[data-testid=overview-reports]")?.textContent.trim() === "1", null, { timeout: 120000 });
await page.waitForSelector("[data-testid=progress]", { state: "detached", timeout: 120000 });
await page.waitForSelector(".app[data-synced=true]");
await page.waitForTimeout(500);
const { profile } = await cdp.send("Profiler.stop");
writeFileSync(out, JSON.stringify(profile));
console.log("long tasks after change [start, duration]:", JSON.stringify(await page.evaluate(() => window.tasks)));
console.log(await page.evaluate(() => {
  const out = {all: document.querySelectorAll("body *").length, option: document.querySelectorAll("option").length};
  for (const el of document.querySelectorAll("section, [data-testid]")) {
    const n = el.querySelectorAll("*").length;
    if (n > 150) out[(el.getAttribute("data-testid") || el.className || el.tagName)] = n;
  }
  return JSON.stringify(out);
}));
await browser.close();
server.close?.();
process.exit(0);
