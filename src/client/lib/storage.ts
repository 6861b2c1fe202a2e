import type * as z from "zod/mini";

/**
 * A Web Storage area as typed JSON: absent or broken reads as undefined. Storage can be full or
 * switched off (even touching it can throw); then the page still works, it just forgets on reload.
 */
function typedStorage(area: () => Storage) {
  return {
    load<S extends z.ZodMiniType>(key: string, schema: S): z.output<S> | undefined {
      try {
        const raw = area().getItem(key);
        if (raw === null) return undefined;
        const parsed = schema.safeParse(JSON.parse(raw));
        return parsed.success ? parsed.data : undefined;
      } catch {
        return undefined;
      }
    },
    save(key: string, value: unknown): void {
      try {
        area().setItem(key, JSON.stringify(value));
      } catch {
        // Not kept: see above.
      }
    },
    forget(key: string): void {
      try {
        area().removeItem(key);
      } catch {
        // Nothing to forget then.
      }
    },
  };
}

/** sessionStorage: per tab, gone when the tab closes. */
export const { load, save, forget } = typedStorage(() => sessionStorage);

/**
 * localStorage, for what every tab of this browser shares: a waiting-room place, so that a second
 * tab keeps the first one's place instead of queueing again (without it, that tab queues on its own).
 */
export const { load: loadShared, save: saveShared, forget: forgetShared } = typedStorage(() => localStorage);

/** Keys, per event: the waiting-room access token, the queue place, the current hold. */
export const keys = {
  access: (eventId: string) => `access:${eventId}`,
  queue: (eventId: string) => `queue:${eventId}`,
  hold: (eventId: string) => `hold:${eventId}`,
  selection: (eventId: string) => `selection:${eventId}`,
  payment: (orderId: string) => `pay:${orderId}`,
};
