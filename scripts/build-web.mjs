// Bundles the web pages' scripts and styles (src/mosaic/web/assets) with their npm libraries
// (Leaflet, Chart.js) into src/mosaic/web/static/dist: minified, content-hashed file names, and
// manifest.json mapping each entry (dashboard.js, dashboard.css, favicon.svg) to its file.
// The output is git-ignored.   node scripts/build-web.mjs   (make assets; run and test call it)
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const web = path.join(root, "src/mosaic/web");
const outdir = path.join(web, "static/dist");
const pages = ["dashboard", "numbers", "sensors", "expenses"];

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
const result = await build({
  entryPoints: pages.map((page) => path.join(web, "assets", `${page}.js`)),
  bundle: true,
  minify: true,
  sourcemap: "linked",
  format: "esm",
  target: ["es2020"],
  outdir,
  entryNames: "[name]-[hash]",
  assetNames: "[name]-[hash]",
  loader: { ".png": "file", ".svg": "file" },
  metafile: true,
  logLevel: "warning",
});

const manifest = {};
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (!output.entryPoint) continue;
  const page = path.basename(output.entryPoint, ".js");
  manifest[`${page}.js`] = path.basename(file);
  if (output.cssBundle) manifest[`${page}.css`] = path.basename(output.cssBundle);
}
const icon = await readFile(path.join(web, "assets", "favicon.svg"));
const iconName = `favicon-${createHash("sha256").update(icon).digest("hex").slice(0, 8)}.svg`;
await copyFile(path.join(web, "assets", "favicon.svg"), path.join(outdir, iconName));
manifest["favicon.svg"] = iconName;

await writeFile(path.join(outdir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`web assets: ${Object.keys(manifest).join(", ")} in ${path.relative(root, outdir)}`);
