import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Put, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { savePatientLabelSchema, saveSliceLabelSchema, type LabelRevision } from '@lesionlab/contracts';
import { LabelRevisionsQuery, NotFoundError, SaveLabelUseCase, type LabelSubject } from '@lesionlab/labels';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { entityTag, preconditionOf } from './precondition-headers';
import { RequestAuthor } from './request-author.decorator';
import { visibleTo } from '../auth/draft-visibility';
import { CurrentUser, type Principal } from '../auth/principal';

type SaveLabelBody = z.infer<typeof savePatientLabelSchema> | z.infer<typeof saveSliceLabelSchema>;

/** Patient labels (covid/negative) and slice labels (opacification present/absent), revisioned like masks. */
@Controller()
export class LabelValuesController {
  constructor(
    private readonly query: LabelRevisionsQuery,
    private readonly saveLabel: SaveLabelUseCase,
  ) {}

  @Get('patients/:id/label')
  patientLabel(@Param('id', ParseUUIDPipe) id: string, @RequestAuthor() viewer: string, @Res({ passthrough: true }) response: Response) {
    return this.current({ kind: 'patient', id }, viewer, response);
  }

  @Get('slices/:id/label')
  sliceLabel(@Param('id', ParseUUIDPipe) id: string, @RequestAuthor() viewer: string, @Res({ passthrough: true }) response: Response) {
    return this.current({ kind: 'slice', id }, viewer, response);
  }

  @Get('patients/:id/label/revisions')
  async patientHistory(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() viewer: Principal): Promise<{ items: LabelRevision[] }> {
    return { items: (await this.query.history({ kind: 'patient', id })).filter((revision) => visibleTo(viewer, revision)) };
  }

  @Get('slices/:id/label/revisions')
  async sliceHistory(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() viewer: Principal): Promise<{ items: LabelRevision[] }> {
    return { items: (await this.query.history({ kind: 'slice', id })).filter((revision) => visibleTo(viewer, revision)) };
  }

  @Put('patients/:id/label')
  @HttpCode(201)
  savePatientLabel(
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ZodValidationPipe(savePatientLabelSchema)) body: z.infer<typeof savePatientLabelSchema>,
    @RequestAuthor() author: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<LabelRevision> {
    return this.save({ kind: 'patient', id }, body, author, request, response);
  }

  @Put('slices/:id/label')
  @HttpCode(201)
  saveSliceLabel(
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ZodValidationPipe(saveSliceLabelSchema)) body: z.infer<typeof saveSliceLabelSchema>,
    @RequestAuthor() author: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<LabelRevision> {
    return this.save({ kind: 'slice', id }, body, author, request, response);
  }

  private async current(subject: LabelSubject, viewer: string, response: Response): Promise<LabelRevision> {
    const revision = await this.query.current(subject, viewer);
    if (!revision) throw new NotFoundError(`${subject.kind} ${subject.id} has no label revision yet`);
    response.setHeader('ETag', entityTag(revision.revisionId));
    return revision;
  }

  private async save(subject: LabelSubject, body: SaveLabelBody, author: string, request: Request, response: Response): Promise<LabelRevision> {
    const precondition = preconditionOf(request);
    const revision = await this.saveLabel.execute({ subject, value: body.value, state: body.state, author, precondition });
    response.setHeader('ETag', entityTag(revision.revisionId));
    return revision;
  }
}
