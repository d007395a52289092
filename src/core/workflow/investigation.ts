// Scaffolds the OSS maintainer investigation (CHANT-FORMAT §12) as spec files, with the §12.2
// corrections applied: full ids in `depends_on` and a dependency on every previous phase, only
// prompts that exist, inputs repeated in the body (chant does not inject `informed_by`), and real
// acceptance criteria on every phase. The upstream PR (phase 6) is a human gate, not a spec.
// No `vscode` import.
import { nextSpecId } from '../spec/ids';
import { investigationLabelFromIssue, issueNumberOf } from './phases';
import { setFields, type FieldValue } from '../spec/specEdit';
import { labelProblem, titleProblem } from './newSpec';
import type { SpecType } from '../spec/types';

export type InvestigationMode = 'chain' | 'single';

export interface InvestigationInput {
  /** Issue URL or number (`1234`, `#1234`, `https://github.com/o/r/issues/1234`). */
  issue: string;
  /** A short summary, used in titles ("data loss on concurrent writes"). */
  summary: string;
  mode: InvestigationMode;
  /** Names of the entries at the top level of `.chant/specs` (for the next ids). */
  existingSpecNames: readonly string[];
  /** Prompt names present in `.chant/prompts`. */
  availablePrompts: readonly string[];
  now: Date;
  random?: () => number;
}

export interface ScaffoldedSpec {
  id: string;
  phase: string;
  title: string;
  text: string;
}

export interface Investigation {
  key: string;
  issueNumber: number;
  issueUrl?: string;
  specs: ScaffoldedSpec[];
  /** Prompts a phase would use but the project lacks (the spec then uses the default prompt). */
  missingPrompts: string[];
}

export class InvestigationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvestigationError';
  }
}

interface PhasePlan {
  phase: string;
  type: SpecType;
  label: string;
  prompt?: string;
  title: string;
  /** Inputs beyond the previous phases' documents. */
  inputs: string[];
  targets: string[];
  body: string[];
  criteria: string[];
}

