// The shared vocabulary of the core. Everything here is plain data so that the index, the views,
// the webviews and the tests agree on one model of a chant project. No `vscode` import below src/core.

/** Status values chant accepts (CHANT-FORMAT §2.3). Anything else makes chant drop the spec. */
export const SPEC_STATUSES = [
  'pending',
  'in_progress',
  'paused',
  'completed',
  'failed',
  'needs_attention',
  'ready',
  'blocked',
  'cancelled',
] as const;
export type SpecStatus = (typeof SPEC_STATUSES)[number];

/** Type values chant v0.23 accepts (CHANT-FORMAT §2.2). Older files carry `conflict`, `docs`, … */
export const SPEC_TYPES = ['code', 'task', 'driver', 'documentation', 'research', 'group'] as const;
export type SpecType = (typeof SPEC_TYPES)[number];

/** Key order chant uses when it saves a spec (CHANT-FORMAT §2.1.5). New keys are inserted in this order. */
export const FIELD_ORDER = [
  'type',
  'status',
  'depends_on',
  'labels',
  'target_files',
  'context',
  'prompt',
  'branch',
  'commits',
  'completed_at',
  'model',
  'tracks',
  'informed_by',
  'origin',
  'schedule',
  'source_branch',
  'target_branch',
  'conflicting_files',
  'blocked_specs',
  'original_spec',
  'last_verified',
  'verification_status',
  'verification_failures',
  'replayed_at',
  'replay_count',
  'original_completed_at',
  'derived_fields',
  'approval',
  'members',
  'output_schema',
  'public',
  'retry_state',
] as const;

/** Fields that must be YAML sequences. `depends_on` alone also accepts a bare string. */
export const LIST_FIELDS = new Set<string>([
  'depends_on',
  'labels',
  'target_files',
  'context',
  'commits',
  'tracks',
  'informed_by',
  'origin',
  'conflicting_files',
  'blocked_specs',
  'verification_failures',
  'derived_fields',
  'members',
]);

/** A problem found in a file. Lines and columns are 0-based and relative to the whole file. */
export interface SpecProblem {
  severity: 'error' | 'warning' | 'info';
  /** Stable code so the editor can offer quick fixes (e.g. `yaml`, `unknown-status`, `scalar-list`). */
  code: string;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface Approval {
  required?: boolean;
  status?: string;
  by?: string;
  at?: string;
}

export interface AcceptanceCriterion {
  /** 0-based line of the file (not the body) that holds the checkbox. */
  line: number;
  /** Column of the `- [` that starts the box. */
  column: number;
  checked: boolean;
  text: string;
}

export interface AcceptanceSummary {
  /** Whether an `## Acceptance Criteria` heading was found outside fences. */
  hasSection: boolean;
  checked: number;
  unchecked: number;
  total: number;
  items: AcceptanceCriterion[];
}

/**
 * One spec file as read from disk. Values are exactly what the file says (`status` may be `blocked`
 * or an unknown word); computed state (readiness, effective status) lives in the index.
 */
export interface Spec {
  id: string;
  /** Absolute path of the file. */
  path: string;
  archived: boolean;
  /** `YYYY-MM-DD` folder below `archive/`, when archived that way. */
  archiveFolder?: string;
  hasFrontmatter: boolean;
  /** The parsed frontmatter mapping (empty when missing or broken). Unknown keys are kept. */
  frontmatter: Record<string, unknown>;
  /** `status` as written, `pending` when missing. May be a value chant does not know. */
  status: string;
  /** `type` as written, `code` when missing. */
  type: string;
  statusKnown: boolean;
  typeKnown: boolean;
  dependsOn: string[];
  labels: string[];
  targetFiles: string[];
  informedBy: string[];
  context: string[];
  origin: string[];
  tracks: string[];
  members: string[];
  commits: string[];
  prompt?: string;
  branch?: string;
  completedAt?: string;
  model?: string;
  approval?: Approval;
  title?: string;
  /** 0-based file line of the title heading. */
  titleLine?: number;
  acceptance: AcceptanceSummary;
  /** 0-based line where the body starts. */
  bodyLine: number;
  problems: SpecProblem[];
  /** True when chant itself would fail to load this file (it hides such specs). */
  chantWouldReject: boolean;
}

export interface ChantConfig {
  projectName: string;
  projectPrefix?: string;
  defaultPrompt: string;
  branchPrefix: string;
  mainBranch: string;
  defaultModel?: string;
  provider: string;
  promptExtensions: string[];
  /** Top-level `silent: true` written by `chant silent`. */
  silentFlag: boolean;
  /** The raw frontmatter, for anything else a caller wants. */
  raw: Record<string, unknown>;
  problems: SpecProblem[];
}

/** The active specs of a project by id: what readiness, the graph and lint look other specs up in. */
export type SpecMap = ReadonlyMap<string, Spec>;
