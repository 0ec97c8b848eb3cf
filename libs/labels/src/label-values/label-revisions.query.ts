import { Injectable } from '@nestjs/common';
import type { LabelRevision } from '@lesionlab/contracts';
import { toLabelRevision } from './label-revision.dto';
import { LabelRevisionsRepository, type LabelSubject } from './label-revisions.repository';

@Injectable()
export class LabelRevisionsQuery {
  constructor(private readonly labels: LabelRevisionsRepository) {}

  async current(subject: LabelSubject, viewer: string): Promise<LabelRevision | null> {
    const revision = await this.labels.current(subject, viewer);
    return revision && toLabelRevision(revision);
  }

  async history(subject: LabelSubject): Promise<LabelRevision[]> {
    return (await this.labels.history(subject)).map(toLabelRevision);
  }
}
