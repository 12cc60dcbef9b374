/**
 * The errata list: every checked claim whose verdict is "errata" (a printed formula, caption or text is wrong),
 * "disagree" (the claim fails when measured) or "partly" (a statistical reading of the claim holds in part), each with
 * the notebook cell that shows it. Notebook 15 displays these
 * rows; the functions here are pure except {@linkcode loadNotebooks}, which reads the notebook files of a folder
 * (`--allow-read`).
 *
 * How a row finds its cell, in the claim's own notebook:
 *
 * 1. a markdown cell with an "Erratum" heading (a line that starts with `#… Erratum` or `**Erratum`) that mentions the
 *    claim's id or shares an equation, proposition, theorem or figure number with its `where` (section and appendix
 *    numbers only break ties);
 * 2. else the first cell that mentions the id (markdown before code);
 * 3. else the closing claims cell (the code cell that calls `showClaims(`).
 *
 * Rows of the paper-size network sweep carry the suffix F (IV-10F…, see `reproduce/main.ts`): they match like their
 * base id and fall back to the notebook's last claims cell (the d = 200 one).
 *
 * @module
 */

import { type Claim, markdownCell, type Verdict } from "./claims.ts";
import { check, checkClaimRows, errataRowList, notebookSource, objects, place, text as checkText } from "./checks.ts";

/** A notebook as read from its `.ipynb` file: its name and its cells. */
export interface NotebookSource {
  /** The notebook's name, with or without the `.ipynb` extension. */
  name: string;
  /** The cells in order; `source` is a string or the list of lines nbformat stores. */
  cells: { cell_type: string; source: string | string[] }[];
}

/** How a row's cell was found. */
export type ErrataMatch = "erratum cell" | "mentions the id" | "closing claims cell" | "not found";

/** One erratum or failed claim and the cell that shows it. */
export interface ErrataRow {
  /** The claim's id, e.g. "I-03". */
  id: string;
  /** Where in the paper. */
  where: string;
  /** "errata", "disagree" or "partly". */
  verdict: Exclude<Verdict, "agree">;
  /** "printed formula/caption/text" (errata), "claim fails when measured" (disagree) or "holds in part" (partly). */
  kind: string;
  /** The claim as the paper makes it. */
  claim: string;
  /** What the toolkit measures. */
  measured: string;
  /** The notebook that explains it (without `.ipynb`). */
  notebook: string;
  /** The 1-based index of the cell among all cells of the notebook; null if the notebook was not given. */
  cell: number | null;
  /** How the cell was found. */
  match: ErrataMatch;
  /** A short label for the cell: its Erratum heading, its first heading or line, or "the claims table". */
  title: string;
  /** The notebook file and the cell, e.g. "13_low_rank_phase_diagrams.ipynb, cell 6". */
  link: string;
}

/** The kind of each non-agreeing verdict, as the errata table prints it. */
export const ERRATA_KINDS: Record<Exclude<Verdict, "agree">, string> = {
  errata: "printed formula/caption/text",
  disagree: "claim fails when measured",
  partly: "holds in part",
};

/** The mark of each non-agreeing verdict in the errata table (the claims report's, without the word; no emoji font needed). */
const ERRATA_BADGES: Record<Exclude<Verdict, "agree">, string> = { errata: "✎", disagree: "✗", partly: "◐" };

const EQ = /\beqs?\.?\s*((?:\(?\d+\)?)(?:\s*(?:–|—|-|,|\/|and|or)\s*\(?\d+\)?)*)/gi;
const NAMED = /\b(prop(?:osition)?|theorem|thm|figure|fig|lemma|corollary)\.?\s*(\d+)/gi;
const SECTION = /§\s*(\d+(?:\.\d+)*)/g;
const APPENDIX = /\b[Aa]pp(?:endix|\.)?\s*([A-Z](?:\.\d+)*)\b/g;

/**
 * The paper references in a text, normalized: equation numbers ("eq:21", ranges such as "eqs. (18)–(19)" expanded),
 * propositions, theorems, lemmas, corollaries and figures ("prop:3", "theorem:1", "figure:7"), sections ("sec:4.1") and
 * appendices ("app:A.2.4").
 *
 * @param text Markdown or a claim's `where`.
 * @returns The set of normalized references.
 */
