// Prompt assembly as chant does it (CHANT-FORMAT §7.3): which prompt, `extends`, the `{{…}}`
// variables, the appended sections. Unlike chant, the `informed_by` documents are added too
// (inlined up to a size limit, URLs listed), because no bundled prompt shows them and in a
// worktree the agent may not be able to read them. Every file the repository names (the prompt, its
// `extends`, prompt_extensions, context, informed_by) is read through the project's containment
// rule (project/containment.ts): the prompt goes to a cloud model, so nothing outside the project
// may reach it. No `vscode` import.
import { isSafePromptName, isUrl, outsideMessage, ProjectFiles } from '../project/containment';
import { splitFrontmatter } from '../spec/frontmatter';
import type { ProjectPaths } from '../project/project';
import type { ChantConfig, Spec } from '../spec/types';

export class PromptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromptError';
  }
}

/** A stand-in for chant's bundled `standard` prompt, used when `.chant/prompts/standard.md` is missing. */
export const BUILTIN_STANDARD_PROMPT = `# Execute Spec

You are implementing a spec for {{project.name}}.

## Your Spec

**{{spec.title}}**

{{spec.description}}

## Instructions

1. Read the relevant code and plan the change.
2. Implement it; run the formatter, linter and tests.
3. Check off each acceptance criterion in \`{{spec.path}}\` by changing \`- [ ]\` to \`- [x]\`.
4. Commit with \`chant({{spec.id}}): <description>\` and leave \`git status\` clean.
5. Do not change the spec's \`status\`; chant does that.
`;

export interface PromptWorktree {
  path: string;
  branch: string;
}

export interface AssembleOptions {
  /** Overrides the spec's prompt (chant's `--prompt`). */
  promptName?: string;
  worktree?: PromptWorktree;
  /** Inline each `informed_by` document up to this many bytes (default 20 000); 0 lists them only. */
  inlineLimit?: number;
  /** Total budget for inlined documents (default 100 000 bytes). */
  totalInlineLimit?: number;
}

export interface AssembledPrompt {
  name: string;
  text: string;
}

/** A prompt file's text through containment: undefined when missing, an error when it is outside. */
async function readPromptFile(name: string, paths: ProjectPaths, files: ProjectFiles): Promise<string | undefined> {
  if (!isSafePromptName(name)) throw new PromptError(`Invalid prompt name: ${name}`);
  const read = await files.read(paths.promptFile(name));
  if (read.kind === 'outside') throw new PromptError(outsideMessage('prompt', read, 'not used'));
  return read.kind === 'read' ? read.text : undefined;
}

/** chant's choice (§7.3): `--prompt` > spec `prompt:` > `documentation` by type (if present) > `defaults.prompt`. */
export async function choosePromptName(
  spec: Spec,
  config: ChantConfig,
  paths: ProjectPaths,
  override?: string,
): Promise<string> {
  if (override) return override;
  if (spec.prompt) return spec.prompt;
  if (
    spec.type === 'documentation' &&
    (await readPromptFile('documentation', paths, new ProjectFiles(paths.root)).catch(() => undefined)) !== undefined
  ) {
    return 'documentation';
  }
  return config.defaultPrompt;
}

/** Where chant reads the prompt: the name, or `standard` for chant's debug-only `bootstrap` default. */
async function loadPromptBody(name: string, paths: ProjectPaths, files: ProjectFiles, seen: string[]): Promise<string> {
  if (seen.includes(name)) throw new PromptError(`Prompt cycle: ${[...seen, name].join(' → ')}`);
  const text = await readPromptFile(name, paths, files);
  if (text === undefined) {
    if (name === 'standard' || name === 'bootstrap') return BUILTIN_STANDARD_PROMPT;
    throw new PromptError(`Prompt not found: ${name} (expected .chant/prompts/${name}.md)`);
  }
  const split = splitFrontmatter(text);
  let body = split.hasFrontmatter ? split.body : text;
  const parent = split.hasFrontmatter ? /^extends:\s*["']?([^"'\s]+)["']?\s*$/m.exec(split.yaml)?.[1] : undefined;
  if (parent) {
    const parentBody = await loadPromptBody(parent, paths, files, [...seen, name]);
    body = body.split(`{{> ${parent}}}`).join(parentBody);
  }
  return body;
}

/** The spec body (no frontmatter), as `{{spec.description}}` gives it. */
export function specBody(specText: string): string {
  const split = splitFrontmatter(specText);
  return (split.hasFrontmatter ? split.body : specText).replace(/^\r?\n/, '');
}

