// chant's own lint in the editor. With the chant CLI available (chant.cliPath or `chant` on PATH) and
// the workspace trusted, saving a spec runs `chant lint -f json` in its project (debounced, one
// process per project at a time, killed after a time limit) and shows what chant says as
// diagnostics with source `chant lint`; the built-in copies of those rules then step aside for that
// project. Without the CLI the built-in rules (src/core/project/chantLint.ts) report the same
// findings as you type. A lens at the top of a spec still to be worked shows chant's quality grade
// (Quality 🟢 Ready / 🟡 Review / 🔴 Refine), computed as chant computes it: its JSON does not carry
// the grade. It names a grade, not a state, and leaves specs that are done or being worked alone, so
// the state lens beside it is the one state the spec has.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { relativeBelow } from '../core/project/insideFolder';
import {
  cliFindingsToShow,
  parseCliLintJson,
  qualityGrade,
  specBody,
  TRAFFIC_LIGHT_LABELS,
  type CliLintDiagnostic,
  type QualityGrade,
} from '../core/project/chantLint';
import type { Spec } from '../core/spec/types';
import { Disposable } from '../lifecycle';
import { log } from '../log';
import { findOnPath } from '../workspace/executables';
import { SPEC_SELECTOR, type SpecDocuments } from './specDocuments';
import type { RunningSpecs } from './codeLens';
import { settings } from '../settings';

/** Saves closer together than this lint once. */
const SAVE_DELAY_MS = 400;
/** chant lint reads every spec of the project; a hung process is killed after this long. */
const TIME_LIMIT_MS = 20_000;

/** Project roots whose chant rules the CLI reports now (read by the built-in diagnostics). */
const coveredRoots = new Set<string>();
const coverageEmitter = new vscode.EventEmitter<void>();
/** Fires when a project starts or stops being linted by the CLI. */
export const onDidChangeCliLintCoverage = coverageEmitter.event;

/** True while `chant lint` reports chant's rules for the project at `root`. */
export function cliLintCovers(root: string): boolean {
  return coveredRoots.has(root);
}

/** The chant executable chant.cliPath names or PATH holds, as an absolute path; undefined without one. */
export async function findChantCli(): Promise<string | undefined> {
  const configured = settings.cliPath.value;
  return findOnPath(configured || 'chant');
}

export class ChantCliLint extends Disposable implements vscode.CodeLensProvider {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('chant lint'));
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Per project root: the run in progress, and whether another was asked for meanwhile. */
  private readonly running = new Map<string, { again: boolean; done: Promise<void> }>();
  private readonly lensEmitter = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.lensEmitter.event;

  constructor(
    private readonly documents: SpecDocuments,
    private readonly runs?: RunningSpecs,
  ) {
    super();
    this._register(vscode.workspace.onDidSaveTextDocument((document) => this.schedule(document)));
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.lintOpenProjects()));
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (settings.cliPath.affectedBy(event)) this.lintOpenProjects();
      }),
    );
    this._register(documents.projects.onDidChange(() => this.lensEmitter.fire()));
    if (runs) this._register(runs.onDidChange(() => this.lensEmitter.fire()));
    this._register({
      dispose: () => {
        this.timers.forEach((timer) => clearTimeout(timer));
        coveredRoots.clear();
        coverageEmitter.fire();
      },
    });
    documents.projects.ready().then(
      () => this.lintOpenProjects(),
      () => undefined,
    );
  }

  /** Lints the project of `document` now (tests, and callers that just wrote specs). Resolves when the run ends. */
  async lintNow(document: vscode.TextDocument): Promise<void> {
    const root = (await this.documents.get(document))?.index.paths.root;
    if (root) await this.run(root);
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const specDocument = this.documents.peek(document);
    if (!specDocument || specDocument.spec.archived) return [];
    const { spec, text, layout, index } = specDocument;
    // A grade is about working the spec: none on one that is finished or being worked.
    if (['completed', 'cancelled', 'in_progress'].includes(spec.status) || this.runs?.isRunning(spec.id, index.paths.root)) return [];
    const body = specBody(text);
    const grade = qualityGrade(spec, body);
    const line = layout.openingLine ?? 0;
    return [new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title: gradeTitle(grade), tooltip: gradeTooltip(grade, qualityGrade(spec, body, 'work')), command: '' })];
  }

  private lintOpenProjects(): void {
    const roots = new Set<string>();
    for (const document of vscode.workspace.textDocuments) {
      const root = this.documents.peek(document)?.index.paths.root;
      if (root) roots.add(root);
    }
    for (const root of roots) this.run(root).catch((error: unknown) => log.error(`chant lint failed: ${String(error)}`));
  }

  private schedule(document: vscode.TextDocument): void {
    const specDocument = this.documents.peek(document);
    if (!specDocument) return;
    const root = specDocument.index.paths.root;
    const timer = this.timers.get(root);
    if (timer) clearTimeout(timer);
    this.timers.set(
      root,
      setTimeout(() => {
        this.timers.delete(root);
        this.run(root).catch((error: unknown) => log.error(`chant lint failed: ${String(error)}`));
      }, SAVE_DELAY_MS),
    );
  }

  /** One process per project: a request during a run makes exactly one more run after it. */
  private async run(root: string): Promise<void> {
    const current = this.running.get(root);
    if (current) {
      current.again = true;
      return current.done;
    }
    const state = { again: false, done: Promise.resolve() };
    state.done = (async () => {
      try {
        do {
          state.again = false;
          await this.lintOnce(root);
        } while (state.again);
      } finally {
        this.running.delete(root);
      }
    })();
    this.running.set(root, state);
    return state.done;
  }

  private async lintOnce(root: string): Promise<void> {
    const cli = vscode.workspace.isTrusted ? await findChantCli() : undefined;
    const findings = cli ? await runChantLint(cli, root) : undefined;
    if (!findings) {
      // No CLI, no trust, or output chant did not mean for us: the built-in rules speak alone.
      this.clear(root);
      return;
    }
    const index = this.documents.projects.projects().find((p) => p.paths.root === root);
    const bySpec = new Map<string, CliLintDiagnostic[]>();
    for (const finding of cliFindingsToShow(findings)) bySpec.set(finding.specId, [...(bySpec.get(finding.specId) ?? []), finding]);
    this.collection.forEach((uri) => {
      if (relativeBelow(root, uri.fsPath) !== undefined) this.collection.delete(uri);
    });
    for (const [id, list] of bySpec) {
      const spec = index?.specs.get(id);
      const file = spec?.path ?? path.join(root, '.chant', 'specs', `${id}.md`);
      this.collection.set(vscode.Uri.file(file), list.map((finding) => toDiagnostic(finding, spec)));
    }
    if (!coveredRoots.has(root)) {
      coveredRoots.add(root);
      coverageEmitter.fire();
    }
  }

  private clear(root: string): void {
    this.collection.forEach((uri) => {
      if (relativeBelow(root, uri.fsPath) !== undefined) this.collection.delete(uri);
    });
    if (coveredRoots.delete(root)) coverageEmitter.fire();
  }
}

