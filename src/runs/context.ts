// What every run flow works with: the projects (indexes), the run registry, the terminals and the
// runs' live logs.
import type { ProjectService } from '../workspace/projectService';
import type { RunLogs } from './runLog';
import type { RunRegistry } from './runRegistry';
import type { Terminals } from './terminals';

export interface RunContext {
  projects: ProjectService;
  registry: RunRegistry;
  terminals: Terminals;
  logs: RunLogs;
}
