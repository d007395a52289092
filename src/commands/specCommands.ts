// The command table entries of the Specs view and the spec actions (one module per command). The
// table itself is assembled in extension.ts and registered by registry.ts.
import type { PhaseDefinition } from '../core/workflow/phases';
import { filterSpecs, groupBy } from '../views/treeCommands';
import type { SpecTreeProvider } from '../views/specTreeProvider';
import type { ProjectService } from '../workspace/projectService';
import { archiveSpec } from './archiveSpec';
import { cancelSpec } from './cancelSpec';
import { initProject } from './initProject';
import { newSpec } from './newSpec';
import type { CommandHandler } from './registry';
import { copySpecId, openResearchOutput, revealSpecInExplorer } from './specActions';

export function specCommands(projects: ProjectService, tree: SpecTreeProvider, phases: () => readonly PhaseDefinition[]): Record<string, CommandHandler> {
  return {
    'chant.newSpec': (arg?: unknown) => newSpec(projects, phases, arg),
    'chant.groupBy': (mode?: unknown) => groupBy(tree, mode),
    'chant.filter': (filter?: unknown) => filterSpecs(tree, projects, filter),
    'chant.clearFilter': () => tree.clearFilter(),
    'chant.openResearchOutput': (arg?: unknown, pick?: unknown) => openResearchOutput(projects, arg, typeof pick === 'string' ? pick : undefined),
    'chant.copySpecId': (arg?: unknown) => copySpecId(projects, arg),
    'chant.revealSpecInExplorer': (arg?: unknown) => revealSpecInExplorer(projects, arg),
    'chant.cancelSpec': (arg?: unknown, options?: { confirmed?: boolean }) => cancelSpec(projects, arg, options),
    'chant.archiveSpec': (arg?: unknown, options?: { answer?: string }) => archiveSpec(projects, arg, options),
    'chant.init': (folder?: unknown) => initProject(projects, false, folder),
    'chant.initSilent': (folder?: unknown) => initProject(projects, true, folder),
  };
}
