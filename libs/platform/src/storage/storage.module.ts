import { Global, Module, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/load-settings';
import { createStorage, createUrlSigner } from './create-storage';
import type { ObjectStorage } from './object-storage';
import { S3ObjectStorage } from './s3-object-storage';
import { UrlSigner } from './url-signer';

export const OBJECT_STORAGE = Symbol('OBJECT_STORAGE');

@Global()
@Module({
  providers: [
    { provide: UrlSigner, inject: [CONFIG], useFactory: createUrlSigner },
    {
      provide: OBJECT_STORAGE,
      inject: [CONFIG, UrlSigner],
      useFactory: async (config: Config, signer: UrlSigner): Promise<ObjectStorage> => {
        const storage = createStorage(config, signer);
        if (storage instanceof S3ObjectStorage) await storage.ensureBucket();
        return storage;
      },
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
