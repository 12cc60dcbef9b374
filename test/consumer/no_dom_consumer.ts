// A consumer script that type-checks with Deno's default libs (no "dom"): the public API's DOM types must reach it
// structurally. Checked by test/consumer_types_test.ts with `deno check --no-config`.
import { figureToSvg, lambdaGD, Plot, plotDocument, plotLyapunovExponent } from "../../mod.ts";
import type { Figure } from "../../mod.ts";

const figure: Figure = plotLyapunovExponent({ lambdas: [0.1, 0.2], m: [-0.1, 0.2] });
const svg: string = figureToSvg(figure);
const document = plotDocument();
const line = Plot.plot({ document, marks: [Plot.lineY([1, 2])] });
console.log(lambdaGD([1, 2]), svg.length, figureToSvg(line).length);
