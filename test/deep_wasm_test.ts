// The WebAssembly SIMD deep-MLP kernel (lib/deep/deep_wasm.ts) against the JS kernel it vectorizes
// (lib/deep/deep_kernel.ts): the same sums in the same order, so trained weights must agree bit for bit (Object.is on
// every weight and bias) — and the committed cache cells of Part V's notebook sweep
// (figures/sweeps/deep-notebook.jsonl, computed with the JS kernel) must come out exactly the same.
import assert from "node:assert/strict";
import { createDeepNetwork, deepNetworkExperiment, loadMnist, trainDeepNetwork } from "../mod.ts";
import type { DeepActivation, DeepExperiment, DeepNetwork } from "../mod.ts";
import { deepWasmEnabled, setDeepWasm, WasmDeepKernel } from "../lib/deep/deep_wasm.ts";
import { DeepKernel } from "../lib/deep/deep_network.ts";

const split = await loadMnist({ testSize: 1000, trainSize: 2048, seed: 0 });

function assertSameBits(a: DeepNetwork, b: DeepNetwork, label: string): void {
  for (const part of ["weights", "biases"] as const) {
    a[part].forEach((w, l) => {
      assert.equal(w.length, b[part][l].length);
      for (let j = 0; j < w.length; j++) {
        assert.ok(Object.is(w[j], b[part][l][j]), `${label} ${part}[${l}][${j}]: ${w[j]} vs ${b[part][l][j]}`);
      }
    });
  }
}

function withWasm<T>(on: boolean, f: () => T): T {
  setDeepWasm(on);
  try {
    return f();
  } finally {
    setDeepWasm(true);
  }
}

Deno.test("WasmDeepKernel: available here (WebAssembly SIMD)", () => {
  assert.ok(deepWasmEnabled());
});

Deno.test("trainDeepNetwork: the WebAssembly kernel is bit for bit the JS kernel (SGD, Adam; relu, tanh, linear; S = 32, 5, 1; label noise)", () => {
  // Odd widths exercise the scalar tail of each row and the rows past a multiple of 4.
  const sizes = [784, 25, 19, 13, 10];
  for (const activation of ["relu", "tanh", "linear"] as DeepActivation[]) {
    for (const optimizer of ["sgd", "adam"] as const) {
      for (const S of [32, 5, 1]) {
        if (activation === "linear" && S === 5) continue;
        const net = createDeepNetwork(sizes, { seed: 7, activation });
        const options = {
          batchSize: S,
          steps: 300,
          optimizer,
          learningRate: optimizer === "adam" ? 0.002 : 0.1,
          labelNoise: 0.3,
          seed: `${activation}/${S}`,
        };
        const [fast, plain] = [true, false].map((on) =>
          withWasm(on, () => trainDeepNetwork(net, split.train, options))
        );
        const label = `${activation} ${optimizer} S=${S}`;
        assertSameBits(fast.network, plain.network, label);
        assert.deepEqual([...fast.losses], [...plain.losses], label);
        assert.equal(fast.diverged, plain.diverged);
        // The result is a plain copy, not a view of the kernel's memory.
        assert.ok(!(fast.network.weights[0].buffer instanceof WebAssembly.Memory));
        assert.equal(fast.network.weights[0].byteOffset, 0);
      }
    }
  }
});

Deno.test("trainDeepNetwork: the WebAssembly kernel is bit for bit the JS kernel on Part V's MLP 784-128-128-64-10 (S = 32 and 1)", () => {
  const sizes = [784, 128, 128, 64, 10];
  for (const S of [32, 1]) {
    const net = createDeepNetwork(sizes, { seed: 1 });
    const options = { batchSize: S, steps: S === 1 ? 400 : 150, learningRate: 0.3, labelNoise: 0.2, seed: 5 };
    const [fast, plain] = [true, false].map((on) => withWasm(on, () => trainDeepNetwork(net, split.train, options)));
    assertSameBits(fast.network, plain.network, `S=${S}`);
  }
});

Deno.test("WasmDeepKernel: forward and backward give the JS kernel's activations and gradients bit for bit; networks in other memory run the JS loops", () => {
  const sizes = [784, 30, 17, 10];
  for (const activation of ["relu", "tanh"] as DeepActivation[]) {
    for (const S of [9, 1]) {
      const start = createDeepNetwork(sizes, { seed: 2, activation });
      const js = new DeepKernel(sizes, activation, S);
      const wasm = new WasmDeepKernel(sizes, activation, S, 40000);
      const adopted = wasm.adopt(start);
      const rows = Int32Array.from({ length: S }, (_, i) => (i * 131) % split.train.count);
      const labels = Uint8Array.from(rows, (r) => split.train.labels[r]);
      for (const [k, net] of [[js, start], [wasm, adopted]] as const) {
        k.loadBatch(split.train.images, rows, S);
        k.forward(net, S);
        k.softmaxError(labels, S);
        k.backward(net, S);
      }
      const same = (a: Float64Array[], b: Float64Array[], what: string) =>
        a.forEach((x, l) =>
          x.forEach((v, j) => assert.ok(Object.is(v, b[l][j]), `${activation} S=${S} ${what}[${l}][${j}]`))
        );
      same(wasm.acts, js.acts, "acts");
      same(wasm.errs, js.errs, "errs");
      same(wasm.gradW, js.gradW, "gradW");
      same(wasm.gradB, js.gradB, "gradB");
      // A network outside the kernel's memory: the JS loops, the same bits.
      wasm.forward(start, S);
      same(wasm.acts, js.acts, "acts (fallback)");
    }
  }
});

Deno.test("deepNetworkExperiment: committed cells of figures/sweeps/deep-notebook.jsonl are reproduced exactly with the WebAssembly kernel", async () => {
  const text = await Deno.readTextFile(new URL("../figures/sweeps/deep-notebook.jsonl", import.meta.url));
  const lines = text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  // Three cells: the first, one with label noise, one from the end of the file.
  const noisy = lines.findIndex((l) => JSON.parse(l.key).experiment.labelNoise > 0);
  const picks = [...new Set([0, noisy < 0 ? 1 : noisy, lines.length - 1])];
  assert.ok(deepWasmEnabled());
  for (const i of picks) {
    const experiment = JSON.parse(lines[i].key).experiment as DeepExperiment;
    const result = await deepNetworkExperiment(experiment);
    assert.deepEqual(JSON.parse(JSON.stringify(result)), lines[i].result, `cell ${i}: ${lines[i].key}`);
  }
});
