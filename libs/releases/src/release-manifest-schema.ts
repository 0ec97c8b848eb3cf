import type { ReleaseManifestItem } from '@lesionlab/contracts';
import { contractValidator, describeSchemaErrors } from '@lesionlab/contracts/trainer';
import { PermanentJobError } from '@lesionlab/platform';

/**
 * Checks every line of a serialized manifest against release-manifest.schema.json, the schema the
 * trainer reads it with, so a release the trainer would refuse never becomes `ready`.
 */
export function assertManifestMatchesSchema(manifest: Buffer): void {
  const validate = contractValidator<ReleaseManifestItem>('release-manifest.schema.json');
  manifest
    .toString('utf8')
    .split('\n')
    .forEach((line, index) => {
      if (!line) return;
      const item: unknown = JSON.parse(line);
      if (!validate(item)) {
        const slice = (item as { slice_id?: unknown }).slice_id;
        throw new PermanentJobError(`manifest line ${index + 1} (slice ${String(slice)}) breaks release-manifest.schema.json ${describeSchemaErrors(validate.errors)}`);
      }
    });
}
