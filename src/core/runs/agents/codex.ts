// OpenAI Codex CLI: `codex exec --json` prints one thread event per line (codex-rs/exec/src/
// exec_events.rs): `thread.started` (thread_id), `turn.started`, `item.started` / `item.updated` /
// `item.completed` carrying an item (`agent_message`, `reasoning`, `command_execution`,
// `file_change`, `mcp_tool_call`, `web_search`, `todo_list`, `error`), `turn.completed` with the
// thread's token usage so far, `turn.failed` and `error`. It reports no model and no cost: the
// model is the one the run passed, the cost comes from the price table or is unknown. Its
// `input_tokens` include the cached ones. No `vscode` import.
import { isObject, num, str, type AgentEvent, type AgentFormat, type FormatReader, type Json } from './agentFormat';

function readItem(stage: 'started' | 'completed', item: Json): AgentEvent[] {
  switch (item.type) {
    case 'agent_message':
      return stage === 'completed' && typeof item.text === 'string' ? [{ kind: 'text', text: item.text }] : [];
    case 'command_execution': {
      // The call shows when it starts; a failure (its exit status) when it completes.
      if (stage === 'started') return [{ kind: 'tool', name: 'shell', input: { command: item.command } }];
      const failed = item.status === 'failed' || item.status === 'declined' || (typeof item.exit_code === 'number' && item.exit_code !== 0);
      if (!failed) return [];
      const output = typeof item.aggregated_output === 'string' ? item.aggregated_output.trim() : '';
      return [{ kind: 'toolError', text: output || `${str(item.command) ?? 'command'} exited with status ${typeof item.exit_code === 'number' ? item.exit_code : item.status}` }];
    }
    case 'file_change': {
      // Emitted once, completed, after the patch applied (or failed).
      if (stage !== 'completed') return [];
      const paths = Array.isArray(item.changes)
        ? item.changes
            .filter(isObject)
            .map((c) => str(c.path))
            .filter((p): p is string => !!p)
        : [];
      const events: AgentEvent[] = [{ kind: 'tool', name: 'apply_patch', argument: paths.length <= 1 ? (paths[0] ?? '') : `${paths[0]} and ${paths.length - 1} more` }];
      if (item.status === 'failed') events.push({ kind: 'toolError', text: `the patch to ${paths.join(', ') || 'the files'} failed` });
      return events;
    }
    case 'mcp_tool_call': {
      const name = `${str(item.server) ?? 'mcp'}.${str(item.tool) ?? 'tool'}`;
      if (stage === 'started') return [{ kind: 'tool', name, input: item.arguments }];
      const error = isObject(item.error) ? str(item.error.message) : undefined;
      return item.status === 'failed' || error ? [{ kind: 'toolError', text: error ?? `${name} failed` }] : [];
    }
    case 'web_search':
      return stage === 'started' ? [{ kind: 'tool', name: 'web_search', input: { query: item.query } }] : [];
    case 'todo_list':
      return stage === 'started' && Array.isArray(item.items) ? [{ kind: 'tool', name: 'todo_list', input: { todos: item.items } }] : [];
    case 'error':
      return stage === 'completed' && str(item.message) ? [{ kind: 'error', text: item.message as string }] : [];
    default:
      // reasoning (not part of the transcript), plan, collab calls and newer item types.
      return [];
  }
}

function readCodex(event: Json): AgentEvent[] {
  switch (event.type) {
    case 'thread.started':
      return str(event.thread_id) ? [{ kind: 'session', id: event.thread_id as string }] : [];
    case 'item.started':
    case 'item.completed':
      return isObject(event.item) ? readItem(event.type === 'item.started' ? 'started' : 'completed', event.item) : [];
    case 'turn.completed': {
      const out: AgentEvent[] = [];
      const usage = event.usage;
      if (isObject(usage)) {
        const input = num(usage.input_tokens) ?? 0;
        const cached = Math.min(num(usage.cached_input_tokens) ?? 0, input);
        out.push({ kind: 'usage', scope: 'total', usage: { inputTokens: input - cached, cacheReadTokens: cached, outputTokens: num(usage.output_tokens) ?? 0, cacheCreationTokens: 0 } });
      }
      out.push({ kind: 'result', isError: false });
      return out;
    }
    case 'turn.failed': {
      const message = isObject(event.error) ? str(event.error.message) : undefined;
      return [{ kind: 'result', isError: true, text: message, subtype: 'turn.failed' }];
    }
    case 'error':
      return str(event.message) ? [{ kind: 'error', text: event.message as string }] : [];
    default:
      return [];
  }
}

export const codex: AgentFormat = {
  id: 'codex',
  label: 'OpenAI Codex',
  program: 'codex',
  // The sandbox would keep it from committing in a worktree (git's files live in the main checkout's .git),
  // so the preset bypasses it as claude's skips permissions; `-` would read the task from stdin, the
  // stub names the prompt file instead.
  command: (withModel) =>
    `codex exec --json${withModel ? ' --model ${model}' : ''} --dangerously-bypass-approvals-and-sandbox "Read and execute the task in \${promptFile}"`,
  install: 'npm install -g @openai/codex, then run `codex login`',
  // `codex exec` documents CODEX_API_KEY for CI; older versions read only OPENAI_API_KEY.
  ci: { npmPackage: '@openai/codex', secret: 'OPENAI_API_KEY', keyEnv: ['CODEX_API_KEY', 'OPENAI_API_KEY'] },
  docs: 'https://github.com/openai/codex/blob/main/docs/exec.md',
  reportsCost: false,
  recognizes: (event) => typeof event.type === 'string' && /^(thread|turn|item)\./.test(event.type),
  reader: (): FormatReader => ({ read: readCodex }),
};
