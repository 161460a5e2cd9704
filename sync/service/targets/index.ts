/** The configured rebuild target (`service.target` in workshop.config.ts, or SYNC_TARGET). */
import type { ResolvedConfig } from '../../config.ts';
import type { RebuildTarget } from '../types.ts';
import { createDeployHookTarget } from './deploy-hook.ts';
import { createGitTarget } from './git.ts';
import { createLocalTarget } from './local.ts';

/** Sync only: content/ is written, nothing is rebuilt. */
const none: RebuildTarget = {
  kind: 'none',
  publish: () => Promise.resolve('nothing to publish (target: none)'),
};

/** Creates the target; a missing secret (DEPLOY_HOOK_URL) fails here, when the service starts, with a TargetError. */
export function createTarget(config: ResolvedConfig): RebuildTarget {
  const target = config.service.target;
  switch (target.kind) {
    case 'local':
      return createLocalTarget(config, target);
    case 'deploy-hook':
      return createDeployHookTarget(config);
    case 'git':
      return createGitTarget(config, target);
    case 'none':
      return none;
  }
}
