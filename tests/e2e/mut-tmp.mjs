// Temporary: which DOM mutations happen while a forged file loads (deleted after use).
import { launch } from "./browser.mjs";
import { startServer } from "./server.mjs";
const [dist, file] = process.argv.slice(2);
const server = await startServer(dist, "/");
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
const page = await context.newPage();
await page.goto(server.url);
await page.waitForSelector("[data-testid=welcome]");
await page.evaluate(() => {
  window.muts = {};
  const key = (n) => n.nodeType === 1 ? `${n.tagName.toLowerCase()}${n.getAttribute("data-testid") ? "#" + n.getAttribute("data-testid").replace(/\d+/g, "N") : ""}${n.parentElement ? " in " + n.parentElement.tagName.toLowerCase() + "." + (n.parentElement.className || "").split(" ")[0] : ""}` : "#text";
  new MutationObserver((list) => {
    for (const m of list) {
      if (m.type === "attributes") { const k = "attr " + m.attributeName + " on " + key(m.target); window.muts[k] = (window.muts[k] || 0) + 1; }
      for (const n of m.addedNodes) { const k = "add " + key(n); window.muts[k] = (window.muts[k] || 0) + 1; }
      for (const n of m.removedNodes) { const k = "remove " + key(n); window.muts[k] = (window.muts[k] || 0) + 1; }
    }
  }).observe(document.documentElement, { subtree: true, childList: true, attributes: true });
  window.muts0 = 1;
});
await page.evaluate(() => document.body.appendChild(document.createElement("hr")));
await page.waitForTimeout(100);
console.log("probe", await page.evaluate(() => JSON.stringify(window.muts)));
await page.setInputFiles("[data-testid=file-input]", [file]);
await page.waitForFunction(() => document.querySelector("[data-testid=overview-reports]")?.textContent.trim() === "1", null, { timeout: 120000 });
await page.waitForSelector("[data-testid=progress]", { state: "detached", timeout: 120000 });
await page.waitForSelector(".app[data-synced=true]");
await page.waitForTimeout(300);
const muts = await page.evaluate(() => window.muts0 ? window.muts : { "reloaded": 1 });
console.log("keys", Object.keys(muts).length, JSON.stringify(muts).slice(0, 300));
console.log(Object.entries(muts).sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${v}\t${k}`).join("\n"));
await page.screenshot({ path: "/tmp/prof/mut.png" });
console.log(await page.evaluate(() => document.body.innerHTML.length + " " + document.querySelectorAll("body *").length));
await browser.close();
process.exit(0);
