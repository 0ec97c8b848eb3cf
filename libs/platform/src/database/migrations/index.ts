import { Blobs1764000000000 } from './1764000000000-blobs';
import { CatalogAndMasks1764100000000 } from './1764100000000-catalog-and-masks';
import { ImportMasksAndSliceCounts1764200000000 } from './1764200000000-import-masks-and-slice-counts';
import { LabelsReviewAndFacts1764300000000 } from './1764300000000-labels-review-and-facts';
import { Releases1764400000000 } from './1764400000000-releases';
import { Training1764500000000 } from './1764500000000-training';
import { UsersTokensAudit1764600000000 } from './1764600000000-users-tokens-audit';
import { CatalogReviewStateIndex1764700000000 } from './1764700000000-catalog-review-state-index';
import { SaveMaskRevision1764800000000 } from './1764800000000-save-mask-revision';
import { MaskSaveOneRoundTrip1764900000000 } from './1764900000000-mask-save-one-round-trip';
import { SessionFamilies1765000000000 } from './1765000000000-session-families';
import { ExportArchiveSha2561765100000000 } from './1765100000000-export-archive-sha256';

/** The one linear schema history, oldest first. An empty database runs all of it in one go. */
export const migrations = [Blobs1764000000000, CatalogAndMasks1764100000000, ImportMasksAndSliceCounts1764200000000, LabelsReviewAndFacts1764300000000, Releases1764400000000, Training1764500000000, UsersTokensAudit1764600000000, CatalogReviewStateIndex1764700000000, SaveMaskRevision1764800000000, MaskSaveOneRoundTrip1764900000000, SessionFamilies1765000000000, ExportArchiveSha2561765100000000];
