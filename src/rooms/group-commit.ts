/**
 * Group commit: callers that arrive while a storage commit is in flight share the next one.
 *
 * `commit()` resolves right after the caller's changes were written (in the same turn as the
 * write), so the Durable Object's output gate holds the caller's reply until that write is
 * durable; the next batch is written only once the previous one is (`durable()`), and it carries
 * every change made in between. One commit costs more than all the rest of a hold together, so
 * under load this turns N commits into roughly one per storage round trip.
 */
export class GroupCommit {
  private waiting: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  private running = false;

  /**
   * `failed` hears of a write that threw or a commit that did not become durable: memory is then
   * ahead of storage, and the owner must not go on answering from it (the room aborts and reloads).
   */
  constructor(
    private readonly write: () => void,
    private readonly durable: () => Promise<void>,
    private readonly failed: (error: unknown) => void = () => {},
  ) {}

  commit(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.running) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting;
        this.waiting = [];
        try {
          this.write();
        } catch (error) {
          for (const waiter of batch) waiter.reject(error);
          throw error;
        }
        for (const waiter of batch) waiter.resolve();
        await this.durable();
      }
    } catch (error) {
      const rest = this.waiting;
      this.waiting = [];
      for (const waiter of rest) waiter.reject(error);
      this.failed(error);
    } finally {
      this.running = false;
    }
  }
}
