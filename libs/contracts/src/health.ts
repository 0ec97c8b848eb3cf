import { z } from 'zod';

const componentStatus = z.object({ status: z.enum(['up', 'down']) }).catchall(z.unknown());

/**
 * What /api/health answers: `status` for anyone; for a signed-in admin the whole NestJS terminus shape,
 * whose `details` (and `info`/`error`) name each component, its backend and any error.
 */
export const healthReportSchema = z.object({
  status: z.enum(['ok', 'error', 'shutting_down']),
  info: z.record(z.string(), componentStatus).optional(),
  error: z.record(z.string(), componentStatus).optional(),
  details: z.record(z.string(), componentStatus).optional(),
});
export type HealthReport = z.infer<typeof healthReportSchema>;
