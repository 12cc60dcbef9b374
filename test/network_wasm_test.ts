// The WebAssembly SIMD kernels of the two-layer networks (lib/networks/wasm/network_wasm.ts, behind NetworkKernel in
// lib/networks/two_layer_network.ts), checked against the plain-JS reference kernel: the vectorized activations against
// Math.tanh and Math.exp, whole training runs (every activation, S = 1, 3 and 4, SGD and Adam, odd layer sizes) against
// the JS kernel with the same seed, the zero padding (bit-for-bit the same steps as an explicitly padded network), the
// look-ahead pass (bit-for-bit the same as without), gradients, the kernel's own API, and the import of mod.ts by URL.
import assert from "node:assert/strict";
import { ACTIVATIONS, createTwoLayerNetwork, networkGradient, randomNormal, trainTwoLayerNetwork } from "../mod.ts";
import type { Activation, TrainingOptions, TwoLayerNetwork } from "../mod.ts";
import { wasmNetworkAvailable, WasmNetworkKernel } from "../lib/networks/wasm/network_wasm.ts";
import { Rng } from "../lib/core/random.ts";
import { JsNetworkKernel, NetworkKernel, setNetworkBackend } from "../lib/networks/two_layer_network.ts";
import { wasmSimdSupported } from "../lib/runtime/wasm_builder.ts";

const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Runs `f` with the given default backend, restoring the previous one. */
function withBackend<T>(backend: "wasm" | "js", f: () => T): T {
  const previous = setNetworkBackend(backend);
  try {
    return f();
  } finally {
    setNetworkBackend(previous);
  }
}

function copyNet(net: TwoLayerNetwork, W = net.W, U = net.U): TwoLayerNetwork {
  return { ...net, W: Float64Array.from(W), U: Float64Array.from(U) };
}

Deno.test("WebAssembly SIMD is detected (Deno has it) and NetworkKernel uses it by default", () => {
  assert.equal(wasmSimdSupported(), true);
  assert.equal(wasmNetworkAvailable(), true);
  const net = createTwoLayerNetwork({ inputs: 3, hidden: 5, outputs: 2 });
  assert.equal(new NetworkKernel(net).backend, "wasm");
  assert.equal(new NetworkKernel(net, { backend: "js" }).backend, "js");
  assert.equal(withBackend("js", () => new NetworkKernel(net).backend), "js");
  assert.equal(new NetworkKernel(net, { backend: "wasm" }).backend, "wasm");
});

// --------------------------------------------------------------------------------------------------------- Activations

/** σ(z), σ′(z) by the JS reference formulas. */
function reference(act: Activation, z: number): [number, number] {
  switch (act) {
    case "linear":
      return [z, 1];
    case "tanh": {
      const t = Math.tanh(z);
      return [t, 1 - t * t];
    }
    case "relu":
      return [z > 0 ? z : 0, z > 0 ? 1 : 0];
    case "swish": {
      const s = 1 / (1 + Math.exp(-z));
      return [z * s, s + z * s * (1 - s)];
    }
  }
}

/** The kernel's σ and σ′ of `zs` (via its `act` function on its own memory). */
function wasmActivation(act: Activation, zs: Float64Array): { A: Float64Array; D: Float64Array } {
  const n = zs.length + (zs.length % 2);
  // deno-lint-ignore no-explicit-any
  const k = new WasmNetworkKernel({ inputs: 8, hidden: n, outputs: 8, activation: act }) as any;
  const mem = () => new Float64Array(k.x.memory.buffer);
  mem().set(zs, k.Z / 8);
  k.x.act(k.Z, k.A, k.D, n);
  return { A: mem().slice(k.A / 8, k.A / 8 + zs.length), D: mem().slice(k.D / 8, k.D / 8 + zs.length) };
}

