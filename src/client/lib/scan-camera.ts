import jsQR from "jsqr";

/**
 * The door's camera: the rear camera where there is one, a frame every FRAME_MS drawn into a canvas
 * and read by jsQR. (ZXing's JavaScript port missed about one clean, sharp code in five that filled
 * the frame — a phone held close — and BarcodeDetector is missing from Chromium on desktop Linux
 * and Windows.)
 */

const FRAME_MS = 150;
/** Frames are read at most this wide: enough pixels per module for a phone-sized code, and fast. */
const MAX_WIDTH = 640;

export interface Camera {
  stop(): void;
}

/** The text of a QR code in the frame, or undefined when there is none it can read. */
export function readQr(image: ImageData): string | undefined {
  // A ticket is dark on light: the inverted pass would double the time of every empty frame.
  return jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" })?.data || undefined;
}

/**
 * Starts the camera into `video` and calls `onCode` with each code read. Rejects when there is no
 * camera or permission is refused (the caller says so and offers the typed code instead).
 */
export async function startCamera(video: HTMLVideoElement, onCode: (text: string) => void): Promise<Camera> {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
    audio: false,
  });
  video.srcObject = stream;
  video.muted = true;
  video.setAttribute("playsinline", "");
  await video.play();
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const frame = () => {
    if (stopped) return;
    if (context && video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0) {
      const scale = Math.min(1, MAX_WIDTH / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const text = readQr(context.getImageData(0, 0, canvas.width, canvas.height));
      if (text) onCode(text);
    }
    timer = setTimeout(frame, FRAME_MS);
  };
  frame();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      for (const track of stream.getTracks()) track.stop();
      video.srcObject = null;
    },
  };
}
