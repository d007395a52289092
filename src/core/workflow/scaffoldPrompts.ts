// The prompt texts `Initialize chant` writes, one per phase of the research-first workflow (§12):
// data in one place, kept apart from the files chant init itself writes (scaffold.ts).

export interface PromptOptions {
  /** Silent mode: `.chant/` is git-excluded, so worktrees do not contain it. */
  silent: boolean;
}

/** Prompt file names (without `.md`) the scaffold writes, in workflow order. */
export const SCAFFOLD_PROMPTS = [
  'standard',
  'research',
  'comprehension',
  'reproduce',
  'root-cause',
  'impact-map',
  'fix',
  'upstream-pr',
] as const;

export type ScaffoldPromptName = (typeof SCAFFOLD_PROMPTS)[number];

const MAIN_CHECKOUT = `\`\`\`bash
MAIN="$(cd "$(dirname "$CHANT_SPEC_FILE")/../.." && pwd)"
ls "$MAIN/.chant/research/"
\`\`\``;

function whereThingsAre(options: PromptOptions): string {
  if (options.silent) {
    return `## Where Things Are

{{project.name}} runs chant in **silent mode**: \`.chant/\` is listed in \`.git/info/exclude\` and
nothing under it is tracked. Your working directory is usually a git worktree, which contains only
tracked files: research documents from earlier phases are not in it, and anything you write under
the worktree's \`.chant/\` is deleted together with the worktree. Use the main checkout for
everything under \`.chant/\`:

${MAIN_CHECKOUT}

- Read source code and tests in your working directory.
- Read earlier research documents from \`$MAIN/.chant/research/\`.
- Write the document named in the spec's target files to \`$MAIN/<that path>\`.
- Spec files of earlier phases are not available to you. Everything they established is in
  their research documents.`;
  }
  return `## Where Things Are

Your working directory is usually a git worktree on the spec's own branch. Earlier research
documents are tracked under \`.chant/research/\`, so they are in it once their phase was merged.
Other spec files are removed from the worktree while you work; everything earlier phases
established is in their research documents. If a document you need is missing, read it from the
main checkout:

${MAIN_CHECKOUT}

Write the document named in the spec's target files at that path in your working directory and
commit it.`;
}

function finishingResearch(options: PromptOptions): string {
  const commit = options.silent
    ? `You do not need to commit your work: research documents live under the git-excluded \`.chant/\`,
so do not \`git add -f\` them. Run research phases with \`chant work <id> --allow-no-commits\`. If you
did have to change a tracked file, commit it with \`chant({{spec.id}}): <description>\` and leave
\`git status\` clean.`
    : `Commit the document with \`chant({{spec.id}}): <description>\` and leave \`git status\` clean.`;
  return `## Finishing

1. Re-read the acceptance criteria and make sure the document answers each one explicitly.
2. Check off each criterion in \`{{spec.path}}\` by changing \`- [ ]\` to \`- [x]\`. Leave a box
   unchecked if you could not satisfy it, and explain why in the document.
3. End your final message with a short summary: the answer, how confident you are, and what
   the next phase should look at first.

${commit}`;
}

