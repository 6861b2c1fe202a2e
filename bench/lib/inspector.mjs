// workerd's inspector (Chrome DevTools Protocol) behind `wrangler dev --inspector-port`: CPU
// profiles for bench:profile, heap figures for bench:soak.
import WebSocket from "ws";

/** The Worker's target (edge and rooms share one isolate locally). */
export async function workerTarget(inspectorPort) {
  const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json();
  return targets.find((t) => !/proxy/i.test(t.title ?? "")) ?? targets[0];
}

export function cdp(url) {
  const ws = new WebSocket(url);
  let id = 0;
  const pending = new Map();
  ws.on("message", (data) => {
    const msg = JSON.parse(String(data));
    if (msg.id && pending.has(msg.id)) {
      pending.get(msg.id)(msg);
      pending.delete(msg.id);
    }
  });
  const open = new Promise((r, j) => {
    ws.once("open", r);
    ws.once("error", j);
  });
  return {
    open,
    send: (method, params = {}) =>
      new Promise((resolve) => {
        const n = ++id;
        pending.set(n, resolve);
        ws.send(JSON.stringify({ id: n, method, params }));
      }),
    close: () => ws.close(),
  };
}
