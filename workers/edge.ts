import { app } from "../src/http/app";

export { EventRoom } from "../src/rooms/event-room";
export { QueueShard } from "../src/rooms/queue-shard";

export default app;
