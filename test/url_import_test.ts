// A script that imports mod.ts and experiments/mod.ts by URL — where deno.json's import map does not apply — with no
// permission but --allow-import for the server, computes m, builds a figure, runs a phase diagram in Web Workers and
// checks a claim of the paper.
import assert from "node:assert/strict";

const root = new URL("../", import.meta.url);

Deno.test("mod.ts and experiments/mod.ts work when imported by http URL with only --allow-import", async () => {
  const controller = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: controller.signal, onListen() {} },
    async (req) => {
      const path = decodeURIComponent(new URL(req.url).pathname);
      if (path.includes("..")) return new Response("forbidden", { status: 403 });
      try {
        const body = await Deno.readFile(new URL(`.${path}`, root));
        const type = path.endsWith(".ts") ? "application/typescript" : "application/octet-stream";
        return new Response(body, { headers: { "content-type": type } });
      } catch {
        return new Response("not found", { status: 404 });
      }
    },
  );
  const { port } = server.addr;
  try {
    const script = `
      import { figureToSvg, geomspace, linspace, loadMnist, lyapunovExponent, outlierStabilityMap, plotStabilityMap }
        from "http://127.0.0.1:${port}/mod.ts";
      import { checkClaims, PART1_CLAIMS } from "http://127.0.0.1:${port}/experiments/mod.ts";
      const m = lyapunovExponent([0.25, 1, 4], 1.5);
      const map = outlierStabilityMap([0.5, 1, 1.5], { lambdas: linspace(0.1, 2, 20), outlierSizes: geomspace(1, 100, 10) });
      const svg = figureToSvg(plotStabilityMap(map));
      const digits = await loadMnist({ testSize: 10, trainSize: 10 }); // Part V's data: an npm JSON import
      const [claim] = checkClaims(PART1_CLAIMS.filter((c) => c.id === "I-01"));
      // The worker pool over URL: its workers import the library's modules from the server too.
      const { gaussianPhaseDiagram, phaseDiagramInWorkers } = await import("http://127.0.0.1:${port}/mod.ts");
      const o = { lambdas: linspace(0.01, 3, 20), mus: linspace(0, 1, 7) };
      const inWorkers = await phaseDiagramInWorkers({ kind: "gaussianPhaseDiagram", options: o }, { workers: 2 });
      const workers = String(inWorkers.phase) === String(gaussianPhaseDiagram(o).phase);
      console.log(JSON.stringify({ m, svgLength: svg.length, raster: svg.includes("data:image/png;base64"), digits: digits.test.count, workers, verdict: claim.verdict }));
    `;
    const child = new Deno.Command("deno", {
      args: ["run", "--no-config", "--no-lock", `--allow-import=127.0.0.1:${port}`, "-"],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(script));
    await writer.close();
    const { code, stdout, stderr } = await child.output();
    const err = new TextDecoder().decode(stderr);
    assert.equal(code, 0, `the URL import failed:\n${err}`);
    const result = JSON.parse(new TextDecoder().decode(stdout).trim().split("\n").pop()!);
    const expected = (Math.log(Math.abs(1 - 1.5 * 0.25)) + Math.log(0.5) + Math.log(5)) / 3;
    assert.ok(Math.abs(result.m - expected) < 1e-15, `m: expected ${expected}, actual ${result.m}`);
    assert.ok(result.raster && result.svgLength > 1000, "the figure was built with its raster");
    assert.equal(result.digits, 10, "loadMnist works from a URL import");
    assert.equal(result.workers, true, "phaseDiagramInWorkers works from a URL import");
    assert.equal(result.verdict, "agree", "the experiments module works from a URL import");
  } finally {
    controller.abort();
    await server.finished;
  }
});
