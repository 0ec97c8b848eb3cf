import { Injectable } from '@nestjs/common';
import type { LabelRevision } from '@lesionlab/contracts';
import { NotFoundError, RevisionConflictError } from '../errors';
import type { Precondition } from '../precondition';
import { toLabelRevision } from './label-revision.dto';
import { LabelRevisionsRepository, type LabelSubject } from './label-revisions.repository';

export interface SaveLabelCommand {
  subject: LabelSubject;
  value: LabelRevision['value'];
  state: 'draft' | 'submitted';
  author: string;
  precondition: Precondition;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Stores a patient or slice label as a new revision, under the same conditional-save rule as masks. */
@Injectable()
export class SaveLabelUseCase {
  constructor(private readonly labels: LabelRevisionsRepository) {}

  async execute(command: SaveLabelCommand): Promise<LabelRevision> {
    const { subject } = command;
    const outcome = await this.labels.transaction(async (manager) => {
      if (!(await this.labels.lockSubject(manager, subject))) throw new NotFoundError(`no ${subject.kind} ${subject.id}`);
      const { currentId, holds } = await this.labels.currentLine(manager, subject, command.author, command.precondition);
      const basedOn = command.precondition.kind === 'if-match' && UUID.test(command.precondition.revisionId) ? command.precondition.revisionId : null;
      const saved = await this.labels.insert(manager, {
        patientId: subject.kind === 'patient' ? subject.id : null,
        sliceId: subject.kind === 'slice' ? subject.id : null,
        value: command.value,
        author: command.author,
        source: 'human',
        parentId: holds ? currentId : basedOn && (await this.labels.revisionOfSubject(manager, basedOn, subject)),
        state: holds ? command.state : 'draft',
        reviewComment: null,
        reviewedBy: null,
        conflictWith: holds ? null : currentId,
      });
      return { holds, saved, currentId };
    });
    const saved = toLabelRevision(outcome.saved);
    if (outcome.holds) return saved;
    const current = outcome.currentId ? await this.labels.byId(outcome.currentId) : null;
    throw new RevisionConflictError(current && toLabelRevision(current), saved);
  }
}
