import { figureToSvg } from "./mod.ts";
import { networkResults, part4NetworkClaims, part4NetworkFigures } from "./reproduce/part4.ts";
import { checkClaims, claimsMarkdown } from "./reproduce/claims.ts";
import { readCache } from "./reproduce/sweep_cache.ts";
import { svgToPng } from "./reproduce/render.ts";
const size = (Deno.args[0] ?? "notebook") as "notebook";
const known = await readCache(Deno.args[1] ?? "/tmp/nbsweep", size);
const res = await networkResults(size, { known });
for (const f of part4NetworkFigures(res)) {
  const svg = figureToSvg(f.figure);
  await Deno.writeFile(`/tmp/p4/${f.name}.png`, svgToPng(svg));
  console.log(f.name);
}
console.log(claimsMarkdown(checkClaims(part4NetworkClaims(res))));
const s = res.panels;
for (const k of Object.keys(s)) console.log(k, s[k].map((r) => r.diverged ? "x" : r.rank).join(" "));
console.log("batch", res.batch.map((r) => r.diverged ? "x" : r.rank).join(" "));
console.log("exp", res.exponents.map((r) => r.exponent.toFixed(4)).join(" "));
