import { builtinsFor, builtinTargetNames } from './builtins';
import { UsageError } from '../usage';
import type { CheckSettings, CheckSpec } from './types';
import { loadUserChecks, looksLikePath } from './user-module';

/**
 * Turns the TARGET arguments into checks: `all` (the default), op / stage / composite names, and
 * paths to the user's own modules. A name that is not built in is read as a path when it looks
 * like one; anything else is a usage error listing what is known.
 *
 * `onLoad` hears each module path before it is imported (the command times each loading).
 *
 * @throws UsageError for an unknown name; ModuleLoadError for a module that cannot be loaded.
 * @example
 * await resolveTargets(['softmax', './my-op.check.ts'], settings)
 */
export async function resolveTargets(
  targets: readonly string[],
  settings: CheckSettings,
  onLoad: (path: string) => void = () => {},
): Promise<CheckSpec[]> {
  const specs: CheckSpec[] = [];
  for (const target of targets.length === 0 ? ['all'] : targets) {
    const builtins = builtinsFor(target, settings.sizes, settings.seed);
    if (builtins !== null) specs.push(...builtins);
    else if (looksLikePath(target)) {
      onLoad(target);
      specs.push(...(await loadUserChecks(target)));
    } else {
      throw new UsageError(
        `check: unknown target '${target}': not a file, and not one of ${builtinTargetNames().join(', ')} ` +
          `(prefix op:, stage: or composite: to pick one kind)`,
      );
    }
  }
  return specs;
}
