#!/usr/bin/env node
// TypeScript types of the trainer's outputs, generated from the JSON Schemas the trainer is tested
// against (libs/contracts/schemas) into libs/contracts/src/trainer/generated/ (gitignored, never
// edited by hand). `npm start`, `npm test` and `npm run typecheck` run it first; it rewrites a file
// only when its content changes.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const SCHEMAS = path.join(ROOT, 'libs/contracts/schemas');
const OUT = path.join(ROOT, 'libs/contracts/src/trainer/generated');

/** schema file -> the name of its root type (the schemas' titles are prose). */
const TYPES = {
  'trainer-events.schema.json': 'TrainerEvent',
  'evaluation-report.schema.json': 'EvaluationReport',
  'prediction.schema.json': 'TrainerPrediction',
};

async function generateTrainerTypes() {
  const { compile } = require('json-schema-to-typescript');
  fs.mkdirSync(OUT, { recursive: true });
  for (const [file, name] of Object.entries(TYPES)) {
    // without $id and title the root type takes `name`; each $defs entry becomes `<name><Key>`
    const { $id, title, ...schema } = JSON.parse(fs.readFileSync(path.join(SCHEMAS, file), 'utf8'));
    for (const [key, definition] of Object.entries(schema.$defs ?? {})) definition.title = name + key.replace(/(^|[-_])(\w)/g, (_, __, c) => c.toUpperCase());
    const source = await compile(schema, name, {
      bannerComment: `/* Generated from libs/contracts/schemas/${file} by infra/scripts/generate-trainer-types.js: do not edit. */`,
      format: true,
    });
    const target = path.join(OUT, `${file.replace('.schema.json', '')}.ts`);
    if (!fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== source) fs.writeFileSync(target, source);
  }
}

module.exports = { generateTrainerTypes };

if (require.main === module) {
  generateTrainerTypes().catch((error) => {
    process.stderr.write(`generate-trainer-types: ${error.message}\n`);
    process.exit(1);
  });
}
