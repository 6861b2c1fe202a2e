import type * as z from "zod/mini";

/** sessionStorage as typed JSON: per tab, gone when the tab closes; absent or broken reads as undefined. */
export function load<S extends z.ZodMiniType>(key: string, schema: S): z.output<S> | undefined {
  try {
    const raw = sessionStorage.getItem(key);
    if (raw === null) return undefined;
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function save(key: string, value: unknown): void {
  try {
    sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage can be full or off; the page still works, it just forgets on reload.
  }
}

export function forget(key: string): void {
  try {
    sessionStorage.removeItem(key);
  } catch {
    // As above.
  }
}

/** Keys, per event: the waiting-room access token, the queue place, the current hold. */
export const keys = {
  access: (eventId: string) => `access:${eventId}`,
  queue: (eventId: string) => `queue:${eventId}`,
  hold: (eventId: string) => `hold:${eventId}`,
  selection: (eventId: string) => `selection:${eventId}`,
  payment: (orderId: string) => `pay:${orderId}`,
};

/**
 * localStorage, for what every tab of this browser shares: a waiting-room place, so that a second
 * tab keeps the first one's place instead of queueing again.
 */
export function loadShared<S extends z.ZodMiniType>(key: string, schema: S): z.output<S> | undefined {
  try {
    const raw = localStorage.getItem(key);
    if (raw === null) return undefined;
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function saveShared(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // As above: the page still works, a second tab just queues on its own.
  }
}

export function forgetShared(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // As above.
  }
}