/**
 * Runs `chant lint -f json` in `root` (chant resolves `.chant/` against its cwd). chant exits 1 when
 * it found errors, so the exit status says nothing; the output does. Undefined when it did not answer
 * with its JSON report in time.
 */
export function runChantLint(cli: string, root: string, timeLimitMs = TIME_LIMIT_MS): Promise<CliLintDiagnostic[] | undefined> {
  return new Promise((resolve) => {
    execFile(
      cli,
      ['lint', '-f', 'json'],
      { cwd: root, timeout: timeLimitMs, killSignal: 'SIGKILL', maxBuffer: 32 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', CLICOLOR: '0' } },
      (error, stdout) => {
        const parsed = parseCliLintJson(String(stdout));
        if (!parsed && error) log.warn(`chant lint in ${root}: ${error.message}`);
        resolve(parsed);
      },
    );
  });
}

function toDiagnostic(finding: CliLintDiagnostic, spec: Spec | undefined): vscode.Diagnostic {
  // chant names the spec, not a place in it: the title line (or the first line) stands for the file.
  const line = spec?.titleLine ?? 0;
  const message = finding.suggestion ? `${finding.message} (${finding.suggestion})` : finding.message;
  const diagnostic = new vscode.Diagnostic(
    new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER),
    message,
    finding.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  diagnostic.source = 'chant lint';
  diagnostic.code = finding.rule;
  return diagnostic;
}

export function gradeTitle(grade: QualityGrade): string {
  const weak = (['complexity', 'confidence', 'splittability', 'acQuality'] as const).filter((k) => grade[k] === 'C' || grade[k] === 'D');
  const names = { complexity: vscode.l10n.t('Complexity'), confidence: vscode.l10n.t('Confidence'), splittability: vscode.l10n.t('Splittable'), acQuality: vscode.l10n.t('Criteria') };
  const light = TRAFFIC_LIGHT_LABELS[grade.trafficLight];
  return grade.trafficLight === 'ready'
    ? vscode.l10n.t('Quality {0}', light)
    : vscode.l10n.t('Quality {0} ({1})', light, weak.map((k) => `${names[k]} ${grade[k]}`).join(', '));
}

/** The lens shows what `chant lint` prints; `chant work` grades with its own copy, which counts an empty criterion. */
function gradeTooltip(grade: QualityGrade, work: QualityGrade): string {
  const lines = [
    vscode.l10n.t("chant's quality grade: Complexity {0} · Confidence {1} · Splittable {2} · Criteria {3}", grade.complexity, grade.confidence, grade.splittability, grade.acQuality),
    ...grade.suggestions.map((s) => `→ ${s}`),
  ];
  if (work.trafficLight !== grade.trafficLight) lines.push(vscode.l10n.t('chant work grades it {0}: it counts an empty criterion that chant lint skips.', TRAFFIC_LIGHT_LABELS[work.trafficLight]));
  if (work.trafficLight === 'refine') lines.push(vscode.l10n.t('chant work asks "Continue anyway?" before working a 🔴 Refine spec, and refuses it when no terminal can answer (unless --skip-criteria).'));
  return lines.join('\n');
}

/** Everything this module adds to the editor, for `context.subscriptions`. */
export function registerChantCliLint(documents: SpecDocuments, runs?: RunningSpecs): vscode.Disposable[] {
  const lint = new ChantCliLint(documents, runs);
  return [lint, vscode.languages.registerCodeLensProvider(SPEC_SELECTOR, lint)];
}