export function scaffoldInvestigation(input: InvestigationInput): Investigation {
  const key = investigationLabelFromIssue(input.issue);
  if (!key) throw new InvestigationError(`'${input.issue}' is not an issue number or issue URL (e.g. 1234 or https://github.com/owner/repo/issues/1234).`);
  const n = issueNumberOf(key)!;
  const issueUrl = /^https?:\/\//i.test(input.issue.trim()) ? input.issue.trim() : undefined;
  const summary = input.summary.trim();
  const problem = titleProblem(summary);
  if (problem) throw new InvestigationError(problem.replace('title', 'summary'));
  if (summary.includes('---')) throw new InvestigationError("The summary cannot contain '---'.");
  const labelIssue = labelProblem(key);
  if (labelIssue) throw new InvestigationError(labelIssue);

  const doc = (name: string): string => `.chant/research/issue-${n}-${name}.md`;
  const issueRef = issueUrl ?? `issue #${n}`;
  const plans: PhasePlan[] =
    input.mode === 'single'
      ? [
          {
            phase: 'Investigation',
            type: 'research',
            label: 'investigation',
            prompt: 'research',
            title: `Investigation: issue #${n} ${summary}`,
            inputs: issueUrl ? [issueUrl] : [],
            targets: [doc('investigation')],
            body: [
              `Investigate ${issueRef} in one pass and write the findings to \`${doc('investigation')}\`, with these sections:`,
              '',
              '- `## Stage 1: Comprehension`: what the issue reports, expected versus actual behaviour, affected components.',
              '- `## Stage 2: Reproduction`: the smallest reproduction; add a failing regression test if possible.',
              '- `## Stage 3: Root Cause`: the code path responsible, with file and line references.',
              '- `## Stage 4: Impact Map`: every other place with the same pattern, and what a fix must change.',
              '- `## Summary`: the answer, confidence, and the fix you recommend.',
            ],
            criteria: [
              `\`${doc('investigation')}\` has the four stage sections and a Summary`,
              'The root cause names the responsible code with file and line references',
              'The impact map lists every affected location or states that there are no others',
            ],
          },
          {
            phase: 'Fork Fix',
            type: 'code',
            label: 'fix',
            prompt: 'fix',
            title: `Fix issue #${n}: ${summary}`,
            inputs: [],
            targets: [],
            body: [
              `Fix ${issueRef} as the investigation recommends. Add or update tests so the reproduction passes, and document any behaviour change.`,
            ],
            criteria: ['The regression test from the investigation passes', 'Every location in the impact map is fixed or explicitly ruled out', 'The full test suite passes'],
          },
        ]
      : [
          {
            phase: 'Comprehension',
            type: 'research',
            label: 'comprehension',
            prompt: 'comprehension',
            title: `Comprehension: issue #${n} ${summary}`,
            inputs: issueUrl ? [issueUrl] : [],
            targets: [doc('comprehension')],
            body: [
              `Understand ${issueRef} before anything else: what is reported, what the expected behaviour is, which components are involved, and what is still unknown. Write it to \`${doc('comprehension')}\`.`,
            ],
            criteria: [
              `\`${doc('comprehension')}\` states the reported and the expected behaviour`,
              'The affected components are listed with file references',
              'Open questions for the reproduction phase are listed',
            ],
          },
          {
            phase: 'Reproduction',
            type: 'task',
            label: 'reproduction',
            prompt: 'reproduce',
            title: `Reproduce issue #${n}: ${summary}`,
            inputs: [],
            targets: [doc('reproduction')],
            body: [
              `Reproduce ${issueRef} with the smallest possible failing test. Commit the test, and record in \`${doc('reproduction')}\` its path, how to run it, and the failure it shows.`,
            ],
            criteria: ['A regression test that fails because of the issue is committed', `\`${doc('reproduction')}\` names the test and how to run it`, 'The observed failure matches the issue report'],
          },
          {
            phase: 'Root Cause',
            type: 'research',
            label: 'root-cause',
            prompt: 'root-cause',
            title: `Root cause: issue #${n} ${summary}`,
            inputs: [],
            targets: [doc('root-cause')],
            body: [`Find why ${issueRef} happens, using the reproduction. Write the causal chain with file and line references to \`${doc('root-cause')}\`.`],
            criteria: [`\`${doc('root-cause')}\` explains the causal chain from input to failure`, 'The responsible code is cited with file and line references', 'Alternative explanations that were ruled out are listed'],
          },
          {
            phase: 'Impact Map',
            type: 'research',
            label: 'impact-map',
            prompt: 'impact-map',
            title: `Impact map: issue #${n} ${summary}`,
            inputs: [],
            targets: [doc('impact-map')],
            body: [`Map every place the root cause's pattern occurs, and what a fix must change or preserve. Write it to \`${doc('impact-map')}\`.`],
            criteria: [`\`${doc('impact-map')}\` lists every location with the same pattern`, 'Each location says whether the fix must change it', 'Risks and the tests that cover them are listed'],
          },
          {
            phase: 'Fork Fix',
            type: 'code',
            label: 'fix',
            prompt: 'fix',
            title: `Fix issue #${n}: ${summary}`,
            inputs: [],
            targets: [],
            body: [`Fix ${issueRef} in the locations the impact map names. Make the regression test pass, add tests for the other locations, and document any behaviour change.`],
            criteria: ['The regression test from the reproduction phase passes', 'Every location in the impact map is fixed or explicitly ruled out', 'The full test suite passes'],
          },
        ];

  const names = [...input.existingSpecNames];
  const specs: ScaffoldedSpec[] = [];
  const missingPrompts = new Set<string>();
  const previousDocs: string[] = [];
  const previousSpecFiles: string[] = [];
  for (const plan of plans) {
    const id = nextSpecId(names, input.now, input.random);
    names.push(`${id}.md`);
    const prompt = plan.prompt && input.availablePrompts.includes(plan.prompt) ? plan.prompt : undefined;
    if (plan.prompt && !prompt) missingPrompts.add(plan.prompt);
    const informedBy = [...plan.inputs, ...previousSpecFiles.slice(-1), ...previousDocs];
    const fields: Record<string, FieldValue | undefined> = {
      type: plan.type,
      status: 'pending',
      depends_on: specs.length > 0 ? [specs[specs.length - 1].id] : undefined,
      labels: [plan.label, key],
      target_files: plan.targets.length > 0 ? plan.targets : undefined,
      prompt,
      informed_by: informedBy.length > 0 ? informedBy : undefined,
    };
    const inputsList = informedBy.length > 0 ? ['', '## Inputs', '', ...informedBy.map((i) => `- ${i}`)] : [];
    const body = [
      '',
      `# ${plan.title}`,
      '',
      ...plan.body,
      ...inputsList,
      '',
      '## Acceptance Criteria',
      '',
      ...plan.criteria.map((c) => `- [ ] ${c}`),
      '',
    ].join('\n');
    const text = setFields(body, fields);
    specs.push({ id, phase: plan.phase, title: plan.title, text });
    previousDocs.push(...plan.targets);
    previousSpecFiles.push(`.chant/specs/${id}.md`);
  }
  return { key, issueNumber: n, issueUrl, specs, missingPrompts: [...missingPrompts] };
}
