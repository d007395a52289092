// What the scripted agent prints in each agent's own machine-readable format, so every reader in
// src/core/runs/agents/ is tested against the shapes the real program prints (documented beside each):
//
//   claude    `claude --print --output-format stream-json --verbose` (Claude Code headless docs, the
//             Agent SDK's message types): system init, assistant messages with text and tool_use
//             blocks (usage per message), user tool_result events, a final result with
//             total_cost_usd, usage, num_turns and duration_ms.
//   codex     `codex exec --json` (openai/codex codex-rs/exec/src/exec_events.rs): thread.started,
//             turn.started, item.started / item.completed (agent_message, reasoning,
//             command_execution, file_change), turn.completed with usage (input includes cached),
//             turn.failed. No model, no cost.
//   gemini    `gemini --output-format stream-json` (google-gemini/gemini-cli packages/core/src/
//             output/types.ts): init (session_id, model), message (role, content, delta),
//             tool_use (tool_name, tool_id, parameters), tool_result (status, output, error), a
//             final result (status, error, stats). No cost.
//   opencode  `opencode run --format json` (opencode packages/opencode/src/cli/cmd/run.ts and
//             session/message-v2.ts): {type, timestamp, sessionID, part} for step_start, text,
//             tool_use (part.state), step_finish (cost and tokens per step), then error or done.
//   plain     text lines (`scripted agent: …`), any other agent.
//
// Usage is deterministic: every turn reports TURN_USAGE, priced at PRICE, so tests can compute totals.
'use strict';

/** What each turn (assistant message) reports. */
const TURN_USAGE = {
  input_tokens: 12,
  output_tokens: 40,
  cache_read_input_tokens: 1000,
  cache_creation_input_tokens: 200,
};
/** Dollars per token, as a small model's price list would say. */
const PRICE = {
  input_tokens: 1e-6,
  output_tokens: 5e-6,
  cache_read_input_tokens: 1e-7,
  cache_creation_input_tokens: 1.25e-6,
};
const round = (usd) => Math.round(usd * 1e6) / 1e6;
const turnCost = () => Object.entries(TURN_USAGE).reduce((sum, [key, value]) => sum + value * PRICE[key], 0);

