/**
 * Running the NumPy/SciPy baselines of `bench/` from the compare scripts: start `python3` on a script next to this
 * file, optionally with a JSON job on stdin, and read its output. Never throws: a missing interpreter, a missing
 * permission, a crash or a script-reported `{ "error": … }` come back as a reason to print, so that a compare script
 * still prints the Deno timings. Not a bench file itself.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** A script's output, or why there is none. */
export type PythonRun = { ok: true; stdout: string } | { ok: false; reason: string };

/** A script's last output line parsed as JSON, or why there is none. */
export type PythonResult<R> = { ok: true; result: R } | { ok: false; reason: string };

/**
 * Runs `python3 <script> …args` (the script resolved next to this file), writing `input` as JSON to its stdin when
 * given.
 *
 * @param script The script's file name in `bench/`.
 * @param args Command-line arguments.
 * @param input A JSON-serializable job for stdin (typed arrays become arrays).
 * @returns The trimmed stdout, or a reason.
 */
export async function runPython(script: string, args: string[] = [], input?: unknown): Promise<PythonRun> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("python3", {
      args: [path, ...args],
      stdin: input === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { ok: false, reason: "python3 not found on PATH" };
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
      return { ok: false, reason: "no permission to run python3 (pass --allow-run=python3)" };
    }
    return { ok: false, reason: `could not start python3: ${e}` };
  }
  if (input !== undefined) {
    const json = JSON.stringify(input, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v));
    const writer = child.stdin.getWriter();
    try {
      await writer.write(new TextEncoder().encode(json));
      await writer.close();
    } catch {
      // The script exited before reading its input (e.g. NumPy missing): its output says why.
    }
  }
  const { code, stdout, stderr } = await child.output();
  const out = new TextDecoder().decode(stdout).trim();
  if (code !== 0) {
    const err = new TextDecoder().decode(stderr).trim().split("\n").slice(-3).join(" | ");
    let reported: string | undefined;
    try {
      reported = (JSON.parse(out.split("\n").at(-1) ?? "") as { error?: string }).error;
    } catch {
      reported = undefined;
    }
    return { ok: false, reason: reported ?? `${script} failed (exit code ${code}): ${err || out || "no output"}` };
  }
  return { ok: true, stdout: out };
}

/**
 * {@linkcode runPython}, then the last stdout line parsed as JSON; a result with an `error` field, or one that `valid`
 * rejects, is a failure.
 *
 * @param script The script's file name in `bench/`.
 * @param args Command-line arguments.
 * @param input A JSON-serializable job for stdin.
 * @param valid Whether the parsed result has the expected shape.
 * @returns The parsed result, or a reason.
 */
export async function runPythonJson<R>(
  script: string,
  args: string[],
  input: unknown,
  valid: (r: R) => boolean,
): Promise<PythonResult<R>> {
  const run = await runPython(script, args, input);
  if (!run.ok) return run;
  let parsed: (R & { error?: string }) | undefined;
  try {
    parsed = JSON.parse(run.stdout.split("\n").at(-1) ?? "");
  } catch {
    parsed = undefined;
  }
  if (parsed?.error) return { ok: false, reason: parsed.error };
  if (parsed === undefined || !valid(parsed)) {
    return { ok: false, reason: `${script} printed no result: ${run.stdout.slice(-300) || "no output"}` };
  }
  return { ok: true, result: parsed };
}
