export * from './revision-state';
