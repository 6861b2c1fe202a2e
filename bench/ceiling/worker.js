// The runtime's ceiling: the least a Worker and a Durable Object can do. bench:ceiling loads it
// under the pinned `wrangler dev` so that a slower runtime shows as a number, not as a hunch.
import { DurableObject } from "cloudflare:workers";

export class Noop extends DurableObject {
  ping() {
    return 1;
  }
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === "/healthz") return Response.json({ ok: true });
    if (pathname === "/rpc") return new Response(String(await env.NOOP.get(env.NOOP.idFromName("one")).ping()));
    return new Response("ok");
  },
};
