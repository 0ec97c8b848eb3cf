export * from './covid-cs-name';
export * from './supervision';
export * from './ports/imported-mask-recorder';
