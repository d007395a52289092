// The GitHub Actions workflow the `actions` runner dispatches (`.github/workflows/chant-work.yml`):
// one job that checks out the spec's branch, installs the agent CLI, writes the prompt and spec the
// extension assembled (exactly what a local run would get, sent as the `request` input), runs the
// agent, pushes the branch with the agent's commits and uploads the stream log, exit status and
// the agent's copy of the spec as the `chant-run` artifact.
//
// Every value that comes from a dispatch (spec id, branch, model, the request) reaches the job's
// shell through `env:` and is used as a quoted variable; no `${{ }}` expression appears inside a
// `run:` script, so an input can never become shell code. The first line is a version marker, so
// the extension can tell a missing, outdated or hand-edited workflow. No `vscode` import.

/** Where the workflow lives in the repository. */
export const ACTIONS_WORKFLOW_PATH = '.github/workflows/chant-work.yml';
export const ACTIONS_WORKFLOW_NAME = 'chant-work.yml';
/** The artifact each run uploads (stream.jsonl, exit-code, spec.md, outputs/). */
export const ACTIONS_ARTIFACT = 'chant-run';
/** Bumped whenever the generated job changes in a way an older file cannot serve. */
export const ACTIONS_WORKFLOW_VERSION = 1;
const MARKER = '# chant-work-workflow: version';

/** An agent CLI the workflow can install and run (ACTIONS_AGENTS in ../runs/agents/actions.ts, from each adapter). */
export interface ActionsAgent {
  id: string;
  label: string;
  /** The program the job runs. */
  program: string;
  /** How the job installs it when the runner does not have it (a self-hosted runner may). */
  install: string;
  /** The repository secret holding its API key, passed to the agent step only. */
  secret: string;
  /** The environment variables the agent reads the key from. */
  keyEnv: readonly string[];
  /**
   * The agent's command, a bash line that may use `$CHANT_PROMPT_FILE` and the array `model_args`
   * (`--model <model>` when a model was given); it prints the agent's machine-readable output.
   */
  command: string;
}

export interface ActionsWorkflowOptions {
  /**
   * `runs-on`: one label (`ubuntu-latest`) or several a self-hosted runner must all carry
   * (`self-hosted, linux, x64`).
   */
  runsOn: readonly string[];
  /** The agents the workflow offers; the first is the default. */
  agents: readonly ActionsAgent[];
  /** The job's time limit. */
  timeoutMinutes?: number;
}

export class ActionsWorkflowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionsWorkflowError';
  }
}

/** `ubuntu-latest` or `self-hosted, linux` (a setting) as runner labels. */
export function runnerLabels(setting: string | readonly string[] | undefined): string[] {
  const raw = typeof setting === 'string' ? setting.split(',') : [...(setting ?? [])];
  const labels = raw.map((l) => String(l).trim()).filter(Boolean);
  return labels.length > 0 ? labels : ['ubuntu-latest'];
}

/** A runner label as GitHub accepts it; anything else is refused rather than quoted into YAML. */
function checkLabel(label: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(label)) throw new ActionsWorkflowError(`"${label}" is not a runner label (letters, digits, ".", "_" and "-"): check chant.actions.runsOn.`);
  return label;
}

// The prepare step's script (run by node from a quoted heredoc, so bash expands nothing in it).
// It decodes the request, writes the prompt outside the checkout, writes the files the extension
// sent (the spec as the main checkout has it, drafts git does not carry), each confined to the
// checkout and never through a link, and lists the outputs the collect step brings back.
const PREPARE_SCRIPT = String.raw`const fs = require('fs');
const path = require('path');
const out = path.join(process.env.RUNNER_TEMP, 'chant-run');
const request = JSON.parse(fs.readFileSync(path.join(process.env.RUNNER_TEMP, 'chant-request.json'), 'utf8'));
if (request.version !== 1) throw new Error('This request needs a newer workflow: run "Chant: Set Up GitHub Actions" and push the workflow.');
if (request.spec !== process.env.CHANT_SPEC_ID) throw new Error('The request is for another spec.');
const root = fs.realpathSync(process.cwd());
function inside(rel) {
  if (typeof rel !== 'string' || rel === '' || path.isAbsolute(rel) || rel.split(/[\\/]/).includes('..')) throw new Error('Refusing the path ' + JSON.stringify(rel));
  const file = path.join(root, rel);
  let dir = root;
  for (const part of path.relative(root, path.dirname(file)).split(path.sep).filter(Boolean)) {
    dir = path.join(dir, part);
    const stat = fs.lstatSync(dir, { throwIfNoEntry: false });
    if (stat && !stat.isDirectory()) throw new Error('Refusing to write through ' + JSON.stringify(path.relative(root, dir)));
  }
  const stat = fs.lstatSync(file, { throwIfNoEntry: false });
  if (stat && !stat.isFile()) throw new Error('Refusing to replace ' + JSON.stringify(rel));
  return file;
}
fs.writeFileSync(path.join(process.env.RUNNER_TEMP, 'chant-prompt.md'), request.prompt);
for (const entry of request.files || []) {
  const file = inside(entry.path);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, entry.text);
}
if (request.silent) fs.appendFileSync(path.join(root, '.git', 'info', 'exclude'), '\n.chant/\n');
const outputs = (request.outputs || []).filter((rel) => { try { inside(rel); return true; } catch { return false; } });
fs.writeFileSync(path.join(out, 'outputs.txt'), outputs.map((o) => o + '\n').join(''));`;

