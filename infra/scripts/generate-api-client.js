#!/usr/bin/env node
// The API's OpenAPI document and the typed client's `paths` types, generated (gitignored, never edited
// by hand) into libs/api-client/src/generated/: openapi.json from the operations table
// (apps/api/src/openapi, no server or database needed), then api.ts by openapi-typescript.
// `npm start`, `npm test`, `npm run generate` and `npm run typecheck` run it first; it rewrites a file
// only when its content changes.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(ROOT, 'libs/api-client/src/generated');

function writeIfChanged(file, content) {
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) return;
  fs.writeFileSync(file, content);
}

async function generateApiClient() {
  require('./register');
  const { buildOpenApiDocument } = require(path.join(ROOT, 'apps/api/src/openapi/document.ts'));
  const { default: openapiTS, astToString } = require('openapi-typescript');
  const document = buildOpenApiDocument();
  fs.mkdirSync(OUT, { recursive: true });
  writeIfChanged(path.join(OUT, 'openapi.json'), `${JSON.stringify(document, null, 2)}\n`);
  const types = astToString(await openapiTS(document));
  writeIfChanged(path.join(OUT, 'api.ts'), `/* Generated from the API's operations table by infra/scripts/generate-api-client.js: do not edit. */\n${types}`);
}

module.exports = { generateApiClient };

if (require.main === module) {
  generateApiClient().catch((error) => {
    process.stderr.write(`generate-api-client: ${error.stack}\n`);
    process.exit(1);
  });
}
