import { CommanderError } from 'commander';
import { ZodError } from 'zod';
import { ApiError } from '@lesionlab/api-client';
import { ApiUnreachableError } from './connection';

/** What `lesionlab` exits with; scripts may rely on these (README and --help list them). */
export const EXIT = { success: 0, failed: 1, usage: 2, signedOut: 3, notFound: 4, conflict: 5, unreachable: 6 } as const;

export const EXIT_CODES_HELP = `Exit codes:
  0  success
  1  the operation failed (a job ended failed, a checksum did not match)
  2  usage error (bad flags or arguments; the API refused the input as invalid)
  3  not signed in, or not allowed (401/403)
  4  not found (404)
  5  conflict or failed precondition (409/412)
  6  the API is unreachable`;

/** A command's own failure, e.g. a job that ended `failed` or an archive whose sha256 does not match. */
export class CommandFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
    this.name = 'CommandFailure';
  }
}

function apiExitCode(status: number): number {
  if (status === 400 || status === 422) return EXIT.usage;
  if (status === 401 || status === 403) return EXIT.signedOut;
  if (status === 404) return EXIT.notFound;
  if (status === 409 || status === 412) return EXIT.conflict;
  return EXIT.failed;
}

/** The one line to print (null: commander already printed it) and the exit code of an error. */
export function describeFailure(error: unknown): { message: string | null; exitCode: number } {
  if (error instanceof CommanderError) return { message: null, exitCode: error.exitCode === 0 ? EXIT.success : EXIT.usage };
  if (error instanceof ApiError) {
    const hint = error.status === 401 ? ' (run `npx lesionlab login`, or set LESIONLAB_TOKEN)' : '';
    return { message: `${error.status}: ${error.detail}${hint}`, exitCode: apiExitCode(error.status) };
  }
  if (error instanceof ZodError) {
    return { message: `invalid request: ${error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ')}`, exitCode: EXIT.usage };
  }
  if (error instanceof ApiUnreachableError) return { message: error.message, exitCode: EXIT.unreachable };
  if (error instanceof CommandFailure) return { message: error.message, exitCode: error.exitCode };
  return { message: error instanceof Error ? (error.stack ?? error.message) : String(error), exitCode: EXIT.failed };
}
