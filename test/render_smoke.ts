// Run by test/reproduce_cli_test.ts with the reproduce task's permissions (no FFI, env or sys): renders a tiny SVG through
// the PNG renderer subprocess and prints the PNG's size and signature.
import { pngRenderer } from "../reproduce/render.ts";

const renderer = await pngRenderer();
const svg =
  `<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="10" height="10" fill="red"/></svg>`;
const first = await renderer.render(svg);
const second = await renderer.render(svg.replace("red", "blue"));
await renderer.close();
console.log(JSON.stringify({ bytes: [first.length, second.length], signature: [...first.subarray(0, 8)] }));
