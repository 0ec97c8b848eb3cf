// The workspace's layering check: reads sources only, so it needs none of the services the preset's global setup starts.
const { globalSetup, globalTeardown, ...preset } = require('../../jest.preset');

module.exports = { ...preset, displayName: 'boundaries', rootDir: __dirname };
