// What other projects' tests may use of releases' test support (package.json exports it as ./testing).
export * from './catalog-fixture';
export * from './manifest-item.fixture';
