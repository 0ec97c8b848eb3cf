import type { components } from './generated/api';

export type ProblemDetails = components['schemas']['ProblemDetails'];

/**
 * A non-2xx answer of the API. `detail` is the problem+json detail (what went wrong, in words a
 * person can act on); `problem` is the whole body when the API sent one.
 */
export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly detail: string,
    readonly problem: ProblemDetails | null,
  ) {
    super(`${method} ${url} failed with ${status}: ${detail}`);
    this.name = 'ApiError';
  }

  /** Reads the problem+json body of a failed response (or its text, when it is not one). */
  static async from(request: Request, response: Response): Promise<ApiError> {
    const text = await response.text();
    let problem: ProblemDetails | null = null;
    try {
      const parsed = JSON.parse(text) as Partial<ProblemDetails>;
      if (parsed && typeof parsed.detail === 'string') problem = parsed as ProblemDetails;
    } catch {
      /* not JSON: the text is the detail */
    }
    const detail = problem?.detail ?? (text.trim() || response.statusText || 'no detail');
    return new ApiError(request.method, new URL(request.url).pathname, response.status, detail, problem);
  }
}
