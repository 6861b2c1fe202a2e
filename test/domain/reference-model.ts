/**
 * A deliberately naive model of the inventory rules, for property tests against `Inventory`.
 *
 * Nothing here is indexed or cached: seats and holds are plain arrays, every seat status, every
 * section's availability and every user's ticket count is recomputed from the list of holds each
 * time it is asked for. Slow on purpose; it only has to be obviously right on a map of a dozen seats.
 */
import type { Hold, HoldRequest, HoldUnit } from "../../src/domain/types";
import { copy, isLive, REF_RETENTION_MS, ReferenceState, type RefResult, refuse, tickets } from "./reference-state";

export { type ModelQuirks, REF_RETENTION_MS, type RefError, type RefResult } from "./reference-state";

export class ReferenceModel extends ReferenceState {
  // ---------------------------------------------------------------- holds

  hold(request: HoldRequest, now: number): RefResult<Hold> {
    if (!this.quirks.replayBeforeExpiry) this.expire(now);
    const body = JSON.stringify([request.seatIds, request.ga, request.presaleCode ?? null]);
    if (request.idempotencyKey) {
      const previous = this.keys.find((k) => k.userId === request.userId && k.key === request.idempotencyKey);
      if (previous) {
        if (previous.body !== body) return refuse("IDEMPOTENCY_MISMATCH");
        return { ok: true, value: copy(previous.response) };
      }
    }
    this.expire(now);

    const window = this.window(now, request.presaleCode);
    if (!window.ok) return window;

    const unknown = request.seatIds.filter((id) => !this.seats.some((s) => s.id === id));
    if (unknown.length > 0) return refuse("NOT_FOUND", { seatIds: unknown });
    const seatIds = request.seatIds.filter((id, i) => request.seatIds.indexOf(id) === i);

    const ga: { sectionId: string; quantity: number }[] = [];
    for (const item of request.ga) {
      const section = this.config.sections.find((s) => s.id === item.sectionId);
      if (section?.kind !== "ga") return refuse("NOT_FOUND", { sectionId: item.sectionId });
      if (!Number.isInteger(item.quantity) || item.quantity < 1) return refuse("VALIDATION_FAILED");
      const same = ga.find((g) => g.sectionId === item.sectionId);
      if (same) same.quantity += item.quantity;
      else ga.push({ sectionId: item.sectionId, quantity: item.quantity });
    }
    const quantity = seatIds.length + ga.reduce((n, g) => n + g.quantity, 0);
    if (quantity === 0) return refuse("VALIDATION_FAILED");

    const alreadyHeld = this.ticketsOf(request.userId);
    const { perOrder, perUser } = this.config.limits;
    if (quantity > perOrder) return refuse("LIMIT_EXCEEDED", { limit: perOrder, alreadyHeld, requested: quantity });
    if (alreadyHeld + quantity > perUser) {
      return refuse("LIMIT_EXCEEDED", { limit: perUser, alreadyHeld, requested: quantity });
    }

    const unavailable = seatIds.filter((id) => this.seatStatus(id) !== "available");
    if (unavailable.length > 0) {
      return refuse("SEATS_UNAVAILABLE", {
        unavailableSeatIds: unavailable,
        alternatives: this.alternatives(seatIds, unavailable),
      });
    }
    for (const g of ga) {
      const left = this.available(g.sectionId);
      if (left < g.quantity) return refuse("SOLD_OUT", { sectionId: g.sectionId, available: left });
    }

    const items = [
      ...seatIds.map((id) => ({ seatId: id, quantity: 1, priceCents: this.price(this.sectionOf(id)) })),
      ...ga.map((g) => ({ sectionId: g.sectionId, quantity: g.quantity, priceCents: this.price(g.sectionId) })),
    ];
    const hold: Hold = {
      holdId: this.nextId(),
      eventId: this.config.eventId,
      userId: request.userId,
      status: "held",
      items,
      totalCents: items.reduce((n, item) => n + item.quantity * item.priceCents, 0),
      currency: this.config.currency,
      createdAt: now,
      expiresAt: now + this.config.holdSeconds * 1000,
      extensionsUsed: 0,
    };
    this.holds.push({ hold, seatIds, ga });
    this.version++;
    this.holdsCreated++;
    if (request.idempotencyKey) {
      this.keys.push({
        userId: request.userId,
        key: request.idempotencyKey,
        body,
        response: copy(hold),
        expiresAt: now + REF_RETENTION_MS,
      });
    }
    return { ok: true, value: copy(hold) };
  }

  getHold(holdId: string, now: number): Hold | undefined {
    this.expire(now);
    const h = this.find(holdId);
    return h && copy(h.hold);
  }

  extend(holdId: string, userId: string, now: number): RefResult<Hold> {
    const found = this.owned(holdId, userId, now);
    if (!found.ok) return found;
    const hold = found.value.hold;
    if (hold.status !== "held" && hold.status !== "checkout") return this.notActive(hold);
    if (hold.extensionsUsed >= this.config.extensions) {
      return refuse("EXTENSION_LIMIT", { extensions: this.config.extensions });
    }
    hold.extensionsUsed++;
    hold.expiresAt += this.config.holdSeconds * 1000;
    this.version++;
    return { ok: true, value: copy(hold) };
  }