Deno.test("SIMD activations: tanh within 8e-16 and swish within 1e-15 relative of Math.tanh / Math.exp formulas", () => {
  // 2·10⁵ arguments, log-uniform magnitudes 1e-4…1e2 of both signs. tanh = expm1(2|x|)/(expm1(2|x|) + 2): about 2 ulp
  // of our own rounding plus Math.tanh's (measured max 5.2e-16, i.e. 2.3 ulp): tolerance 8e-16 relative (3.6 ulp). σ′
  // is compared absolutely: 1 − t² and s + z s (1 − s) lose relative accuracy near their zeros in both implementations
  // (measured ≤ 2.6e-16·(1 + |z|)); tolerance 1e-15·(1 + |z|).
  const rng = Rng.stream("activations", 0);
  const zs = Float64Array.from(
    { length: 200_000 },
    () => (rng.uniform() < 0.5 ? -1 : 1) * 10 ** (6 * rng.uniform() - 4),
  );
  for (const act of ACTIVATIONS) {
    const { A, D } = wasmActivation(act, zs);
    let worstA = 0, worstD = 0;
    for (let i = 0; i < zs.length; i++) {
      const [a, d] = reference(act, zs[i]);
      if (A[i] !== a) worstA = Math.max(worstA, Math.abs(A[i] - a) / Math.abs(a));
      if (D[i] !== d) worstD = Math.max(worstD, Math.abs(D[i] - d) / (1 + Math.abs(zs[i])));
    }
    const tolA = act === "tanh" ? 8e-16 : act === "swish" ? 1e-15 : 0;
    assert.ok(worstA <= tolA, `${act}: max relative error of σ ${worstA.toExponential(2)} > ${tolA}`);
    assert.ok(worstD <= (tolA ? 1e-15 : 0), `${act}: max error of σ′ ${worstD.toExponential(2)}`);
  }
});

Deno.test("SIMD activations: special values (±0, tiny, saturation, overflow of e⁻ᶻ, ±∞, NaN) as in JS", () => {
  const zs = Float64Array.of(
    0,
    -0,
    1e-300,
    -1e-300,
    5e-324,
    19,
    -19,
    20,
    40,
    700,
    -700,
    708,
    -708,
    709.5,
    -709.5,
    709.8,
    -709.8,
    710,
    -710,
    745,
    -745,
    1e6,
    -1e6,
    Infinity,
    -Infinity,
    NaN,
  );
  for (const act of ACTIVATIONS) {
    const { A, D } = wasmActivation(act, zs);
    for (let i = 0; i < zs.length; i++) {
      const [a, d] = reference(act, zs[i]);
      const close = (x: number, y: number) =>
        Object.is(x, y) || x === y || Math.abs(x - y) <= 1e-15 * Math.abs(y) ||
        (act === "swish" && Math.abs(x - y) <= 1e-310); // subnormal results round differently
      assert.ok(close(A[i], a), `${act}(${zs[i]}): ${A[i]} vs ${a}`);
      assert.ok(close(D[i], d), `${act}′(${zs[i]}): ${D[i]} vs ${d}`);
    }
    // The sign of zero is kept: σ(−0) = −0 for linear and tanh (Math.tanh(−0) = −0), +0 for relu.
    assert.ok(Object.is(A[1], act === "linear" || act === "tanh" ? -0 : act === "relu" ? 0 : A[1]));
  }
});

// --------------------------------------------------------------------------------------------------------- Training:
// the WebAssembly kernels against the JS reference kernel

Deno.test("trainTwoLayerNetwork: WebAssembly and JS kernels agree to 1e-10 after 200 steps (all activations, S = 1, 3, 4, SGD and Adam)", () => {
  // Same seed, same draws: the only difference is the rounding of the sums (and of the SIMD tanh and exp), measured ≤
  // 7e-16 in the weights after 200 steps; the tolerance 1e-10 leaves room for growth in longer or more chaotic runs
  // while still catching any difference in the steps themselves.
  const X = randomNormal(3 * 40, { seed: "wasm-dataset-X" });
  const Y = randomNormal(2 * 40, { seed: "wasm-dataset-Y" });
  for (const act of ACTIVATIONS) {
    const odd = createTwoLayerNetwork({ inputs: 3, hidden: 5, outputs: 2, activation: act, initScale: 0.5, seed: 1 });
    const square = createTwoLayerNetwork({ inputs: 20, hidden: 20, outputs: 20, activation: act, initScale: 0.2 });
    for (const batchSize of [1, 3, 4]) {
      for (const optimizer of ["sgd", "adam"] as const) {
        for (const reduction of ["sum", "mean"] as const) {
          const o: TrainingOptions = {
            lambda: 0.01,
            steps: 200,
            batchSize,
            optimizer,
            reduction,
            recordEvery: 10,
            seed: 3,
          };
          const runs = [
            { label: "3 → 5 → 2, dataset", net: odd, data: { kind: "dataset" as const, X, Y } },
            { label: "20 → 20 → 20, Gaussian task", net: square, data: { kind: "gaussian" as const, mu: 0.4 } },
          ];
          for (const { label, net, data } of runs) {
            const w = withBackend("wasm", () => trainTwoLayerNetwork(net, data, o));
            const j = withBackend("js", () => trainTwoLayerNetwork(net, data, o));
            const tag = `${label}, ${act}, S = ${batchSize}, ${optimizer}, ${reduction}`;
            const d = Math.max(maxAbsDiff(w.network.W, j.network.W), maxAbsDiff(w.network.U, j.network.U));
            assert.ok(d < 1e-10, `${tag}: max |Δweight| = ${d.toExponential(2)}`);
            assert.ok(maxAbsDiff(w.losses, j.losses) < 1e-10, `${tag}: losses`);
            assert.deepEqual([w.steps, w.diverged, w.times], [200, false, j.times], tag);
            assert.equal(j.diverged, false, tag);
            assert.notDeepEqual(w.network.W, net.W, `${tag}: the weights moved`);
          }
        }
      }
    }
  }
});

