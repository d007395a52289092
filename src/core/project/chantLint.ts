// The rules `chant lint` applies (CHANT-FORMAT §8.3) and the quality grade it prints per spec
// (🟢 Ready / 🟡 Review / 🔴 Refine), computed the way chant 0.23 computes them, so that the editor
// can say what chant will say without the CLI, and so that tests can prove every spec the
// extension writes passes them. Messages are chant's own, word for word: when the CLI runs, its
// findings and these can be matched by rule and message.
//
// Not covered here (chant needs more than one spec file for them): `output` (reads agent logs) and
// `required` (enterprise config). `parse` is the parser's job (Spec.problems).
import { splitFrontmatter } from '../spec/frontmatter';
import { driverIdOf } from '../spec/ids';
import type { Spec } from '../spec/types';

export type ChantLintRule = 'parse' | 'title' | 'dependency' | 'required' | 'approval' | 'output' | 'type' | 'complexity' | 'coupling' | 'modelwaste';

export interface ChantLintFinding {
  rule: ChantLintRule;
  severity: 'error' | 'warning';
  message: string;
  /** The frontmatter key the finding is about, when there is one (for placing it in the editor). */
  field?: string;
  /** For `coupling`: the ids named in the body. */
  ids?: string[];
}

/** `lint.thresholds` (CHANT-FORMAT §5); chant's defaults. */
export interface LintThresholds {
  complexity_criteria: number;
  complexity_files: number;
  complexity_words: number;
  simple_criteria: number;
  simple_files: number;
  simple_words: number;
}

export const DEFAULT_LINT_THRESHOLDS: LintThresholds = {
  complexity_criteria: 10,
  complexity_files: 5,
  complexity_words: 150,
  simple_criteria: 1,
  simple_files: 1,
  simple_words: 3,
};

export interface LintSettings {
  thresholds: LintThresholds;
  /** `lint.disable`; chant's default disables only the word count. */
  disable: readonly string[];
}

export const DEFAULT_LINT_SETTINGS: LintSettings = { thresholds: DEFAULT_LINT_THRESHOLDS, disable: ['complexity_words'] };

/** `lint:` from config.md's frontmatter: a section that is present replaces the default as a whole. */
export function lintSettingsOf(configRaw: Record<string, unknown> | undefined): LintSettings {
  const lint = configRaw?.lint;
  if (typeof lint !== 'object' || lint === null) return DEFAULT_LINT_SETTINGS;
  const section = lint as { thresholds?: unknown; disable?: unknown };
  const thresholds = { ...DEFAULT_LINT_THRESHOLDS };
  if (typeof section.thresholds === 'object' && section.thresholds !== null) {
    for (const [key, value] of Object.entries(section.thresholds)) {
      if (key in thresholds && typeof value === 'number' && Number.isInteger(value) && value >= 0) thresholds[key as keyof LintThresholds] = value;
    }
  }
  const disable = Array.isArray(section.disable) ? section.disable.filter((d): d is string => typeof d === 'string') : [];
  return { thresholds, disable };
}

export interface ChantLintOptions {
  /** Ids of the project's top-level active specs; without it the `dependency` rule is skipped. */
  knownIds?: ReadonlySet<string>;
  settings?: LintSettings;
}

/** The body as chant sees it: everything after the frontmatter's closing `---`. */
export function specBody(text: string): string {
  return splitFrontmatter(text).body;
}

/** Full spec ids as chant's coupling rule finds them (`YYYY-MM-DD-xxx-yyy`, optionally `.N`). */
const SPEC_ID_IN_TEXT = /\b\d{4}-\d{2}-\d{2}-[0-9a-z]{3}-[0-9a-z]{3}(?:\.\d+)?\b/g;

/**
 * chant's findings for one spec, in chant's order (title, dependencies, type, complexity, coupling, model, approval).
 */
