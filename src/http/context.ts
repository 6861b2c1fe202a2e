import type { Settings } from "../config";
import type { Logger } from "./middleware/request-context";

export const ROLES = ["customer", "organizer", "scanner", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: string;
  roles: Role[];
  /** The token's `email` claim: where this user's notifications go. */
  email?: string;
  /** A scanner token's `eventIds` claim: the only events it may check in. */
  eventIds?: string[];
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    log: Logger;
    settings: Settings;
    user: User | undefined;
    /** The code of the error this request answered with, if any (counted by the edge's metrics). */
    errorCode?: string;
  };
}
