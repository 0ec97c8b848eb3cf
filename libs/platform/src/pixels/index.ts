// The slice pixel codec alone (package.json exports it as ./pixels): what pixel worker threads load,
// without the rest of platform (NestJS, TypeORM, the queue and storage clients) that the main entry brings.
export * from './grey-image';
export * from './grey-png';
