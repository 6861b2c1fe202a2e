import { Hono } from "hono";
import { z } from "zod";
import { database } from "../../db/client";
import { setEventImage } from "../../db/event-content";
import { reindexVenueEvents } from "../../db/events";
import { findVenue, updateVenue, venueHasEvents } from "../../db/venues";
import { audit } from "../audit";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";
import {
  contentHash,
  declaredImageType,
  IMAGE_EXTENSIONS,
  IMMUTABLE,
  imageKeyOf,
  MAX_IMAGE_BYTES,
  MEDIA_FILE,
  sniffImage,
} from "../media";
import { auth, currentUser } from "../middleware/auth";
import { EventIdParam, Id, VenuePatch } from "../schemas";
import { jsonBody, pathParams, validationFailed } from "../validate";
import { imageUrlOf, venueView } from "../views";
import { ownedEvent, ownedVenue } from "./admin";

export const VenueIdParam = z.object({ venueId: Id });
export const MediaParams = z.object({
  eventId: EventIdParam.shape.eventId,
  file: z.string().regex(MEDIA_FILE, "must be an image file name"),
});

const sectionsFixed = () =>
  new ApiError("CONFLICT", "A venue's sections change only while no event is set there.", { sections: "locked" });

const tooLarge = () =>
  new ApiError("PAYLOAD_TOO_LARGE", `An image must be at most ${MAX_IMAGE_BYTES} bytes.`, { limit: MAX_IMAGE_BYTES });

const unsupported = (message: string) =>
  new ApiError("UNSUPPORTED_MEDIA_TYPE", message, { accepted: Object.keys(IMAGE_EXTENSIONS) });

/** An event's content beyond its sale: its image, and its venue's edits (name, place, sections). */
export const eventContent = new Hono<AppEnv>()
  .patch(
    "/admin/venues/:venueId",
    auth({ roles: ["organizer"] }),
    pathParams(VenueIdParam),
    jsonBody(VenuePatch),
    async (c) => {
      const db = database(c.env.DB);
      const venue = await ownedVenue(db, currentUser(c), c.var.params.venueId);
      const patch = c.var.body;
      if (patch.sections && (await venueHasEvents(db, venue.id))) throw sectionsFixed();
      if (!(await updateVenue(db, venue, patch))) throw sectionsFixed();
      const saved = await findVenue(db, venue.id);
      if (!saved) throw new ApiError("NOT_FOUND", "No such venue.");
      await reindexVenueEvents(db, saved);
      await audit(c, {
        action: "venue.update",
        targetType: "venue",
        target: venue.id,
        ownerId: venue.organizerId,
        details: { fields: Object.keys(patch).sort() },
      });
      return c.json(venueView(saved));
    },
  )

  .put("/admin/events/:eventId/image", auth({ roles: ["organizer"] }), pathParams(EventIdParam), async (c) => {
    const db = database(c.env.DB);
    const bundle = await ownedEvent(db, currentUser(c), c.var.params.eventId);
    const declared = declaredImageType(c.req.header("content-type"));
    if (!declared) throw unsupported("Send the image as image/jpeg, image/png or image/webp.");
    const length = Number(c.req.header("content-length") ?? "0");
    if (length > MAX_IMAGE_BYTES) throw tooLarge();
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.byteLength > MAX_IMAGE_BYTES) throw tooLarge();
    if (bytes.byteLength === 0) throw validationFailed([{ path: "body", message: "the image is empty" }]);
    const actual = sniffImage(bytes);
    if (actual !== declared) {
      throw unsupported(
        actual
          ? `The bytes are ${actual}, not ${declared}.`
          : `The bytes are not ${declared} (nor another image type).`,
      );
    }
    const key = imageKeyOf(bundle.event.id, await contentHash(bytes), actual);
    await c.env.MEDIA.put(key, bytes, { httpMetadata: { contentType: actual, cacheControl: IMMUTABLE } });
    const stored = await setEventImage(db, bundle.event.id, key);
    if (!stored) throw new ApiError("NOT_FOUND", "No such event.");
    // The old image's URL may still sit in caches for a while; its bytes are no longer needed here.
    if (stored.previous && stored.previous !== key) await c.env.MEDIA.delete(stored.previous);
    const imageUrl = imageUrlOf(key) ?? "";
    await audit(c, {
      action: "event.image",
      targetType: "event",
      target: bundle.event.id,
      eventId: bundle.event.id,
      ownerId: bundle.event.organizerId,
      details: { imageUrl, contentType: actual, bytes: bytes.byteLength },
    });
    return c.json({ eventId: bundle.event.id, imageUrl, version: stored.version });
  });

/** The image itself: its name is its content's hash, so it is cached for a year and never revalidated. */
export const media = new Hono<AppEnv>().get("/media/events/:eventId/:file", pathParams(MediaParams), async (c) => {
  const { eventId, file } = c.var.params;
  const etag = `"${file.split(".")[0]}"`;
  if (c.req.header("if-none-match") === etag) return c.body(null, 304, { etag, "cache-control": IMMUTABLE });
  const object = await c.env.MEDIA.get(`events/${eventId}/${file}`);
  if (!object) throw new ApiError("NOT_FOUND", "No such image.");
  return c.body(object.body, 200, {
    "content-type": object.httpMetadata?.contentType ?? "application/octet-stream",
    "content-length": String(object.size),
    "cache-control": IMMUTABLE,
    etag,
  });
});
