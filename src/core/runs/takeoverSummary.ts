// Take Over's progress summary, written into the spec body as chant's `takeover` writes its
// analysis (CHANT-FORMAT §2.4): a `## Takeover Analysis` section with the analysis, then
// `### Recent Log Activity` (the log's last lines in a fence), then `### Recommendation`. The
// analysis says what the run left (commits, files changed, criteria ticked, usage); the
// recommendation is the next steps as a checklist (the criteria still open).
//
// The section is appended: every byte before it stays as it was, and a second takeover appends
// another dated section below the first (both are history; neither is rewritten). Everything in it
// comes from the agent or the repository (log lines, commit subjects, paths, criteria), so it is
// made inert for chant's readers: no line of it can open or close a fence, or become a heading of
// the spec (a second `## Acceptance Criteria` would change which criteria count).
// No `vscode` import.
import { detectEol } from '../spec/specEdit';
import { cleanLine, usageSummary, type AgentUsage } from './agentStream';

export const TAKEOVER_HEADING = '## Takeover Analysis';

export interface TakeoverSummary {
  takenAt: Date;
  branch?: string;
  /** Where the work continues (the run's worktree, or the project in checkout isolation). */
  workDir?: string;
  /** The run's commits on the branch, oldest first. */
  commits: Array<{ sha: string; subject: string }>;
  /** Paths changed on the branch or left uncommitted in its work folder. */
  filesChanged: Array<{ path: string; uncommitted?: boolean }>;
  /** The acceptance criteria in the agent's copy of the spec. */
  criteria: Array<{ text: string; checked: boolean }>;
  /** The agent's last transcript lines (text, "› tool" lines, "✗ errors"), oldest first. */
  lastMessages: string[];
  usage?: AgentUsage;
}

/** How many of the agent's last lines the summary quotes. */
export const TAKEOVER_LOG_LINES = 10;
const MAX_LISTED = 50;

/** `text` as a code span that no backtick inside can close early. */
function code(text: string): string {
  const clean = cleanLine(text.replace(/[\r\n]+/g, ' '), 300);
  let longest = 0;
  let run = 0;
  for (const ch of clean) {
    run = ch === '`' ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  const fence = '`'.repeat(longest + 1);
  return longest > 0 || clean.startsWith(' ') ? `${fence} ${clean} ${fence}` : `${fence}${clean}${fence}`;
}

/**
 * A log line inside the fence: one line, and never a line chant would take for a fence (its
 * trim_start starting with ```); such a line gets a leading backslash, which also keeps Markdown
 * from closing the block there.
 */
function fencedLine(text: string): string {
  const line = cleanLine(text, 500);
  return line.trimStart().startsWith('```') ? `\\${line.trimStart()}` : line;
}

/** A list item's text: one line (it cannot start a heading or a fence, the `- ` comes first). */
function itemText(text: string): string {
  return cleanLine(text.replace(/[\r\n]+/g, ' '), 300).trim();
}

/** `YYYY-MM-DD HH:MM UTC`. */
function stamp(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function listed<T>(items: readonly T[], render: (item: T) => string, eol: string): string[] {
  const lines = items.slice(0, MAX_LISTED).map((item) => `- ${render(item)}`);
  if (items.length > MAX_LISTED) lines.push(`- … and ${items.length - MAX_LISTED} more`);
  return lines.map((l) => l + eol);
}

/** The section, starting with its heading line, each line ending with `eol`. */
export function renderTakeoverSummary(summary: TakeoverSummary, eol = '\n'): string {
  const out: string[] = [];
  const line = (text = ''): void => {
    out.push(text + eol);
  };
  line(TAKEOVER_HEADING);
  line();
  const where = summary.branch ? ` on branch ${code(summary.branch)}` : '';
  line(`Taken over ${stamp(summary.takenAt)}: the agent was stopped${where} and the spec paused, to continue by hand.`);
  if (summary.workDir) line(`The work is in ${code(summary.workDir)}.`);
  line();
  const ticked = summary.criteria.filter((c) => c.checked).length;
  line(`**Acceptance criteria ticked:** ${ticked} of ${summary.criteria.length}`);
  if (summary.usage) line(`**Usage so far:** ${usageSummary(summary.usage)}`);
  line();
  line(`**Commits** (${summary.commits.length}):${summary.commits.length === 0 ? ' none' : ''}`);
  out.push(...listed(summary.commits, (c) => `${code(c.sha)} ${itemText(c.subject)}`, eol));
  line();
  line(`**Files changed** (${summary.filesChanged.length}):${summary.filesChanged.length === 0 ? ' none' : ''}`);
  out.push(...listed(summary.filesChanged, (f) => `${code(f.path)}${f.uncommitted ? ' (not committed)' : ''}`, eol));
  line();
  line('### Recent Log Activity');
  line();
  if (summary.lastMessages.length === 0) {
    line('The agent wrote nothing yet.');
  } else {
    line('```text');
    for (const message of summary.lastMessages.slice(-TAKEOVER_LOG_LINES)) line(fencedLine(message));
    line('```');
  }
  line();
  line('### Recommendation');
  line();
  const open = summary.criteria.filter((c) => !c.checked);
  for (const criterion of open) line(`- [ ] ${itemText(criterion.text)}`);
  if (summary.filesChanged.some((f) => f.uncommitted)) line(`- [ ] Commit the uncommitted changes with a \`chant(<id>): …\` message`);
  line(open.length === 0 ? '- [ ] Review the changes on the branch, then merge' : '- [ ] Tick the criteria above as they are met, then review and merge');
  return out.join('');
}

/**
 * Whether chant's reader (a fence toggles on any line whose trim_start starts with ```) ends the
 * text inside an open fence, as after chant's own `## Agent Output` whose closing fence is glued to
 * the last output line.
 */
function endsInsideFence(text: string): boolean {
  let open = false;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let i = start;
    while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
    if (text.startsWith('```', i)) open = !open;
    start = end + 1;
  }
  return open;
}

/**
 * `specText` with the summary appended as a new `## Takeover Analysis` section: the text before it
 * is unchanged byte for byte (a missing final newline is added after it, and a fence left open by
 * the text is closed first so the section is not swallowed by it), in the file's line ending.
 */
export function appendTakeoverSummary(specText: string, summary: TakeoverSummary): string {
  const eol = detectEol(specText);
  let out = specText;
  if (out.length > 0 && !out.endsWith('\n')) out += eol;
  if (endsInsideFence(out)) out += '```' + eol;
  if (out.length > 0) out += eol;
  return out + renderTakeoverSummary(summary, eol);
}

/** The last `n` non-empty lines of a chant log's latest run (after its last header; §7.5). */
export function lastLogLines(logText: string, n = TAKEOVER_LOG_LINES): string[] {
  const lines = logText.split(/\r?\n/);
  // The latest run starts after the last `# Prompt:` header line (first run or `# New Run:` block).
  let from = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i].startsWith('# Prompt: ')) {
      from = i + 1;
      if (lines[from]?.startsWith('====')) from++;
      break;
    }
  }
  const body = lines.slice(from).filter((l) => l.trim() && !l.startsWith('# Finished: '));
  return body.slice(-n).map((l) => cleanLine(l));
}
