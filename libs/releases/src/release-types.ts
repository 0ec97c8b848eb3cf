export type { CreateRelease, PatientLabel, SliceSelection, SupervisionKind } from '@lesionlab/contracts';
import type { CreateRelease } from '@lesionlab/contracts';

export type LabelPolicy = CreateRelease['labelPolicy'];
export type StratifyKey = CreateRelease['stratifyBy'][number];
