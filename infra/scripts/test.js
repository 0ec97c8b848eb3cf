// `npm test`: every test of every project against real services — typecheck, jest (unit and
// integration: PostgreSQL, Redis, SeaweedFS S3), pytest (the trainer), Playwright (Chromium).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, log, run } = require('./lib/shell');
const { ensureTrainerVenv, ensureChromium } = require('./lib/dependencies');
const { ensureLocalPostgres, ensureRedis, ensureS3TestServer } = require('./lib/services');
const { ensureWebBuild } = require('./lib/web-build');

const REPORTS = path.join(ROOT, 'test-results');

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Counts from each runner's own report, so the summary line adds up what really ran. */
const counters = {
  jest(file) {
    const report = readJson(file);
    return report && { passed: report.numPassedTests, failed: report.numFailedTests + report.numRuntimeErrorTestSuites, skipped: report.numPendingTests + report.numTodoTests };
  },
  pytest(file) {
    if (!fs.existsSync(file)) return null;
    const xml = fs.readFileSync(file, 'utf8');
    const attr = (name) => [...xml.matchAll(new RegExp(`<testsuite [^>]*${name}="(\\d+)"`, 'g'))].reduce((sum, m) => sum + Number(m[1]), 0);
    const total = attr('tests');
    const failed = attr('failures') + attr('errors');
    const skipped = attr('skipped');
    return { passed: total - failed - skipped, failed, skipped };
  },
  playwright(file) {
    const report = readJson(file);
    return report && { passed: report.stats.expected, failed: report.stats.unexpected + report.stats.flaky, skipped: report.stats.skipped };
  },
};

async function test() {
  const startedAt = Date.now();
  fs.rmSync(REPORTS, { recursive: true, force: true });
  fs.mkdirSync(REPORTS, { recursive: true });
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NX_DAEMON: 'false', FORCE_COLOR: '0' };

  log('checking services and tools…');
  await ensureTrainerVenv();
  await ensureChromium();
  const [databaseUrl, redisUrl, s3] = await Promise.all([ensureLocalPostgres(), ensureRedis(), ensureS3TestServer()]);
  Object.assign(env, {
    TEST_DATABASE_URL: databaseUrl,
    TEST_REDIS_URL: redisUrl,
    TEST_S3_ENDPOINT: s3.endpoint,
    TEST_S3_ACCESS_KEY_ID: s3.accessKeyId,
    TEST_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    TEST_S3_BUCKET: s3.bucket,
  });

  const bin = (name) => path.join(ROOT, 'node_modules/.bin', name);
  const steps = [
    { name: 'typecheck', run: () => run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'], { env }) },
    { name: 'typecheck web', run: () => run(bin('tsc'), ['-p', 'apps/web/tsconfig.json', '--noEmit'], { env }) },
    {
      name: 'jest',
      report: ['jest', path.join(REPORTS, 'jest.json')],
      run: () => run(bin('jest'), ['--ci', `--maxWorkers=${Math.max(1, os.cpus().length)}`, `--testSequencer=${path.join(ROOT, 'infra/jest/slow-first-sequencer.js')}`, '--json', `--outputFile=${path.join(REPORTS, 'jest.json')}`], { env }),
    },
    {
      name: 'pytest',
      report: ['pytest', path.join(REPORTS, 'pytest.xml')],
      run: () => run('apps/trainer/.venv/bin/python', ['-m', 'pytest', 'apps/trainer/tests', '-q', `--junitxml=${path.join(REPORTS, 'pytest.xml')}`], { env }),
    },
    {
      name: 'playwright',
      report: ['playwright', path.join(REPORTS, 'playwright.json')],
      run: async () => {
        await ensureWebBuild(env);
        return run(bin('playwright'), ['test', '-c', 'apps/web/playwright.config.ts'], { env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(REPORTS, 'playwright.json') } });
      },
    },
  ];

  const outcomes = [];
  try {
    for (const step of steps) {
      log(`── ${step.name} ──`);
      const began = Date.now();
      let code;
      try {
        code = await step.run();
      } catch (error) {
        process.stderr.write(`${step.name}: ${error.message}\n`);
        code = 1;
      }
      outcomes.push({ name: step.name, code, seconds: (Date.now() - began) / 1000, counts: step.report ? counters[step.report[0]](step.report[1]) : null });
    }
  } finally {
    await s3.stop();
  }

  const total = { passed: 0, failed: 0, skipped: 0 };
  log('── summary ──');
  for (const outcome of outcomes) {
    const counts = outcome.counts ? ` ${outcome.counts.passed} passed, ${outcome.counts.failed} failed, ${outcome.counts.skipped} skipped` : '';
    log(`${outcome.code === 0 ? 'ok  ' : 'FAIL'} ${outcome.name.padEnd(14)} ${outcome.seconds.toFixed(0).padStart(4)} s${counts}`);
    if (outcome.counts) for (const key of Object.keys(total)) total[key] += outcome.counts[key];
    if (outcome.code !== 0 && (!outcome.counts || outcome.counts.failed === 0)) total.failed += 1;
  }
  log(`whole run ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
  process.stdout.write(`total: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
  return outcomes.every((o) => o.code === 0) ? 0 : 1;
}

module.exports = { test };
