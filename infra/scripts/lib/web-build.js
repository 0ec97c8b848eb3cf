// Builds the web app for production when its sources changed since the last build.
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, log, mustRun } = require('./shell');

const WEB = path.join(ROOT, 'apps/web');
const SOURCES = ['apps/web/app', 'apps/web/components', 'apps/web/lib', 'apps/web/next.config.ts', 'libs/contracts/src', 'libs/contracts/recipes', 'libs/api-client/src', 'libs/mask/src', 'package-lock.json'];

function newestMtime(target) {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

async function ensureWebBuild(env) {
  const buildId = path.join(WEB, '.next', 'BUILD_ID');
  const builtAt = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  const changedAt = Math.max(...SOURCES.map((s) => newestMtime(path.join(ROOT, s))));
  if (builtAt > changedAt) return;
  log('building the web app (next build)…');
  await mustRun(path.join(ROOT, 'node_modules/.bin/next'), ['build'], { cwd: WEB, env });
}

module.exports = { ensureWebBuild };
