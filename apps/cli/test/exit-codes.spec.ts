import { CommanderError } from 'commander';
import { z } from 'zod';
import { ApiError } from '@lesionlab/api-client';
import { ApiUnreachableError } from '../src/connection';
import { CommandFailure, describeFailure, EXIT } from '../src/exit-codes';

const apiError = (status: number, detail = 'the detail') => new ApiError('GET', '/api/x', status, detail, null);

describe('describeFailure', () => {
  it.each([
    [400, EXIT.usage],
    [401, EXIT.signedOut],
    [403, EXIT.signedOut],
    [404, EXIT.notFound],
    [409, EXIT.conflict],
    [412, EXIT.conflict],
    [500, EXIT.failed],
    [503, EXIT.failed],
  ])('maps an API answer %i to exit %i with the problem detail', (status, exitCode) => {
    expect(describeFailure(apiError(status))).toEqual({ message: expect.stringMatching(new RegExp(`^${status}: the detail`)), exitCode });
  });

  it('tells a signed-out user how to sign in', () => {
    expect(describeFailure(apiError(401, 'no credentials')).message).toBe('401: no credentials (run `npx lesionlab login`, or set LESIONLAB_TOKEN)');
  });

  it('maps usage errors to 2 (commander printed them already) and help to 0', () => {
    expect(describeFailure(new CommanderError(1, 'commander.missingMandatoryOptionValue', 'x'))).toEqual({ message: null, exitCode: EXIT.usage });
    expect(describeFailure(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toEqual({ message: null, exitCode: EXIT.success });
    const invalid = z.object({ name: z.string().min(3) }).safeParse({ name: 'x' }).error!;
    expect(describeFailure(invalid)).toEqual({ message: expect.stringMatching(/^invalid request: name: /), exitCode: EXIT.usage });
  });

  it('maps an unreachable API to 6 and a command failure to its own code', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(describeFailure(new ApiUnreachableError('http://127.0.0.1:1', refused))).toEqual({ message: expect.stringContaining('(ECONNREFUSED)'), exitCode: EXIT.unreachable });
    expect(describeFailure(new CommandFailure('sha256 mismatch'))).toEqual({ message: 'sha256 mismatch', exitCode: EXIT.failed });
  });
});
