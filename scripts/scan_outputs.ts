/**
 * Scans the committed outputs of the notebooks for what a reader should not have to wade through: text lines wider than
 * 100 characters (a `console.table` wraps and garbles its borders in the classic frontend at about 116), numbers printed
 * with more digits than matter (7 or more significant digits, or a long run of zeros), and text outputs longer than 40
 * lines. It reads the notebooks only; fix what it reports in the cell's source (round with `toPrecision`, rename or drop
 * columns, show the rows that make the point).
 *
 *     deno run --allow-read scripts/scan_outputs.ts                       # every notebook
 *     deno run --allow-read scripts/scan_outputs.ts 05_saddle_phases.ipynb --width 100 --digits 7 --lines 40
 *     deno run --allow-read scripts/scan_outputs.ts /tmp/executed/05_saddle_phases.ipynb   # a file elsewhere
 *
 * Markdown and HTML outputs (the claims tables, figures) are not scanned: they render as HTML, not as text. Exits with 1
 * when anything is reported, so it can serve as a check.
 *
 * @module
 */

import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  args: Deno.args,
  options: {
    width: { type: "string", default: "100" },
    digits: { type: "string", default: "7" },
    lines: { type: "string", default: "40" },
  },
  allowPositionals: true,
});
const maxWidth = Number(values.width), maxDigits = Number(values.digits), maxLines = Number(values.lines);

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
}
interface Cell {
  cell_type: string;
  outputs?: Output[];
}

const join = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join("") : t ?? "");

/** The text a reader sees as plain text: streams, and `text/plain` results that have no richer representation. */
function plainText(o: Output): string {
  if (o.output_type === "stream") return join(o.text);
  if (!o.data) return "";
  const rich = Object.keys(o.data).some((k) => k !== "text/plain");
  return rich ? "" : join(o.data["text/plain"]);
}

/**
 * Digits a reader must read in a printed number: the significant digits ("0.8585858585858586" → 16, "1e-3" → 1), and
 * for an integer its whole length when it is longer than 12 digits ("171000000000000000000" → 21; "82800000" → 3).
 */
export function significantDigits(token: string): number {
  const mantissa = token.replace(/^[-+]/, "").split(/[eE]/)[0];
  if (!mantissa.includes(".") && mantissa.length > 12) return mantissa.length;
  const digits = mantissa.replace(".", "").replace(/^0+/, "");
  return mantissa.includes(".") ? digits.length : digits.replace(/0+$/, "").length;
}

// A bare name is read from notebooks/; a path with a slash (an executed copy elsewhere) is read as given.
const dir = new URL("../notebooks/", import.meta.url);
const names = positionals.length
  ? positionals
  : [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".ipynb")).map((e) => e.name).sort();

let reported = 0;
for (const name of names) {
  const file = name.includes("/") ? name : new URL(name, dir);
  const nb = JSON.parse(await Deno.readTextFile(file)) as { cells: Cell[] };
  const lines: string[] = [];
  nb.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    const text = (cell.outputs ?? []).map(plainText).join("");
    if (!text) return;
    // Strip ANSI colour codes (the kernel colours numbers in its result representation).
    const rows = text.replace(new RegExp(String.fromCharCode(27) + "\\[[0-9;]*m", "g"), "").split("\n");
    const wide = rows.filter((r) => [...r].length > maxWidth);
    if (wide.length) {
      lines.push(
        `  cell ${index}: ${wide.length} line(s) wider than ${maxWidth} (widest ${
          Math.max(...wide.map((r) => [...r].length))
        })`,
      );
    }
    const numbers = [...new Set(text.match(/[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g) ?? [])]
      .filter((t) => significantDigits(t) >= maxDigits);
    if (numbers.length) {
      lines.push(`  cell ${index}: ${numbers.length} long number(s), e.g. ${numbers.slice(0, 3).join(", ")}`);
    }
    if (rows.length > maxLines) lines.push(`  cell ${index}: ${rows.length} lines of text`);
  });
  if (lines.length) {
    console.log(`${name}\n${lines.join("\n")}`);
    reported += lines.length;
  }
}
console.log(reported ? `${reported} finding(s)` : "nothing to report");
if (reported) Deno.exit(1);
