import { Injectable } from '@nestjs/common';
import type { CocoRle, MaskRevision } from '@lesionlab/contracts';
import { decodeRleCounts, encodeCocoRle, parseCocoRle } from '@lesionlab/mask';
import { NotFoundError, RevisionConflictError } from '../errors';
import { deriveMaskFacts } from '../facts/lesion-facts';
import { LungFields } from '../facts/lung-fields';
import { qualityWarnings } from '../facts/quality-warnings';
import type { Precondition } from '../precondition';
import { toMaskRevision } from './mask-revision.dto';
import { MaskRevisionsRepository } from './mask-revisions.repository';

export interface SaveMaskCommand {
  sliceId: string;
  class: string;
  /** As received: checked against the slice's size here (MaskFormatError when malformed). */
  rle: unknown;
  state: 'draft' | 'submitted';
  author: string;
  precondition: Precondition;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Stores a human mask as a new revision when it is based on the author's current revision
 * (see MaskRevisionsRepository for "current"). Otherwise the mask is still stored, as a draft of its
 * author marked with the revision it conflicts with, and a RevisionConflictError carries both.
 * Facts and warnings are derived before the slice is locked, so the lock covers only the check and
 * the inserts (one statement: MaskRevisionsRepository.saveHuman).
 */
@Injectable()
export class SaveMaskUseCase {
  constructor(
    private readonly revisions: MaskRevisionsRepository,
    private readonly lungFields: LungFields,
  ) {}

  async execute(command: SaveMaskCommand): Promise<MaskRevision> {
    const slice = await this.revisions.sliceContext(command.sliceId, command.class);
    if (!slice) throw new NotFoundError(`no slice ${command.sliceId}`);
    const mask = parseCocoRle(command.rle, slice);
    const facts = deriveMaskFacts(mask, await this.lungFields.forSlice(slice), slice.pixelSpacingMm);
    const warnings = qualityWarnings(facts, { negativePatient: slice.cohort === 'negative', expectsLesion: slice.expectsLesion });
    // A compressed string that covers the slice's size is stored as sent; plain counts are compressed.
    const rle: CocoRle = typeof (command.rle as CocoRle).counts === 'string' ? (command.rle as CocoRle) : encodeCocoRle(decodeRleCounts(mask.counts, mask.width, mask.height));
    const basedOn = command.precondition.kind === 'if-match' && UUID.test(command.precondition.revisionId) ? command.precondition.revisionId : null;
    const outcome = await this.revisions.saveHuman(
      { sliceId: command.sliceId, class: command.class, author: command.author, state: command.state, rle, precondition: command.precondition, basedOn },
      facts,
      warnings,
    );
    if (!outcome) throw new NotFoundError(`no slice ${command.sliceId}`);

    const saved = toMaskRevision(outcome.revision, outcome.facts);
    if (outcome.holds) return saved;
    const current = outcome.currentId ? await this.revisions.byId(outcome.currentId) : null;
    const currentFacts = current ? await this.revisions.factsOf([current.id]) : new Map();
    throw new RevisionConflictError(current && toMaskRevision(current, currentFacts.get(current.id)), saved);
  }
}
