// Scaffolds the OSS maintainer investigation (CHANT-FORMAT §12) as spec files, with the §12.2
// corrections applied: full ids in `depends_on` and a dependency on every previous phase, only
// prompts that exist, inputs repeated in the body (chant does not inject `informed_by`), and real
// acceptance criteria on every phase. The upstream PR (phase 6) is a human gate, not a spec.
// Every phase passes `chant lint` (CHANT-FORMAT §8.3) and grades 🟢 Ready: inputs are named as
// documents (a spec id in the body is chant's `coupling` warning), each research phase has
// `informed_by` and `target_files`, four criteria that start with the verbs chant's grading looks
// for, and bullets instead of prose. The wording avoids chant's vague patterns ("improve", "etc",
// "similar", …, matched as substrings, so not even "fetch"). No `vscode` import.
import * as path from 'node:path';
import { nextSpecId } from '../spec/ids';
import { investigationLabelFromIssue, issueNumberOf } from './phases';
import { setFields, type FieldValue } from '../spec/specEdit';
import { labelProblem, titleProblem } from './newSpec';
import type { SpecType } from '../spec/types';
import { createProjectFile } from '../project/safeFiles';

export type InvestigationMode = 'chain' | 'single';

export interface InvestigationInput {
  /** Issue URL or number (`1234`, `#1234`, `https://github.com/o/r/issues/1234`). */
  issue: string;
  /**
   * The web address of the repository the issue belongs to (`https://github.com/o/r`), used to turn
   * an issue number into its URL (the caller reads it from the git remotes). Without it a number gets a
   * report document to paste the issue into instead.
   */
  issueRepository?: string;
  /**
   * The issue as imported with `gh issue view` (issueImport.issueReportMarkdown): written to
   * `.chant/research/issue-<n>-report.md`, which becomes the first input, before the issue URL.
   */
  issueReport?: string;
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

/** A document the investigation starts from (the issue report, when there is no URL to read it at). */
export interface ScaffoldedDocument {
  /** Relative to the project root, with `/`. */
  path: string;
  text: string;
}

export interface Investigation {
  key: string;
  issueNumber: number;
  issueUrl?: string;
  specs: ScaffoldedSpec[];
  /** Written with the specs; never over an existing file. */
  documents: ScaffoldedDocument[];
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
  /** Documents and URLs read beyond the previous phases' documents. */
  inputs: string[];
  targets: string[];
  /** Bullets of the `## Goal` section, each starting with an imperative verb. */
  goal: string[];
  criteria: string[];
}

/** The issue's URL: as given, or the number on the issue repository; undefined when neither is known. */
export function issueUrlOf(issue: string, issueNumber: number, issueRepository?: string): string | undefined {
  const given = issue.trim();
  if (/^https?:\/\//i.test(given)) return given;
  return issueRepository ? `${issueRepository.replace(/\/+$/, '')}/issues/${issueNumber}` : undefined;
}

/** What is written to the report document when the issue has no known URL. */
function reportText(n: number, summary: string): string {
  return `# Issue #${n}: ${summary}

Paste the issue report here (title, description and every comment) before working the first phase:
agents usually cannot reach the issue tracker, and this document is what they read.
`;
}

export function scaffoldInvestigation(input: InvestigationInput): Investigation {
  const key = investigationLabelFromIssue(input.issue);
  if (!key) throw new InvestigationError(`'${input.issue}' is not an issue number or issue URL (e.g. 1234 or https://github.com/owner/repo/issues/1234).`);
  const n = issueNumberOf(key)!;
  const issueUrl = issueUrlOf(input.issue, n, input.issueRepository);
  const summary = input.summary.trim();
  const problem = titleProblem(summary);
  if (problem) throw new InvestigationError(problem.replace('title', 'summary'));
  if (summary.includes('---')) throw new InvestigationError("The summary cannot contain '---'.");
  const labelIssue = labelProblem(key);
  if (labelIssue) throw new InvestigationError(labelIssue);

  const doc = (name: string): string => `.chant/research/issue-${n}-${name}.md`;
  // The agents usually cannot reach the tracker: the imported report is what they read first; the
  // URL stays beside it (and in the PR body). Without either, a report document to paste it into.
  const report = input.issueReport ?? (issueUrl ? undefined : reportText(n, summary));
  const documents: ScaffoldedDocument[] = report === undefined ? [] : [{ path: doc('report'), text: report }];
  const issueInputs = [...(report === undefined ? [] : [doc('report')]), ...(issueUrl ? [issueUrl] : [])];
  const code = (file: string): string => `\`${file}\``;
  // A research phase: its label names its prompt and the document it writes.
  const research = (phase: string, label: string, title: string, inputs: string[], text: Pick<PhasePlan, 'goal' | 'criteria'>): PhasePlan => ({
    phase,
    type: 'research',
    label,
    prompt: label,
    title,
    inputs,
    targets: [doc(label)],
    ...text,
  });
  // The fix phase: the investigation's recommendation, every affected location, its regression test.
  const fix = (goal: string[], regressionCriterion: string): PhasePlan => ({
    phase: 'Fork Fix',
    type: 'code',
    label: 'fix',
    prompt: 'fix',
    title: `Fix issue #${n}: ${summary}`,
    inputs: [],
    targets: [],
    goal: [...goal, "Document any behaviour change users will notice in the project's docs and changelog."],
    criteria: [
      'Fix every location the impact map marks as affected',
      regressionCriterion,
      'Add tests for the other affected locations',
      'Run the full test suite and the linters without failures',
    ],
  });
  const plans: PhasePlan[] =
    input.mode === 'single'
      ? [
          {
            phase: 'Investigation',
            type: 'research',
            label: 'investigation',
            prompt: 'research',
            title: `Investigation: issue #${n} ${summary}`,
            inputs: issueInputs,
            targets: [doc('investigation')],
            goal: [
              `Write the whole investigation of issue #${n} to ${code(doc('investigation'))}, in these sections:`,
              'Write `## Stage 1: Comprehension`: what the issue reports, expected versus actual behaviour, the affected components.',
              'Write `## Stage 2: Reproduction`: the smallest reproduction, as a failing regression test when possible.',
              'Write `## Stage 3: Root Cause`: the responsible code path, with `path:line` references.',
              'Write `## Stage 4: Impact Map`: every other place with the same pattern, and what a fix must change there.',
              'Write `## Summary`: the answer, how confident you are, and the fix you recommend.',
            ],
            criteria: [
              `Write the four stage sections and a Summary to ${code(doc('investigation'))}`,
              'Document the responsible code with `path:line` references',
              'Document every location with the same pattern, or state that there are no others',
              'Add a failing regression test, or explain in the document why none is possible',
            ],
          },
          fix(
            [
              `Implement the fix the investigation recommends for issue #${n}.`,
              'Fix every location its impact map marks as affected, not only the one in the report.',
            ],
            'Run the regression test from the investigation and make it pass unchanged',
          ),
        ]
      : [
          research('Comprehension', 'comprehension', `Comprehension: issue #${n} ${summary}`, issueInputs, {
            goal: [
              `Read the report of issue #${n} and every comment on it.`,
              `Write what is reported, what is expected, which components are involved and what is still unknown to ${code(doc('comprehension'))}.`,
              'Document hypotheses, but do not diagnose the bug yet: that is the root cause phase.',
            ],
            criteria: [
              `Write the reported and the expected behaviour to ${code(doc('comprehension'))}`,
              'Document the affected components with `path:line` references',
              'Add at least three ranked hypotheses, each with the evidence for and against it',
              'Write down the open questions the reproduction must answer',
            ],
          }),
          {
            phase: 'Reproduction',
            type: 'task',
            label: 'reproduction',
            prompt: 'reproduce',
            title: `Reproduce issue #${n}: ${summary}`,
            inputs: [],
            targets: [doc('reproduction')],
            goal: [
              'Write the smallest test that fails because of the issue, next to the project\'s other tests.',
              'Run it at least 10 times and count how often it fails.',
              `Document in ${code(doc('reproduction'))} the test's path, the command that runs it and the failure it shows.`,
            ],
            criteria: [
              'Add a regression test that fails because of the issue',
              `Run the test 10 times and record the failure rate in ${code(doc('reproduction'))}`,
              `Document the test's path and the command that runs it in ${code(doc('reproduction'))}`,
              'Verify that the observed failure matches the issue report',
            ],
          },
          research('Root Cause', 'root-cause', `Root cause: issue #${n} ${summary}`, [], {
            goal: [
              'Run the reproduction test and keep its output.',
              'Trace the failing path from the entry point to the fault, with `path:line` references.',
              'Compare at least three fix approaches and recommend one.',
              `Write the findings to ${code(doc('root-cause'))}.`,
            ],
            criteria: [
              `Write the causal chain from input to failure to ${code(doc('root-cause'))}`,
              'Document the responsible code with `path:line` references',
              'Document the explanations that were ruled out, and why',
              'Add a comparison of at least three fix approaches and a recommendation',
            ],
          }),
          research('Impact Map', 'impact-map', `Impact map: issue #${n} ${summary}`, [], {
            goal: [
              'Check the whole repository for the pattern the root cause names: callers, tests, examples and docs.',
              'Document each occurrence as affected, affected differently, or safe (with the reason).',
              `Write the map to ${code(doc('impact-map'))}.`,
            ],
            criteria: [
              `Document every location with the same pattern in ${code(doc('impact-map'))}, with \`path:line\``,
              'Check each location and state whether the fix must change it',
              'Add the risks of the fix and the tests that cover them',
              'Write an ordered checklist the fix phase can follow',
            ],
          }),
          fix(
            [
              'Implement the approach the root cause recommends, at every location the impact map marks as affected.',
              'Run the regression test from the reproduction phase until it passes without changes to it.',
            ],
            'Run the regression test from the reproduction phase and make it pass unchanged',
          ),
        ];

  const names = [...input.existingSpecNames];
  const specs: ScaffoldedSpec[] = [];
  const missingPrompts = new Set<string>();
  const previousDocs: string[] = [];
  for (const plan of plans) {
    const id = nextSpecId(names, input.now, input.random);
    names.push(`${id}.md`);
    const prompt = plan.prompt && input.availablePrompts.includes(plan.prompt) ? plan.prompt : undefined;
    if (plan.prompt && !prompt) missingPrompts.add(plan.prompt);
    // Documents, never spec files: chant warns about spec ids in a body, and the agent's worktree
    // does not hold other specs anyway. The research documents carry what earlier phases found.
    const informedBy = [...plan.inputs, ...previousDocs];
    const fields: Record<string, FieldValue | undefined> = {
      type: plan.type,
      status: 'pending',
      depends_on: specs.length > 0 ? [specs[specs.length - 1].id] : undefined,
      labels: [plan.label, key],
      target_files: plan.targets.length > 0 ? plan.targets : undefined,
      prompt,
      informed_by: informedBy.length > 0 ? informedBy : undefined,
    };
    const inputsList = informedBy.length > 0 ? ['', '## Inputs', '', ...informedBy.map((i) => `- Read ${/^https?:\/\//i.test(i) ? i : code(i)}`)] : [];
    const body = [
      '',
      `# ${plan.title}`,
      '',
      '## Goal',
      '',
      ...plan.goal.map((g) => `- ${g}`),
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
  }
  return { key, issueNumber: n, issueUrl, specs, documents, missingPrompts: [...missingPrompts] };
}

/**
 * Writes the investigation's specs and documents under `root` (the folder holding `.chant/`). Specs
 * are new files (`wx`: an id taken meanwhile fails rather than overwrites); a document that already
 * exists is kept, since it may hold the report someone pasted.
 */
export async function writeInvestigation(root: string, investigation: Investigation): Promise<void> {
  const specsDir = path.join(root, '.chant', 'specs');
  // New files (O_EXCL) in real folders (safeFiles.ts): never through a link the repository placed.
  for (const document of investigation.documents) {
    const file = path.join(root, ...document.path.split('/'));
    await createProjectFile(root, file, document.text).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
  for (const spec of investigation.specs) {
    await createProjectFile(root, path.join(specsDir, `${spec.id}.md`), spec.text);
  }
}
