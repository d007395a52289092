// What Take Over writes about a direct run it stops: gathered from the run's branch (RunGit), its
// work folder, the agent's copy of the spec and the run's transcript (the stream file, or chant's
// log for a run recorded before stream files existed). No `vscode` import: unit tests gather it
// from real repositories after a scripted agent's run.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { cleanLine, transcriptText } from '../core/runs/agentStream';
import { readStreamTail } from '../core/runs/runFiles';
import { lastLogLines, TAKEOVER_LOG_LINES, type TakeoverSummary } from '../core/runs/takeoverSummary';
import { listCriteria } from '../core/spec/criteria';
import { RunGit } from '../git/runGit';
import type { RunPlan } from './directRun';

export async function gatherTakeoverSummary(plan: RunPlan, now: Date = new Date()): Promise<TakeoverSummary> {
  const git = await RunGit.open(plan.root);
  const topLevel = await git.topLevel();
  const commits = await git.commitSubjects(plan.branch, plan.base).catch(() => []);
  const filesChanged: TakeoverSummary['filesChanged'] = [];
  const seen = new Set<string>();
  for (const file of await git.changedFiles(plan.branch, plan.base).catch(() => [])) {
    if (seen.has(file.path)) continue;
    seen.add(file.path);
    filesChanged.push({ path: file.path });
  }
  // Uncommitted work in the run's folder (a worktree, or the project itself in checkout isolation);
  // the prompt's scratch folder and chant's logs are not the agent's work.
  const workTop = plan.isolation === 'worktree' ? path.join(plan.workDir, path.relative(plan.root, topLevel)) : topLevel;
  for (const file of await git.dirtyPaths(workTop).catch(() => [])) {
    if (seen.has(file) || /(^|\/)\.chant\/(tmp|logs)\//.test(file) || /(^|\/)\.chant\/specs\/\.chant-status-/.test(file)) continue;
    seen.add(file);
    filesChanged.push({ path: file, uncommitted: true });
  }

  const specText = (await fs.readFile(plan.workSpecFile, 'utf8').catch(() => undefined)) ?? (await fs.readFile(plan.specFile, 'utf8').catch(() => ''));
  const criteria = listCriteria(specText).items.map((c) => ({ text: c.text, checked: c.checked }));

  let lastMessages: string[] = [];
  let usage: TakeoverSummary['usage'];
  const stream = plan.streamFile ? await readStreamTail(plan.streamFile, plan.format ?? 'auto') : undefined;
  if (stream && stream.lines.length > 0) {
    lastMessages = transcriptText(stream.lines.slice(-TAKEOVER_LOG_LINES)).split('\n').filter(Boolean);
    // A stopped run has no result event: what the tail's messages add up to is the whole run only when nothing was cut.
    if (!stream.truncated || stream.reader.resultText !== undefined) usage = stream.reader.usage;
  } else {
    lastMessages = lastLogLines(await fs.readFile(plan.logFile, 'utf8').catch(() => ''));
  }
  return {
    takenAt: now,
    branch: plan.branch,
    workDir: cleanLine(plan.workDir, 500),
    commits,
    filesChanged,
    criteria,
    lastMessages,
    usage,
  };
}
