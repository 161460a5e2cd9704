/**
 * The `deploy-hook` target: one POST to a build hook (Netlify, Vercel, Cloudflare Pages), which then builds the
 * site from the repository. The URL comes from DEPLOY_HOOK_URL and embeds a secret (its path is the token), so
 * messages and logs name its origin only.
 *
 * Retried with the sync's own policy (sync/http/retry.ts, p-retry): 5xx, 408, 429 (Retry-After honoured, up to
 * `maxRetryAfterMs`), network errors and timeouts, with exponential backoff. Any other 4xx means the hook itself
 * is wrong (deleted, mistyped): no retry.
 */
import path from 'node:path';
import { contentFingerprint } from '../../../content-store/fingerprint.ts';
import type { ResolvedConfig } from '../../config.ts';
import { describeFailure, TargetError } from '../../errors.ts';
import { parseRetryAfter } from '../../http/errors.ts';
import { RequestError, withRetry, type RetryPolicy } from '../../http/retry.ts';
import type { RebuildTarget } from '../types.ts';
import { readDeployedFrom, writeDeployedFrom } from './deployed-from.ts';

export interface DeployHookOptions {
  /** Retries and backoff (tests make them short). */
  policy?: RetryPolicy;
  /** Deadline of one POST (default: the config's requestTimeoutMs). */
  timeoutMs?: number;
  /** A Retry-After longer than this is not waited for: the publish fails and the next sync tries again (default 2 min). */
  maxRetryAfterMs?: number;
}

/** Build hooks answer at once and queue the build; a few patient retries cover a provider's bad minute. */
const DEPLOY_HOOK_RETRY_POLICY: RetryPolicy = { retries: 4, minTimeoutMs: 2_000, maxTimeoutMs: 30_000, rateLimitPenaltyMs: 10_000 };

/** A non-2xx answer, named by origin only; `status` and `headers` are what the retry policy reads. */
class HookStatusError extends Error {
  override name = 'HookStatusError';
  readonly status: number;
  readonly headers: Headers;
  constructor(origin: string, response: Response) {
    super(`[POST] ${origin}: ${response.status} ${response.statusText}`);
    this.status = response.status;
    this.headers = response.headers;
  }
}

/** Parses DEPLOY_HOOK_URL without ever echoing it. */
function hookUrl(value: string | undefined): URL {
  if (!value) {
    throw new TargetError(
      'deploy-hook',
      'DEPLOY_HOOK_URL is not set. Create a build hook in your host (Netlify: Site configuration › Build hooks; Vercel: Settings › Git › Deploy Hooks; ' +
        'Cloudflare Pages: Settings › Builds › Deploy hooks) and put its URL in the DEPLOY_HOOK_URL environment variable, or choose another target.',
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TargetError(
      'deploy-hook',
      'DEPLOY_HOOK_URL is not a valid URL (it is not shown, as it holds a secret): copy the hook URL again from your host.',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TargetError(
      'deploy-hook',
      `DEPLOY_HOOK_URL must be an https:// (or http://) URL, not ${url.protocol}: copy the hook URL again from your host.`,
    );
  }
  return url;
}

export function createDeployHookTarget(config: ResolvedConfig, options: DeployHookOptions = {}): RebuildTarget {
  const url = hookUrl(config.secrets.deployHookUrl);
  const { origin } = url;
  const policy = options.policy ?? DEPLOY_HOOK_RETRY_POLICY;
  const timeoutMs = options.timeoutMs ?? config.requestTimeoutMs;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;

  const post = async (signal?: AbortSignal): Promise<Response> => {
    // The deadline covers the body too; it aborts the request (a TimeoutError, retried), not just the wait.
    const deadline = AbortSignal.timeout(timeoutMs);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'workshop-sync' },
      body: '{}',
      signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
    });
    // Read the body either way: it frees the connection, and a cut-off body counts as a failed try.
    await response.arrayBuffer();
    if (response.ok) return response;
    const asked = parseRetryAfter(response.headers.get('retry-after'));
    if (asked !== undefined && asked > maxRetryAfterMs) {
      throw new TargetError(
        'deploy-hook',
        `${origin} answered ${response.status} and asked to wait ${Math.round(asked / 1000)} s, longer than the ${Math.round(maxRetryAfterMs / 1000)} s this target waits. ` +
          'Nothing was deployed; the next run tries again.',
      );
    }
    throw new HookStatusError(origin, response);
  };

  const stateDir = path.resolve(config.root, config.service.stateDir);

  return {
    kind: 'deploy-hook',
    async publish(_report, signal) {
      let attempts = 0;
      // What the host will build: content/ as it is now (noted once the hook accepted, for the check at start).
      const content = await contentFingerprint(config.contentDir);
      try {
        const response = await withRetry(
          (attempt) => {
            attempts = attempt;
            return post(signal);
          },
          { policy, ...(signal ? { signal } : {}) },
        );
        const noted = await writeDeployedFrom(stateDir, content).then(
          () => '',
          (error: unknown) => `; could not note it in ${stateDir} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
        );
        return `deploy hook at ${origin} accepted the build (${response.status}${attempts > 1 ? `, after ${attempts} tries` : ''})${noted}`;
      } catch (error) {
        if (signal?.aborted) throw new TargetError('deploy-hook', `aborted before ${origin} accepted the build; nothing was deployed.`);
        if (error instanceof RequestError && error.cause instanceof TargetError) throw error.cause;
        if (!(error instanceof RequestError))
          throw new TargetError('deploy-hook', `POST to ${origin} failed unexpectedly (${(error as Error).name}).`);
        const { failure } = error;
        if (failure.status !== undefined && failure.status >= 400 && failure.status < 500 && !failure.retryable) {
          throw new TargetError(
            'deploy-hook',
            `${origin} rejected the hook (${failure.status}): the hook was deleted or its URL is wrong. Check DEPLOY_HOOK_URL, or create a new build hook and set DEPLOY_HOOK_URL to it. Nothing was deployed.`,
          );
        }
        throw new TargetError(
          'deploy-hook',
          `${origin} did not accept the build after ${error.attempts} ${error.attempts === 1 ? 'try' : 'tries'} (${describeFailure(failure)}). ` +
            "Nothing was deployed; the next run tries again. If this persists, check the host's status page.",
        );
      }
    },
    async buildAtStart() {
      const deployed = await readDeployedFrom(stateDir);
      if (deployed === undefined) return 'no deploy of the content held now is recorded';
      if (deployed !== (await contentFingerprint(config.contentDir)))
        return `the last deploy was of other content than ${config.contentDir}/ holds now`;
      return undefined;
    },
  };
}
