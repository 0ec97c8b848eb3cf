// `npm run bench -- <name> [--flag …]`: runs bench/<name>.ts (with the flags), which prints JSON and writes bench/results/<name>.json.
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, mustRun } = require('./lib/shell');

async function bench(args) {
  const names = args.filter((a) => !a.startsWith('--'));
  const flags = args.filter((a) => a.startsWith('--'));
  const available = fs.readdirSync(path.join(ROOT, 'bench')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
  if (names.length === 0 || names.some((n) => !available.includes(n))) {
    throw new Error(`usage: npm run bench -- <${available.join('|')}> [...] [--flag ...]`);
  }
  for (const name of names) {
    await mustRun(process.execPath, ['-r', './infra/scripts/register.js', `bench/${name}.ts`, ...flags]);
  }
}

module.exports = { bench };