export function chantLintRules(spec: Spec, body: string, options: ChantLintOptions = {}): ChantLintFinding[] {
  const settings = options.settings ?? DEFAULT_LINT_SETTINGS;
  const findings: ChantLintFinding[] = [];
  const has = (key: string): boolean => spec.frontmatter[key] !== undefined && spec.frontmatter[key] !== null;
  const warn = (rule: ChantLintRule, message: string, field?: string): void => {
    findings.push({ rule, severity: 'warning', message, ...(field ? { field } : {}) });
  };
  const error = (rule: ChantLintRule, message: string, field?: string): void => {
    findings.push({ rule, severity: 'error', message, ...(field ? { field } : {}) });
  };

  if (!spec.title) error('title', 'Missing title');
  if (options.knownIds) {
    for (const id of spec.dependsOn) if (!options.knownIds.has(id)) error('dependency', `Unknown dependency '${id}'`, 'depends_on');
    for (const id of spec.members) if (!options.knownIds.has(id)) error('dependency', `Unknown member spec '${id}'`, 'members');
  }

  // type
  if (spec.type === 'documentation') {
    if (!has('tracks')) warn('type', "Documentation spec missing 'tracks' field", 'type');
    if (!has('target_files')) warn('type', "Documentation spec missing 'target_files' field", 'type');
  } else if (spec.type === 'research') {
    if (!has('informed_by') && !has('origin')) warn('type', "Research spec missing both 'informed_by' and 'origin' fields", 'type');
    if (!has('target_files')) warn('type', "Research spec missing 'target_files' field", 'type');
  } else if ((spec.type === 'driver' || spec.type === 'group') && has('members') && spec.members.length === 0) {
    warn('type', "Driver/group spec has empty 'members' array", 'members');
  }

  // complexity
  const { thresholds } = settings;
  const enabled = (name: string): boolean => !settings.disable.includes(name);
  const criteria = spec.acceptance.total;
  if (enabled('complexity_criteria') && criteria > thresholds.complexity_criteria) {
    warn('complexity', `Spec has ${criteria} acceptance criteria (>${thresholds.complexity_criteria}) - consider splitting for haiku`);
  }
  if (enabled('complexity_files') && has('target_files') && spec.targetFiles.length > thresholds.complexity_files) {
    warn('complexity', `Spec touches ${spec.targetFiles.length} files (>${thresholds.complexity_files}) - consider splitting`, 'target_files');
  }
  const words = wordCount(body);
  if (enabled('complexity_words') && words > thresholds.complexity_words) {
    warn('complexity', `Spec description is ${words} words (>${thresholds.complexity_words}) - may be too complex for haiku`);
  }

  // coupling
  if (spec.type !== 'driver' && spec.type !== 'group') {
    const ids = [...new Set([...withoutCodeBlocks(body).matchAll(SPEC_ID_IN_TEXT)].map((m) => m[0]))]
      .filter((id) => !id.startsWith(spec.id) && !spec.id.startsWith(id))
      .sort();
    const driver = driverIdOf(spec.id);
    if (driver) {
      const siblings = ids.filter((id) => driverIdOf(id) === driver);
      if (siblings.length > 0) {
        findings.push({ rule: 'coupling', severity: 'warning', message: `Spec references sibling spec(s): ${siblings.join(', ')} - member specs should be independent`, ids: siblings });
      }
    } else if (ids.length > 0) {
      findings.push({ rule: 'coupling', severity: 'warning', message: `Spec references other spec ID(s) in body: ${ids.join(', ')} - use depends_on for dependencies`, ids });
    }
  }

  // modelwaste
  const model = spec.model?.toLowerCase();
  if (model && (model.includes('opus') || model.includes('sonnet')) && !['driver', 'group', 'research'].includes(spec.type)) {
    const files = spec.targetFiles.length;
    if (
      criteria <= thresholds.simple_criteria &&
      files <= thresholds.simple_files &&
      words <= thresholds.simple_words
    ) {
      warn(
        'modelwaste',
        `Spec uses '${spec.model}' but appears simple (${criteria} criteria, ${files} files, ${words} words) - consider haiku`,
        'model',
      );
    }
  }

  // approval
  const approval = spec.approval;
  if (approval) {
    const status = (approval.status ?? 'pending').toLowerCase();
    const shown = status.charAt(0).toUpperCase() + status.slice(1);
    if (status === 'approved' || status === 'rejected') {
      if (!approval.by) error('approval', `Approval status is ${shown} but 'by' field is missing`, 'approval');
      if (!approval.at) error('approval', `Approval status is ${shown} but 'at' timestamp is missing`, 'approval');
    }
    if (status === 'pending' && approval.by) error('approval', "Approval has 'by' field set but status is still 'pending'", 'approval');
  }
  return findings;
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function withoutCodeBlocks(text: string): string {
  let inFence = false;
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trimStart().startsWith('```')) {
      inFence = !inFence;
      continue;
    }
    if (!inFence) kept.push(line);
  }
  return kept.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Quality grade: chant v0.23.2 (commit ec4a403), `src/scoring.rs`, `src/score/*.rs` and
