/** D1 binds at most 100 parameters per statement. */
const MAX_PARAMS = 100;

/** Splits rows of `columns` values each into groups that one INSERT can bind. */
export function chunkRows<T>(rows: T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMS / columns));
  const parts: T[][] = [];
  for (let i = 0; i < rows.length; i += size) parts.push(rows.slice(i, i + size));
  return parts;
}
