// The platform's processes run on the Node.js LTS below. A machine whose own `node` is older (Debian 12
// ships 18; many images still carry 20, past its end of life) gets this exact version from the npm
// registry's official binary package, `node-<platform>-<arch>`, under .tools/ — the same registry npm
// already uses, so no other download is needed — and run.js starts itself again with it.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ROOT, log, mustRun } = require('./shell');

const NODE_LTS = '24.22.3';
const NODE_LTS_MAJOR = Number(NODE_LTS.split('.')[0]);

const majorOf = (version) => Number(version.replace(/^v/, '').split('.')[0]);

function runtimeDir() {
  return path.join(ROOT, '.tools', `node-${NODE_LTS}-${process.platform}-${process.arch}`);
}

/** The registry package that carries the official binary for this machine, or null where there is none. */
function registryPackage() {
  const platforms = { linux: 'linux', darwin: 'darwin' };
  const arches = { x64: 'x64', arm64: 'arm64' };
  if (!platforms[process.platform] || !arches[process.arch]) return null;
  return `node-${platforms[process.platform]}-${arches[process.arch]}@${NODE_LTS}`;
}

async function installRuntime(target) {
  const pkg = registryPackage();
  if (!pkg) throw new Error(`Node.js ${process.version} is older than ${NODE_LTS_MAJOR}: install Node.js ${NODE_LTS_MAJOR} LTS (no registry package for ${process.platform}-${process.arch})`);
  log(`Node.js ${process.version} is older than the ${NODE_LTS_MAJOR} LTS: installing Node.js ${NODE_LTS} (npm package ${pkg}) under .tools/…`);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lesionlab-node-'));
  try {
    await mustRun('npm', ['pack', pkg, '--pack-destination', scratch, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = fs.readdirSync(scratch).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${pkg} produced no archive`);
    const unpacked = path.join(scratch, 'runtime');
    fs.mkdirSync(unpacked);
    await mustRun('tar', ['xzf', path.join(scratch, tarball), '-C', unpacked, '--strip-components=1', 'package/bin/node', 'package/LICENSE']);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(unpacked, target);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Null when this process already runs on the LTS or newer; otherwise the path of the LTS binary
 * (installed on first use).
 */
async function ltsNodeNeeded() {
  if (majorOf(process.version) >= NODE_LTS_MAJOR) return null;
  const dir = runtimeDir();
  const node = path.join(dir, 'bin', 'node');
  if (!fs.existsSync(node)) await installRuntime(dir);
  return node;
}

/**
 * Runs this same script under `node`, with its folder first on PATH so that npm, npx and every tool
 * they start use it too; resolves with the child's exit code. Ctrl+C reaches the child directly (same
 * process group), so this parent only waits; a SIGTERM sent to it alone is passed on.
 */
function runUnder(node, script, args) {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}` };
    const child = spawn(node, [script, ...args], { stdio: 'inherit', env });
    const ignore = () => {};
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', ignore);
    process.on('SIGTERM', forward);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1));
    });
  });
}

module.exports = { NODE_LTS, ltsNodeNeeded, runUnder };
