// The agent stream reader on claude's stream-json shapes (a recorded run in test/fixtures/stream),
// on other agents' plain text, and on what breaks naive readers: lines cut anywhere, malformed
// JSON, JSON that is not an event, control characters, huge lines.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  AgentStreamReader,
  describeToolCall,
  formatCost,
  formatTokens,
  sumUsage,
  transcriptText,
  usageSummary,
  type TranscriptLine,
} from '../../src/core/runs/agentStream';
import { fixturesDir } from './paths';

const RECORDED = readFileSync(path.join(fixturesDir, 'stream', 'claude-run.jsonl'), 'utf8');

function readAll(text: string, chunkSize = text.length): { reader: AgentStreamReader; lines: TranscriptLine[] } {
  const reader = new AgentStreamReader();
  const lines: TranscriptLine[] = [];
  for (let i = 0; i < text.length; i += chunkSize) lines.push(...reader.push(text.slice(i, i + chunkSize)));
  lines.push(...reader.end());
  return { reader, lines };
}

describe('agent stream reader', () => {
  it('reads a recorded claude run: text, one line per tool call with its main argument, tool errors, the result with usage and cost', () => {
    const { reader, lines } = readAll(RECORDED);
    assert.deepEqual(lines, [
      { kind: 'text', text: "I'll read the issue first." },
      { kind: 'tool', text: 'Read /tmp/chant-kv-001-r4x/src/store.rs' },
      { kind: 'tool', text: 'Bash cargo test concurrent' },
      { kind: 'error', text: 'error[E0425]: cannot find value `store` in this scope' },
      { kind: 'tool', text: 'Grep fn put\\(' },
      { kind: 'tool', text: 'TodoWrite 3 todos' },
      { kind: 'text', text: 'The write path takes the lock twice.' },
      { kind: 'text', text: 'I fixed it and committed the change.' },
      { kind: 'result', text: 'Finished · 16.0 s · 8 turns · 17.2k in · 32 out · $0.35' },
    ]);
    assert.deepEqual(reader.usage, {
      inputTokens: 8,
      outputTokens: 32,
      cacheReadTokens: 17004,
      cacheCreationTokens: 192,
      costUsd: 0.3464,
      turns: 8,
      durationMs: 16049,
    });
    assert.equal(reader.model, 'claude-haiku-4-5');
    assert.equal(reader.sessionId, '6f1c2a9e-0b7d-4c1e-9a55-3f2d1e0c9b8a');
    assert.equal(reader.isError, false);
    assert.equal(reader.resultText, 'The write path takes the lock twice.\n\nI fixed it and committed the change.');
    assert.equal(reader.lastActivity, 'I fixed it and committed the change.');
  });

  it('gives the same lines whatever the chunk boundaries (mid-line, mid-JSON, one character at a time, CRLF)', () => {
    const whole = readAll(RECORDED).lines;
    for (const size of [1, 2, 7, 64, 333, 4096]) assert.deepEqual(readAll(RECORDED, size).lines, whole, `chunks of ${size}`);
    const crlf = readAll(RECORDED.replace(/\n/g, '\r\n'), 5).lines;
    assert.deepEqual(crlf, whole, 'CRLF line ends');
  });

  it('keeps a partial line until it completes, and flushes it at the end', () => {
    const reader = new AgentStreamReader();
    assert.deepEqual(reader.push('{"type":"assistant","message":{"content":[{"type":"text","te'), []);
    assert.deepEqual(reader.push('xt":"half"}]}}\nplain tail without newline'), [{ kind: 'text', text: 'half' }]);
    assert.equal(reader.lastActivity, 'half');
    assert.deepEqual(reader.end(), [{ kind: 'plain', text: 'plain tail without newline' }]);
    assert.deepEqual(reader.end(), []);
  });

  it('before the result (or when the run dies without one) sums assistant usage once per message, with no cost', () => {
    const lines = RECORDED.split('\n').filter((l) => !l.includes('"type":"result"')).join('\n');
    const { reader } = readAll(lines);
    // msg_01A appears twice with the same usage: counted once (its last report).
    assert.deepEqual(reader.usage, {
      inputTokens: 4 + 6 + 3 + 2,
      outputTokens: 48 + 70 + 90 + 40,
      cacheReadTokens: 5120 + 5430 + 5630,
      cacheCreationTokens: 5120 + 310 + 200,
    });
    assert.equal(reader.usage?.costUsd, undefined);
    assert.equal(new AgentStreamReader().usage, undefined, 'nothing read: unknown, not zero');
  });

  it('an error result: isError, an error line with the reason, the usage still read', () => {
    const { reader, lines } = readAll(
      '{"type":"result","subtype":"error_max_turns","is_error":true,"num_turns":30,"duration_ms":90500,"total_cost_usd":1.5,"usage":{"input_tokens":10,"output_tokens":5}}\n',
    );
    assert.equal(reader.isError, true);
    assert.deepEqual(lines, [
      { kind: 'error', text: 'The agent ended with an error: error_max_turns' },
      { kind: 'result', text: 'Failed · 1 min 31 s · 30 turns · 10 in · 5 out · $1.50' },
    ]);
    assert.equal(reader.usage?.costUsd, 1.5);
    const apiError = readAll('{"type":"result","subtype":"success","is_error":true,"result":"API Error: 529 overloaded\\nretry later"}\n');
    assert.equal(apiError.reader.isError, true);
    assert.equal(apiError.lines[0].text, 'The agent ended with an error: API Error: 529 overloaded');
    assert.equal(apiError.reader.lastActivity, '✗ API Error: 529 overloaded');
  });

  it('passes malformed JSON, non-event JSON and plain text through as plain lines; ignores unknown event types; never throws', () => {
    const input = [
      'Warning: something odd',
      '{"type":"assistant","message":',
      '{not json at all}',
      '[1,2,3]',
      '{"no_type":true}',
      '{"type":"stream_event","event":{"delta":"x"}}',
      '{"type":"assistant","message":"not an object"}',
      '{"type":"assistant","message":{"content":[null,42,{"type":"tool_use"},{"type":"text","text":42}]}}',
      '{"type":"user","message":{"content":[{"type":"tool_result","is_error":true}]}}',
      '',
      '   ',
      'null',
    ].join('\n');
    const { lines, reader } = readAll(input + '\n');
    assert.deepEqual(lines, [
      { kind: 'plain', text: 'Warning: something odd' },
      { kind: 'plain', text: '{"type":"assistant","message":' },
      { kind: 'plain', text: '{not json at all}' },
      { kind: 'plain', text: '[1,2,3]' },
      { kind: 'plain', text: '{"no_type":true}' },
      { kind: 'tool', text: 'tool' },
      { kind: 'error', text: 'tool call failed' },
      { kind: 'plain', text: 'null' },
    ]);
    assert.equal(reader.usage, undefined);
    assert.equal(reader.isError, false);
  });

  it('strips terminal escapes and control characters; a carriage-return progress line keeps its last state', () => {
    const { lines } = readAll('\u001b[32mgreen\u001b[0m text\u0007 and\ttab\n10%\r50%\r100% done\n\u001b]0;title\u0007after osc\n');
    assert.deepEqual(lines, [
      { kind: 'plain', text: 'green text and tab' },
      { kind: 'plain', text: '100% done' },
      { kind: 'plain', text: 'after osc' },
    ]);
    const fromJson = readAll(`${JSON.stringify({ type: 'assistant', message: { content: [{ type: 'tool_use', name: 'Bash', input: { command: 'echo \u001b[31mred\u001b[0m\u0000 && rm x\nsecond line' } }] } })}\n`);
    assert.deepEqual(fromJson.lines, [{ kind: 'tool', text: 'Bash echo red && rm x' }]);
  });

  it('tool lines name the main argument, one short line', () => {
    assert.equal(describeToolCall('Write', { file_path: 'src/a.ts', content: 'x'.repeat(10_000) }), 'Write src/a.ts');
    assert.equal(describeToolCall('Glob', { pattern: '**/*.rs' }), 'Glob **/*.rs');
    assert.equal(describeToolCall('WebFetch', { url: 'https://example.com/x', prompt: 'summarize' }), 'WebFetch https://example.com/x');
    assert.equal(describeToolCall('Task', { description: 'Find the bug', prompt: 'long…' }), 'Task Find the bug');
    assert.equal(describeToolCall('LS', { path: 'src' }), 'LS src');
    assert.equal(describeToolCall('Mystery', { other: 1 }), 'Mystery');
    assert.equal(describeToolCall(undefined, undefined), 'tool');
    const long = describeToolCall('Bash', { command: 'a'.repeat(5000) });
    assert.ok(long.length <= 160 && long.endsWith('…'), long);
    assert.ok(!/\n/.test(describeToolCall('Bash', { command: '\n\n  \nreal first line\nsecond' })));
    assert.equal(describeToolCall('Bash', { command: '\n\n  \nreal first line\nsecond' }), 'Bash real first line');
  });

  it('bounds what it keeps: a huge text line is cut, a huge tool result costs its parse only', () => {
    const huge = 'y'.repeat(3_000_000);
    const started = process.hrtime.bigint();
    const { lines } = readAll(
      `${JSON.stringify({ type: 'assistant', message: { content: [{ type: 'text', text: huge }] } })}\n${JSON.stringify({ type: 'user', message: { content: [{ type: 'tool_result', content: huge }] } })}\n${huge}\n`,
      65536,
    );
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(lines.length, 2);
    for (const line of lines) assert.ok(line.text.length <= 2000, `${line.kind} kept ${line.text.length} characters`);
    assert.ok(ms < 5000, `took ${ms} ms`);
  });

  it('lines of no newline at all, longer than the limit, are skipped up to their newline, then reading goes on', () => {
    const reader = new AgentStreamReader();
    const chunk = 'z'.repeat(1024 * 1024);
    const out: TranscriptLine[] = [];
    for (let i = 0; i < 40; i++) out.push(...reader.push(chunk));
    out.push(...reader.push('still the long line\nnext line\n'));
    assert.deepEqual(out, [{ kind: 'plain', text: '… (a line too long to read was skipped)' }, { kind: 'plain', text: 'next line' }]);
  });

  it('keeps up with 100 lines a second using a small fraction of a core (a generous bound; the benchmark measures)', () => {
    const oneSecond = RECORDED.split('\n').filter(Boolean);
    let block = '';
    while (block.split('\n').length < 100) block += oneSecond.join('\n') + '\n';
    const reader = new AgentStreamReader();
    const started = process.hrtime.bigint();
    for (let s = 0; s < 60; s++) reader.push(block);
    const perSecond = Number(process.hrtime.bigint() - started) / 1e6 / 60;
    assert.ok(perSecond < 100, `${perSecond.toFixed(2)} ms per second of stream`);
  });
});