Deno.test("trainTwoLayerNetwork with the JS backend is exactly the JS reference kernel's loop (same draws, same order)", () => {
  // The reference loop of the library before the WebAssembly kernels: fresh Gaussian (x, y) every step, x then noise
  // for each coordinate, then JsNetworkKernel.step.
  for (const batchSize of [1, 3]) {
    for (const optimizer of ["sgd", "adam"] as const) {
      const net = createTwoLayerNetwork({ inputs: 4, hidden: 6, outputs: 4, activation: "swish", initScale: 0.3 });
      const o = { lambda: 0.02, steps: 150, batchSize, optimizer, recordEvery: 1, seed: "draws" };
      const mu = 0.3, sigma = 2;
      const copy = copyNet(net);
      const k = new JsNetworkKernel(copy);
      const rng = Rng.stream("draws", 0);
      const Xb = new Float64Array(batchSize * 4), Yb = new Float64Array(batchSize * 4);
      const losses: number[] = [];
      for (let t = 0; t < o.steps; t++) {
        for (let i = 0; i < Xb.length; i++) {
          const x = rng.normal();
          Xb[i] = x;
          Yb[i] = mu * x + (1 - mu) * sigma * rng.normal();
        }
        losses.push(k.step(Xb, Yb, batchSize, o.lambda, optimizer, ADAM, 1));
      }
      const r = withBackend("js", () => trainTwoLayerNetwork(net, { kind: "gaussian", mu, noiseStd: sigma }, o));
      assert.deepEqual([r.network.W, r.network.U, Array.from(r.losses)], [copy.W, copy.U, losses]);
      // And the WebAssembly kernel on the same draws differs by rounding only.
      const w = trainTwoLayerNetwork(net, { kind: "gaussian", mu, noiseStd: sigma }, o);
      assert.ok(maxAbsDiff(w.network.W, copy.W) < 1e-12 && maxAbsDiff(w.losses, losses) < 1e-12);
    }
  }
});

Deno.test("zero padding: a 3 → 5 → 2 network steps bit-for-bit like the same network embedded in 8 → 8 → 8", () => {
  // The kernel pads 3 → 5 → 2 to 8 → 8 → 8 internally; an 8 → 8 → 8 network whose extra weights and data coordinates
  // are 0 must take exactly the same steps (the padded entries get exactly zero updates), with its extra weights
  // staying 0. Batch sizes 1, 3 (padded to 4 rows) and 6 (padded to 8).
  const rng = Rng.stream("padding", 0);
  for (const act of ACTIVATIONS) {
    for (const S of [1, 3, 6]) {
      for (const optimizer of ["sgd", "adam"] as const) {
        const small = createTwoLayerNetwork({ inputs: 3, hidden: 5, outputs: 2, activation: act, initScale: 0.5 });
        const big: TwoLayerNetwork = {
          inputs: 8,
          hidden: 8,
          outputs: 8,
          activation: act,
          W: new Float64Array(64),
          U: new Float64Array(64),
        };
        for (let i = 0; i < 5; i++) for (let j = 0; j < 3; j++) big.W[i * 8 + j] = small.W[i * 3 + j];
        for (let k = 0; k < 2; k++) for (let i = 0; i < 5; i++) big.U[k * 8 + i] = small.U[k * 5 + i];
        const ks = new NetworkKernel(copyNet(small), { backend: "wasm" });
        const kb = new NetworkKernel(big, { backend: "wasm" });
        const Xs = new Float64Array(3 * S), Ys = new Float64Array(2 * S);
        const Xb = new Float64Array(8 * S), Yb = new Float64Array(8 * S);
        for (let t = 0; t < 100; t++) {
          for (let b = 0; b < S; b++) {
            for (let j = 0; j < 3; j++) Xs[b * 3 + j] = Xb[b * 8 + j] = rng.normal();
            for (let k = 0; k < 2; k++) Ys[b * 2 + k] = Yb[b * 8 + k] = rng.normal();
          }
          const ls = ks.step(Xs, Ys, S, 0.05, optimizer, ADAM);
          const lb = kb.step(Xb, Yb, S, 0.05, optimizer, ADAM);
          assert.equal(ls, lb, `${act}, S = ${S}, ${optimizer}, step ${t}: loss`);
        }
        ks.store();
        kb.store();
        const tag = `${act}, S = ${S}, ${optimizer}`;
        for (let i = 0; i < 8; i++) {
          for (let j = 0; j < 8; j++) {
            const expected = i < 5 && j < 3 ? ks.net.W[i * 3 + j] : 0;
            assert.ok(big.W[i * 8 + j] === expected, `${tag}: W[${i}][${j}] ${big.W[i * 8 + j]} vs ${expected}`);
          }
        }
        for (let k = 0; k < 8; k++) {
          for (let i = 0; i < 8; i++) {
            const expected = k < 2 && i < 5 ? ks.net.U[k * 5 + i] : 0;
            assert.ok(big.U[k * 8 + i] === expected, `${tag}: U[${k}][${i}] ${big.U[k * 8 + i]} vs ${expected}`);
          }
        }
      }
    }
  }
});

