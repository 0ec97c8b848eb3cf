import path from 'node:path';
import { settingsSchema, type Settings } from './config.schema';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface Config extends Settings {
  /** Absolute folder of the fs storage driver. */
  storageRoot: string;
  /** Absolute, resolved folders imports may read from. */
  importRoots: string[];
}

function describeReceived(env: NodeJS.ProcessEnv, key: string): string {
  const value = env[key];
  if (value === undefined || value === '') return 'it is not set';
  if (/SECRET|PASSWORD|KEY_ID/.test(key)) return 'got a value that is not valid';
  return `got "${maskCredentials(value)}"`;
}

/** Hides the password part of a URL so it never reaches a log line or an error message. */
export function maskCredentials(value: string): string {
  return value.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

/** Reads and validates every setting once; throws a ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = settingsSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '?');
      return `${key}: ${issue.message} (${describeReceived(env, key)})`;
    });
    throw new ConfigError(problems);
  }
  const settings = result.data;
  const home = path.resolve(settings.LESIONLAB_HOME);
  return {
    ...settings,
    LESIONLAB_HOME: home,
    storageRoot: path.resolve(settings.STORAGE_FS_ROOT ?? path.join(home, 'objects')),
    importRoots: settings.IMPORT_ALLOWED_ROOTS
      ? settings.IMPORT_ALLOWED_ROOTS.split(',').map((root) => path.resolve(root.trim()))
      : [path.join(home, 'imports')],
  };
}
