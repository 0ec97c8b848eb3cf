import type { Config } from '../config/load-settings';
import { FsObjectStorage } from './fs-object-storage';
import type { ObjectStorage } from './object-storage';
import { S3ObjectStorage } from './s3-object-storage';
import { UrlSigner } from './url-signer';

/** The object store the configuration names; the fs driver signs its URLs with `signer`. */
export function createStorage(config: Config, signer: UrlSigner = createUrlSigner(config)): ObjectStorage {
  if (config.STORAGE_DRIVER === 's3') {
    return new S3ObjectStorage({
      endpoint: config.S3_ENDPOINT!,
      region: config.S3_REGION,
      bucket: config.S3_BUCKET,
      accessKeyId: config.S3_ACCESS_KEY_ID!,
      secretAccessKey: config.S3_SECRET_ACCESS_KEY!,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
      defaultExpiresIn: config.PRESIGN_EXPIRES_S,
    });
  }
  return new FsObjectStorage(config.storageRoot, signer, config.PRESIGN_EXPIRES_S);
}

export function createUrlSigner(config: Config): UrlSigner {
  return new UrlSigner(config.SIGNING_SECRET, config.PUBLIC_API_URL);
}
