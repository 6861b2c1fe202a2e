import * as z from "zod/mini";
import { eventCard } from "../pages/event-card";
import { api } from "./lib/api";
import { byId, el, pageData } from "./lib/dom";
import { EventList } from "./lib/schemas";

/**
 * Search on the home page through the catalog API (GET /api/v1/events): results follow the form
 * as it is filled in, the address bar keeps the filters (so a search can be shared or reloaded,
 * which the server renders the same way), and "Show more" pages on.
 */

const Data = z.object({ limit: z.int() });
const { limit } = pageData(Data);

const form = byId<HTMLFormElement>("search");
const results = byId("results");
const more = byId<HTMLButtonElement>("more");
let page = 1;
let generation = 0;
let debounce: ReturnType<typeof setTimeout> | undefined;

function field(name: string): string {
  const value = new FormData(form).get(name);
  return typeof value === "string" ? value.trim() : "";
}

/** The form as the catalog API's query (max price in whole units → cents; upcoming by default). */
function apiQuery(pageNumber: number): URLSearchParams {
  const query = new URLSearchParams({ page: String(pageNumber), limit: String(limit) });
  for (const name of ["q", "category", "city", "to"]) if (field(name)) query.set(name, field(name));
  query.set("from", field("from") || new Date().toISOString().slice(0, 10));
  const max = field("maxPrice");
  if (/^\d{1,9}(\.\d{1,2})?$/.test(max)) query.set("maxPriceCents", String(Math.round(Number(max) * 100)));
  return query;
}

function pageQuery(): string {
  const query = new URLSearchParams();
  for (const name of ["q", "category", "city", "from", "to", "maxPrice"]) if (field(name)) query.set(name, field(name));
  const text = query.toString();
  return text ? `/?${text}` : "/";
}

function card(event: z.infer<typeof EventList>["data"][number]): HTMLElement {
  const c = eventCard(event);
  const link = el(
    "a",
    { href: c.href },
    el("span", { class: "badge", "data-status": c.status }, c.badge),
    el("h3", {}, c.title),
    ...(c.artist ? [el("p", { class: "artist" }, c.artist)] : []),
    el("p", { class: "when" }, c.when),
    el("p", { class: "where" }, c.where),
    el("p", { class: "meta" }, el("span", { class: "category" }, c.category), el("span", { class: "price" }, c.price)),
  );
  return el("li", { class: "event-card", "data-event-status": c.status }, link);
}

async function search(append: boolean): Promise<void> {
  const mine = ++generation;
  page = append ? page + 1 : 1;
  results.setAttribute("aria-busy", "true");
  const result = await api("GET", `/api/v1/events?${apiQuery(page)}`, EventList);
  if (mine !== generation) return;
  results.removeAttribute("aria-busy");
  const count = byId("results-count");
  if (!result.ok) {
    count.textContent = result.code === "VALIDATION_FAILED" ? `Check the filters: ${result.message}` : result.message;
    return;
  }
  const cards = result.data.data.map(card);
  if (append) results.append(...cards);
  else results.replaceChildren(...cards);
  const shown = results.children.length;
  const total = result.data.meta.total;
  count.textContent = total === 1 ? "1 event" : `${total} events`;
  byId("no-results").hidden = shown > 0;
  more.hidden = shown >= total;
  if (!append) history.replaceState(null, "", pageQuery());
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(debounce);
  void search(false);
});
form.addEventListener("input", () => {
  clearTimeout(debounce);
  debounce = setTimeout(() => void search(false), 300);
});
more.addEventListener("click", () => void search(true));
