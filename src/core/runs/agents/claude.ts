// Claude Code: `claude --print --output-format stream-json --verbose`, chant's default agent
// (CHANT-FORMAT §7.2). One JSON event per line: `system` (init: model, session), `assistant` (an API
// message: text and tool_use blocks, its usage repeated on each of its events), `user` (tool
// results), and a final `result` with the run's usage, `total_cost_usd`, turns and duration.
// Documented in Claude Code's headless docs and the Agent SDK's message types. No `vscode` import.
import { DEFAULT_AGENT_COMMAND } from '../../workflow/commandLine';
import { isObject, num, str, type AgentEvent, type AgentFormat, type Json, type TokenCounts } from './agentFormat';

function tokens(value: unknown): TokenCounts | undefined {
  if (!isObject(value)) return undefined;
  return {
    inputTokens: num(value.input_tokens) ?? 0,
    outputTokens: num(value.output_tokens) ?? 0,
    cacheReadTokens: num(value.cache_read_input_tokens) ?? 0,
    cacheCreationTokens: num(value.cache_creation_input_tokens) ?? 0,
  };
}

/** A tool result's content (a string or text blocks) as text. */
function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    for (const block of content) if (isObject(block) && typeof block.text === 'string' && block.text.trim()) return block.text;
  }
  return '';
}

export const claude: AgentFormat = {
  id: 'claude',
  label: 'Claude Code',
  program: 'claude',
  // chant's own command line (its default provider).
  command: () => DEFAULT_AGENT_COMMAND,
  install: 'npm install -g @anthropic-ai/claude-code, then run `claude` once to sign in',
  ci: { npmPackage: '@anthropic-ai/claude-code', secret: 'ANTHROPIC_API_KEY', keyEnv: ['ANTHROPIC_API_KEY'] },
  docs: 'https://docs.anthropic.com/en/docs/claude-code/sdk/sdk-headless',
  reportsCost: true,
  recognizes: (event) =>
    (event.type === 'system' && event.subtype === 'init') || ((event.type === 'assistant' || event.type === 'user') && isObject(event.message)) || (event.type === 'result' && 'is_error' in event),
  reader: () => ({ read: readClaude }),
};

function readClaude(event: Json): AgentEvent[] {
    const out: AgentEvent[] = [];
    switch (event.type) {
      case 'system': {
        if (event.subtype !== undefined && event.subtype !== 'init') break;
        if (str(event.model)) out.push({ kind: 'model', model: event.model as string });
        if (str(event.session_id)) out.push({ kind: 'session', id: event.session_id as string });
        break;
      }
      case 'assistant': {
        const message = event.message;
        if (!isObject(message)) break;
        if (str(message.model)) out.push({ kind: 'model', model: message.model as string });
        const usage = tokens(message.usage);
        if (usage) out.push({ kind: 'usage', usage, scope: typeof message.id === 'string' ? 'message' : 'step', key: typeof message.id === 'string' ? message.id : undefined });
        if (!Array.isArray(message.content)) break;
        for (const block of message.content) {
          if (!isObject(block)) continue;
          if (block.type === 'text' && typeof block.text === 'string') out.push({ kind: 'text', text: block.text });
          else if (block.type === 'tool_use') out.push({ kind: 'tool', name: typeof block.name === 'string' ? block.name : 'tool', input: block.input });
          // thinking and redacted_thinking blocks: not part of the transcript.
        }
        break;
      }
      case 'user': {
        const message = event.message;
        if (!isObject(message) || !Array.isArray(message.content)) break;
        for (const block of message.content) {
          // Successful tool results are long and repeat what the agent goes on to say; errors matter.
          if (isObject(block) && block.type === 'tool_result' && block.is_error === true) out.push({ kind: 'toolError', text: resultText(block.content) });
        }
        break;
      }
      case 'result': {
        const subtype = typeof event.subtype === 'string' ? event.subtype : '';
        if (str(event.session_id)) out.push({ kind: 'session', id: event.session_id as string });
        const usage = tokens(event.usage);
        if (usage) out.push({ kind: 'usage', usage, scope: 'total' });
        const cost = num(event.total_cost_usd);
        if (cost !== undefined) out.push({ kind: 'cost', usd: cost, scope: 'total' });
        out.push({
          kind: 'result',
          isError: event.is_error === true || subtype.startsWith('error'),
          text: typeof event.result === 'string' ? event.result : undefined,
          subtype: subtype || undefined,
          turns: num(event.num_turns),
          durationMs: num(event.duration_ms),
        });
        break;
      }
      default:
        // Event types of newer versions (stream_event, …): nothing to show.
        break;
    }
    return out;
}
