import Table from 'cli-table3';
import type { Command } from 'commander';
import { ApiError, type Schemas } from '@lesionlab/api-client';
import { apiBaseUrl, connect } from '../connection';

type HealthReport = Schemas['HealthReport'];

function describe(details: Record<string, unknown>): string {
  return Object.entries(details)
    .filter(([key]) => key !== 'status')
    .map(([key, value]) => `${key}: ${value}`)
    .join(', ');
}

export function renderHealthTable(report: HealthReport): string {
  if (!report.details) return "Each component's state is shown to admins only: `npx lesionlab login` as an admin (or set LESIONLAB_TOKEN).";
  const table = new Table({ head: ['component', 'status', 'details'] });
  for (const [component, details] of Object.entries(report.details)) {
    table.push([component, details.status === 'up' ? 'up' : 'DOWN', describe(details)]);
  }
  return table.toString();
}

/** The health report; an unhealthy API answers 503 with the same report. */
async function healthReport(): Promise<HealthReport> {
  try {
    return (await connect().GET('/api/health')).data!;
  } catch (error) {
    if (error instanceof ApiError && error.status === 503) return JSON.parse(error.detail) as HealthReport;
    throw error;
  }
}

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description("show the API's health: database, queue and storage")
    .option('--json', 'print the health report as JSON')
    .action(async (options: { json?: boolean }) => {
      const body = await healthReport();
      if (options.json) process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
      else process.stdout.write(`LesionLab at ${apiBaseUrl()}: ${body.status === 'ok' ? 'healthy' : 'UNHEALTHY'}\n${renderHealthTable(body)}\n`);
      if (body.status !== 'ok') process.exitCode = 1;
    });
}
