import 'reflect-metadata';
import { ConfigError, loadConfig, type Config } from '../config/load-settings';
import { createLogger, type Logger } from '../logging/logger';
import { exitOnFatalErrors } from './fatal-errors';

/** The exit status of a process stopped by its configuration (sysexits' EX_CONFIG). */
export const EXIT_CONFIG = 78;

/**
 * Loads and validates the configuration once, then runs the service. A bad setting or a failed
 * start-up (an unreachable database, say) stops the process with one message that names the cause.
 */
export async function startService(name: string, run: (config: Config, logger: Logger) => Promise<void>): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`lesionlab ${name} cannot start. ${error.message}\n`);
    process.exit(EXIT_CONFIG);
  }
  const logger = createLogger(name, config.LOG_LEVEL);
  exitOnFatalErrors(logger);
  try {
    await run(config, logger);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.fatal({ err: error }, `start-up failed: ${message}`);
    process.stderr.write(`lesionlab ${name} cannot start: ${message}\n`);
    process.exit(1);
  }
}
