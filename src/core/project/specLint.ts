// The checks the spec editor shows while a spec is being written: the parser's own problems plus
// what needs the rest of the project (dependencies, cycles, prompts, referenced files). Messages
// follow `chant lint` where chant has a rule (CHANT-FORMAT §8.3); severity is `error` for what makes
// chant reject the file or refuse `chant work`, `warning` otherwise. Everything is located on the
// key or the list item it is about.
import * as path from 'node:path';
import { globBase, isDerivedContext, isSafePromptName, outsideMessage, ProjectFiles } from './containment';
import { chantLintRules, type LintSettings } from './chantLint';
import { wouldCreateCycle } from './cycles';
import { listCriteria } from '../spec/criteria';
import { isFullSpecId, resolveSpecId } from '../spec/ids';
import type { SpecMap } from '../spec/types';
import { fieldDef, PATH_FIELDS } from '../spec/fields';
import { lineRange, type SpecLayout, type TextRange } from '../spec/frontmatterRanges';
import type { Spec, SpecProblem } from '../spec/types';

export interface EditorProblem extends SpecProblem {
  /** Texts a quick fix may put over the range instead (the full id a short one resolves to). */
  replacements?: string[];
}

export interface LintEnvironment {
  /** The project's active specs as on disk; the spec being linted may be among them (it is skipped). */
  specs: SpecMap;
  /** True for an id found in the archive (chant counts archived dependencies as missing). */
  isArchived?: (id: string) => boolean;
  /** Absolute project root: relative paths in the frontmatter are resolved against it. */
  root: string;
  /** Absolute path of `.chant/prompts/<name>.md`. */
  promptFile: (name: string) => string;
  exists: (absolutePath: string) => Promise<boolean>;
  /** For the short-id rule that looks at today's date. */
  now?: Date;
  /** The containment rule for paths (default: the real file system under `root`). */
  files?: ProjectFiles;
  /** Every active file claiming an id (SpecIndex.filesOf): two or more is a duplicate id. */
  filesWithId?: (id: string) => readonly string[];
  /** `lint:` of config.md (thresholds, disabled rules); chant's defaults when absent. */
  lintSettings?: LintSettings;
  /** `chant lint` itself reports chant's rules for this project: leave the mirrored ones to it. */
  chantRulesFromCli?: boolean;
}

/**
 * chant's rules this linter mirrors with chant's own messages (code `chant-<rule>`). `title` and
 * `dependency` are not among them: the checks above say the same with more help (quick fixes).
 */
const MIRRORED_CHANT_RULES = new Set(['type', 'complexity', 'coupling', 'modelwaste', 'approval']);