/** Assembles the full prompt for `spec` whose file text is `specText`. */
export async function assemblePrompt(
  spec: Spec,
  specText: string,
  config: ChantConfig,
  paths: ProjectPaths,
  options: AssembleOptions = {},
): Promise<AssembledPrompt> {
  const files = new ProjectFiles(paths.root);
  const name = await choosePromptName(spec, config, paths, options.promptName);
  let text = await loadPromptBody(name, paths, files, []);
  const body = specBody(specText);
  const relSpecPath = `.chant/specs/${spec.id}.md`;

  const contextParts: string[] = [];
  for (const file of spec.context) {
    const read = await files.read(file);
    if (read.kind === 'read') contextParts.push(`--- ${file} ---\n${read.text}`);
    else if (read.kind === 'outside') contextParts.push(`--- ${file} ---\n(${outsideMessage('context', read)})`);
  }
  const targets = spec.targetFiles.join('\n');
  const specBlock = `Spec ID: ${spec.id}\n\n${body}${spec.targetFiles.length ? `\n\n## Target Files\n\n${spec.targetFiles.map((f) => `- ${f}`).join('\n')}` : ''}`;
  const vars: Array<[string, string]> = [
    ['{{project.name}}', config.projectName],
    ['{{spec.id}}', spec.id],
    ['{{spec.title}}', spec.title?.trim() || '(untitled)'],
    ['{{spec.description}}', body],
    ['{{spec.path}}', relSpecPath],
    ['{{spec.target_files}}', targets],
    ['{{spec.context}}', contextParts.join('\n\n')],
    ['{{worktree.path}}', options.worktree?.path ?? ''],
    ['{{worktree.branch}}', options.worktree?.branch ?? ''],
    ['{{worktree.isolated}}', options.worktree ? 'true' : 'false'],
    ['{{spec}}', specBlock],
  ];
  // One pass over the template: values are never re-scanned, so a spec body containing
  // `{{spec.id}}` stays literal, as with chant's sequential replacement of distinct keys.
  text = substitute(text, vars);

  const sections: string[] = [];
  if (options.worktree) {
    sections.push(
      `## Execution Environment\n\nYou are working in an isolated git worktree.\n\n- Worktree path: ${options.worktree.path}\n- Branch: ${options.worktree.branch}\n- The spec file is at ${relSpecPath} in this worktree; check its acceptance criteria there.`,
    );
  }
  const informed = await informedBySection(
    spec,
    files,
    options.inlineLimit ?? 20_000,
    options.totalInlineLimit ?? 100_000,
  );
  if (informed) sections.push(informed);
  if (!/commit your work/i.test(text) && name !== 'split') {
    sections.push(
      `## Required: Commit Your Work\n\nWhen you are done, commit your changes with:\n\n\`\`\`\ngit commit -m "chant(${spec.id}): <brief description of changes>"\n\`\`\``,
    );
  }
  for (const extension of config.promptExtensions) {
    // An unsafe name or a prompt file linking outside is skipped; the pre-run checks name it.
    const ext = await readPromptFile(extension, paths, files).catch(() => undefined);
    if (ext === undefined) continue;
    const split = splitFrontmatter(ext);
    sections.push((split.hasFrontmatter ? split.body : ext).trim());
  }
  const full = [text.trimEnd(), ...sections].join('\n\n') + '\n';
  return { name, text: full };
}

function substitute(template: string, vars: ReadonlyArray<[string, string]>): string {
  const keys = vars.map(([k]) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(keys.join('|'), 'g');
  const map = new Map(vars);
  return template.replace(re, (match) => map.get(match) ?? match);
}

async function informedBySection(
  spec: Spec,
  files: ProjectFiles,
  limit: number,
  total: number,
): Promise<string | undefined> {
  if (spec.informedBy.length === 0) return undefined;
  const urls: string[] = [];
  const parts: string[] = [];
  let budget = total;
  for (const entry of spec.informedBy) {
    if (isUrl(entry)) {
      urls.push(entry);
      continue;
    }
    const read = await files.read(entry, Math.max(0, Math.min(limit, budget)));
    if (read.kind === 'outside') {
      parts.push(`### ${entry}\n\n(${outsideMessage('informed_by', read)})`);
      continue;
    }
    if (read.kind !== 'read') {
      parts.push(`### ${entry}\n\n(not found in the main checkout)`);
      continue;
    }
    const allowed = Math.min(limit, budget);
    if (allowed <= 0) {
      parts.push(`### ${entry}\n\n(not inlined: size limit reached; read it at ${read.real})`);
      continue;
    }
    const { bytes, text: shown } = read;
    budget -= Math.min(bytes, allowed);
    const fence = longestFence(shown);
    const note = read.truncated
      ? `\n\n(truncated: ${bytes} bytes, first ${allowed} shown; the full file is at ${read.real})`
      : '';
    parts.push(`### ${entry}\n\n${fence}\n${shown.replace(/\s+$/, '')}\n${fence}${note}`);
  }
  const lines = [
    '## Inputs (informed_by)',
    '',
    'This spec is informed by the following. They are included here because they may not exist in your working directory.',
  ];
  if (urls.length) lines.push('', 'Links:', ...urls.map((u) => `- ${u}`));
  if (parts.length) lines.push('', ...parts.flatMap((p) => [p, '']));
  return lines.join('\n').trimEnd();
}

function longestFence(text: string): string {
  let max = 2;
  for (const m of text.matchAll(/`{3,}/g)) max = Math.max(max, m[0].length);
  return '`'.repeat(max + 1);
}
