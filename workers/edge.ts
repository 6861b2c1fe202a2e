import { app } from "../src/http/app";

export { EventRoom } from "../src/rooms/event-room";

export default app;