// `extract_acceptance_criteria` in `src/cmd/spec/lint.rs`. Other versions in chant's history grade
// criteria by their wording and let splittability turn a spec red: this one does neither.

export type Grade = 'A' | 'B' | 'C' | 'D';
export type TrafficLight = 'ready' | 'review' | 'refine';

export const TRAFFIC_LIGHT_LABELS: Record<TrafficLight, string> = {
  ready: '🟢 Ready',
  review: '🟡 Review',
  refine: '🔴 Refine',
};

export interface QualityGrade {
  trafficLight: TrafficLight;
  complexity: Grade;
  confidence: Grade;
  splittability: Grade;
  acQuality: Grade;
  /** chant's suggestions (`generate_suggestions`), sorted as chant sorts them. */
  suggestions: string[];
}

/**
 * Which of chant's two copies of the grade: `chant lint` (and `chant add`) extract the criteria in
 * `src/cmd/spec/lint.rs`, which skips an empty `- [ ]`; `chant work` grades through
 * `src/scoring.rs`, whose copy counts it. A new spec's empty criterion is 🔴 to the first and not to
 * the second.
 */
export type GradeFor = 'lint' | 'work';

/** Verbs chant's confidence counts as imperative at the start of a bullet. */
const IMPERATIVE_VERBS = new Set([
  'implement', 'add', 'create', 'update', 'fix', 'remove', 'delete', 'refactor', 'test', 'verify', 'ensure', 'validate',
  'configure', 'setup', 'install', 'deploy', 'build', 'run', 'execute', 'check', 'document', 'write', 'read', 'parse',
  'handle', 'process', 'calculate', 'compute', 'convert', 'transform', 'migrate', 'upgrade', 'downgrade',
]);
/** Counted anywhere in the body, as substrings ("etc" also matches inside "fetch"). */
export const VAGUE_PATTERNS = ['improve', 'as needed', 'etc', 'and related', 'similar'] as const;
const COUPLING_KEYWORDS = ['depends on each other', 'tightly coupled'];

/**
 * The grade chant prints for a spec (`chant lint`) or gates a run on (`chant work`); isolation, which only groups with
 * members get and which never changes the light, is not computed.
 */
export function qualityGrade(spec: Spec, body: string, gradeFor: GradeFor = 'lint'): QualityGrade {
  const complexity = complexityGrade(spec, body);
  const confidence = confidenceGrade(body);
  const splittability = splittabilityGrade(spec, body);
  const acQuality = acQualityGrade(acceptanceTexts(body, gradeFor).length);
  return {
    ...trafficLightOf({ complexity, confidence, splittability, acQuality }),
    complexity,
    confidence,
    splittability,
    acQuality,
  };
}

/** `determine_status` and `generate_suggestions` (src/score/traffic_light.rs) over the four grades. */
export function trafficLightOf(grades: {
  complexity: Grade;
  confidence: Grade;
  splittability: Grade;
  acQuality: Grade;
}): { trafficLight: TrafficLight; suggestions: string[] } {
  const { complexity, confidence, splittability, acQuality } = grades;
  // Splittability never changes the light: C is a focused spec, not a problem.
  const trafficLight: TrafficLight = [complexity, confidence, acQuality].includes('D')
    ? 'refine'
    : 'AB'.includes(complexity) && 'AB'.includes(confidence) && 'AB'.includes(acQuality)
      ? 'ready'
      : 'review';
  const suggestions: string[] = [];
  if (complexity === 'D') suggestions.push('Reduce criteria count or split spec into smaller pieces');
  if (complexity === 'C') suggestions.push('Consider reducing scope or splitting into subtasks');
  if (confidence === 'D')
    suggestions.push(
      "Use bullet points instead of prose paragraphs; avoid vague words like 'improve', 'as needed', 'etc', 'similar'",
    );
  if (confidence === 'C')
    suggestions.push(
      'Increase bullet-to-prose ratio (>50%); start bullets with imperative verbs; reduce vague language',
    );
  if (acQuality === 'D') suggestions.push('Add at least 1 acceptance criteria checkbox');
  if (acQuality === 'C') suggestions.push('Add at least 2 acceptance criteria checkboxes');
  if (acQuality === 'B') suggestions.push('Add at least 4 acceptance criteria checkboxes for Grade A');
  if (splittability === 'D') suggestions.push("Remove coupling keywords ('tightly coupled', 'depends on each other')");
  if (splittability === 'C')
    suggestions.push('Add target_files and organize with ## section headers to improve splittability');
  // Rust's sort: by bytes, which for these ASCII texts is JavaScript's default order.
  return { trafficLight, suggestions: suggestions.sort() };
}

