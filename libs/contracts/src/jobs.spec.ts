import { JOB_CATALOG, QUEUE_NAMES, pingJobPayload } from './jobs';

describe('job catalog', () => {
  it('puts every job on a known queue', () => {
    for (const definition of Object.values(JOB_CATALOG)) expect(QUEUE_NAMES).toContain(definition.queue);
  });

  it('checks the ping payload', () => {
    expect(pingJobPayload.safeParse({ sentAt: '2026-11-26T10:00:00.000Z' }).success).toBe(true);
    expect(pingJobPayload.safeParse({ sentAt: 'now' }).success).toBe(false);
  });
});
