export * from './jobs';
export * from './health';
export * from './catalog';
export * from './masks';
export * from './releases';
export * from './training';
export * from './run-settings';
export * from './audit';
