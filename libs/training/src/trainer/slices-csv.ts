/**
 * The trainer's slices.csv (plain values, no quoting; Python's csv module ends lines with CRLF) as rows:
 * numbers where a column holds one, null when empty.
 */
export function parseSlicesCsv(text: string): Array<Record<string, string | number | null>> {
  const [header, ...lines] = text.split(/\r?\n/).filter(Boolean);
  const columns = header.split(',');
  return lines.map((line) => {
    const values = line.split(',');
    return Object.fromEntries(columns.map((column, i) => {
      const value = values[i] ?? '';
      if (value === '') return [column, null];
      const number = Number(value);
      return [column, Number.isFinite(number) && /^-?[\d.]+(e-?\d+)?$/i.test(value) ? number : value];
    }));
  });
}