function complexityGrade(spec: Spec, body: string): Grade {
  const criteria = spec.acceptance.total;
  const files = spec.targetFiles.length;
  const words = wordCount(body);
  if (criteria >= 8 || files >= 5 || words >= 600) return 'D';
  if (criteria >= 6 || files >= 4 || words >= 400) return 'C';
  if (criteria >= 4 || files >= 3 || words >= 200) return 'B';
  return 'A';
}

/** The body's lines, trimmed, but those of ``` fences (and the fence lines themselves), as chant reads them. */
function* linesOutsideFences(body: string): Generator<string> {
  let inFence = false;
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('```')) inFence = !inFence;
    else if (!inFence) yield line;
  }
}

/** Bullet lines (`- x`, `* x`) and prose lines outside fences; headings and blank lines count as neither. */
function bodyLines(body: string): { bullets: string[]; paragraphs: number } {
  const bullets: string[] = [];
  let paragraphs = 0;
  for (const line of linesOutsideFences(body)) {
    if (line === '' || line.startsWith('#') || line === '-' || line === '*') continue;
    const bullet = line.startsWith('- ') || line.startsWith('* ') ? line.slice(2) : undefined;
    if (bullet === undefined) paragraphs++;
    else if (bullet.trim() !== '') bullets.push(bullet);
  }
  return { bullets, paragraphs };
}

function startsWithImperative(text: string): boolean {
  return IMPERATIVE_VERBS.has((text.split(/\s+/).find(Boolean) ?? '').toLowerCase());
}

function confidenceGrade(body: string): Grade {
  if (body.trim() === '') return 'D';
  const { bullets, paragraphs } = bodyLines(body);
  const bulletRatio = bullets.length + paragraphs === 0 ? 0 : bullets.length / (bullets.length + paragraphs);
  const withVerb = bullets.filter((bullet) => {
    // A checkbox is skipped: the first word after `]` counts.
    const content = bullet.trimStart().startsWith('[') && bullet.includes(']') ? bullet.slice(bullet.indexOf(']') + 1) : bullet;
    return startsWithImperative(content);
  }).length;
  const verbRatio = bullets.length === 0 ? 0 : withVerb / bullets.length;
  const vague = vagueCount(body);
  if (bulletRatio < 0.1 || vague > 8) return 'D';
  if (bulletRatio > 0.6 && verbRatio > 0.8 && vague === 0) return 'A';
  if (bulletRatio > 0.3 && verbRatio > 0.5 && vague < 3) return 'B';
  return 'C';
}

/** Every occurrence of every vague pattern, case-insensitively (what chant's confidence counts). */
export function vagueCount(text: string): number {
  const lower = text.toLowerCase();
  let count = 0;
  for (const pattern of VAGUE_PATTERNS) {
    for (let at = lower.indexOf(pattern); at >= 0; at = lower.indexOf(pattern, at + pattern.length)) count++;
  }
  return count;
}

function splittabilityGrade(spec: Spec, body: string): Grade {
  // A member (`<id>.N`) is already split.
  if (spec.id.split('.').slice(1).some((part) => /^\d+$/.test(part))) return 'C';
  if (spec.acceptance.total === 1) return 'C';
  const headers = [...linesOutsideFences(body)].filter((line) => line.startsWith('##')).length;
  const files = spec.targetFiles.length;
  const lower = body.toLowerCase();
  const coupled = COUPLING_KEYWORDS.some((k) => lower.includes(k));
  if (headers >= 3 && files >= 3) return coupled ? 'D' : 'A';
  if (headers >= 1 && headers <= 2 && files === 2) return coupled ? 'D' : 'B';
  return 'C';
}

