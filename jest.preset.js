// Shared by every project's jest.config.js: SWC transforms the TypeScript (with decorator metadata),
// and the global setup finds or starts PostgreSQL, Redis and the S3 test server.
const fs = require('node:fs');
const path = require('node:path');

const swc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swc.$schema;

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { ...swc, swcrc: false }] },
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.next/'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  globalSetup: path.join(__dirname, 'infra/jest/global-setup.js'),
  globalTeardown: path.join(__dirname, 'infra/jest/global-teardown.js'),
  testTimeout: 60000,
};
