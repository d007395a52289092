// The stream filter's entry point: the agent wrapper runs `node out/streamFilter.js` between the
// agent and `tee` (src/core/workflow/commandLine.ts, wrapAgentRun). Bundled by esbuild on its own,
// with no `vscode` import; the logic is in src/core/runs/streamFilter.ts.
import { runStreamFilter } from './core/runs/streamFilter';

void runStreamFilter({
  input: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  format: process.env.CHANT_AGENT_FORMAT,
  streamFile: process.env.CHANT_STREAM_FILE || undefined,
});
