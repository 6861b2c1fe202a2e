import { describe, expect, inject, it } from "vitest";
import { Challenge, Clearance, ErrorBody } from "../../src/contract/responses";
import {
  bodyOf,
  createEvent,
  expectClean,
  newContext,
  sharedBrowser,
  signInPath,
  unique,
  watchedPage,
} from "./helpers";

/** The 403 that asks for proof of work: the contract's error, with the challenge to solve. */
const ChallengeRequired = ErrorBody.extend({ error: ErrorBody.shape.error.extend({ challenge: Challenge }) });

const browser = sharedBrowser();

describe("the bot challenge", () => {
  it("is solved in a Web Worker when a hold answers 403 CHALLENGE_REQUIRED, and the hold is retried", async () => {
    // The second server challenges every hold (BOT_SCORE_THRESHOLDS=hold=0, POW_DIFFICULTY=12).
    const base = inject("challengeUrl");
    const event = await createEvent({}, base);
    const context = await newContext(browser(), base);
    // The 403 is the point of this test; Chromium logs every 4xx fetch as a console error.
    const watched = await watchedPage(context, [/status of 403/]);
    const { page } = watched;
    await page.goto(signInPath(unique("human"), "customer", `/events/${event.eventId}`));
    await page.locator('#live-status[data-live="live"]').waitFor();
    await page.locator('[data-seat-id="A-3-7"]').click();

    const challenged = page.waitForResponse((r) => r.url().endsWith("/holds") && r.status() === 403);
    const worker = page.waitForEvent("worker");
    const solved = page.waitForResponse((r) => r.url().endsWith("/api/v1/challenge"));
    const held = page.waitForResponse((r) => r.url().endsWith("/holds") && r.status() === 201);
    await page.getByRole("button", { name: "Hold", exact: true }).click();

    const challenge = (await bodyOf(await challenged, ChallengeRequired)).error;
    expect(challenge.code).toBe("CHALLENGE_REQUIRED");
    expect(challenge.challenge.difficulty).toBe(12);
    expect((await worker).url()).toContain("/assets/pow-worker.js");
    const clearance = await solved;
    expect(clearance.status()).toBe(200);
    const retry = await held;
    expect(retry.request().headers()["x-clearance"]).toBe((await bodyOf(clearance, Clearance)).clearance);
    await page.locator("[data-expires-at]").waitFor();
    expect(await page.locator("dialog.challenge-dialog").count()).toBe(0);

    expectClean(watched);
    await context.close();
  });
});
