/** Prints `value` as JSON with --json, else the human rendering (a table). */
export function print(json: boolean | undefined, value: unknown, render: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${render()}\n`);
}

/** A ratio as a percentage with one decimal, '-' when undefined. */
export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : `${(value * 100).toFixed(1)}%`;
}