Deno.test("look-ahead: computing the next W x′ in the pass over W gives bit-for-bit the same SGD steps (S = 1)", () => {
  for (const act of ACTIVATIONS) {
    const net = createTwoLayerNetwork({ inputs: 13, hidden: 21, outputs: 6, activation: act, initScale: 0.3 });
    const steps = 200;
    const X = randomNormal(steps * 13, { seed: "look-ahead X" });
    const Y = randomNormal(steps * 6, { seed: "look-ahead Y" });
    // Without look-ahead: step() copies each sample in.
    const plain = new NetworkKernel(copyNet(net), { backend: "wasm" });
    const plainLosses = Array.from(
      { length: steps },
      (_, t) => plain.step(X.subarray(13 * t, 13 * t + 13), Y.subarray(6 * t, 6 * t + 6), 1, 0.03, "sgd", ADAM, 0.5),
    );
    plain.store();
    // With look-ahead: the next sample staged before each step.
    const ahead = new NetworkKernel(copyNet(net), { backend: "wasm" });
    const stage = (slot: 0 | 1, t: number) => {
      const xs = ahead.stagedX(slot), ys = ahead.stagedY(slot);
      for (let j = 0; j < 13; j++) xs[j] = X[13 * t + j];
      for (let k = 0; k < 6; k++) ys[k] = Y[6 * t + k];
    };
    let slot: 0 | 1 = 0;
    stage(0, 0);
    const aheadLosses: number[] = [];
    for (let t = 0; t < steps; t++) {
      const next: 0 | 1 | -1 = t + 1 < steps ? (slot === 0 ? 1 : 0) : -1;
      if (next !== -1) stage(next, t + 1);
      aheadLosses.push(ahead.stepStaged(slot, 1, 0.03, "sgd", ADAM, 0.5, next));
      if (next !== -1) slot = next;
    }
    ahead.store();
    assert.deepEqual([ahead.net.W, ahead.net.U, aheadLosses], [plain.net.W, plain.net.U, plainLosses], act);
  }
});

Deno.test("networkGradient: WebAssembly and JS kernels agree to rounding (N = 1, 7, 150: several chunks)", () => {
  for (const act of ACTIVATIONS) {
    const net = createTwoLayerNetwork({ inputs: 11, hidden: 9, outputs: 5, activation: act, initScale: 0.4 });
    for (const N of [1, 7, 150]) {
      const X = randomNormal(11 * N, { seed: `g${N}` }), Y = randomNormal(5 * N, { seed: `h${N}` });
      const w = networkGradient(net, X, Y);
      const j = withBackend("js", () => networkGradient(net, X, Y));
      const scale = Math.max(...j.W.map(Math.abs), ...j.U.map(Math.abs));
      assert.ok(maxAbsDiff(w.W, j.W) <= 1e-14 * scale, `${act}, N = ${N}: ∂L/∂W`);
      assert.ok(maxAbsDiff(w.U, j.U) <= 1e-14 * scale, `${act}, N = ${N}: ∂L/∂U`);
    }
  }
});

// --------------------------------------------------------------------------------------------------------- The
// kernel's API