export function paperReferences(text: string): Set<string> {
  checkText("paperReferences", "text", text);
  const refs = new Set<string>();
  for (const m of text.matchAll(EQ)) {
    const tokens = m[1].match(/\d+|–|—|-/g) ?? [];
    let previous: number | null = null;
    let range = false;
    for (const t of tokens) {
      if (/^\d+$/.test(t)) {
        const n = Number(t);
        if (range && previous !== null && n > previous && n - previous <= 20) {
          for (let k = previous + 1; k < n; k++) refs.add(`eq:${k}`);
        }
        refs.add(`eq:${n}`);
        previous = n;
        range = false;
      } else range = true;
    }
  }
  const kinds: Record<string, string> = { prop: "prop", proposition: "prop", thm: "theorem", fig: "figure" };
  for (const m of text.matchAll(NAMED)) {
    const k = m[1].toLowerCase();
    refs.add(`${kinds[k] ?? k}:${m[2]}`);
  }
  for (const m of text.matchAll(SECTION)) refs.add(`sec:${m[1]}`);
  for (const m of text.matchAll(APPENDIX)) refs.add(`app:${m[1]}`);
  return refs;
}

function sourceText(cell: NotebookSource["cells"][number]): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

function baseName(name: string): string {
  return name.replace(/\.ipynb$/, "");
}

/** The ids a claim is mentioned by: its own, and for the d = 200 rows (suffix F) its base id. */
function idsOf(id: string): string[] {
  return /^[IVX]+-\d+F$/.test(id) ? [id, id.slice(0, -1)] : [id];
}

