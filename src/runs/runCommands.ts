// The run commands, for the table in extension.ts. Arguments: a spec id, a Uri or a tree node
// (the CodeLens passes the id), then optional options that skip the questions (tests, chains).
import type { CommandHandler } from '../commands/registry';
import type { MergeOptions, RunManager, WorkOptions } from './runManager';

export function runCommands(runs: RunManager): Record<string, CommandHandler> {
  return {
    // The CodeLens passes (uri, id): only an object is taken as options.
    'chant.workSpec': (arg?: unknown, options?: unknown) => runs.workSpec(arg, isOptions(options) ? options : {}),
    'chant.workNextReady': (options?: WorkOptions) => runs.workNextReady(isOptions(options) ? options : {}),
    'chant.pauseRun': (arg?: unknown) => runs.pauseRun(arg),
    'chant.takeOver': (arg?: unknown) => runs.takeOver(arg),
    'chant.reviewChanges': (arg?: unknown) => runs.reviewChanges(arg),
    'chant.mergeSpec': (arg?: unknown, options?: unknown) => runs.mergeSpec(arg, isOptions(options) ? (options as MergeOptions) : {}),
  };
}

function isOptions(value: unknown): value is WorkOptions {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !('kind' in value);
}
