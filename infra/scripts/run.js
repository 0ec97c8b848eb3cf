#!/usr/bin/env node
// Entry point of the package scripts: npm start | npm test | npm run db:migrate | npm run bench -- <name> | npm run generate.
// Installs what a fresh clone lacks before anything else (only Node built-ins are used until then).
const { ensureNodeModules } = require('./lib/dependencies');
const { ltsNodeNeeded, runUnder } = require('./lib/node-runtime');

async function main() {
  const lts = await ltsNodeNeeded();
  if (lts) {
    process.exitCode = await runUnder(lts, __filename, process.argv.slice(2));
    return;
  }
  const [command, ...args] = process.argv.slice(2);
  await ensureNodeModules();
  await require('./generate-trainer-types').generateTrainerTypes(); // gitignored types the typecheck needs
  await require('./generate-api-client').generateApiClient(); // gitignored client types the typecheck needs
  switch (command) {
    case 'generate':
      return;
    case 'start':
      return require('./start').start();
    case 'test':
      process.exitCode = await require('./test').test();
      return;
    case 'migrate':
      return require('./migrate').migrate();
    case 'bench':
      return require('./bench').bench(args);
    default:
      throw new Error(`unknown command "${command}" (start, test, migrate, bench, generate)`);
  }
}

main().catch((error) => {
  process.stderr.write(`lesionlab: ${error.message}\n`);
  process.exit(1);
});
