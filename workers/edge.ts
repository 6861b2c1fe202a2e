import { app } from "../src/http/app";
import { handleNotificationBatch } from "../src/notify/consumer";

export { EventRoom } from "../src/rooms/event-room";
export { QueueShard } from "../src/rooms/queue-shard";

export default {
  fetch: app.fetch,
  /** Notifications (src/notify): the queue and its dead-letter queue. */
  queue: (batch, env) => handleNotificationBatch(batch, env),
} satisfies ExportedHandler<Env>;
