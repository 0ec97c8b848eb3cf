import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Config } from './load-settings';

export const CONFIG = Symbol('CONFIG');

/** Provides the configuration that main() loaded and validated once at start-up. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: Config): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: CONFIG, useValue: config }], exports: [CONFIG] };
  }
}
