// "Re-research from here" (the guide's "don't improvise mid-implementation: re-research"): a new
// research spec for one phase of an investigation, informed by the documents the earlier phases
// (and this one) produced, labelled with the phase and the investigation so it lands in the same
// chain, after the phase spec it starts from (depends_on). No `vscode`; the caller writes the file.
import { nextSpecId } from '../spec/ids';
import { setFields } from '../spec/specEdit';
import type { Spec } from '../spec/types';
import { labelProblem, titleProblem } from './newSpec';
import { investigationKeyOf, phaseOf, type PhaseDefinition } from './phases';

export interface ReResearchInput {
  /** The phase spec to re-research from. */
  from: Spec;
  /** The investigation's specs (active and archived), for the documents of the earlier phases. */
  investigation: readonly Spec[];
  /** What the new research should answer (one line). */
  question: string;
  phases: readonly PhaseDefinition[];
  existingSpecNames: readonly string[];
  availablePrompts: readonly string[];
  now: Date;
  random?: () => number;
}

export interface ReResearchSpec {
  id: string;
  title: string;
  text: string;
  /** The research document the new spec writes. */
  document: string;
}

export class ReResearchError extends Error {}

export function reResearchSpec(input: ReResearchInput): ReResearchSpec {
  const key = investigationKeyOf(input.from);
  if (!key) throw new ReResearchError(`${input.from.id} belongs to no investigation (no issue-<n> label).`);
  const question = input.question.trim();
  const problem = titleProblem(question);
  if (problem) throw new ReResearchError(problem.replace('title', 'question'));
  if (question.includes('---')) throw new ReResearchError("The question cannot contain '---'.");
  const phase = phaseOf(input.from, input.phases);
  const order = input.phases.map((p) => p.name);
  const upTo = order.indexOf(phase);
  // The phase's own label as the spec has it, so it falls in the same phase.
  const definition = input.phases.find((p) => p.name === phase);
  const phaseLabel = input.from.labels.find((l) => definition?.labels.some((d) => d.toLowerCase() === l.trim().toLowerCase())) ?? 'research';
  for (const label of [phaseLabel, key]) {
    const issue = labelProblem(label);
    if (issue) throw new ReResearchError(issue);
  }
  const documents: string[] = [];
  for (const spec of input.investigation) {
    if (investigationKeyOf(spec) !== key) continue;
    const at = order.indexOf(phaseOf(spec, input.phases));
    if (upTo >= 0 && (at < 0 || at > upTo)) continue;
    for (const file of spec.targetFiles) if (file.startsWith('.chant/research/') && !documents.includes(file)) documents.push(file);
  }
  const id = nextSpecId(input.existingSpecNames, input.now, input.random);
  const n = key.slice('issue-'.length);
  const slug = phaseLabel.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'research';
  const document = `.chant/research/issue-${n}-${slug}-${id.slice(-3)}.md`;
  const title = `Re-research (${phase}): issue #${n} ${question}`;
  const informedBy = [`.chant/specs/${input.from.id}.md`, ...documents];
  // chant lint (CHANT-FORMAT §8.3): no spec id in the body (its `coupling` warning; the phase's spec
  // is in informed_by and depends_on), and 🟢 Ready: bullets and criteria that start with the verbs
  // chant's grade looks for. The question is the user's own words and is graded as written.
  const code = (file: string): string => `\`${file}\``;
  const body = [
    '',
    `# ${title}`,
    '',
    '## Goal',
    '',
    `- Check the findings of the ${phase} phase against the code before the work goes on: ${question}`,
    `- Write what holds, what does not and why to ${code(document)}.`,
    '- Document which earlier findings this confirms or overturns. Do not change code.',
    '',
    '## Inputs',
    '',
    `- Read the ${phase} phase's spec (in \`informed_by\`) and the documents of the phases up to it:`,
    ...documents.map((d) => `- Read ${code(d)}`),
    '',
    '## Acceptance Criteria',
    '',
    `- [ ] Write the answer to the question in ${code(document)}`,
    '- [ ] Document each earlier finding it relies on or overturns, with file and line references',
    '- [ ] Document what the next phase must do differently',
    '- [ ] Verify each claim against the code, not against the earlier documents alone',
    '',
  ].join('\n');
  const text = setFields(body, {
    type: 'research',
    status: 'pending',
    depends_on: [input.from.id],
    labels: [phaseLabel, key],
    target_files: [document],
    prompt: input.availablePrompts.includes('research') ? 'research' : undefined,
    informed_by: informedBy,
  });
  return { id, title, text, document };
}
