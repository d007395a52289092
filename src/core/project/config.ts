// Reads `.chant/config.md` the way chant does (CHANT-FORMAT §5): the same `---` splitter, YAML
// frontmatter, built-in defaults for what is missing. Never throws; problems are reported instead.
import { yamlLibrary } from '../spec/yamlLoader';
import { LineMap, splitFrontmatter } from '../spec/frontmatter';
import { isSafePromptName } from './containment';
import type { ChantConfig, SpecProblem } from '../spec/types';

export const DEFAULT_CONFIG: Omit<ChantConfig, 'raw' | 'problems'> = {
  projectName: '',
  // chant's built-in default is `bootstrap`, which only ships in debug builds; `init` writes `standard`.
  defaultPrompt: 'bootstrap',
  branchPrefix: 'chant/',
  mainBranch: 'main',
  provider: 'claude',
  promptExtensions: [],
  silentFlag: false,
};

export function parseConfig(text: string | undefined): ChantConfig {
  const problems: SpecProblem[] = [];
  if (text === undefined) {
    return { ...DEFAULT_CONFIG, raw: {}, problems };
  }
  const split = splitFrontmatter(text);
  if (!split.hasFrontmatter) {
    problems.push({
      severity: 'error',
      code: 'config-no-frontmatter',
      message: 'Failed to extract frontmatter from config: config.md must start with a `---` YAML block.',
      line: 0,
      column: 0,
    });
    return { ...DEFAULT_CONFIG, raw: {}, problems };
  }
  const doc = yamlLibrary().parseDocument(split.yaml, { prettyErrors: false });
  if (doc.errors.length > 0) {
    const lines = new LineMap(text);
    for (const error of doc.errors) {
      const pos = lines.position(split.yamlStart + error.pos[0]);
      problems.push({
        severity: 'error',
        code: 'config-yaml',
        message: `Invalid YAML in config.md: ${error.message.split('\n')[0]}`,
        line: pos.line,
        column: pos.column,
      });
    }
    return { ...DEFAULT_CONFIG, raw: {}, problems };
  }
  const raw = asRecord(doc.toJS());
  const project = asRecord(raw.project);
  const defaults = asRecord(raw.defaults);
  const promptExtensions = Array.isArray(defaults.prompt_extensions) ? defaults.prompt_extensions.map(String) : [];
  for (const name of promptExtensions) {
    // config.md comes from the repository: `../../x` would name a file outside the prompts folder.
    if (!isSafePromptName(name)) {
      problems.push({
        severity: 'warning',
        code: 'config-prompt-extension',
        message: `prompt_extensions entry ${name} is not a prompt name (a file name in .chant/prompts): it is never read or sent to the agent.`,
        line: 0,
        column: 0,
      });
    }
  }
  const text_ = (value: unknown, fallback: string): string =>
    typeof value === 'string' && value.length > 0 ? value : typeof value === 'number' ? String(value) : fallback;
  return {
    projectName: text_(project.name, DEFAULT_CONFIG.projectName),
    projectPrefix: typeof project.prefix === 'string' ? project.prefix : undefined,
    defaultPrompt: text_(defaults.prompt, DEFAULT_CONFIG.defaultPrompt),
    branchPrefix: text_(defaults.branch_prefix, DEFAULT_CONFIG.branchPrefix),
    mainBranch: text_(defaults.main_branch, DEFAULT_CONFIG.mainBranch),
    defaultModel: typeof defaults.model === 'string' ? defaults.model : undefined,
    provider: text_(defaults.provider, DEFAULT_CONFIG.provider),
    promptExtensions,
    silentFlag: raw.silent === true,
    raw,
    problems,
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
