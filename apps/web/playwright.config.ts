import { defineConfig } from '@playwright/test';
import os from 'node:os';
import path from 'node:path';
import { ADMIN_EMAIL, ADMIN_PASSWORD, API_PORT, WEB_PORT, WORKER_HEALTH_PORT } from './e2e/e2e-settings';

const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.e2e.ts',
  outputDir: '../../test-results/playwright-artifacts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list'], ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? '../../test-results/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${WEB_PORT}`,
    browserName: 'chromium',
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS },
    screenshot: 'on',
    trace: 'retain-on-failure',
  },
  webServer: {
    command: 'node apps/web/e2e/serve-platform.js',
    cwd: path.resolve(__dirname, '../..'),
    url: `http://127.0.0.1:${WEB_PORT}/`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
    env: {
      PORT: String(API_PORT),
      WEB_PORT: String(WEB_PORT),
      WORKER_HEALTH_PORT: String(WORKER_HEALTH_PORT),
      LESIONLAB_HOME: path.join(os.tmpdir(), 'lesionlab-e2e'),
      QUEUE_PREFIX: 'lesionlab_e2e',
      LOG_LEVEL: 'warn',
      LESIONLAB_ADMIN_EMAIL: ADMIN_EMAIL,
      LESIONLAB_ADMIN_PASSWORD: ADMIN_PASSWORD,
    },
  },
});