Deno.test("NetworkKernel: load/store, growing batches, pooled kernels, gradient, and the JS backend in place", () => {
  const net = createTwoLayerNetwork({ inputs: 5, hidden: 7, outputs: 3, activation: "tanh", initScale: 0.5 });
  const wasm = new NetworkKernel(copyNet(net));
  const js = new NetworkKernel(copyNet(net), { backend: "js" });
  // Batches of growing and shrinking sizes (the slots grow; padded rows never count).
  let t = 0;
  for (const S of [1, 2, 9, 70, 3, 1, 4]) {
    const X = randomNormal(5 * S, { seed: `x${t}` }), Y = randomNormal(3 * S, { seed: `y${t++}` });
    for (const opt of ["sgd", "adam"] as const) {
      const lw = wasm.step(X, Y, S, 0.02, opt, ADAM, 2 / 3);
      const lj = js.step(X, Y, S, 0.02, opt, ADAM, 2 / 3);
      assert.ok(Math.abs(lw - lj) <= 1e-14 * Math.abs(lj), `S = ${S}, ${opt}: loss ${lw} vs ${lj}`);
    }
  }
  wasm.store();
  assert.ok(maxAbsDiff(wasm.net.W, js.net.W) < 1e-13 && maxAbsDiff(wasm.net.U, js.net.U) < 1e-13);
  // The JS backend works on net.W/net.U in place; the WebAssembly one after store(). load() reads net back.
  const before = Float64Array.from(wasm.net.W);
  wasm.net.W.fill(0);
  wasm.load();
  wasm.store();
  assert.deepEqual(wasm.net.W, new Float64Array(35));
  wasm.net.W.set(before);
  wasm.load();
  // gradient() into caller arrays, equal to networkGradient.
  const X = randomNormal(5 * 4, { seed: "gx" }), Y = randomNormal(3 * 4, { seed: "gy" });
  const gW = new Float64Array(35), gU = new Float64Array(21);
  wasm.gradient(X, Y, 4, 1, gW, gU);
  const expected = networkGradient({ ...wasm.net, W: before }, X, Y);
  assert.deepEqual([gW, gU], [expected.W, expected.U]);
  // A released kernel is reused for the next network of the same shape, with that network's weights.
  wasm.release();
  const again = new NetworkKernel(copyNet(net));
  again.store();
  assert.deepEqual([again.net.W, again.net.U], [net.W, net.U]);
});

Deno.test("trainTwoLayerNetwork (WebAssembly kernels) works when mod.ts is imported by URL with no permissions", async () => {
  const root = new URL("../", import.meta.url);
  const controller = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: controller.signal, onListen() {} },
    async (req) => {
      const path = decodeURIComponent(new URL(req.url).pathname);
      if (path.includes("..")) return new Response("forbidden", { status: 403 });
      try {
        const body = await Deno.readFile(new URL(`.${path}`, root));
        return new Response(body, { headers: { "content-type": "application/typescript" } });
      } catch {
        return new Response("not found", { status: 404 });
      }
    },
  );
  const { port } = server.addr;
  const run = (net: TwoLayerNetwork) =>
    trainTwoLayerNetwork(net, { kind: "gaussian", mu: 0.5 }, { lambda: 0.05, steps: 300, seed: 2 });
  try {
    const script = `
      import { createTwoLayerNetwork, trainTwoLayerNetwork } from "http://127.0.0.1:${port}/mod.ts";
      const net = createTwoLayerNetwork({ inputs: 12, activation: "tanh", initScale: 0.3, seed: 4 });
      const r = trainTwoLayerNetwork(net, { kind: "gaussian", mu: 0.5 }, { lambda: 0.05, steps: 300, seed: 2 });
      console.log(JSON.stringify({ W: Array.from(r.network.W), U: Array.from(r.network.U) }));
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
    assert.equal(code, 0, `the URL import failed:\n${new TextDecoder().decode(stderr)}`);
    const result = JSON.parse(new TextDecoder().decode(stdout).trim().split("\n").pop()!);
    // Bit-for-bit the in-process result, which runs on the WebAssembly kernels.
    const local = run(createTwoLayerNetwork({ inputs: 12, activation: "tanh", initScale: 0.3, seed: 4 }));
    assert.deepEqual([result.W, result.U], [Array.from(local.network.W), Array.from(local.network.U)]);
    const js = withBackend(
      "js",
      () => run(createTwoLayerNetwork({ inputs: 12, activation: "tanh", initScale: 0.3, seed: 4 })),
    );
    assert.notDeepEqual(Array.from(js.network.W), result.W, "and not the JS kernel's (which rounds differently)");
  } finally {
    controller.abort();
    await server.finished;
  }
});
