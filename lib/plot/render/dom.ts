/**
 * The DOM types of the public API, without requiring the "dom" lib of a consumer.
 *
 * The plot helpers return DOM elements and {@linkcode plotDocument} returns a `Document`. A consumer whose compiler
 * options include `"lib": ["dom"]` (a browser project, or Deno with that lib) sees exactly those types; one without it
 * (Deno's default `deno.window` lib, or a `--no-config` script importing the module by URL) sees the structural types
 * below, which describe what the toolkit uses of them. The choice is made by a conditional type on `globalThis`, so no
 * triple-slash directive (which JSR forbids) is needed.
 *
 * @module
 */

/** The part of a DOM element that the toolkit reads: enough to serialize a figure to SVG. */
export interface ElementLike {
  /** The tag name (`svg`, `figure`, `div`, …). */
  readonly tagName: string;
  /** The element serialized as markup. */
  readonly outerHTML: string;
  /** The text content. */
  readonly textContent: string | null;
  /** The child elements. */
  readonly children: ArrayLike<ElementLike>;
  /** An attribute's value, or `null`. */
  getAttribute(name: string): string | null;
  /** The first descendant matching a selector, or `null`. */
  querySelector(selectors: string): ElementLike | null;
  /** All descendants matching a selector. */
  querySelectorAll(selectors: string): ArrayLike<ElementLike>;
}

/** The part of a DOM document that the toolkit uses: element creation. */
export interface DocumentLike {
  /** Creates an element. */
  createElement(tagName: string, options?: { is?: string }): ElementLike;
}

/** `Element` where the "dom" lib is loaded, {@linkcode ElementLike} elsewhere. */
export type DomElement = typeof globalThis extends { Element: { prototype: infer E } } ? E : ElementLike;

/** `Document` where the "dom" lib is loaded, {@linkcode DocumentLike} elsewhere. */
export type DomDocument = typeof globalThis extends { Document: { prototype: infer D } } ? D : DocumentLike;
