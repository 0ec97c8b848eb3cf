const IMAGE_EXTENSION = /\.(png|jpe?g)$/i;

export function isImageFile(relativePath: string): boolean {
  return IMAGE_EXTENSION.test(relativePath);
}

export function baseName(relativePath: string): string {
  return relativePath.slice(relativePath.lastIndexOf('/') + 1);
}

/** The name without folder and extension(s): `a/b/x_12.nii.gz` → `x_12`. */
export function stemOf(relativePath: string): string {
  return baseName(relativePath).replace(/\.nii\.gz$/i, '').replace(/\.[^.]+$/, '');
}

export function dirOf(relativePath: string): string {
  const slash = relativePath.lastIndexOf('/');
  return slash < 0 ? '' : relativePath.slice(0, slash);
}

/**
 * Reads a series and a slice index from a file name that ends in a number (`volume_001_37.jpg` →
 * series `volume_001`, slice 37), so the same file always gets the same place; a name without a
 * trailing number is a series of one slice (index 0).
 */
export function seriesAndIndexFromName(relativePath: string): { series: string; index: number } {
  const stem = stemOf(relativePath);
  const match = /^(.*?)[_\-. ]?(\d{1,9})$/.exec(stem);
  const dir = dirOf(relativePath);
  const prefix = (name: string) => (dir ? `${dir}/${name}` : name);
  if (match && match[1]) return { series: prefix(match[1]), index: Number(match[2]) };
  return { series: prefix(stem), index: 0 };
}

/** Maps stems to files, for pairing images with masks of the same stem. */
export function indexByStem(files: string[]): Map<string, string> {
  return new Map(files.map((file) => [stemOf(file), file]));
}

export function mediaTypeOf(relativePath: string): string {
  return /\.png$/i.test(relativePath) ? 'image/png' : /\.jpe?g$/i.test(relativePath) ? 'image/jpeg' : 'application/octet-stream';
}
