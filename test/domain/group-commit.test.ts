import { describe, expect, it } from "vitest";
import { GroupCommit } from "../../src/rooms/group-commit";

/** A durable() the test resolves by hand: the storage round trip the batches wait for. */
function manualDurable() {
  const pending: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  return {
    durable: () => new Promise<void>((resolve, reject) => pending.push({ resolve, reject })),
    settle: (error?: unknown) => {
      const next = pending.shift();
      if (!next) throw new Error("no commit is waiting to become durable");
      if (error) next.reject(error);
      else next.resolve();
    },
    get waiting() {
      return pending.length;
    },
  };
}

const flushMicrotasks = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe("GroupCommit", () => {
  it("writes once for the first caller, then once for everyone who arrived while that was in flight", async () => {
    const storage = manualDurable();
    let writes = 0;
    const commit = new GroupCommit(() => writes++, storage.durable);
    const first = commit.commit();
    await first;
    expect(writes).toBe(1);
    const later = [commit.commit(), commit.commit(), commit.commit()];
    await flushMicrotasks();
    expect(writes).toBe(1); // still waiting for the first batch to be durable
    storage.settle();
    await Promise.all(later);
    expect(writes).toBe(2);
    storage.settle();
    await flushMicrotasks();
    expect(storage.waiting).toBe(0);
  });

  it("rejects the batch whose write throws, and the callers queued behind it, and reports the failure", async () => {
    const storage = manualDurable();
    const failures: unknown[] = [];
    let fail = false;
    const commit = new GroupCommit(
      () => {
        if (fail) throw new Error("disk full");
      },
      storage.durable,
      (error) => failures.push(error),
    );
    await commit.commit();
    fail = true;
    const queued = [commit.commit(), commit.commit()];
    storage.settle();
    for (const p of queued) await expect(p).rejects.toThrow("disk full");
    expect(failures).toHaveLength(1);
    // The next caller starts a fresh run.
    fail = false;
    await commit.commit();
  });

  it("reports a commit that never became durable, and rejects whoever waited for the next one", async () => {
    const storage = manualDurable();
    const failures: unknown[] = [];
    const commit = new GroupCommit(
      () => {},
      storage.durable,
      (error) => failures.push(error),
    );
    await commit.commit();
    const next = commit.commit();
    storage.settle(new Error("sync failed"));
    await expect(next).rejects.toThrow("sync failed");
    expect(failures).toHaveLength(1);
  });
});
