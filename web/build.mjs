// Bundle the browser code into the built site: node build.mjs <site dir> [<metafile>]
// Writes <site>/assets/report/{report.js,pow-worker.js} and prints their sizes. With a second
// argument, also writes esbuild's metafile there (outside the site): which module imports which,
// for the integrity of the chunks (portal_site/integrity.py).
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const site = process.argv[2];
if (!site) {
  console.error("usage: node build.mjs <site dir>");
  process.exit(2);
}
const outdir = join(site, "assets", "report");
const result = await build({
  entryPoints: {
    report: "src/report-page.js",
    check: "src/check-page.js",
    "pow-worker": "src/pow-worker.js",
    receipt: "src/receipt.js",
    // Loaded only by the benchmarks (bench/browser.py), to time encryption and proof-of-work alone.
    encrypt: "src/encrypt.js",
    pow: "src/pow.js",
  },
  bundle: true,
  minify: true,
  format: "esm",
  splitting: true, // the encryption code is a chunk the pages load on demand
  chunkNames: "chunk-[hash]",
  target: "es2022",
  outdir,
  metafile: true,
  legalComments: "none",
  // Chunk names hash the modules' paths: keep a linked node_modules at the path it is linked at,
  // so that the bytes do not depend on where the packages really are (a reproducible build).
  preserveSymlinks: true,
  logLevel: "warning",
});
if (process.argv[3]) writeFileSync(process.argv[3], JSON.stringify(result.metafile));
for (const file of Object.keys(result.metafile.outputs)) {
  const bytes = readFileSync(file);
  console.log(`${file}: ${bytes.length} B, ${gzipSync(bytes, { level: 9 }).length} B gzip`);
}
