/**
 * RFC 4180 CSV: CRLF line ends, a header row, fields quoted when they hold a comma, a quote, CR
 * or LF (quotes doubled). A field that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`
 * first) is quoted too, so it is at least never bare.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\r\n]|^[=+\-@]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvRow = (fields: Array<string | number | null | undefined>): string =>
  `${fields.map(csvField).join(",")}\r\n`;

/** A CSV download streamed page by page: the header first, then each page's rows as they are read. */
export function csvResponse<T>(
  filename: string,
  header: string[],
  pages: AsyncIterable<T[]>,
  row: (item: T) => Array<string | number | null | undefined>,
): Response {
  const encoder = new TextEncoder();
  const iterator = pages[Symbol.asyncIterator]();
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvRow(header)));
        return;
      }
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value.map((item) => csvRow(row(item))).join("")));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8; header=present",
      "content-disposition": `attachment; filename="${filename}"`,
    },
  });
}
