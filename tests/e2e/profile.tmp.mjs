import { startServer } from "/work/main/tests/e2e/server.mjs";
import { launch } from "/work/main/tests/e2e/browser.mjs";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path"; import { tmpdir } from "node:os";
const dir = mkdtempSync(join(tmpdir(), "prof-"));
const t = JSON.parse(readFileSync("/work/main/samples/real/parsedmarc/rfc8460.json", "utf8"));
const paths = [];
for (let i = 0; i < 2000; i++) { t["report-id"] = "p" + i; const p = join(dir, `r${i}.json`); writeFileSync(p, JSON.stringify(t)); paths.push(p); }
const server = await startServer("/work/main/dist");
const browser = await launch();
const page = await browser.newPage();
await page.goto(server.url);
await page.waitForSelector("[data-testid=welcome]");
const cdp = await page.context().newCDPSession(page);
await cdp.send("Profiler.enable"); await cdp.send("Profiler.setSamplingInterval", { interval: 200 }); await cdp.send("Profiler.start");
await page.evaluate(() => { window.longest = 0; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.longest = Math.max(window.longest, e.duration); }).observe({ type: "longtask" }); });
await page.setInputFiles("[data-testid=file-input]", paths);
await page.waitForFunction(() => /from 2,000 files/.test(document.querySelector("[data-testid=overview-inputs]")?.textContent ?? ""));
await page.waitForSelector("[data-testid=progress]", { state: "detached" });
const { profile } = await cdp.send("Profiler.stop");
console.log("longest", await page.evaluate(() => window.longest));
const self = new Map(); const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = profile.timeDeltas; const counts = new Map();
profile.samples.forEach((id, i) => counts.set(id, (counts.get(id) || 0) + (dt[i] || 0)));
for (const [id, us] of counts) { const n = byId.get(id); const k = n.callFrame.functionName + " " + n.callFrame.url.split("/").pop() + ":" + n.callFrame.lineNumber + ":" + n.callFrame.columnNumber; self.set(k, (self.get(k) || 0) + us); }
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${(v / 1000).toFixed(1)}ms ${k}`).join("\n"));
await browser.close(); await server.close();
