// What every run flow works with: the projects (indexes), the run registry and the terminals.
import type { ProjectService } from '../workspace/projectService';
import type { RunRegistry } from './runRegistry';
import type { Terminals } from './terminals';

export interface RunContext {
  projects: ProjectService;
  registry: RunRegistry;
  terminals: Terminals;
}
