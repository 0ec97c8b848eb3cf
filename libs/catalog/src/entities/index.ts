export * from './patient.entity';
export * from './scan.entity';
export * from './slice.entity';
export * from './import-run.entity';
export * from './blob.entity';

import { Blob } from './blob.entity';
import { ImportRunEntity } from './import-run.entity';
import { Patient } from './patient.entity';
import { Scan } from './scan.entity';
import { Slice } from './slice.entity';

export const CATALOG_ENTITIES = [Patient, Scan, Slice, ImportRunEntity, Blob];
