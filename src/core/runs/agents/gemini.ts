// Gemini CLI: `gemini --output-format stream-json` prints one event per line (packages/core/src/
// output/types.ts): `init` (session_id, model), `message` (role, content; `delta: true` for streamed
// pieces of one message), `tool_use` (tool_name, tool_id, parameters), `tool_result` (status,
// output or error), `error` (severity, message) and a final `result` (status, error, stats with
// input/output/cached tokens and duration). It reports no cost. No `vscode` import.
import { isObject, num, str, type AgentEvent, type AgentFormat, type FormatReader, type Json } from './agentFormat';

class GeminiReader implements FormatReader {
  /** Streamed pieces (`delta`) of the assistant's current message, until its line ends. */
  private pending = '';

  read(event: Json): AgentEvent[] {
    const out: AgentEvent[] = [];
    if (event.type === 'message') {
      if (event.role !== 'assistant' || typeof event.content !== 'string') return out;
      if (event.delta === true) {
        this.pending += event.content;
        const lastBreak = this.pending.lastIndexOf('\n');
        if (lastBreak >= 0) {
          out.push({ kind: 'text', text: this.pending.slice(0, lastBreak) });
          this.pending = this.pending.slice(lastBreak + 1);
        }
        return out;
      }
      out.push(...this.flush(), { kind: 'text', text: event.content });
      return out;
    }
    out.push(...this.flush());
    switch (event.type) {
      case 'init':
        if (str(event.model)) out.push({ kind: 'model', model: event.model as string });
        if (str(event.session_id)) out.push({ kind: 'session', id: event.session_id as string });
        break;
      case 'tool_use':
        out.push({ kind: 'tool', name: str(event.tool_name) ?? 'tool', input: event.parameters });
        break;
      case 'tool_result':
        if (event.status === 'error') {
          const message = isObject(event.error) ? str(event.error.message) : undefined;
          out.push({ kind: 'toolError', text: message ?? (typeof event.output === 'string' ? event.output : '') });
        }
        break;
      case 'error':
        // Warnings (a retry, a loop detected) are not errors of the run.
        if (str(event.message)) out.push(event.severity === 'warning' ? { kind: 'text', text: `Warning: ${event.message as string}` } : { kind: 'error', text: event.message as string });
        break;
      case 'result': {
        const stats = isObject(event.stats) ? event.stats : undefined;
        if (stats) {
          const prompt = num(stats.input_tokens) ?? 0;
          const cached = Math.min(num(stats.cached) ?? 0, prompt);
          const fresh = num(stats.input) ?? prompt - cached;
          out.push({ kind: 'usage', scope: 'total', usage: { inputTokens: fresh, cacheReadTokens: cached, outputTokens: num(stats.output_tokens) ?? 0, cacheCreationTokens: 0 } });
        }
        const message = isObject(event.error) ? str(event.error.message) : undefined;
        out.push({ kind: 'result', isError: event.status === 'error', text: message, subtype: event.status === 'error' ? (isObject(event.error) ? str(event.error.type) : undefined) : undefined, durationMs: stats ? num(stats.duration_ms) : undefined });
        break;
      }
      default:
        break;
    }
    return out;
  }

  end(): AgentEvent[] {
    return this.flush();
  }

  private flush(): AgentEvent[] {
    if (!this.pending) return [];
    const text = this.pending;
    this.pending = '';
    return [{ kind: 'text', text }];
  }
}

export const gemini: AgentFormat = {
  id: 'gemini',
  label: 'Gemini CLI',
  program: 'gemini',
  command: (withModel) => `gemini --output-format stream-json --yolo${withModel ? ' --model ${model}' : ''} --prompt "Read and execute the task in \${promptFile}"`,
  install: 'npm install -g @google/gemini-cli, then run `gemini` once to sign in',
  ci: { npmPackage: '@google/gemini-cli', secret: 'GEMINI_API_KEY', keyEnv: ['GEMINI_API_KEY'] },
  docs: 'https://github.com/google-gemini/gemini-cli/blob/main/docs/cli/headless.md',
  reportsCost: false,
  recognizes: (event) =>
    (event.type === 'init' && typeof event.session_id === 'string' && 'model' in event) ||
    (event.type === 'message' && typeof event.role === 'string' && typeof event.content === 'string') ||
    (event.type === 'tool_use' && typeof event.tool_name === 'string') ||
    (event.type === 'result' && typeof event.status === 'string' && !('is_error' in event)),
  reader: () => new GeminiReader(),
};
