import type { Context } from "hono";
import { clientBinding, clientIp, ipKey } from "../../protection/client";
import { type ProtectionConfig, protectionConfig } from "../../protection/config";
import type { AppEnv, User } from "../context";
import { optionalUser } from "./auth";

/** Who sent a request, as the edge's protections see it; worked out lazily, once per request. */
export interface EdgeClient {
  /** `CF-Connecting-IP`, else the first `X-Forwarded-For` hop, else "unknown". */
  ip: string;
  /** What the address is counted under (IPv6: its /64). */
  ipKey: string;
  userAgent: string;
  /** Hash of ipKey and user agent: what a clearance is bound to. */
  binding(): Promise<string>;
  /** The user of a valid bearer token or session cookie; undefined otherwise (never throws). */
  user(): Promise<User | undefined>;
}

const clients = new WeakMap<Request, EdgeClient>();

export function clientOf<E extends AppEnv>(c: Context<E>): EdgeClient {
  const known = clients.get(c.req.raw);
  if (known) return known;
  const ip = clientIp(c.req.raw.headers);
  const userAgent = c.req.header("user-agent") ?? "";
  const key = ipKey(ip);
  let binding: Promise<string> | undefined;
  let user: Promise<User | undefined> | undefined;
  const client: EdgeClient = {
    ip,
    ipKey: key,
    userAgent,
    binding: () => {
      binding ??= clientBinding(key, userAgent);
      return binding;
    },
    user: () => {
      user ??= optionalUser(c);
      return user;
    },
  };
  clients.set(c.req.raw, client);
  return client;
}

/** The protection settings for this request's environment; problems are logged once per isolate. */
export function protectionOf<E extends AppEnv>(c: Context<E>): ProtectionConfig {
  const { config, problems, fresh } = protectionConfig(c.env);
  if (fresh) for (const problem of problems) c.var.log("warn", "edge protection setting ignored", { problem });
  return config;
}
