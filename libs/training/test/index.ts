// What other projects' tests may use of training's test support (package.json exports it as ./testing).
export * from './tiny-release.fixture';