const URL = /^[a-z][a-z0-9+.-]*:\/\//i;
const GLOB = /[*?[]/;

export async function lintSpec(
  spec: Spec,
  text: string,
  layout: SpecLayout,
  env: LintEnvironment,
): Promise<EditorProblem[]> {
  const problems: EditorProblem[] = spec.problems.map((problem) => ({ ...problem }));
  const at = (
    range: TextRange,
    severity: SpecProblem['severity'],
    code: string,
    message: string,
    replacements?: string[],
  ): void => {
    const problem: EditorProblem = {
      severity,
      code,
      message,
      line: range.line,
      column: range.column,
      endLine: range.endLine,
      endColumn: range.endColumn,
    };
    if (replacements && replacements.length > 0) problem.replacements = replacements;
    problems.push(problem);
  };
  const lastLine = layout.lines.lineCount - 1;
  const bodyLineRange = (): TextRange => lineRange(text, layout.lines, Math.min(layout.bodyLine, lastLine));

  if (!spec.title) {
    at(
      bodyLineRange(),
      'error',
      'missing-title',
      "Missing title (add a '# ' heading; chant work refuses a spec without one)",
    );
  }
  if (spec.archived) return sorted(problems);

  const claimants = env.filesWithId?.(spec.id) ?? [];
  if (claimants.length > 1) {
    const others = claimants
      .filter((file) => file !== spec.path)
      .map((file) => path.relative(env.root, file).split(path.sep).join('/'));
    at(
      lineRange(text, layout.lines, 0),
      'error',
      'duplicate-id',
      `Duplicate spec id ${spec.id}: also claimed by ${others.join(', ')}. Runs refuse a duplicated id; rename or delete all but one file.`,
    );
  }

  const activeIds = [...env.specs.keys()].filter((id) => id !== spec.id);
  const checkIds = (key: 'depends_on' | 'members', code: string, label: string): void => {
    for (const item of layout.fields.get(key)?.items ?? []) {
      const id = item.text.trim();
      // `repo:id` points into another repository listed in config `repos`; not ours to check.
      if (id === '' || id.includes(':')) continue;
      const target = env.specs.get(id);
      if (target && id !== spec.id && !target.chantWouldReject) continue;
      if (id === spec.id) continue; // a self-dependency is reported as a cycle
      const unknown = `${label} '${id}'`;
      if (target) {
        at(item.range, 'error', code, `${unknown}: chant cannot load that spec (fix the problems in its file)`);
      } else if (env.isArchived?.(id)) {
        at(item.range, 'error', code, `${unknown}: it is archived, and chant counts archived specs as missing`);
      } else {
        const resolution = resolveSpecId(id, activeIds, env.now);
        if (resolution.kind === 'found') {
          at(item.range, 'error', code, `${unknown}: ${key} needs the full id '${resolution.id}'`, [resolution.id]);
        } else if (resolution.kind === 'ambiguous') {
          const shown = resolution.matches.slice(0, 5);
          at(item.range, 'error', code, `${unknown}: ${key} needs a full id; it could mean ${shown.join(', ')}`, shown);
        } else {
          const hint = isFullSpecId(id) ? ' (no such spec)' : ` (${key} needs a full spec id)`;
          at(item.range, 'error', code, `${unknown}${hint}`);
        }
      }
    }
  };
  checkIds('depends_on', 'unknown-dependency', 'Unknown dependency');
  checkIds('members', 'unknown-member', 'Unknown member spec');

  const cycle = wouldCreateCycle(spec.id, spec.dependsOn, env.specs);
  if (cycle) {
    const items = layout.fields.get('depends_on')?.items ?? [];
    const first = items.find((item) => item.text.trim() === cycle[1]);
    const range = first?.range ?? layout.fields.get('depends_on')?.keyRange ?? bodyLineRange();
    at(
      range,
      'error',
      'dependency-cycle',
      `Circular dependency: ${cycle.join(' -> ')} (none of these specs can ever start)`,
    );
  }

  const grouping = spec.type === 'driver' || spec.type === 'group';
  if (!grouping && spec.status !== 'cancelled') {
    const titleRange = spec.titleLine !== undefined ? lineRange(text, layout.lines, spec.titleLine) : bodyLineRange();
    if (!spec.acceptance.hasSection) {
      at(
        titleRange,
        'warning',
        'missing-acceptance',
        "No '## Acceptance Criteria' section: the agent has nothing to check off and chant's quality gate grades the spec 'Refine'",
      );
    } else if (spec.acceptance.total === 0 && layout.acceptanceHeadingLine !== undefined) {
      at(
        lineRange(text, layout.lines, layout.acceptanceHeadingLine),
        'warning',
        'empty-acceptance',
        "'## Acceptance Criteria' has no checkboxes: add '- [ ] …' items",
      );
    }
  }

  if (spec.status === 'completed') {
    // The boxes of this text, which `spec` was parsed from (the index keeps only their counts).
    for (const criterion of listCriteria(text).items) {
      if (criterion.checked) continue;
      const line = lineRange(text, layout.lines, criterion.line);
      at(
        { ...line, column: criterion.column },
        'warning',
        'unchecked-criterion',
        'The spec is completed but this criterion is unchecked',
      );
    }
  }

  for (const finding of chantLintRules(spec, text.slice(layout.split.bodyStart), { settings: env.lintSettings })) {
    if (!MIRRORED_CHANT_RULES.has(finding.rule) || env.chantRulesFromCli) continue;
    const field = finding.field ? layout.fields.get(finding.field) : undefined;
    let range: TextRange =
      field?.keyRange ??
      (spec.titleLine !== undefined ? lineRange(text, layout.lines, spec.titleLine) : bodyLineRange());
    if (finding.rule === 'coupling' && finding.ids?.length) {
      const first = firstMention(text, layout, finding.ids[0]);
      if (first) range = first;
    }
    at(range, finding.severity, `chant-${finding.rule}`, finding.message);
  }

  const checks: Promise<void>[] = [];
  const files = env.files ?? new ProjectFiles(env.root);
  for (const key of PATH_FIELDS) {
    for (const item of layout.fields.get(key)?.items ?? []) {
      const file = item.text.trim();
      if (file === '' || URL.test(file) || (key === 'context' && isDerivedContext(file))) continue;
      const def = fieldDef(key);
      const mustExist = def?.mustExist === true && !GLOB.test(file);
      checks.push(
        files.resolve(globBase(file)).then(async (resolved) => {
          if (resolved.kind === 'outside') {
            // A glob is judged by the folder it starts from, but the message names what the user wrote.
            at(
              item.range,
              'warning',
              'outside-project',
              outsideMessage(key, { ...resolved, entry: file }, def?.outside ?? ''),
            );
          } else if (mustExist && !(await env.exists(path.resolve(env.root, file)))) {
            at(
              item.range,
              'warning',
              'missing-file',
              `File not found: ${file} ('${key}' paths are relative to the project root)`,
            );
          }
        }),
      );
    }
  }
  if (spec.prompt !== undefined && spec.prompt.trim() !== '') {
    const name = spec.prompt.trim();
    const field = layout.fields.get('prompt');
    const range: TextRange = field?.scalar?.range ?? field?.keyRange ?? bodyLineRange();
    if (!isSafePromptName(name)) {
      at(
        range,
        'error',
        'invalid-prompt',
        `Invalid prompt name: ${name} (a prompt is named by a file name in .chant/prompts, without folders)`,
      );
    } else {
      checks.push(
        env.exists(env.promptFile(name)).then((found) => {
          if (!found)
            at(
              range,
              'error',
              'missing-prompt',
              `Prompt not found: ${name} (.chant/prompts/${name}.md does not exist; chant work will fail)`,
            );
        }),
      );
    }
  }
  await Promise.all(checks);
  return sorted(problems);
}

/** Where the body first names `id` (for the coupling warning). */
function firstMention(text: string, layout: SpecLayout, id: string): TextRange | undefined {
  const at = text.indexOf(id, layout.split.bodyStart);
  if (at < 0) return undefined;
  const start = layout.lines.position(at);
  const end = layout.lines.position(at + id.length);
  return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

function sorted(problems: EditorProblem[]): EditorProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column || a.code.localeCompare(b.code));
}
