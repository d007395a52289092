// What the agent's output looks like in the terminal and in `.chant/logs/<id>.log`. claude's
// `--output-format stream-json` prints one JSON event per line; chant logs only the assistant's
// text blocks (CHANT-FORMAT §7.5). This filter, run by the wrapper between the agent and `tee`,
// does the same: assistant text goes to stdout (terminal and log), a short note per tool call goes
// to stderr (terminal only), other events are dropped, and lines that are not JSON pass unchanged
// (any other agent). It is written next to the prompt and run with the editor's own Node.
// When CHANT_STREAM_FILE is set, every byte it reads is also appended there unchanged: the run's
// stream file (`.chant/logs/runs/<id>-<stamp>.jsonl`), from which the extension reads the live
// transcript, usage and cost. Writes are synchronous so the file is complete when the filter
// exits; a file that cannot be written is given up without touching the output.

export const STREAM_FILTER_SOURCE = `'use strict';
const fs = require('fs');
let sink;
if (process.env.CHANT_STREAM_FILE) {
  // Never through a link: O_NOFOLLOW refuses a link put in the file's place (even a dangling one).
  try { sink = fs.openSync(process.env.CHANT_STREAM_FILE, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | (fs.constants.O_NOFOLLOW || 0), 0o666); } catch { sink = undefined; }
}
if (sink !== undefined) {
  process.stdin.on('data', (chunk) => {
    if (sink === undefined) return;
    try { fs.writeSync(sink, chunk); } catch { try { fs.closeSync(sink); } catch {} sink = undefined; }
  });
}
const rl = require('readline').createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  const t = line.trim();
  if (!t.startsWith('{')) { process.stdout.write(line + '\\n'); return; }
  let ev;
  try { ev = JSON.parse(t); } catch { process.stdout.write(line + '\\n'); return; }
  if (ev && ev.type === 'assistant' && ev.message && Array.isArray(ev.message.content)) {
    for (const block of ev.message.content) {
      if (block && block.type === 'text' && typeof block.text === 'string') {
        for (const l of block.text.split(/\\r?\\n/)) if (l.trim()) process.stdout.write(l + '\\n');
      } else if (block && block.type === 'tool_use') {
        process.stderr.write('\\u203a ' + String(block.name) + '\\n');
      }
    }
  } else if (ev && ev.type === 'result' && typeof ev.result === 'string' && ev.is_error) {
    process.stdout.write('Error: ' + ev.result + '\\n');
  } else if (!ev || typeof ev.type !== 'string') {
    process.stdout.write(line + '\\n');
  }
});
`;
