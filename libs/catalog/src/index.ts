export * from './covid-cs-name';
export * from './supervision';
