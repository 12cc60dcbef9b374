// The public API type-checks for a consumer without the "dom" lib (Deno's defaults, `--no-config`): Figure and
// plotDocument() resolve to structural types there (lib/plot/render/dom.ts).
import assert from "node:assert/strict";

Deno.test("a consumer without the dom lib type-checks against mod.ts", async () => {
  const file = new URL("./consumer/no_dom_consumer.ts", import.meta.url).pathname;
  const { code, stderr } = await new Deno.Command("deno", {
    args: ["check", "--no-config", "--quiet", file],
    stdout: "piped",
    stderr: "piped",
  }).output();
  // deno-lint-ignore no-control-regex
  const text = new TextDecoder().decode(stderr).replace(/\x1b\[[0-9;]*m/g, "");
  assert.equal(code, 0, `deno check --no-config failed:\n${text.slice(-3000)}`);
});