function createEmitter(format, { model, started, write, log }) {
  const emit = (event) => write(`${JSON.stringify(event)}\n`);
  const sessionId = `scripted-${process.pid}-${started}`;
  let turns = 0;
  let ids = 0;
  let lastText = '';
  const iso = () => new Date().toISOString();

  if (format === 'claude') {
    const assistant = (content) => {
      turns++;
      emit({
        type: 'assistant',
        message: { id: `msg_scripted_${turns}`, type: 'message', role: 'assistant', model, content, stop_reason: content.some((b) => b.type === 'tool_use') ? 'tool_use' : null, usage: TURN_USAGE },
        parent_tool_use_id: null,
        session_id: sessionId,
      });
    };
    return {
      start() {
        emit({ type: 'system', subtype: 'init', session_id: sessionId, cwd: process.cwd(), model, tools: ['Bash', 'Read', 'Edit', 'Write', 'Glob', 'Grep'], mcp_servers: [], permissionMode: 'bypassPermissions', apiKeySource: 'none' });
      },
      say(text) {
        lastText = text;
        assistant([{ type: 'text', text }]);
      },
      tool(name, input, result, isError) {
        const id = `toolu_scripted_${++ids}`;
        assistant([{ type: 'tool_use', id, name, input }]);
        if (result === undefined) return;
        emit({ type: 'user', message: { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content: result, ...(isError ? { is_error: true } : {}) }] }, parent_tool_use_id: null, session_id: sessionId });
      },
      finish(isError, subtype) {
        const usage = {};
        for (const [key, value] of Object.entries(TURN_USAGE)) usage[key] = value * turns;
        emit({
          type: 'result',
          subtype: subtype || 'success',
          is_error: isError,
          duration_ms: Date.now() - started,
          duration_api_ms: Date.now() - started,
          num_turns: turns,
          result: lastText,
          session_id: sessionId,
          total_cost_usd: round(turnCost() * turns),
          usage,
          permission_denials: [],
        });
      },
    };
  }

  if (format === 'codex') {
    const item = (stage, body) => emit({ type: `item.${stage}`, item: { id: `item_${body.n}`, ...body.item } });
    return {
      start() {
        emit({ type: 'thread.started', thread_id: `0199a213-81c0-7800-8aa1-${String(process.pid).padStart(12, '0')}` });
        emit({ type: 'turn.started' });
        item('completed', { n: ids++, item: { type: 'reasoning', text: '**Reading the task**' } });
      },
      say(text) {
        lastText = text;
        turns++;
        item('completed', { n: ids++, item: { type: 'agent_message', text } });
      },
      tool(name, input, result, isError) {
        turns++;
        const n = ids++;
        if (name === 'Write' || name === 'Edit') {
          item('completed', { n, item: { type: 'file_change', changes: [{ path: input.file_path, kind: name === 'Write' ? 'add' : 'update' }], status: isError ? 'failed' : 'completed' } });
          return;
        }
        const command = name === 'Read' ? `bash -lc 'cat ${input.file_path}'` : `bash -lc '${input.command}'`;
        item('started', { n, item: { type: 'command_execution', command, aggregated_output: '', exit_code: null, status: 'in_progress' } });
        if (result === undefined) return;
        item('completed', { n, item: { type: 'command_execution', command, aggregated_output: `${result}\n`, exit_code: isError ? 1 : 0, status: isError ? 'failed' : 'completed' } });
      },
      finish(isError) {
        if (isError) {
          emit({ type: 'error', message: 'stream error: the scripted agent fails as asked' });
          emit({ type: 'turn.failed', error: { message: 'the scripted agent fails as asked' } });
          return;
        }
        const cached = TURN_USAGE.cache_read_input_tokens * turns;
        emit({ type: 'turn.completed', usage: { input_tokens: TURN_USAGE.input_tokens * turns + cached, cached_input_tokens: cached, output_tokens: TURN_USAGE.output_tokens * turns } });
      },
    };
  }

  if (format === 'gemini') {
    const GEMINI_TOOLS = { Read: 'read_file', Write: 'write_file', Edit: 'replace', Bash: 'run_shell_command' };
    return {
      start() {
        emit({ type: 'init', timestamp: iso(), session_id: sessionId, model });
        emit({ type: 'message', timestamp: iso(), role: 'user', content: 'Read and execute the task in the prompt file' });
      },
      say(text) {
        lastText = text;
        turns++;
        // Streamed as deltas, split mid-word, as the CLI does.
        const cut = Math.max(1, Math.floor(text.length / 2));
        emit({ type: 'message', timestamp: iso(), role: 'assistant', content: text.slice(0, cut), delta: true });
        emit({ type: 'message', timestamp: iso(), role: 'assistant', content: `${text.slice(cut)}\n`, delta: true });
      },
      tool(name, input, result, isError) {
        turns++;
        const tool = GEMINI_TOOLS[name] || name;
        const toolId = `${tool}-${started}-${++ids}`;
        const parameters = name === 'Read' ? { absolute_path: input.file_path } : input;
        emit({ type: 'tool_use', timestamp: iso(), tool_name: tool, tool_id: toolId, parameters });
        if (result === undefined) return;
        emit(isError ? { type: 'tool_result', timestamp: iso(), tool_id: toolId, status: 'error', output: result, error: { type: 'execution_failed', message: result } } : { type: 'tool_result', timestamp: iso(), tool_id: toolId, status: 'success', output: result });
      },
      finish(isError) {
        const cached = TURN_USAGE.cache_read_input_tokens * turns;
        const fresh = TURN_USAGE.input_tokens * turns;
        const stats = {
          total_tokens: fresh + cached + TURN_USAGE.output_tokens * turns,
          input_tokens: fresh + cached,
          output_tokens: TURN_USAGE.output_tokens * turns,
          cached,
          input: fresh,
          duration_ms: Date.now() - started,
          tool_calls: ids,
        };
        emit(isError ? { type: 'result', timestamp: iso(), status: 'error', error: { type: 'FatalError', message: 'the scripted agent fails as asked' }, stats } : { type: 'result', timestamp: iso(), status: 'success', stats });
      },
    };
  }

  if (format === 'opencode') {
    const OPENCODE_TOOLS = { Read: 'read', Write: 'write', Edit: 'edit', Bash: 'bash' };
    const sessionID = `ses_scripted${process.pid}`;
    const messageID = () => `msg_scripted${turns}`;
    const event = (type, part) => emit({ type, timestamp: Date.now(), sessionID, part: { id: `prt_scripted${++ids}`, sessionID, messageID: messageID(), ...part } });
    const step = (body, reason) => {
      turns++;
      event('step_start', { type: 'step-start', snapshot: 'a1b2c3' });
      body();
      event('step_finish', {
        type: 'step-finish',
        reason,
        snapshot: 'a1b2c3',
        cost: round(turnCost()),
        tokens: {
          input: TURN_USAGE.input_tokens,
          output: TURN_USAGE.output_tokens,
          reasoning: 0,
          cache: { read: TURN_USAGE.cache_read_input_tokens, write: TURN_USAGE.cache_creation_input_tokens },
        },
      });
    };
    return {
      start() {},
      say(text) {
        lastText = text;
        const now = Date.now();
        step(() => event('text', { type: 'text', text, time: { start: now, end: Date.now() } }), 'stop');
      },
      tool(name, input, result, isError) {
        const tool = OPENCODE_TOOLS[name] || name.toLowerCase();
        const args = input.file_path !== undefined ? { filePath: input.file_path } : input;
        const now = Date.now();
        const state = isError
          ? { status: 'error', input: args, error: String(result), time: { start: now, end: Date.now() } }
          : { status: 'completed', input: args, output: String(result ?? ''), title: args.filePath || args.command || tool, metadata: {}, time: { start: now, end: Date.now() } };
        step(() => event('tool_use', { type: 'tool', callID: `call_${ids}`, tool, state }), 'tool-calls');
      },
      finish(isError) {
        if (isError) emit({ type: 'error', timestamp: Date.now(), sessionID, error: { name: 'UnknownError', data: { message: 'the scripted agent fails as asked' } } });
        emit({ type: 'done', timestamp: Date.now(), sessionID, reason: 'idle', rejected: [] });
      },
    };
  }

  // plain: the agent's words as text lines; tool calls are not shown.
  return {
    start() {},
    say(text) {
      lastText = text;
      log(`scripted agent: ${text}`);
    },
    tool() {},
    finish() {},
  };
}

module.exports = { createEmitter, TURN_USAGE, PRICE, FORMATS: ['claude', 'codex', 'gemini', 'opencode', 'plain'] };
