import Table from 'cli-table3';
import type { Command } from 'commander';
import type { Schemas } from '@lesionlab/api-client';
import { isoDate, positiveInteger } from '../arguments';
import { connect } from '../connection';
import { print } from '../output';

interface AuditOptions {
  actor?: string;
  action?: string;
  id?: string;
  since?: string;
  until?: string;
  before?: number;
  limit: number;
  json?: boolean;
}

export function renderAudit(page: Schemas['AuditPage']): string {
  const table = new Table({ head: ['#', 'at', 'actor', 'action', 'status', 'ids'] });
  for (const r of page.items)
    table.push([
      r.id,
      r.at,
      r.actorRole ? `${r.actor} (${r.actorRole})` : r.actor,
      r.action,
      r.status,
      Object.entries(r.ids)
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
    ]);
  return `${table.toString()}\n${page.nextBefore ? `next page: --before ${page.nextBefore}` : 'last page'}`;
}

/** `lesionlab audit`: the audit log, newest first, one page at a time. */
export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description('the audit log, newest first, filtered, one page at a time')
    .option('--actor <who>', 'who did it (e-mail, or job:<name>)')
    .option('--action <action>', 'what was done, e.g. POST /api/releases')
    .option('--id <id>', 'the entity it was done to')
    .option('--since <date>', 'at or after this instant (ISO 8601)', isoDate)
    .option('--until <date>', 'before this instant (ISO 8601)', isoDate)
    .option('--before <n>', 'the next page: the nextBefore of the previous one', positiveInteger)
    .option('--limit <n>', 'entries per page', positiveInteger, 50)
    .option('--json', 'print the page as JSON')
    .action(async ({ json, ...query }: AuditOptions) => {
      const page = (await connect().GET('/api/audit', { params: { query } })).data!;
      print(json, page, () => renderAudit(page));
    });
}
