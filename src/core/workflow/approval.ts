// `chant approve <id> --by <name>` and `chant reject <id> --by <name> --reason <text>` as text
// edits (CHANT-FORMAT §2.2 `approval`, §2.4 `## Approval Discussion`, §9): the same fields and the
// same discussion lines chant writes, applied losslessly (specEdit) so the rest of the file keeps its
// bytes. chant's own behaviour, as its source has it:
// - `approval` becomes {required, status, by, at}: `required` as it was (false when there was no
//   approval map), `at` the UTC time as `YYYY-MM-DDTHH:MM:SSZ`;
// - the discussion entry is `**<by>** - <local YYYY-MM-DD HH:MM> - APPROVED`, or `… - REJECTED`
//   followed by the reason on the next line; it goes at the end of the first `## Approval
//   Discussion` section (after a blank line, right before the `\n## ` of the next section, so
//   with no blank line after it: chant does so), or a new section is
//   added at the end of the body;
// - approving an approved spec changes nothing.
// The rejection actions (`approval.rejection_action`: dependency, group) create specs and commits:
// those stay with the CLI. No `vscode` import; committing is the caller's.
import { detectEol, setField } from '../spec/specEdit';
import { splitFrontmatter } from '../spec/frontmatter';

export type ApprovalDecision = { kind: 'approve' } | { kind: 'reject'; reason: string };

export interface ApprovalInput {
  /** The approver (chant's `--by`; the extension passes git `user.name`). */
  by: string;
  now: Date;
}

export class ApprovalError extends Error {}

const HEADING = '## Approval Discussion';

/** The spec text after `chant approve` / `chant reject`; the text itself when there is nothing to do. */
export function applyApproval(text: string, decision: ApprovalDecision, input: ApprovalInput): string {
  const by = input.by.trim();
  if (by === '' || /[\r\n]/.test(by)) throw new ApprovalError('The approver name must be one non-empty line.');
  if (decision.kind === 'reject' && decision.reason.trim() === '') throw new ApprovalError('A rejection needs a reason.');
  const current = currentApproval(text);
  if (decision.kind === 'approve' && current.status === 'approved') return text;
  const status = decision.kind === 'approve' ? 'approved' : 'rejected';
  const withField = setField(text, 'approval', { required: current.required ?? false, status, by, at: utcStamp(input.now) });
  const eol = detectEol(text);
  const entry = `**${by}** - ${localStamp(input.now)} - ${decision.kind === 'approve' ? 'APPROVED' : `REJECTED${eol}${decision.reason.replace(/\r?\n/g, eol)}`}`;
  return appendToDiscussion(withField, entry, eol);
}

/** `required` and `status` of the spec's approval map as written (undefined where absent). */
function currentApproval(text: string): { required?: boolean; status?: string } {
  const split = splitFrontmatter(text);
  if (!split.hasFrontmatter) return {};
  const block = /^approval:[ \t]*\r?\n((?:[ \t]+.*(?:\r?\n|$))*)/m.exec(split.yaml);
  if (!block) return {};
  const required = /^[ \t]+required:[ \t]*(true|false)[ \t]*$/m.exec(block[1])?.[1];
  const status = /^[ \t]+status:[ \t]*['"]?([a-z_]+)['"]?[ \t]*$/m.exec(block[1])?.[1];
  return { required: required === undefined ? undefined : required === 'true', status };
}

/** chant's append_to_approval_discussion, on the body after the frontmatter. */
function appendToDiscussion(text: string, entry: string, eol: string): string {
  const split = splitFrontmatter(text);
  const bodyStart = split.hasFrontmatter ? split.bodyStart : 0;
  const head = text.slice(0, bodyStart);
  const body = text.slice(bodyStart);
  const at = body.indexOf(HEADING);
  if (at >= 0) {
    const after = at + HEADING.length;
    const next = body.slice(after).search(/\r?\n## /);
    const insertAt = next < 0 ? body.length : after + next;
    const before = body.slice(0, insertAt).replace(/\s+$/, '');
    const rest = body.slice(insertAt);
    // At the end of the file chant's body keeps no trailing newline; the file's own ending stays.
    return head + before + eol + eol + entry + (rest === '' ? trailingEol(body, eol) : rest);
  }
  return head + body.replace(/\s+$/, '') + eol + eol + HEADING + eol + eol + entry + trailingEol(body, eol);
}

function trailingEol(body: string, eol: string): string {
  return /\n$/.test(body) ? eol : '';
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `YYYY-MM-DDTHH:MM:SSZ` in UTC, as chant writes `approval.at`. */
export function utcStamp(now: Date): string {
  return `${now.toISOString().slice(0, 19)}Z`;
}

/** `YYYY-MM-DD HH:MM` in local time, as chant writes discussion entries. */
export function localStamp(now: Date): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}`;
}
