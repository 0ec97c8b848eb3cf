import { Global, Module, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/load-settings';
import { createStorage } from './create-storage';
import type { ObjectStorage } from './object-storage';
import { S3ObjectStorage } from './s3-object-storage';
import { UrlSigner } from './url-signer';

export const OBJECT_STORAGE = Symbol('OBJECT_STORAGE');

@Global()
@Module({
  providers: [
    {
      provide: OBJECT_STORAGE,
      inject: [CONFIG],
      useFactory: async (config: Config): Promise<ObjectStorage> => {
        const storage = createStorage(config);
        if (storage instanceof S3ObjectStorage) await storage.ensureBucket();
        return storage;
      },
    },
    {
      provide: UrlSigner,
      inject: [CONFIG],
      useFactory: (config: Config) => new UrlSigner(config.SIGNING_SECRET, config.PUBLIC_API_URL),
    },
  ],
  exports: [OBJECT_STORAGE, UrlSigner],
})
export class StorageModule implements OnApplicationShutdown {
  constructor(@Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage) {}

  onApplicationShutdown(): void {
    if (this.storage instanceof S3ObjectStorage) this.storage.destroy();
  }
}