const UNCHECKED = '- [ ]';
const CHECKED = '- [x]';

/** Rust's `trim_start_matches`: every leading repetition of `prefix` goes. */
function trimStartMatches(text: string, prefix: string): string {
  let rest = text;
  while (rest.startsWith(prefix)) rest = rest.slice(prefix.length);
  return rest;
}

/**
 * The criteria chant grades (`extract_acceptance_criteria`): the `- [ ]` / `- [x]` lines (lower-case
 * x only) after the first line starting `## Acceptance Criteria` outside a fence, up to the next
 * `## ` heading. `chant lint` drops a box with no text; `chant work` counts it (see GradeFor).
 */
export function acceptanceTexts(body: string, gradeFor: GradeFor = 'lint'): string[] {
  const texts: string[] = [];
  let inFence = false;
  let inSection = false;
  // Rust's `lines()`: split at \n, drop one \r before it.
  for (const raw of body.split('\n')) {
    const line = (raw.endsWith('\r') ? raw.slice(0, -1) : raw).trimStart();
    if (line.startsWith('```')) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    if (line.startsWith('## Acceptance Criteria')) {
      inSection = true;
      continue;
    }
    if (inSection && line.startsWith('## ')) break;
    if (inSection && (line.startsWith(UNCHECKED) || line.startsWith(CHECKED))) {
      const text = trimStartMatches(trimStartMatches(line, UNCHECKED), CHECKED).trim();
      if (text !== '' || gradeFor === 'work') texts.push(text);
    }
  }
  return texts;
}

/** `calculate_ac_quality` (src/score/ac_quality.rs at ec4a403): the count alone, the wording does not matter. */
export function acQualityGrade(count: number): Grade {
  if (count === 0) return 'D';
  if (count === 1) return 'C';
  if (count <= 3) return 'B';
  return 'A';
}

// ---------------------------------------------------------------------------------------------
// `chant lint -f json`

export interface CliLintDiagnostic {
  specId: string;
  rule: string;
  severity: 'error' | 'warning';
  message: string;
  suggestion?: string;
}

/**
 * The diagnostics of `chant lint -f json` (CHANT-FORMAT §8.3:
 * `{"diagnostics":[{spec_id, rule, severity, message, suggestion}], passed, warned, failed, total}`);
 * undefined when the output is not that shape (an old chant, an error message instead of JSON).
 */
export function parseCliLintJson(stdout: string): CliLintDiagnostic[] | undefined {
  const start = stdout.indexOf('{');
  if (start < 0) return undefined;
  let report: unknown;
  try {
    report = JSON.parse(stdout.slice(start));
  } catch {
    return undefined;
  }
  const diagnostics = (report as { diagnostics?: unknown } | null)?.diagnostics;
  if (!Array.isArray(diagnostics)) return undefined;
  const out: CliLintDiagnostic[] = [];
  for (const raw of diagnostics) {
    const d = raw as Record<string, unknown>;
    if (typeof d?.spec_id !== 'string' || typeof d.message !== 'string') continue;
    out.push({
      specId: d.spec_id,
      rule: typeof d.rule === 'string' ? d.rule : 'lint',
      severity: d.severity === 'error' ? 'error' : 'warning',
      message: d.message,
      ...(typeof d.suggestion === 'string' && d.suggestion ? { suggestion: d.suggestion } : {}),
    });
  }
  return out;
}

/**
 * Rules the editor's own lint reports in its own words (with quick fixes), CLI or not: chant's copy would repeat them.
 */
const REPORTED_BY_EDITOR_LINT = new Set(['parse', 'title', 'dependency']);

/**
 * The CLI's findings the editor shows as `chant lint` diagnostics: all but those the editor lint always reports itself.
 */
export function cliFindingsToShow(cli: readonly CliLintDiagnostic[]): CliLintDiagnostic[] {
  return cli.filter((d) => !REPORTED_BY_EDITOR_LINT.has(d.rule));
}
