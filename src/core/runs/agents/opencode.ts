// opencode: `opencode run --format json` prints one event per line, each `{type, timestamp,
// sessionID, part}` (packages/opencode/src/cli/cmd/run.ts): `step_start`, `text` (a finished text
// part), `reasoning`, `tool_use` (a tool part, completed or failed: tool, state.input, state.error),
// `step_finish` (the step's `cost` in dollars and its tokens: input, output, reasoning, cache read
// and write), `error` (a session error) and, in newer versions, `done` when the session is idle.
// It reports cost per step and no model. No `vscode` import.
import { isObject, num, str, type AgentEvent, type AgentFormat, type FormatReader, type Json } from './agentFormat';

class OpencodeReader implements FormatReader {
  private failed = false;

  read(event: Json): AgentEvent[] {
    const part = isObject(event.part) ? event.part : undefined;
    switch (event.type) {
      case 'text':
        return part && typeof part.text === 'string' ? [{ kind: 'text', text: part.text }] : [];
      case 'tool_use': {
        if (!part) return [];
        const state = isObject(part.state) ? part.state : {};
        const events: AgentEvent[] = [{ kind: 'tool', name: str(part.tool) ?? 'tool', input: state.input }];
        if (state.status === 'error') events.push({ kind: 'toolError', text: typeof state.error === 'string' ? state.error : '' });
        return events;
      }
      case 'step_finish': {
        if (!part) return [];
        const events: AgentEvent[] = [];
        const tokens = isObject(part.tokens) ? part.tokens : undefined;
        if (tokens) {
          const cache = isObject(tokens.cache) ? tokens.cache : {};
          events.push({
            kind: 'usage',
            scope: 'step',
            usage: {
              inputTokens: num(tokens.input) ?? 0,
              outputTokens: (num(tokens.output) ?? 0) + (num(tokens.reasoning) ?? 0),
              cacheReadTokens: num(cache.read) ?? 0,
              cacheCreationTokens: num(cache.write) ?? 0,
            },
          });
        }
        const cost = num(part.cost);
        if (cost !== undefined) events.push({ kind: 'cost', usd: cost, scope: 'step' });
        return events;
      }
      case 'error': {
        this.failed = true;
        const error = isObject(event.error) ? event.error : {};
        const data = isObject(error.data) ? error.data : {};
        return [{ kind: 'error', text: str(data.message) ?? str(error.name) ?? 'error' }];
      }
      case 'done':
        return [{ kind: 'result', isError: this.failed }];
      default:
        return [];
    }
  }
}

export const opencode: AgentFormat = {
  id: 'opencode',
  label: 'opencode',
  program: 'opencode',
  // `--auto` approves what the configuration does not deny (run mode rejects permission questions otherwise).
  command: (withModel) => `opencode run --format json --auto${withModel ? ' --model ${model}' : ''} "Read and execute the task in \${promptFile}"`,
  install: 'npm install -g opencode-ai, then run `opencode auth login`',
  // opencode picks its provider from the keys it finds; its GitHub Actions docs use Anthropic's.
  ci: { npmPackage: 'opencode-ai', secret: 'ANTHROPIC_API_KEY', keyEnv: ['ANTHROPIC_API_KEY'] },
  docs: 'https://opencode.ai/docs/cli/#run',
  reportsCost: true,
  recognizes: (event) => typeof event.sessionID === 'string' && isObject(event.part),
  reader: () => new OpencodeReader(),
};
