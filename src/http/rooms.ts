export { roomFor } from "../rooms/stub";