/** The workflow file for these options. */
export function actionsWorkflow(options: ActionsWorkflowOptions): string {
  const labels = options.runsOn.map(checkLabel);
  if (labels.length === 0) throw new ActionsWorkflowError('chant.actions.runsOn names no runner label.');
  const agents = options.agents.map((agent) => {
    // Ids, programs and secret names go into YAML and expressions unquoted: only plain words.
    const words = [agent.id, agent.program, agent.secret, ...agent.keyEnv];
    if (!words.every((w) => /^[A-Za-z0-9_-]+$/.test(w)) || /[\n\r]/.test(agent.install + agent.command)) throw new ActionsWorkflowError(`The agent "${agent.id}" cannot be written into a workflow.`);
    return agent;
  });
  if (agents.length === 0) throw new ActionsWorkflowError('The workflow needs at least one agent.');
  const runsOn = labels.length === 1 ? labels[0] : `[${labels.join(', ')}]`;
  const timeout = Math.max(5, Math.min(360, Math.floor(options.timeoutMinutes ?? 120)));
  const indent = (text: string, by: string): string => text.split('\n').map((l) => (l ? by + l : l)).join('\n');
  const agentSteps = agents.flatMap((agent) => [
    `      - name: Install ${agent.label}`,
    `        if: inputs.agent == '${agent.id}'`,
    `        shell: bash`,
    `        run: command -v ${agent.program} >/dev/null 2>&1 || ${agent.install}`,
    `      - name: Run ${agent.label}`,
    `        if: inputs.agent == '${agent.id}'`,
    `        shell: bash`,
    `        env:`,
    ...agent.keyEnv.map((name) => `          ${name}: \${{ secrets.${agent.secret} }}`),
    `        run: |`,
    `          model_args=()`,
    `          if [ -n "$CHANT_MODEL" ]; then model_args=(--model "$CHANT_MODEL"); fi`,
    `          set +e`,
    `          ${agent.command} | tee "$RUNNER_TEMP/chant-run/stream.jsonl"`,
    `          echo "\${PIPESTATUS[0]}" > "$RUNNER_TEMP/chant-run/exit-code"`,
  ]);
  return [
    `${MARKER} ${ACTIONS_WORKFLOW_VERSION}`,
    '# Written by Chant for VS Code ("Chant: Set Up GitHub Actions"); the extension dispatches it to work a',
    '# spec on GitHub Actions. Rewrite it with that command rather than by hand.',
    `# Secrets: ${agents.map((a) => `${a.secret} (${a.label})`).join(', ')}.`,
    'name: Chant work',
    "run-name: chant ${{ inputs.spec }} (${{ inputs.dispatch }})",
    'on:',
    '  workflow_dispatch:',
    '    inputs:',
    '      spec:',
    '        description: Spec id (.chant/specs/<id>.md)',
    '        type: string',
    '        required: true',
    '      branch:',
    '        description: The spec branch the agent commits to',
    '        type: string',
    '        required: true',
    '      agent:',
    '        description: Agent CLI',
    '        type: choice',
    `        options: [${agents.map((a) => a.id).join(', ')}]`,
    `        default: ${agents[0].id}`,
    '      model:',
    '        description: Model passed to the agent (empty for its default)',
    '        type: string',
    "        default: ''",
    '      dispatch:',
    '        description: Tells the extension which run it started',
    '        type: string',
    '        required: true',
    '      request:',
    '        description: The prompt and spec, gzip and base64 (written by the extension)',
    '        type: string',
    '        required: true',
    'permissions:',
    '  contents: write',
    'concurrency:',
    '  group: chant-work-${{ inputs.spec }}',
    '  cancel-in-progress: false',
    'jobs:',
    '  work:',
    '    name: Work ${{ inputs.spec }}',
    `    runs-on: ${runsOn}`,
    `    timeout-minutes: ${timeout}`,
    '    env:',
    '      CHANT_SPEC_ID: ${{ inputs.spec }}',
    '      CHANT_BRANCH: ${{ inputs.branch }}',
    '      CHANT_MODEL: ${{ inputs.model }}',
    '    steps:',
    '      - name: Check out the spec branch',
    '        uses: actions/checkout@v4',
    '        with:',
    '          ref: ${{ inputs.branch }}',
    '          fetch-depth: 0',
    '      - name: Set up Node.js',
    '        uses: actions/setup-node@v4',
    '        with:',
    "          node-version: '20'",
    '      - name: Prepare the run',
    '        id: prepare',
    '        shell: bash',
    '        env:',
    '          CHANT_REQUEST: ${{ inputs.request }}',
    '        run: |',
    '          set -euo pipefail',
    '          case "$CHANT_SPEC_ID" in ""|.*|*[!A-Za-z0-9._-]*) echo "Invalid spec id" >&2; exit 1;; esac',
    '          git check-ref-format --branch "$CHANT_BRANCH" >/dev/null',
    '          mkdir -p "$RUNNER_TEMP/chant-run"',
    '          printf \'%s\' "$CHANT_REQUEST" | base64 -d | gunzip > "$RUNNER_TEMP/chant-request.json"',
    '          git rev-parse HEAD > "$RUNNER_TEMP/chant-run/base"',
    '          git config user.name "github-actions[bot]"',
    '          git config user.email "41898282+github-actions[bot]@users.noreply.github.com"',
    "          node - <<'CHANT_PREPARE'",
    indent(PREPARE_SCRIPT, '          '),
    '          CHANT_PREPARE',
    '          echo "CHANT_PROMPT_FILE=$RUNNER_TEMP/chant-prompt.md" >> "$GITHUB_ENV"',
    ...agentSteps,
    '      - name: Push the spec branch',
    "        if: always() && steps.prepare.outcome == 'success'",
    '        shell: bash',
    '        run: |',
    '          if [ "$(git rev-parse HEAD)" != "$(cat "$RUNNER_TEMP/chant-run/base")" ]; then',
    '            git push origin "HEAD:refs/heads/$CHANT_BRANCH"',
    '          fi',
    "      - name: Collect the run's record",
    "        if: always() && steps.prepare.outcome == 'success'",
    '        shell: bash',
    '        run: |',
    '          out="$RUNNER_TEMP/chant-run"',
    '          if [ -f ".chant/specs/$CHANT_SPEC_ID.md" ] && [ ! -L ".chant/specs/$CHANT_SPEC_ID.md" ]; then cp ".chant/specs/$CHANT_SPEC_ID.md" "$out/spec.md"; fi',
    '          while IFS= read -r f; do',
    '            if [ -f "$f" ] && [ ! -L "$f" ] && git check-ignore -q -- "$f"; then mkdir -p "$out/outputs/$(dirname "$f")" && cp "$f" "$out/outputs/$f"; fi',
    '          done < "$out/outputs.txt"',
    '          git status --porcelain > "$out/uncommitted.txt" || true',
    '      - name: Upload the run record',
    '        if: always()',
    '        uses: actions/upload-artifact@v4',
    '        with:',
    `          name: ${ACTIONS_ARTIFACT}`,
    '          path: ${{ runner.temp }}/chant-run/',
    '          include-hidden-files: true',
    '          if-no-files-found: warn',
    '          retention-days: 7',
    "      - name: Report the agent's exit status",
    '        shell: bash',
    '        run: exit "$(cat "$RUNNER_TEMP/chant-run/exit-code" 2>/dev/null || echo 1)"',
    '',
  ].join('\n');
}

export type WorkflowState = { kind: 'missing' } | { kind: 'foreign' } | { kind: 'outdated'; version: number } | { kind: 'differs' } | { kind: 'current' };

/**
 * What a repository's workflow file is, compared with the one these options would write: missing,
 * not ours (no marker: never overwritten without asking), an older version (dispatching it fails
 * or misbehaves), ours but written with other settings (it still works), or current.
 */
export function workflowState(text: string | undefined, expected: string): WorkflowState {
  if (text === undefined) return { kind: 'missing' };
  const marker = new RegExp(`^${MARKER.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (\\d+)\\s*$`, 'm').exec(text.split(/\r?\n/, 1)[0]);
  if (!marker) return { kind: 'foreign' };
  const version = Number(marker[1]);
  if (version !== ACTIONS_WORKFLOW_VERSION) return { kind: 'outdated', version };
  return text.replace(/\r\n/g, '\n') === expected ? { kind: 'current' } : { kind: 'differs' };
}
