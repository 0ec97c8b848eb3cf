import { Module } from '@nestjs/common';
import { CatalogModule } from '@lesionlab/catalog';
import { TrainingModule } from '@lesionlab/training';
import { AssistDrafts } from './assist-drafts';
import { AssistModels } from './assist-models';
import { AssistController } from './assist.controller';
import { AssistService } from './assist.service';
import { RegisteredExports } from './registered-exports';

@Module({
  imports: [CatalogModule, TrainingModule],
  controllers: [AssistController],
  providers: [AssistModels, AssistService, AssistDrafts, RegisteredExports],
})
export class AssistModule {}
