/**
 * SVG → PNG for the reproduce CLI, with resvg (a native npm package, used only here: the library itself never loads
 * it). Fonts: the system's, with DejaVu Sans for Plot's generic `system-ui, sans-serif`.
 *
 * Run as a program, it is the CLI's PNG renderer: it reads length-prefixed SVG documents on stdin and writes
 * length-prefixed PNG files on stdout (each frame: a 4-byte big-endian length, then the bytes), until stdin closes.
 * `deno task reproduce` starts it once with {@link pngRenderer}, so that the CLI itself needs no FFI permission: only
 * this subprocess may load native code, and only resvg's binary (`--allow-ffi=<its .node file>`), with no write, net,
 * env or run permission.
 *
 * @module
 */

/** Renders a standalone SVG string to PNG bytes at `scale`× its size, on a white background. */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  // Imported on first use, so that importing this module (for `pngRenderer`) needs no FFI permission.
  const { Resvg } = await import("@resvg/resvg-js");
  const resvg = new Resvg(svg, {
    background: "white",
    fitTo: { mode: "zoom", value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
  });
  return resvg.render().asPng();
}

/**
 * The permissions the renderer subprocess needs: `--allow-ffi` scoped to resvg's native binaries for this platform in
 * Deno's npm cache, and the `--allow-sys` kinds that resvg's loader reads (`process.report`, which it uses to tell glibc
 * from musl, asks for cpus, networkInterfaces and hostname). No env, write, net or run permission.
 */
export async function rendererFlags(): Promise<string[]> {
  const info = await new Deno.Command("deno", { args: ["info", "--json"], stdout: "piped", stderr: "null" })
    .output();
  const { npmCache } = JSON.parse(new TextDecoder().decode(info.stdout)) as { npmCache: string };
  const scope = `${npmCache}/registry.npmjs.org/@resvg`;
  const binaries: string[] = [];
  const prefix = `resvg-js-${Deno.build.os}-${Deno.build.arch === "x86_64" ? "x64" : "arm64"}`;
  try {
    for await (const pkg of Deno.readDir(scope)) {
      if (!pkg.name.startsWith(prefix)) continue;
      for await (const version of Deno.readDir(`${scope}/${pkg.name}`)) {
        for await (const file of Deno.readDir(`${scope}/${pkg.name}/${version.name}`)) {
          if (file.name.endsWith(".node")) binaries.push(`${scope}/${pkg.name}/${version.name}/${file.name}`);
        }
      }
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  if (binaries.length === 0) {
    throw new Error(
      `no resvg binary for ${prefix} in ${scope}: run \`deno cache reproduce/render.ts\` first, or pass --no-png`,
    );
  }
  return [
    "--quiet",
    "--allow-read",
    `--allow-ffi=${binaries.join(",")}`,
    "--allow-sys=cpus,networkInterfaces,hostname",
  ];
}

/** A running renderer subprocess: `render` converts one SVG, `close` ends the process. */
export interface PngRenderer {
  render(svg: string): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * Starts this module as a subprocess (`deno run` with {@link rendererFlags}) and returns a function that renders one SVG
 * to PNG through it. The caller needs only `--allow-run=deno` and `--allow-read` (to find resvg's binary).
 */
export async function pngRenderer(): Promise<PngRenderer> {
  const child = new Deno.Command("deno", {
    args: ["run", ...await rendererFlags(), new URL(import.meta.url).pathname],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const writer = child.stdin.getWriter();
  const reader = child.stdout.getReader();
  let buffered = new Uint8Array(0);
  async function read(n: number): Promise<Uint8Array> {
    while (buffered.length < n) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the PNG renderer subprocess exited early (see its error above)");
      const next = new Uint8Array(buffered.length + value.length);
      next.set(buffered);
      next.set(value, buffered.length);
      buffered = next;
    }
    const out = buffered.slice(0, n);
    buffered = buffered.slice(n);
    return out;
  }
  let queue: Promise<unknown> = Promise.resolve();
  return {
    render(svg: string) {
      const result = queue.then(async () => {
        await writer.write(frame(new TextEncoder().encode(svg)));
        const length = new DataView((await read(4)).buffer).getUint32(0);
        return await read(length);
      });
      queue = result.catch(() => {});
      return result;
    },
    async close() {
      await queue;
      await writer.close();
      await reader.cancel();
      await child.status;
    },
  };
}

function frame(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, 4);
  return out;
}

if (import.meta.main) {
  const reader = Deno.stdin.readable.getReader();
  let buffered = new Uint8Array(0);
  const decoder = new TextDecoder();
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    const next = new Uint8Array(buffered.length + value.length);
    next.set(buffered);
    next.set(value, buffered.length);
    buffered = next;
    while (buffered.length >= 4) {
      const length = new DataView(buffered.buffer, buffered.byteOffset).getUint32(0);
      if (buffered.length < 4 + length) break;
      const svg = decoder.decode(buffered.subarray(4, 4 + length));
      buffered = buffered.slice(4 + length);
      const png = await svgToPng(svg);
      let written = 0;
      const bytes = frame(png);
      while (written < bytes.length) written += await Deno.stdout.write(bytes.subarray(written));
    }
  }
}
