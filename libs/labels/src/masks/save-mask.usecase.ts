import { Injectable } from '@nestjs/common';
import type { AuditEntry, CocoRle, MaskOriginClaim, MaskRevision } from '@lesionlab/contracts';
import { decodeRleCounts, encodeCocoRle, parseCocoRle } from '@lesionlab/mask';
import { NotFoundError, RevisionConflictError } from '../errors';
import { deriveMaskFacts } from '../facts/lesion-facts';
import { LungFields } from '../facts/lung-fields';
import { expectationsRead, qualityWarnings, type SliceExpectations } from '../facts/quality-warnings';
import type { Precondition } from '../precondition';
import { LruMap } from '../lru-map';
import { MaskOriginResolver } from './mask-origin.resolver';
import { toMaskRevision } from './mask-revision.dto';
import { MaskRevisionsRepository, type MaskSliceContext } from './mask-revisions.repository';

export interface SaveMaskCommand {
  sliceId: string;
  class: string;
  /** As received: checked against the slice's size here (MaskFormatError when malformed). */
  rle: unknown;
  state: 'draft' | 'submitted';
  author: string;
  precondition: Precondition;
  /** The request's audit entry, appended in the save's transaction when the save holds (see MaskRevisionsRepository.saveHuman). */
  audit?: AuditEntry;
  /** What the mask started from (a new line); absent: the save continues its parent's line. */
  origin?: MaskOriginClaim;
  /** Active editing seconds since the parent revision (capped by the database by the time since it). */
  activeSeconds?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Slice contexts kept for repeated saves (an autosaving editor saves the same slice every second). */
const CONTEXT_CACHE_SIZE = 4096;
/** Tries with a checked context; the last one goes unchecked on a freshly read context (as every save did before the cache). */
const CHECKED_TRIES = 2;

/**
 * Stores a human mask as a new revision when it is based on the author's current revision
 * (see MaskRevisionsRepository for "current"). Otherwise the mask is still stored, as a draft of its
 * author marked with the revision it conflicts with, and a RevisionConflictError carries both.
 *
 * A save is one round trip (MaskRevisionsRepository.saveHuman) once the slice's context is known:
 * facts and warnings are derived before the slice is locked, from a cached context. Its geometry,
 * pixels and spacing never change; the two things that can (the cohort and whether a lesion is
 * expected, which only the warnings use) are passed along, as far as the warnings read them, and
 * checked under the lock; a save whose warnings rested on stale ones is redone on a fresh context.
 */
@Injectable()
export class SaveMaskUseCase {
  private readonly contexts = new LruMap<string, MaskSliceContext>(CONTEXT_CACHE_SIZE);

  constructor(
    private readonly revisions: MaskRevisionsRepository,
    private readonly lungFields: LungFields,
    private readonly origins: MaskOriginResolver,
  ) {}

  async execute(command: SaveMaskCommand): Promise<MaskRevision> {
    let slice = this.contexts.get(contextKey(command)) ?? (await this.freshContext(command));
    const mask = parseCocoRle(command.rle, slice);
    const facts = deriveMaskFacts(mask, await this.lungFields.forSlice(slice), slice.pixelSpacingMm);
    // A compressed string that covers the slice's size is stored as sent; plain counts are compressed.
    const rle: CocoRle = typeof (command.rle as CocoRle).counts === 'string' ? (command.rle as CocoRle) : encodeCocoRle(decodeRleCounts(mask.counts, mask.width, mask.height));
    const basedOn = command.precondition.kind === 'if-match' && UUID.test(command.precondition.revisionId) ? command.precondition.revisionId : null;
    const provenance = command.origin ? await this.origins.resolve(command.origin, { sliceId: command.sliceId, class: command.class, size: slice, author: command.author, basedOn }) : null;
    const save = {
      sliceId: command.sliceId,
      class: command.class,
      author: command.author,
      state: command.state,
      rle,
      precondition: command.precondition,
      basedOn,
      provenance,
      activeSeconds: command.activeSeconds ?? null,
    };

    for (let attempt = 0; ; attempt++) {
      const expectations: SliceExpectations = { negativePatient: slice.cohort === 'negative', expectsLesion: slice.expectsLesion };
      const warnings = qualityWarnings(facts, expectations);
      const assumed = attempt < CHECKED_TRIES ? expectationsRead(facts, expectations) : null;
      const outcome = await this.revisions.saveHuman(save, facts, warnings, assumed, command.audit ?? null);
      if (outcome === null) {
        this.contexts.delete(contextKey(command));
        throw new NotFoundError(`no slice ${command.sliceId}`);
      }
      if (outcome === 'stale-context') {
        slice = await this.freshContext(command);
        continue;
      }
      const saved = toMaskRevision(outcome.revision, outcome.facts);
      if (outcome.holds) return saved;
      const current = outcome.currentId ? await this.revisions.byId(outcome.currentId) : null;
      const currentFacts = current ? await this.revisions.factsOf([current.id]) : new Map();
      throw new RevisionConflictError(current && toMaskRevision(current, currentFacts.get(current.id)), saved);
    }
  }

  /** Reads the slice's context and keeps it (the least recently used one goes first). */
  private async freshContext(command: SaveMaskCommand): Promise<MaskSliceContext> {
    const key = contextKey(command);
    const slice = await this.revisions.sliceContext(command.sliceId, command.class);
    this.contexts.delete(key);
    if (!slice) throw new NotFoundError(`no slice ${command.sliceId}`);
    this.contexts.set(key, slice);
    return slice;
  }
}

/** A context is per slice and mask class (whether a lesion is expected depends on the class). */
const contextKey = (command: SaveMaskCommand) => `${command.sliceId} ${command.class}`;
