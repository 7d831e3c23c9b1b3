import type { components } from './schema';

export type Problem = components['schemas']['ProblemDetailsDto'];

/** An API answer that is not 2xx, carrying the gateway's problem+json (or a stand-in for network failures). */
export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
  }

  get status(): number {
    return this.problem.status;
  }

  get code(): string {
    return this.problem.code;
  }

  /** The message for one request field (`errors[].field`), for showing next to its input. */
  fieldError(field: string): string | undefined {
    return this.problem.errors?.find((e) => e.field === field || e.field.startsWith(`${field}.`))?.message;
  }

  static from(status: number, body: unknown, fallbackTitle = 'The request failed'): ApiProblem {
    if (body && typeof body === 'object' && 'title' in body && 'status' in body) {
      return new ApiProblem(body as Problem);
    }
    return new ApiProblem({
      type: 'about:blank',
      title: status >= 500 ? 'Convene is having trouble right now' : fallbackTitle,
      status,
      detail: status >= 500 ? 'Please try again in a moment.' : '',
      code: status >= 500 ? 'UNAVAILABLE' : 'UNKNOWN',
    });
  }

  static network(): ApiProblem {
    return new ApiProblem({
      type: 'about:blank',
      title: 'Cannot reach Convene',
      status: 0,
      detail: 'Check your connection and try again.',
      code: 'NETWORK',
    });
  }
}

/** Anything thrown while calling the API, as a problem to show. */
export function asProblem(error: unknown): ApiProblem {
  if (error instanceof ApiProblem) return error;
  if (error instanceof TypeError) return ApiProblem.network();
  return ApiProblem.from(0, undefined, (error as Error)?.message ?? 'Something went wrong');
}
