import { Injectable } from '@nestjs/common';
import type { AnnotationStats, MaskOrigin } from '@lesionlab/contracts';
import { MaskDraftsRepository } from '../drafts/mask-drafts.repository';
import { editFromDraft } from './mask-revision.dto';
import { MaskRevisionsRepository } from './mask-revisions.repository';

type DraftKind = AnnotationStats['models'][number]['kind'];

/** The draft source a line started from, as the statistics group them; null for manual lines. */
function draftSource(origin: MaskOrigin): { kind: DraftKind; model: string } | null {
  if (origin.kind === 'assist') return { kind: 'assist', model: `${origin.model.name} ${origin.model.version}` };
  if (origin.kind === 'suggestion') return { kind: 'suggestion', model: origin.model };
  if (origin.kind === 'interpolation') return { kind: 'interpolation', model: 'interpolation' };
  return null;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
const round = (value: number | null, digits: number) => (value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits);

/**
 * GET /api/annotation-stats: every annotator's line per slice and class (their newest human revision)
 * grouped by the draft it started from; pixels added/removed and Dice are measured from the stored
 * draft and mask, run by run.
 */
@Injectable()
export class AnnotationStatsQuery {
  constructor(
    private readonly revisions: MaskRevisionsRepository,
    private readonly drafts: MaskDraftsRepository,
  ) {}

  async stats(): Promise<AnnotationStats> {
    const [lines, suggestions, handedOut] = await Promise.all([this.revisions.humanLines(), this.revisions.suggestionsByModel(), this.drafts.offered()]);
    const offered = new Map<string, number>([...suggestions].map(([model, n]) => [`suggestion ${model}`, n]));
    for (const drafts of handedOut) offered.set(`${drafts.kind} ${drafts.model}`, drafts.slices);
    const models = new Map<string, { kind: DraftKind; model: string; dice: number[]; added: number[]; removed: number[]; unchanged: number; seconds: number[] }>();
    const manualSeconds: number[] = [];
    let manualSlices = 0;
    const annotators = new Map<string, { slices: number; fromDrafts: number; seconds: number[] }>();
    for (const line of lines) {
      const person = annotators.get(line.author) ?? { slices: 0, fromDrafts: 0, seconds: [] };
      annotators.set(line.author, person);
      person.slices++;
      if (line.activeSeconds !== null) person.seconds.push(line.activeSeconds);
      // An edited import is neither drawn by hand nor a model's draft: it counts for its annotator only.
      if (line.origin.kind === 'import') continue;
      const source = draftSource(line.origin);
      const edit = source ? editFromDraft(line.rleCounts, line.draftRleCounts) : null;
      if (!source || !edit) {
        manualSlices++;
        if (line.activeSeconds !== null) manualSeconds.push(line.activeSeconds);
        continue;
      }
      person.fromDrafts++;
      const key = `${source.kind} ${source.model}`;
      const group = models.get(key) ?? { ...source, dice: [], added: [], removed: [], unchanged: 0, seconds: [] };
      models.set(key, group);
      group.dice.push(edit.dice);
      group.added.push(edit.pixelsAdded);
      group.removed.push(edit.pixelsRemoved);
      if (edit.pixelsAdded === 0 && edit.pixelsRemoved === 0) group.unchanged++;
      if (line.activeSeconds !== null) group.seconds.push(line.activeSeconds);
    }
    // A source whose drafts nobody took still shows what it offered.
    const sources = [...[...suggestions.keys()].map((model) => ({ kind: 'suggestion' as const, model })), ...handedOut];
    for (const { kind, model } of sources) {
      if (!models.has(`${kind} ${model}`)) models.set(`${kind} ${model}`, { kind, model, dice: [], added: [], removed: [], unchanged: 0, seconds: [] });
    }
    return {
      models: [...models.values()]
        .map((group) => ({
          kind: group.kind,
          model: group.model,
          offered: offered.get(`${group.kind} ${group.model}`) ?? 0,
          accepted: group.dice.length,
          acceptedUnchanged: group.unchanged,
          meanDice: round(mean(group.dice), 4),
          meanPixelsAdded: round(mean(group.added), 1),
          meanPixelsRemoved: round(mean(group.removed), 1),
          medianSecondsPerSlice: round(median(group.seconds), 1),
        }))
        .sort((a, b) => a.kind.localeCompare(b.kind) || a.model.localeCompare(b.model)),
      manual: { slices: manualSlices, medianSecondsPerSlice: round(median(manualSeconds), 1) },
      annotators: [...annotators.entries()]
        .map(([author, person]) => ({
          author,
          slices: person.slices,
          fromDrafts: person.fromDrafts,
          activeSeconds: round(person.seconds.reduce((a, b) => a + b, 0), 1)!,
          secondsPerSlice: round(median(person.seconds), 1),
        }))
        .sort((a, b) => b.slices - a.slices || a.author.localeCompare(b.author)),
    };
  }
}
