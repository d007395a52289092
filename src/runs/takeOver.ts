// Take Over: `chant takeover <id> --force` stops chant's agent, adds its analysis to the spec and
// sets paused. The direct runner has no chant process to hand over; pausing keeps the branch.
import type { SpecIndex } from '../core/project/specIndex';
import type { Spec } from '../core/spec/types';
import { handToCli } from './cliRunner';
import type { RunContext } from './context';
import { pauseRun } from './pause';

export async function takeOver(ctx: RunContext, index: SpecIndex, spec: Spec): Promise<boolean> {
  if (ctx.registry.get(spec.id, index.paths.root)?.runner === 'direct') return pauseRun(ctx, index, spec);
  await handToCli(ctx, index.paths.root, spec, ['takeover', spec.id, '--force']);
  return true;
}
