export * from './patient-split';
