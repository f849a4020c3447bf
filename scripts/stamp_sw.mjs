// Stamps the service worker with the build's own files: a Trunk post-build hook (Trunk.toml)
// that rewrites `const CACHE` and `const SHELL` in the built sw.js. The list is the app shell:
// index.html, boot.js, the icon, the demo reports' notice, and the hashed scripts, wasm and
// stylesheets that Trunk and scripts/build_page.sh wrote; never sw.js itself, the embedding example or the sample
// reports. The cache's name is a hash of those files' names and contents, so that every
// release that changes one of them is a new service worker (see sw.js).
//
// usage: node scripts/stamp_sw.mjs [DIR]   (DIR defaults to $TRUNK_STAGING_DIR, then dist)
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] || process.env.TRUNK_STAGING_DIR || "dist";
const FIXED = ["index.html", "boot.js", "favicon.svg", "DEMO-NOTICE.txt"];
const BUILT = /\.(js|wasm|css)$/;

// The page's own code is in app-HASH/ (scripts/build_page.sh): its files are listed too.
const inFolders = (names) =>
  names.flatMap((name) =>
    /^app-[0-9a-f]+$/.test(name) && statSync(join(dir, name)).isDirectory()
      ? readdirSync(join(dir, name)).map((inner) => `${name}/${inner}`)
      : [name],
  );
const files = inFolders(readdirSync(dir))
  .filter((name) => statSync(join(dir, name)).isFile())
  .filter((name) => FIXED.includes(name) || (BUILT.test(name) && name !== "sw.js"))
  .sort();
for (const name of FIXED) {
  if (!files.includes(name)) throw new Error(`stamp_sw: ${name} is missing from ${dir}`);
}
if (!files.some((name) => name.endsWith(".wasm"))) throw new Error(`stamp_sw: no wasm in ${dir}`);

const hash = createHash("sha256");
for (const name of files) {
  hash.update(name).update("\0").update(readFileSync(join(dir, name))).update("\0");
}
const cache = `tlsrpt-viewer-${hash.digest("hex").slice(0, 16)}`;

const path = join(dir, "sw.js");
const source = readFileSync(path, "utf8");
const stamped = source
  .replace(/^const CACHE = .*;$/m, `const CACHE = ${JSON.stringify(cache)};`)
  .replace(/^const SHELL = .*;$/m, `const SHELL = ${JSON.stringify(files)};`);
if (!stamped.includes(cache) || !stamped.includes(JSON.stringify(files))) {
  throw new Error(`stamp_sw: ${path} has no "const CACHE = …;" and "const SHELL = …;" lines`);
}
writeFileSync(path, stamped);
console.log(`stamp_sw: ${cache}, ${files.length} files`);