describe('usage formatting', () => {
  it('formats tokens and cost', () => {
    assert.deepEqual(
      [0, 950, 999, 1000, 12_345, 99_949, 123_456, 999_499, 999_960, 1_234_567, 12_345_678].map(formatTokens),
      ['0', '950', '999', '1.0k', '12.3k', '99.9k', '123k', '999k', '1.0M', '1.2M', '12.3M'],
    );
    assert.deepEqual([0, 0.001, 0.0049, 0.005, 0.42, 0.3464, 12.3].map(formatCost), ['$0.00', '<$0.01', '<$0.01', '$0.01', '$0.42', '$0.35', '$12.30']);
  });

  it('sums usages; unknown plus known is the known part', () => {
    const a = { inputTokens: 1, outputTokens: 2, cacheReadTokens: 3, cacheCreationTokens: 4, costUsd: 0.1, turns: 2 };
    const b = { inputTokens: 10, outputTokens: 20, cacheReadTokens: 30, cacheCreationTokens: 40, durationMs: 500 };
    assert.deepEqual(sumUsage(a, b), {
      inputTokens: 11,
      outputTokens: 22,
      cacheReadTokens: 33,
      cacheCreationTokens: 44,
      costUsd: 0.1,
      turns: 2,
      durationMs: 500,
    });
    assert.equal(sumUsage(undefined, undefined), undefined);
    assert.deepEqual(sumUsage(undefined, b), b);
    assert.notEqual(sumUsage(a, undefined), a, 'a copy, never the caller’s object');
  });

  it('summarizes usage with cache tokens counted as input', () => {
    assert.equal(usageSummary({ inputTokens: 300, outputTokens: 4100, cacheReadTokens: 12_000, cacheCreationTokens: 0, costUsd: 0.42 }), '12.3k in · 4.1k out · $0.42');
    assert.equal(usageSummary({ inputTokens: 5, outputTokens: 7, cacheReadTokens: 0, cacheCreationTokens: 0 }), '5 in · 7 out');
  });

  it('renders a transcript', () => {
    assert.equal(
      transcriptText([
        { kind: 'text', text: 'Reading.' },
        { kind: 'tool', text: 'Read src/x.ts' },
        { kind: 'error', text: 'no such file' },
        { kind: 'plain', text: 'warning' },
        { kind: 'result', text: 'Finished · 1 in · 1 out' },
      ]),
      'Reading.\n› Read src/x.ts\n✗ no such file\nwarning\nFinished · 1 in · 1 out\n',
    );
    assert.equal(transcriptText(readAll(RECORDED).lines).split('\n')[1], '› Read /tmp/chant-kv-001-r4x/src/store.rs');
  });
});
