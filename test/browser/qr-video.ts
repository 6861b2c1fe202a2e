import { writeFileSync } from "node:fs";
import QRCode from "qrcode";

const WIDTH = 640;
const HEIGHT = 480;
const FPS = 5;

/**
 * A Y4M (YUV4MPEG2, 4:2:0) video for Chromium's fake camera (`--use-file-for-fake-video-capture`)
 * that shows `text` as a QR code drawn by the same library and error correction as the tickets'
 * QR (src/http/routes/tickets.ts), then a blank frame for a while, over and over (Chromium loops
 * the file): a ticket held up, taken away and shown again — two scans of one code.
 */
export function writeQrVideo(path: string, text: string, { shownSeconds = 2, awaySeconds = 1.2 } = {}): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const quiet = 4;
  const scale = Math.floor(HEIGHT / (modules.size + 2 * quiet));
  if (scale < 3) throw new Error(`a ${modules.size}-module code does not fit ${HEIGHT} px at 3 px a module`);
  const side = (modules.size + 2 * quiet) * scale;
  const left = Math.floor((WIDTH - side) / 2);
  const top = Math.floor((HEIGHT - side) / 2);
  const code = Buffer.alloc(WIDTH * HEIGHT, 255);
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (!modules.get(row, col)) continue;
      for (let dy = 0; dy < scale; dy++) {
        const y = top + (quiet + row) * scale + dy;
        code.fill(0, y * WIDTH + left + (quiet + col) * scale, y * WIDTH + left + (quiet + col + 1) * scale);
      }
    }
  }
  const blank = Buffer.alloc(WIDTH * HEIGHT, 255);
  // Grey chroma: U and V at 128, a quarter of the luma's size each.
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2) * 2, 128);
  const frame = Buffer.from("FRAME\n");
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F${FPS}:1 Ip A1:1 C420jpeg\n`)];
  for (let i = 0; i < Math.round(shownSeconds * FPS); i++) parts.push(frame, code, chroma);
  for (let i = 0; i < Math.round(awaySeconds * FPS); i++) parts.push(frame, blank, chroma);
  writeFileSync(path, Buffer.concat(parts));
}
