// GitHub's own workflow parser (@actions/workflow-parser, the one behind the Actions language
// service). It ships as ES modules that import JSON without import attributes, which plain Node
// refuses, so it is bundled once with esbuild (a dev dependency already) and loaded as CommonJS.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './paths';

interface ParserModule {
  parseWorkflow(
    file: { name: string; content: string },
    trace: unknown,
  ): { context: { errors: { getErrors(): Array<{ message: string }> } }; value: unknown };
  convertWorkflowTemplate(context: unknown, value: unknown): Promise<WorkflowTemplate>;
  NoOperationTraceWriter: new () => unknown;
}

export interface WorkflowTemplate {
  errors?: Array<{ Message: string }>;
  jobs?: Array<{
    id: { value: string };
    steps?: Array<{
      id: string;
      name?: { toString(): string };
      if?: { expr: string };
      uses?: { value: string };
      run?: { toString(): string };
      env?: unknown;
    }>;
  }>;
  events?: Record<string, unknown>;
}

let loaded: ParserModule | undefined;

function parser(): ParserModule {
  if (loaded) return loaded;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const bundle = esbuild.buildSync({
    stdin: { contents: "export * from '@actions/workflow-parser';", resolveDir: repoRoot },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    write: false,
    logLevel: 'silent',
  });
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'chant-workflow-parser-')), 'parser.cjs');
  writeFileSync(file, bundle.outputFiles[0].text);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded = require(file) as ParserModule;
  return loaded;
}

/** Parses and converts a workflow as GitHub does; every error message, and the converted template. */
export async function parseWorkflowText(
  name: string,
  content: string,
): Promise<{ errors: string[]; template: WorkflowTemplate }> {
  const p = parser();
  const parsed = p.parseWorkflow({ name, content }, new p.NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  const template = await p.convertWorkflowTemplate(parsed.context, parsed.value);
  for (const e of template.errors ?? []) if (!errors.includes(e.Message)) errors.push(e.Message);
  return { errors, template };
}
