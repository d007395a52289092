// Prompt assembly as chant does it (CHANT-FORMAT §7.3): which prompt, `extends`, the `{{…}}`
// variables, the appended sections. Unlike chant, the `informed_by` documents are added too
// (inlined up to a size limit, URLs listed), because no bundled prompt shows them and in a
// worktree the agent may not be able to read them. No `vscode` import.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
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
  readFile?: (file: string) => Promise<string | undefined>;
}

export interface AssembledPrompt {
  name: string;
  text: string;
}

const defaultRead = async (file: string): Promise<string | undefined> => fs.readFile(file, 'utf8').catch(() => undefined);

/** chant's choice (§7.3): `--prompt` > spec `prompt:` > `documentation` by type (if present) > `defaults.prompt`. */
export async function choosePromptName(
  spec: Spec,
  config: ChantConfig,
  paths: ProjectPaths,
  override?: string,
  readFile = defaultRead,
): Promise<string> {
  if (override) return override;
  if (spec.prompt) return spec.prompt;
  if (spec.type === 'documentation' && (await readFile(paths.promptFile('documentation'))) !== undefined) return 'documentation';
  return config.defaultPrompt;
}

/** Where chant reads the prompt: the name, or `standard` for chant's debug-only `bootstrap` default. */
async function loadPromptBody(name: string, paths: ProjectPaths, readFile: (f: string) => Promise<string | undefined>, seen: string[]): Promise<string> {
  if (seen.includes(name)) throw new PromptError(`Prompt cycle: ${[...seen, name].join(' → ')}`);
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith('.')) throw new PromptError(`Invalid prompt name: ${name}`);
  const text = await readFile(paths.promptFile(name));
  if (text === undefined) {
    if (name === 'standard' || name === 'bootstrap') return BUILTIN_STANDARD_PROMPT;
    throw new PromptError(`Prompt not found: ${name} (expected .chant/prompts/${name}.md)`);
  }
  const split = splitFrontmatter(text);
  let body = split.hasFrontmatter ? split.body : text;
  const parent = split.hasFrontmatter ? /^extends:\s*["']?([^"'\s]+)["']?\s*$/m.exec(split.yaml)?.[1] : undefined;
  if (parent) {
    const parentBody = await loadPromptBody(parent, paths, readFile, [...seen, name]);
    body = body.split(`{{> ${parent}}}`).join(parentBody);
  }
  return body;
}

/** The spec body (no frontmatter), as `{{spec.description}}` gives it. */
export function specBody(specText: string): string {
  const split = splitFrontmatter(specText);
  return (split.hasFrontmatter ? split.body : specText).replace(/^\r?\n/, '');
}

function isUrl(entry: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(entry);
}

/** Assembles the full prompt for `spec` whose file text is `specText`. */
export async function assemblePrompt(
  spec: Spec,
  specText: string,
  config: ChantConfig,
  paths: ProjectPaths,
  options: AssembleOptions = {},
): Promise<AssembledPrompt> {
  const readFile = options.readFile ?? defaultRead;
  const name = await choosePromptName(spec, config, paths, options.promptName, readFile);
  let text = await loadPromptBody(name, paths, readFile, []);
  const body = specBody(specText);
  const relSpecPath = `.chant/specs/${spec.id}.md`;

  const contextParts: string[] = [];
  for (const file of spec.context) {
    const content = await readFile(path.resolve(paths.root, file));
    if (content !== undefined) contextParts.push(`--- ${file} ---\n${content}`);
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
  const informed = await informedBySection(spec, paths, readFile, options.inlineLimit ?? 20_000, options.totalInlineLimit ?? 100_000);
  if (informed) sections.push(informed);
  if (!/commit your work/i.test(text) && name !== 'split') {
    sections.push(
      `## Required: Commit Your Work\n\nWhen you are done, commit your changes with:\n\n\`\`\`\ngit commit -m "chant(${spec.id}): <brief description of changes>"\n\`\`\``,
    );
  }
  for (const extension of config.promptExtensions) {
    const ext = await readFile(paths.promptFile(extension));
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
  paths: ProjectPaths,
  readFile: (f: string) => Promise<string | undefined>,
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
    const absolute = path.resolve(paths.root, entry);
    const rel = path.relative(paths.root, absolute);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      parts.push(`### ${entry}\n\n(outside the project; not included)`);
      continue;
    }
    const content = await readFile(absolute);
    if (content === undefined) {
      parts.push(`### ${entry}\n\n(not found in the main checkout)`);
      continue;
    }
    const allowed = Math.min(limit, budget);
    if (allowed <= 0) {
      parts.push(`### ${entry}\n\n(not inlined: size limit reached; read it at ${absolute})`);
      continue;
    }
    const bytes = Buffer.byteLength(content, 'utf8');
    const shown = bytes > allowed ? Buffer.from(content, 'utf8').subarray(0, allowed).toString('utf8') : content;
    budget -= Math.min(bytes, allowed);
    const fence = longestFence(shown);
    const note = bytes > allowed ? `\n\n(truncated: ${bytes} bytes, first ${allowed} shown; the full file is at ${absolute})` : '';
    parts.push(`### ${entry}\n\n${fence}\n${shown.replace(/\s+$/, '')}\n${fence}${note}`);
  }
  const lines = ['## Inputs (informed_by)', '', 'This spec is informed by the following. They are included here because they may not exist in your working directory.'];
  if (urls.length) lines.push('', 'Links:', ...urls.map((u) => `- ${u}`));
  if (parts.length) lines.push('', ...parts.flatMap((p) => [p, '']));
  return lines.join('\n').trimEnd();
}

function longestFence(text: string): string {
  let max = 2;
  for (const m of text.matchAll(/`{3,}/g)) max = Math.max(max, m[0].length);
  return '`'.repeat(max + 1);
}
