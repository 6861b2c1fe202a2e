/**
 * Images organizers upload: the type is judged by the bytes, not by what the client says, and the
 * stored name carries the content's hash, so a URL never changes what it shows and may be cached for good.
 */

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

export type ImageType = "image/jpeg" | "image/png" | "image/webp";

export const IMAGE_EXTENSIONS: Record<ImageType, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
};

const startsWith = (bytes: Uint8Array, magic: number[], at = 0): boolean => magic.every((b, i) => bytes[at + i] === b);

/** The image type the bytes' magic numbers say, or undefined. */
export function sniffImage(bytes: Uint8Array): ImageType | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  // RIFF <size> WEBP
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) {
    return "image/webp";
  }
  return undefined;
}

/** `image/png; charset=...` → `image/png` if it is one we take. */
export function declaredImageType(header: string | undefined): ImageType | undefined {
  const type = header?.split(";")[0]?.trim().toLowerCase();
  return type && type in IMAGE_EXTENSIONS ? (type as ImageType) : undefined;
}

export async function contentHash(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The R2 key of an event's image: `events/<eventId>/<hash>.<ext>` (its URL is `/media/` + key). */
export const imageKeyOf = (eventId: string, hash: string, type: ImageType): string =>
  `events/${eventId}/${hash}.${IMAGE_EXTENSIONS[type]}`;

/** A path under /media/events that could name an image (anything else is 404 without asking R2). */
export const MEDIA_FILE = /^[0-9a-f]{32}\.(?:jpg|png|webp)$/;

/** How an image is served: its URL names its content, so it never needs revalidating. */
export const IMMUTABLE = "public, max-age=31536000, immutable";