function mentions(text: string, id: string): boolean {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\w-])${escaped}(?![\\w])`).test(text);
}

const ERRATUM_LINE = /^\s*(?:#+\s*|\*\*)Erratum\b.*$/m;

/**
 * A one-line label from a heading or paragraph: a bold lead ("**Erratum (…).** text") is kept alone, the Markdown marks
 * are dropped, and a label longer than `n` is cut, never inside inline math ($…$).
 */
function clip(s: string, n = 80): string {
  const bold = s.match(/^\s*\*\*(.+?)\*\*/);
  const t = (bold ? bold[1] : s).replace(/[#*]/g, "").replace(/\s+/g, " ").trim();
  if (t.length <= n) return t;
  let cut = t.slice(0, n - 1);
  if (/\S/.test(t[n - 1])) cut = cut.slice(0, Math.max(cut.lastIndexOf(" "), n / 2)); // end on a whole word
  const dollars = cut.match(/(?<!\\)\$/g)?.length ?? 0;
  if (dollars % 2 === 1) cut = cut.slice(0, cut.search(/(?<!\\)\$[^$]*$/));
  return `${cut.trimEnd()} …`;
}

function titleOf(text: string, cellType: string): string {
  if (cellType === "code") return clip(text.split("\n")[0]);
  const heading = text.match(/^#+\s.*$/m);
  return clip(heading ? heading[0] : text.split("\n")[0]);
}

/**
 * The score of an Erratum section for a claim: 100 if it mentions the id; 10 per shared equation, proposition, theorem,
 * lemma or corollary; 5 per shared figure (a figure names a whole experiment, so it only counts together with something
 * else); 1 per shared section or appendix (ties only).
 */
function score(text: string, ids: string[], refs: Set<string>): number {
  let s = ids.some((id) => mentions(text, id)) ? 100 : 0;
  for (const r of paperReferences(text)) {
    if (!refs.has(r)) continue;
    s += r.startsWith("sec:") || r.startsWith("app:") ? 1 : r.startsWith("figure:") ? 5 : 10;
  }
  return s;
}

/**
 * The Erratum sections of a markdown cell: from each "Erratum" heading line to the next heading (a cell may hold
 * several).
 */
function erratumSections(text: string): { heading: string; body: string }[] {
  const lines = text.split("\n");
  const sections: { heading: string; body: string }[] = [];
  let current: string[] | null = null;
  for (const line of lines) {
    if (ERRATUM_LINE.test(line)) {
      current = [line];
      sections.push({ heading: line, body: "" });
    } else if (/^\s*#/.test(line)) current = null;
    else if (current) current.push(line);
    if (current) sections[sections.length - 1].body = current.join("\n");
  }
  return sections;
}

/** The title of the cell a row points to, and how it was found. */
export interface CellMatch {
  /** The 1-based cell index, null if nothing fits. */
  cell: number | null;
  /** How the cell was found. */
  match: ErrataMatch;
  /** The matching Erratum heading, or the cell's first heading or line, or "the claims table". */
  title: string;
}

/**
 * Finds the cell of a notebook that shows a claim (see the module documentation for the order of preference). An
 * Erratum cell may hold several Erratum sections; each is scored on its own text, so the title is the heading of the
 * section that matches.
 *
 * @param claim The claim's id and `where`.
 * @param notebook The claim's notebook.
 * @returns The 1-based cell index (null if nothing fits), how it was found, and a short title.
 */
export function findCell(claim: Pick<Claim, "id" | "where">, notebook: NotebookSource): CellMatch {
  check.object("findCell", "claim", claim);
  checkText("findCell", "claim.id", claim.id);
  checkText("findCell", "claim.where", claim.where);
  notebookSource("findCell", "notebook", notebook);
  const ids = idsOf(claim.id);
  const refs = paperReferences(claim.where);
  const texts = notebook.cells.map(sourceText);
  let best: CellMatch | null = null;
  let bestScore = 9; // an Erratum section must share the id, an equation or a named item
  notebook.cells.forEach((c, i) => {
    if (c.cell_type !== "markdown") return;
    for (const { heading, body } of erratumSections(texts[i])) {
      const s = score(body, ids, refs) + score(heading, ids, refs); // the heading's references count twice
      if (s > bestScore) [best, bestScore] = [{ cell: i + 1, match: "erratum cell", title: clip(heading) }, s];
    }
  });
  if (best) return best;
  for (const type of ["markdown", "code"]) {
    const i = notebook.cells.findIndex((c, k) => c.cell_type === type && ids.some((id) => mentions(texts[k], id)));
    if (i >= 0) return { cell: i + 1, match: "mentions the id", title: titleOf(texts[i], type) };
  }
  const closing = notebook.cells.flatMap((c, i) =>
    c.cell_type === "code" && texts[i].includes("showClaims(") ? [i] : []
  );
  if (closing.length) {
    const i = ids.length > 1 ? closing[closing.length - 1] : closing[0];
    return { cell: i + 1, match: "closing claims cell", title: "the claims table" };
  }
  return { cell: null, match: "not found", title: "" };
}

/**
 * Keeps the claims whose verdict is not "agree" ("errata", "disagree", "partly"; in their order) and finds for each the cell of its notebook
 * that shows it.
 *
 * @param claims Checked claims (from `checkClaims`).
 * @param notebooks The notebooks to search, e.g. from {@linkcode loadNotebooks}; a claim whose notebook is
 *   missing gets `cell: null` and `match: "not found"`.
 * @returns One row per erratum or failed claim.
 */
export function errataRows(claims: Claim[], notebooks: NotebookSource[]): ErrataRow[] {
  checkClaimRows("errataRows", claims);
  objects("errataRows", "notebooks", notebooks).forEach((nb, i) => notebookSource("errataRows", `notebooks[${i}]`, nb));
  const byName = new Map(notebooks.map((n) => [baseName(n.name), n]));
  return claims.flatMap((c): ErrataRow[] => {
    if (c.verdict === "agree") return [];
    const notebook = baseName(c.notebook);
    const source = byName.get(notebook);
    const { cell, match, title }: CellMatch = source
      ? findCell(c, source)
      : { cell: null, match: "not found", title: "" };
    return [{
      id: c.id,
      where: c.where,
      verdict: c.verdict,
      kind: ERRATA_KINDS[c.verdict],
      claim: c.claim,
      measured: c.measured,
      notebook,
      cell,
      match,
      title,
      link: cell === null ? `${notebook}.ipynb` : `${notebook}.ipynb, cell ${cell}`,
    }];
  });
}

/** How many claims agree, are errata, fail when measured, or hold in part. */
export function errataCounts(
  claims: Claim[],
): { claims: number; agree: number; errata: number; disagree: number; partly: number } {
  checkClaimRows("errataCounts", claims);
  const counts = { claims: claims.length, agree: 0, errata: 0, disagree: 0, partly: 0 };
  for (const c of claims) counts[c.verdict]++;
  return counts;
}

/** Text for a table cell: pipes escaped (an already escaped \\| is kept as it is), one line. */
function mdCell(s: string): string {
  return s.replace(/\\?\|/g, "\\|").replace(/\n/g, " ");
}

/**
 * The rows as a Markdown table: id, where, kind, the claim, the measurement and a link to the notebook with the cell
 * number and its title.
 *
 * @param rows From {@linkcode errataRows}.
 * @param options `measured: false` leaves out the measurement column (a shorter table).
 * @returns Markdown text ("No errata or failed claims." when there are none).
 */
export function errataMarkdown(rows: ErrataRow[], options: { measured?: boolean } = {}): string {
  errataRowList("errataMarkdown", rows);
  check.options("errataMarkdown", options);
  if (options.measured !== undefined) check.boolean("errataMarkdown", "options.measured", options.measured);
  if (rows.length === 0) return "No errata or failed claims.\n";
  const measured = options.measured ?? true;
  const head = measured
    ? "| id | where | kind | the paper claims | we measure | shown in |\n|---|---|---|---|---|---|\n"
    : "| id | where | kind | the paper claims | shown in |\n|---|---|---|---|---|\n";
  return head + rows.map((r) => {
    const badge = ERRATA_BADGES[r.verdict];
    const shown = `[${r.link}](${r.notebook}.ipynb)${r.title ? ` — ${r.title}` : ""}`;
    return `| ${r.id} | ${markdownCell(r.where)} | ${badge} ${r.kind} | ${markdownCell(r.claim)} |` +
      (measured ? ` ${markdownCell(r.measured)} |` : "") + ` ${mdCell(shown)} |`;
  }).join("\n") + "\n";
}

/**
 * A Jupyter-displayable Markdown table of the rows (like `showClaims`).
 *
 * @param rows From {@linkcode errataRows}.
 * @param options As for {@linkcode errataMarkdown}.
 * @returns An object the Deno kernel displays as Markdown.
 */
export function showErrata(
  rows: ErrataRow[],
  options: { measured?: boolean } = {},
): { [key: symbol]: () => Record<string, string> } {
  errataRowList("showErrata", rows);
  check.options("showErrata", options);
  if (options.measured !== undefined) check.boolean("showErrata", "options.measured", options.measured);
  const md = errataMarkdown(rows, options);
  return { [Symbol.for("Jupyter.display")]: () => ({ "text/markdown": md, "text/plain": md }) };
}

/**
 * Reads every `*.ipynb` file of a folder (sorted by name). Needs `--allow-read` for the folder.
 *
 * @param dir The folder, a path or a `file:` URL.
 * @returns The notebooks, named by their file names.
 */
export async function loadNotebooks(dir: string | URL): Promise<NotebookSource[]> {
  place("loadNotebooks", "dir", dir);
  const base = typeof dir === "string" ? dir.replace(/\/+$/, "") + "/" : new URL(dir.href.replace(/\/*$/, "/"));
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(base)) {
      if (e.isFile && e.name.endsWith(".ipynb")) names.push(e.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new RangeError(
      `Invalid dir in loadNotebooks: expected a folder; received ${String(dir)}, which does not exist.`,
    );
  }
  names.sort();
  return await Promise.all(names.map(async (name) => {
    const text = await Deno.readTextFile(typeof base === "string" ? base + name : new URL(name, base));
    const nb = JSON.parse(text) as { cells?: NotebookSource["cells"] };
    return { name, cells: nb.cells ?? [] };
  }));
}
