import type * as z from "zod/mini";

/** An element the page's markup must have; a missing one is a bug in the page, not the visitor's. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

/** The JSON the server rendered for this page's script, checked against the page's schema. */
export function pageData<S extends z.ZodMiniType>(schema: S): z.output<S> {
  return schema.parse(JSON.parse(byId("page-data").textContent ?? "null"));
}

/** Sets a text and, for screen readers, whether it is an error. */
export function say(element: HTMLElement, text: string, kind: "info" | "error" | "success" = "info"): void {
  element.textContent = text;
  element.dataset.kind = kind;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

const SVG = "http://www.w3.org/2000/svg";

export function svgEl<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number> = {},
  ...children: (Node | string)[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  element.append(...children);
  return element;
}
