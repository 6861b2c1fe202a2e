import * as z from "zod/mini";
import { api } from "./api";
import { drawSection } from "./section-draw";

/**
 * A big venue's sections, opened one at a time from the overview: the first opening fetches the
 * section's seats (GET …/seats?section=ID) and draws them; later ones just show the figure again.
 */

const SeatsAnswer = z.looseObject({
  version: z.int(),
  sections: z.array(
    z.looseObject({
      id: z.string(),
      seats: z.optional(
        z.array(
          z.looseObject({
            id: z.string(),
            row: z.string(),
            number: z.int(),
            status: z.enum(["available", "held", "sold", "blocked"]),
          }),
        ),
      ),
    }),
  ),
});

export interface OpenedSection {
  figure: HTMLElement;
  /** The version the drawn seats are at (undefined: drawn by the server with the page). */
  version: number | undefined;
}

export async function openSection(
  eventId: string,
  section: { id: string; name: string; priceCents: number },
  currency: string,
): Promise<OpenedSection | { error: string }> {
  const figure = document.getElementById(`section-${section.id}`);
  if (!figure) return { error: `No map for ${section.name}.` };
  for (const other of document.querySelectorAll<HTMLElement>("figure.section-map")) other.hidden = other !== figure;
  for (const button of document.querySelectorAll<HTMLElement>("[data-open-section]")) {
    button.setAttribute("aria-expanded", String(button.dataset.openSection === section.id));
  }
  figure.hidden = false;
  if (figure.dataset.drawn) return { figure, version: undefined };
  const result = await api(
    "GET",
    `/api/v1/events/${encodeURIComponent(eventId)}/seats?section=${encodeURIComponent(section.id)}`,
    SeatsAnswer,
  );
  if (!result.ok) return { error: `${section.name} could not be loaded: ${result.message}` };
  const seats = result.data.sections.find((s) => s.id === section.id)?.seats ?? [];
  drawSection(figure, section, seats, currency);
  return { figure, version: result.data.version };
}
