import { Injectable } from '@nestjs/common';
import { deriveSupervision } from '@lesionlab/catalog/src/supervision';
import type { CocoRle, MaskRevision } from '@lesionlab/contracts';
import { decodeCocoRle, encodeCocoRle } from '@lesionlab/mask';
import { NotFoundError, RevisionConflictError } from '../errors';
import { deriveMaskFacts } from '../facts/lesion-facts';
import { LungFields } from '../facts/lung-fields';
import { qualityWarnings } from '../facts/quality-warnings';
import { preconditionHolds, type Precondition } from '../precondition';
import { toMaskRevision } from './mask-revision.dto';
import { MaskRevisionsRepository } from './mask-revisions.repository';

export interface SaveMaskCommand {
  sliceId: string;
  class: string;
  /** As received: checked against the slice's size and decoded here (MaskFormatError when malformed). */
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
 * the inserts.
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
    const mask = decodeCocoRle(command.rle, slice);
    const facts = deriveMaskFacts(mask, await this.lungFields.forSlice(slice), slice.pixelSpacingMm);
    const warnings = qualityWarnings(facts, { negativePatient: slice.cohort === 'negative', expectsLesion: slice.expectsLesion });
    // A compressed string that decoded to the slice's size is stored as sent; plain counts are compressed.
    const rle: CocoRle = typeof (command.rle as CocoRle).counts === 'string' ? (command.rle as CocoRle) : encodeCocoRle(mask);

    const outcome = await this.revisions.transaction(async (manager) => {
      const locked = await this.revisions.lockSlice(manager, command.sliceId);
      if (!locked) throw new NotFoundError(`no slice ${command.sliceId}`);
      const currentId = await this.revisions.currentId(manager, command.sliceId, command.class, command.author);
      const holds = preconditionHolds(command.precondition, currentId);
      const basedOn = command.precondition.kind === 'if-match' && UUID.test(command.precondition.revisionId) ? command.precondition.revisionId : null;
      const saved = await this.revisions.insert(
        manager,
        {
          sliceId: command.sliceId,
          class: command.class,
          height: rle.size[0],
          width: rle.size[1],
          rleCounts: rle.counts,
          area: facts.areaPx,
          author: command.author,
          source: 'human',
          parentId: holds ? currentId : basedOn && (await this.revisions.revisionOfSlice(manager, basedOn, command.sliceId)),
          state: holds ? command.state : 'draft',
          reviewComment: null,
          reviewedBy: null,
          conflictWith: holds ? null : currentId,
          importId: null,
        },
        facts,
        warnings,
      );
      if (holds && command.state === 'submitted') {
        await this.revisions.setSupervision(manager, command.sliceId, deriveSupervision(true, locked.cohort));
      }
      return { holds, saved, currentId };
    });

    const saved = toMaskRevision(outcome.saved.revision, outcome.saved.facts);
    if (outcome.holds) return saved;
    const current = outcome.currentId ? await this.revisions.byId(outcome.currentId) : null;
    const currentFacts = current ? await this.revisions.factsOf([current.id]) : new Map();
    throw new RevisionConflictError(current && toMaskRevision(current, currentFacts.get(current.id)), saved);
  }
}
