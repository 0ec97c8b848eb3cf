import { Module } from '@nestjs/common';
import { CatalogModule } from '@lesionlab/catalog';
import { AssistModels } from './assist-models';
import { AssistController } from './assist.controller';
import { AssistService } from './assist.service';

@Module({
  imports: [CatalogModule],
  controllers: [AssistController],
  providers: [AssistModels, AssistService],
})
export class AssistModule {}
