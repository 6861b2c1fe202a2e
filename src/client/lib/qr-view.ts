import { byId } from "./dom";

/**
 * "Show full screen" for a ticket's QR code: a modal dialog with the code as large as the screen
 * allows (door scanners read a big code in dim light); focus returns to the button on close.
 */
export function wireQrButtons(root: ParentNode = document): void {
  const dialog = document.getElementById("qr-dialog") as HTMLDialogElement | null;
  if (!dialog) return;
  let opener: HTMLElement | undefined;
  byId("qr-dialog-close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => opener?.focus());
  root.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>("[data-qr-full]") : null;
    if (!button) return;
    opener = button;
    const image = byId<HTMLImageElement>("qr-dialog-image");
    image.src = button.dataset.qrFull!;
    image.alt = button.dataset.qrAlt ?? "Ticket QR code";
    byId("qr-dialog-title").textContent = button.dataset.qrTitle ?? "Ticket";
    dialog.showModal();
  });
}
