// What other projects' tests may use of catalog's test support (package.json exports it as ./testing).
export * from './catalog-test-context';
export * from './ct-files';
export * from './hostile-files';