  release(holdId: string, userId: string, now: number): RefResult<Hold> {
    const found = this.owned(holdId, userId, now);
    if (!found.ok) return found;
    const h = found.value;
    if (h.hold.status === "released") return { ok: true, value: copy(h.hold) };
    if (!isLive(h)) return this.notActive(h.hold);
    this.end(h, "released", now);
    this.holdsReleased++;
    return { ok: true, value: copy(h.hold) };
  }

  startCheckout(holdId: string, userId: string, now: number): RefResult<Hold> {
    const found = this.owned(holdId, userId, now);
    if (!found.ok) return found;
    const hold = found.value.hold;
    if (hold.status === "checkout") return { ok: true, value: copy(hold) };
    if (hold.status !== "held") return this.notActive(hold);
    if (this.config.state === "cancelled") return refuse("NOT_ON_SALE");
    hold.status = "checkout";
    hold.checkoutAt = now;
    hold.expiresAt += this.config.paymentGraceSeconds * 1000;
    this.version++;
    return { ok: true, value: copy(hold) };
  }

  sell(holdId: string, now: number): RefResult<Hold> {
    this.expire(now);
    const h = this.find(holdId);
    if (!h) return refuse("NOT_FOUND");
    if (h.hold.status === "purchased") return { ok: true, value: copy(h.hold) };
    if (h.hold.refunded) return refuse("HOLD_NOT_ACTIVE");
    if (this.config.state === "cancelled") return refuse("NOT_ON_SALE");
    if (!isLive(h)) {
      // The hold ended before the money came: it may only take back seats nobody else has.
      const taken = h.seatIds.filter((id) => this.seatStatus(id) !== "available");
      const short = h.ga.some((g) => this.available(g.sectionId) < g.quantity);
      if (taken.length > 0 || short) return refuse("SEATS_UNAVAILABLE", { unavailableSeatIds: taken });
      // ...and only within what its owner may still buy (released holds paid late).
      const alreadyHeld = this.ticketsOf(h.hold.userId);
      if (alreadyHeld + tickets(h) > this.config.limits.perUser) {
        return refuse("LIMIT_EXCEEDED", { limit: this.config.limits.perUser, alreadyHeld });
      }
    }
    this.version++;
    h.hold.status = "purchased";
    h.hold.purchasedAt = now;
    this.holdsPurchased++;
    this.revenueCents += h.hold.totalCents;
    return { ok: true, value: copy(h.hold) };
  }

  refund(holdId: string, now: number): RefResult<Hold> {
    this.expire(now);
    const h = this.find(holdId);
    if (!h) return refuse("NOT_FOUND");
    if (h.hold.refunded) return { ok: true, value: copy(h.hold) };
    if (h.hold.status === "purchased") this.revenueCents -= h.hold.totalCents;
    // Refunding a purchase, or a hold still being paid for, gives its seats back.
    if (h.hold.status === "purchased" || isLive(h)) this.end(h, "released", now);
    h.hold.refunded = true;
    return { ok: true, value: copy(h.hold) };
  }

  /** Money went back: the whole hold, or some units of a purchased one, each once. */
  undo(holdId: string, now: number, units?: HoldUnit[]): RefResult<Hold> {
    this.expire(now);
    const h = this.find(holdId);
    if (!h) return refuse("NOT_FOUND");
    const price = (unit: HoldUnit) =>
      h.hold.items.find((i) => (unit.seatId ? i.seatId === unit.seatId : i.sectionId === unit.sectionId))?.priceCents ??
      0;
    if (units && h.hold.status === "purchased") {
      const returned = copy(h.hold.returned ?? { ids: [], seatIds: [], ga: {} });
      let changed = false;
      for (const unit of units) {
        if (returned.ids.includes(unit.id)) continue;
        if (unit.seatId !== undefined) {
          const at = h.seatIds.indexOf(unit.seatId);
          if (at < 0) continue;
          h.seatIds.splice(at, 1);
          returned.seatIds.push(unit.seatId);
        } else if (unit.sectionId !== undefined) {
          const entry = h.ga.find((g) => g.sectionId === unit.sectionId);
          if (!entry || entry.quantity === 0) continue;
          entry.quantity--;
          returned.ga[unit.sectionId] = (returned.ga[unit.sectionId] ?? 0) + 1;
        } else continue;
        if (!changed) this.version++;
        changed = true;
        returned.ids.push(unit.id);
        this.revenueCents -= price(unit);
      }
      if (!changed) return { ok: true, value: copy(h.hold) };
      h.hold.returned = returned;
      if (tickets(h) === 0) {
        h.hold.status = "released";
        h.hold.endedAt = now;
        h.hold.refunded = true;
      }
      return { ok: true, value: copy(h.hold) };
    }
    if (h.hold.refunded) return { ok: true, value: copy(h.hold) };
    if (h.hold.status === "purchased") {
      for (const id of h.seatIds) this.revenueCents -= price({ id, seatId: id });
      for (const g of h.ga) this.revenueCents -= g.quantity * price({ id: g.sectionId, sectionId: g.sectionId });
      this.end(h, "released", now);
    } else if (isLive(h)) {
      this.end(h, "released", now);
      this.holdsReleased++;
    }
    h.hold.refunded = true;
    return { ok: true, value: copy(h.hold) };
  }

  abandon(holdId: string, now: number): RefResult<Hold> {
    this.expire(now);
    const h = this.find(holdId);
    if (!h) return refuse("NOT_FOUND");
    if (isLive(h)) {
      this.end(h, "released", now);
      this.holdsReleased++;
    }
    return { ok: true, value: copy(h.hold) };
  }
}
