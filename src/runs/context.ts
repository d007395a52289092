// What every run flow works with: the projects (indexes), the run registry, the terminals and the
// runs' live logs, and which agent they use.
import type { ProjectService } from '../workspace/projectService';
import type { AgentChoices } from './agentChoice';
import type { RunLogs } from './runLog';
import type { RunRegistry } from './runRegistry';
import type { Terminals } from './terminals';

export interface RunContext {
  projects: ProjectService;
  registry: RunRegistry;
  terminals: Terminals;
  logs: RunLogs;
  /** The agent and model the workspace's runs use, and the agents installed here. */
  agents: AgentChoices;
}
