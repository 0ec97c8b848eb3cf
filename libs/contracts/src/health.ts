import { z } from 'zod';

const componentStatus = z.object({ status: z.enum(['up', 'down']) }).catchall(z.unknown());

/** The NestJS terminus shape that /api/health answers with. */
export const healthReportSchema = z.object({
  status: z.enum(['ok', 'error', 'shutting_down']),
  info: z.record(z.string(), componentStatus).optional(),
  error: z.record(z.string(), componentStatus).optional(),
  details: z.record(z.string(), componentStatus),
});
export type HealthReport = z.infer<typeof healthReportSchema>;
