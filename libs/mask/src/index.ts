export * from './errors';
export * from './binary-mask';
export * from './coco-rle';
export * from './compact-rle';
export * from './set-operations';
export * from './similarity';
export * from './components';
export * from './transforms';
