// What other projects' tests may use of labels' test support (package.json exports it as ./testing).
export * from './slice-fixtures';
export * from './labels-test-app';
