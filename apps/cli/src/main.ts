import { describeFailure } from './exit-codes';
import { buildProgram } from './program';

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    const { message, exitCode } = describeFailure(error);
    if (message) process.stderr.write(`lesionlab: ${message}\n`);
    process.exitCode = exitCode;
  });
