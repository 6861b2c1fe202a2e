/**
 * Which account each waiting-room admission serves: the first account that holds with
 * an access token for a queue place keeps it; any later token for the same place serves the same
 * account, any other account is refused. Entries last as long as the admission's access window,
 * so what is kept is bounded by the admitted set. Kept in the room's storage (synchronous KV in
 * the same SQLite), so an eviction forgets nothing; memory is a cache in front of it.
 */
export interface Admission {
  /** The queue place (the access token's subject). */
  visitor: string;
  /** When the admission's access window ends (the token's `exp`). */
  until: number;
}

interface Entry {
  userId: string;
  until: number;
}

const PREFIX = "admission:";
const PRUNE_EVERY = 256;

export class Admissions {
  private readonly memory = new Map<string, Entry>();
  private claims = 0;

  constructor(private readonly kv: SyncKvStorage) {}

  /** Whether `userId` may use this admission; the first account to ask gets it. */
  claim(admission: Admission, userId: string, now: number): boolean {
    const key = PREFIX + admission.visitor;
    let entry = this.memory.get(key);
    if (!entry) {
      entry = this.kv.get<Entry>(key);
      if (entry) this.memory.set(key, entry);
    }
    if (entry && entry.until > now) return entry.userId === userId;
    const fresh = { userId, until: Math.max(admission.until, entry?.until ?? 0) };
    this.memory.set(key, fresh);
    this.kv.put(key, fresh);
    if (++this.claims % PRUNE_EVERY === 0) this.prune(now);
    return true;
  }

  private prune(now: number): void {
    for (const [key, entry] of this.memory) if (entry.until <= now) this.memory.delete(key);
    for (const [key, entry] of this.kv.list<Entry>({ prefix: PREFIX, limit: 2 * PRUNE_EVERY })) {
      if (entry.until <= now) this.kv.delete(key);
    }
  }
}