/** The text of each scaffolded prompt. Frontmatter `name`/`purpose`/`extends` as chant reads it (§7.3). */
export function promptTexts(options: PromptOptions): Record<ScaffoldPromptName, string> {
  return {
    standard: `---
name: standard
purpose: Default execution prompt
---

# Execute Spec

You are implementing a spec for {{project.name}}.

## Your Spec

**{{spec.title}}**

{{spec.description}}

## Instructions

1. **Read** the relevant code first, starting with the spec's target files
2. **Plan** your approach before coding
3. **Implement** the changes
4. **Format and lint** with the tools the project already uses (see its README, CONTRIBUTING or CI
   configuration) and fix every warning your change introduced
5. **Run the tests** and fix any failures your change caused
6. **Verify** the implementation works and all acceptance criteria are met
7. **Check off** each acceptance criterion in \`{{spec.path}}\` by changing \`- [ ]\` to \`- [x]\`
8. **Commit** with message: \`chant({{spec.id}}): <description>\`
9. **Verify git status is clean** so that no uncommitted changes remain

## When You Notice Issues Outside Your Scope

If you find a problem that is NOT part of this spec:

1. **Check whether a spec already exists:** run \`chant list\` and look for similar titles.
2. **If none exists, create one:** \`chant add "Brief description of the issue"\`
3. **Mention the new spec ID** in your final message.
4. **Continue with your own spec.** Do not fix the out-of-scope problem here.

## Constraints

- Only modify files related to this spec
- Follow existing code patterns; do not refactor unrelated code
- Do not edit chant-managed frontmatter (\`status\`, \`commits\`, \`completed_at\`, \`branch\`); chant updates it
`,

    research: `---
name: research
purpose: Base prompt for research phases. Investigate and write a document; change no code
---

# Research Spec

You are investigating an issue in {{project.name}}. Your deliverable is a written document, not a
code change. Later phases, and maintainers who were not there, will rely on it, so make it
accurate, specific and easy to check.

## Your Spec

**{{spec.title}}**

{{spec.description}}

${whereThingsAre(options)}

## How to Research

1. **Read every input** listed in the spec's \`## Inputs\` section before forming an opinion.
2. **Work from evidence.** Cite code as \`path:line\` and quote the lines that matter. Run things
   (the tests, the program itself, \`git log -L\`, \`git blame\`) and paste the relevant output, trimmed.
3. **Separate facts, inferences and guesses.** Label hypotheses, and say what would confirm or
   refute each one.
4. **Record what you ruled out and why.** Later phases need that as much as the conclusion.
5. **Stay in scope.** Do not change source code, tests or docs. You may add temporary
   instrumentation (a log line, a sleep) to confirm a mechanism, but revert it before you finish.
   Note unrelated problems under an "Out of scope" heading; a maintainer decides what to file.
6. **Follow the phase guidance below** for the structure of the document.

${finishingResearch(options)}
`,

    comprehension: `---
name: comprehension
purpose: Research phase 1. Understand what an issue reports before anyone diagnoses it
extends: research
---

{{> research}}

## Phase Guidance: Comprehension

The question for this phase is **"what is this issue actually about?"**, not "why does it
happen?". Do not diagnose. A good comprehension lets someone who never read the issue explain
it correctly, including what it is *not* about.

1. Read the issue in full, including every comment: \`gh issue view <number> --comments\` if \`gh\`
   is available. The spec may also quote the report.
2. Read what {{project.name}} promises about this behaviour: the README, the docs, \`--help\`
   output, API documentation. A bug is a broken promise; if nothing was promised, say so.
3. Find the entry points of the affected code. Go only deep enough to name them (\`path:line\`)
   and list what else calls the same code.
4. Search for duplicates and related reports (\`gh issue list --search "<terms>" --state all\`).

Write the document with these sections:

1. **Summary.** Three sentences: the symptom, who is affected, how bad it is.
2. **What the issue reports.** Expected and actual behaviour in your own words, and the steps
   as given. Point out anything in the title or report that is inaccurate or ambiguous.
3. **Affected surface.** Commands, flags, APIs and code entry points, plus what is *not*
   affected and why.
4. **Environment.** Version, OS, configuration, data size, how the software is run, and which of
   these are still unknown.
5. **Hypotheses.** At least three, ranked, each with the evidence for and against it. Mark the
   ones you could rule out from the code or docs alone.
6. **Related.** Duplicate or related issues, and docs that make promises about this behaviour.
7. **Open questions.** What the reproduction must answer.
8. **Decision.** Is this a bug, a feature request, a documentation problem, or not actionable?
   Say whether to continue the investigation, close the issue, or ask the reporter something.
   If it is not a bug, say so plainly: the maintainer will stop here.
`,

    reproduce: `---
name: reproduce
purpose: Reproduction phase. Write a minimal failing test that proves a reported bug
---

# Create a Reproduction Test

You are writing a failing test that reproduces a reported bug in {{project.name}}.

## Your Spec

**{{spec.title}}**

{{spec.description}}

## Inputs

The comprehension document from the previous phase is in \`.chant/research/\`. If your working
directory does not contain it (chant runs agents in a worktree, and in silent mode \`.chant/\` is
not tracked), read it from the main checkout:

${MAIN_CHECKOUT}

## What a Good Reproduction Is

- **Faithful.** It triggers the bug the way users hit it. If the report involves separate
  processes, run the real program instead of calling library functions from threads.
- **Asserting the symptom.** It fails with a message that describes what the user saw, not with
  a crash, a timeout or an unrelated error.
- **Reliable.** It fails on every run on a normal laptop. If the bug is a race, widen the window
  with realistic inputs (more data, more rounds) rather than sleeps or test hooks in production
  code. Measure it: run the test at least 10 times and report the failure rate.
- **Minimal and self-contained.** It uses a temporary directory, needs no setup, leaves nothing
  behind, and includes only what is needed to trigger the bug.
- **Documented.** The file header links the issue, explains the mechanism being exercised in one
  paragraph, and says the test is expected to fail until the issue is fixed.

## Conventions

- Put the test where the spec's target files say, next to the project's other tests, and make
  sure the project's normal test command runs it.
- Do **not** mark it skipped or ignored, and do not add retries. The fix phase must make it pass
  unchanged.
- Do not fix the bug and do not change production code. If the bug cannot be reproduced, say so
  and describe what you tried; that is a valid outcome.

## Instructions

1. **Understand** the report and the comprehension document's hypotheses and open questions
2. **Write** the test, then run it
3. **Confirm** that it fails for the reported reason, then run it 10 times and note how often it fails
4. **Check** that the rest of the suite and the linters still pass
5. **Report** in your final message: the failure output, the failure rate, and answers to the comprehension's open questions that the test settled
6. **Check off** each acceptance criterion in \`{{spec.path}}\` by changing \`- [ ]\` to \`- [x]\`
7. **Commit** with message: \`chant({{spec.id}}): <description>\`
8. **Verify git status is clean** so that no uncommitted changes remain
`,

    'root-cause': `---
name: root-cause
purpose: Research phase 3. Explain why a reproduced bug happens and choose a fix approach
extends: research
---

{{> research}}

## Phase Guidance: Root Cause

The question for this phase is **"why exactly does this happen, and what is the right fix?"**
The reproduction test is your ground truth. Every claim about the mechanism must be consistent
with what the test shows.

1. Run the reproduction test and keep its output.
2. Trace the failing path from the entry point to the point where things go wrong, function by
   function, with \`path:line\` references.
3. Show the failure as a concrete sequence of states or a timeline (for a race, the interleaving
   of the actors). Confirm it with temporary instrumentation if needed, then revert that.
4. Explain why nothing reported an error, and why the existing tests did not catch it.
5. Use \`git log\` and \`git blame\` to find when the behaviour was introduced and what was
   assumed at the time.
6. Compare at least three fix approaches. For each, cover correctness (does it close the problem
   completely?), portability, cost (latency, complexity, new dependencies) and user-visible changes.
7. Recommend one approach and be explicit about what it does **not** fix.

Write the document with these sections:

1. **Summary.** The root cause in two or three sentences, and the recommended fix.
2. **Reproduction recap.** The command and the relevant output.
3. **Mechanism.** The traced path, then the timeline.
4. **Why it went unnoticed.** Missing errors, test gaps, misleading docs or comments.
5. **Fix options.** A comparison table, then a short discussion of each option.
6. **Recommendation.** The chosen approach, why it beats the others, and what it does not fix.
7. **Open questions.** Anything the impact map or the fix must settle.

If the evidence contradicts the leading hypothesis from comprehension, say so clearly. A
refuted hypothesis is a result, not a failure.
`,

    'impact-map': `---
name: impact-map
purpose: Research phase 4. Find every place affected by a root cause before fixing it
extends: research
---

{{> research}}

## Phase Guidance: Impact Map

The root cause names a faulty pattern. The question for this phase is **"where else does that
pattern occur, and what will the recommended fix touch?"** A fix that repairs only the code path
in the report is an incomplete fix.

1. State the pattern precisely, in terms you can search for.
2. Find every instance. Search the whole repository, not just the module in the report: the
   functions involved, every caller of them, and every other place that touches the same state.
   Include tests, examples and docs.
3. Classify each instance as **affected** (same bug), **affected differently** (another failure
   mode of the same cause), or **safe** (with the reason).
4. For each affected instance, describe what the recommended fix must change there.
5. List the consequences of the fix: behaviour changes users will notice, compatibility (formats,
   older versions running side by side), performance, and platform differences.
6. List the tests to add or change, and the docs and changelog entries to write.

Write the document with these sections:

1. **Pattern.** What is being searched for, and how you searched (the exact commands).
2. **Call sites.** A table with location (\`path:line\`), operation, classification and required
   change.
3. **Consequences of the fix.** Behaviour, compatibility, performance, platforms.
4. **Tests.** What to add or change, and which existing tests must keep passing unchanged.
5. **Documentation.** Files and sections to update, plus a draft changelog entry.
6. **Fix checklist.** An ordered list the fix phase can follow step by step.
`,

    fix: `---
name: fix
purpose: Fork Fix phase. Implement the fix that the research phases chose
extends: standard
---

{{> standard}}

## This Fix Follows a Research Chain

This spec is the last phase of an investigation. The decisions were made in earlier phases. Your
job is to carry them out completely and faithfully, not to redesign them.

### Read the research first

The spec's \`## Inputs\` section lists the root cause and impact map documents under
\`.chant/research/\`. If they are not in your working directory, read them from the main checkout:

${MAIN_CHECKOUT}

### Rules

- **Implement the approach the root cause recommends.** If you find that it cannot work, stop
  without committing and explain why in your final message. A run without commits fails, which
  is the right outcome: the maintainer will revisit the root cause. Do not improvise another design.
- **Fix every call site the impact map marks as affected**, not only the one from the report.
- **The reproduction test is the contract.** It must pass without being edited, weakened,
  retried or ignored. Run it at least 10 times.
- **Add tests** for the other affected call sites named in the impact map.
- **Update the docs** the impact map lists. Describe the guarantee and its limits; do not
  overstate it.
- **Keep the diff reviewable.** A maintainer turns this branch into an upstream pull request.
  Avoid drive-by refactors, and add dependencies only if the root cause recommended them.

### Final message

Summarize what changed at each call site, the tests you added, the reproduction test results
(runs and passes), and anything the research got wrong or did not anticipate.
`,

    'upstream-pr': `---
name: upstream-pr
purpose: Upstream PR phase. Draft the pull request text for a human to review and submit
extends: research
---

{{> research}}

## Phase Guidance: Upstream PR

This phase is a **human gate**. A maintainer opens the upstream pull request; you only prepare
it. Do not push branches, open pull requests, comment on issues or change code.

1. Read every research document of the investigation and the fix branch's diff
   (\`git log -p <main branch>..<fix branch>\`).
2. Check that the fix is merged into the main branch of this repository and that the
   reproduction test passes there. If not, stop and say so.
3. Follow the upstream project's contribution rules (CONTRIBUTING, PR template, commit message
   conventions, DCO or CLA requirements) and say which ones apply.

Write the document with these sections:

1. **Title.** One line, in the upstream project's style.
2. **Description.** The problem (linking the issue), the root cause in two sentences, the fix
   and why it was chosen over the alternatives, and what it deliberately does not change.
3. **Testing.** The reproduction test before and after, the other tests added, how to run them.
4. **Compatibility and risk.** From the impact map: behaviour changes, platforms, performance.
5. **Checklist for the maintainer.** What to verify by hand before submitting.
`,
  };
}

// ---------------------------------------------------------------------------------------------
// Writing the scaffold
