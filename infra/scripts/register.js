// Runs the TypeScript sources directly: every .ts/.tsx file outside node_modules is compiled by SWC
// (with decorator metadata, which NestJS and TypeORM need) the first time it is required.
const fs = require('node:fs');
const path = require('node:path');
const { addHook } = require('pirates');
const { transformSync } = require('@swc/core');

const swcOptions = JSON.parse(fs.readFileSync(path.join(__dirname, '../../.swcrc'), 'utf8'));
delete swcOptions.$schema;

addHook(
  (code, filename) =>
    transformSync(code, { ...swcOptions, filename, swcrc: false, configFile: false }).code,
  { exts: ['.ts', '.tsx'], ignoreNodeModules: true },
);
