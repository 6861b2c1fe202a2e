import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { Order, Ticket } from "../../src/contract/responses";
import {
  api,
  buy,
  createEvent,
  expectAccessible,
  expectClean,
  launchBrowser,
  newContext,
  recordAnnouncements,
  screenshots,
  signInPath,
  tokenFor,
  unique,
  watchedPage,
} from "./helpers";
import { writeQrVideo } from "./qr-video";

/**
 * The door (/scan) with a fake camera: Chromium reads a Y4M video of a real ticket's QR code
 * (test/browser/qr-video.ts). Each camera is its own Chromium, since the video file is a switch of
 * the browser process.
 */

const videos = mkdtempSync(join(os.tmpdir(), "edge-tickets-door-"));
afterAll(() => rmSync(videos, { recursive: true, force: true }));

function cameraShowing(name: string, code: string): Promise<Browser> {
  const file = join(videos, `${name}.y4m`);
  writeQrVideo(file, code);
  return launchBrowser([
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    `--use-file-for-fake-video-capture=${file}`,
  ]);
}

/** The door's page for the event, signed in as a scanner, once it has downloaded the keys and revocations. */
async function openDoor(browser: Browser, eventId: string, revoked: number) {
  const context = await newContext(browser);
  await context.grantPermissions(["camera"]);
  const watched = await watchedPage(context);
  await watched.page.goto(signInPath(unique("door"), "scanner", `/scan?eventId=${eventId}`));
  await watched.page.waitForSelector(`#scan-sync[data-online="true"][data-revoked="${revoked}"]`);
  return { context, watched, page: watched.page };
}

/** Waits for the door to show `result`; if it never does, fails with what it shows instead. */
async function resultIs(page: Page, result: string, offline: boolean): Promise<void> {
  const selector = `#scan-result[data-result="${result}"][data-offline="${offline}"]`;
  try {
    await page.waitForSelector(selector, { timeout: 20_000 });
  } catch (error) {
    const shown = page.locator("#scan-result");
    const state = `${await shown.getAttribute("data-result")} (offline ${await shown.getAttribute("data-offline")})`;
    throw new Error(`the door shows ${state}: "${await shown.textContent()}", not ${result} (offline ${offline})`, {
      cause: error,
    });
  }
}
const countsAre = (page: Page, checkedIn: number, total: number) =>
  page.waitForSelector(`#scan-counts[data-checked-in="${checkedIn}"][data-total="${total}"]`);

describe("the door's page", () => {
  it("admits a ticket shown to the camera, then finds it used; offline, a revoked code is void", async () => {
    const { eventId, title } = await createEvent();
    const fan = await tokenFor(unique("fan"));
    const { orderId } = await buy(eventId, fan, { seatIds: ["A-2-4", "A-2-5"] });
    // The codes as their owner gets them: the order's tickets.
    const order = await api("GET", `/api/v1/orders/${orderId}`, { token: fan, schema: Order });
    const [entry, given] = order.body.tickets.map((t) => Ticket.parse(t));
    expect(entry?.code && given?.code).toBeTruthy();

    const online = await cameraShowing("entry", entry!.code!);
    try {
      const { page, watched } = await openDoor(online, eventId, 0);
      await expect(page.getByRole("combobox", { name: "Event" }).inputValue()).resolves.toBe(eventId);
      expect(await page.locator("#scan-event option:checked").textContent()).toContain(title);
      await countsAre(page, 0, 2);
      await expectAccessible(page, "the door, ready");
      const heard = await recordAnnouncements(page);

      await page.getByRole("button", { name: "Start camera" }).click();
      await resultIs(page, "admitted", false);
      expect(await page.locator("#scan-result").textContent()).toContain("Admitted");
      await countsAre(page, 1, 2);
      const ticket = await api("GET", `/api/v1/tickets/${entry!.ticketId}`, { token: fan, schema: Ticket });
      expect(ticket.body.status).toBe("used");

      // The video takes the ticket away and shows it again: a second scan of the same code.
      await resultIs(page, "already_used", false);
      expect(await page.locator("#scan-result").textContent()).toMatch(/Already used.*First scanned at/);
      expect(await page.locator("#scan-counts").textContent()).toMatch(/Checked in: 1 of 2/);
      expect((await heard()).some((text) => text.startsWith("Admitted"))).toBe(true);
      expect((await heard()).some((text) => text.startsWith("Already used"))).toBe(true);
      await expectAccessible(page, "the door, after a scan");
      await screenshots(page, "scan");
      expectClean(watched);
    } finally {
      await online.close();
    }

    // Given away: the old code is void and in the event's revocations; the new one is valid.
    const friend = unique("friend");
    const moved = await api("POST", `/api/v1/tickets/${given!.ticketId}/transfer`, {
      token: fan,
      body: { toUserId: friend },
      schema: Ticket,
    });
    expect(moved.status).toBe(201);

    const offline = await cameraShowing("given", given!.code!);
    try {
      const { context, page, watched } = await openDoor(offline, eventId, 1);
      await countsAre(page, 1, 2);
      await context.setOffline(true);
      await page.waitForSelector('#scan-sync[data-online="false"]');
      await page.getByRole("button", { name: "Start camera" }).click();
      await resultIs(page, "void", true);
      expect(await page.locator("#scan-result").textContent()).toMatch(/^Void.*Checked offline\./);

      // Typed in, offline: the recipient's valid code is admitted here and kept to send.
      await page.getByRole("button", { name: "Stop camera" }).click();
      await page.getByLabel("Ticket code").fill(moved.body.code!);
      await page.getByRole("button", { name: "Check code" }).click();
      await resultIs(page, "admitted", true);
      await countsAre(page, 2, 2);
      expect(await page.locator("#scan-sync").textContent()).toContain("1 offline check-in to send");
      const before = await api("GET", `/api/v1/tickets/${moved.body.ticketId}`, {
        token: await tokenFor(friend),
        schema: Ticket,
      });
      expect(before.body.status).toBe("valid");

      // Back online, the kept check-in reaches the server.
      await context.setOffline(false);
      await page.waitForSelector('#scan-sync[data-online="true"][data-pending="0"]');
      expect(await page.locator("#scan-sync").textContent()).toContain("1 offline check-in sent");
      const after = await api("GET", `/api/v1/tickets/${moved.body.ticketId}`, {
        token: await tokenFor(friend),
        schema: Ticket,
      });
      expect(after.body.status).toBe("used");
      await countsAre(page, 2, 2);
      expectClean(watched);
    } finally {
      await offline.close();
    }
  });
});
