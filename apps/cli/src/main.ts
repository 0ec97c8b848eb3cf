import { ApiError } from './api-client';
import { buildProgram } from './program';

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.stderr.write(`lesionlab: ${error instanceof ApiError ? error.message : error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = error instanceof ApiError ? 2 : 1;
  });
