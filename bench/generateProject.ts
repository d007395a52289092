// Deterministic, realistic chant projects for the benchmark. The mix is drawn from the real corpus
// (../shared/corpus, 467 files written by chant): about a fifth archived, file sizes with a median
// near 2.8 kB (quartiles 1.4 kB and 6.4 kB, `## Agent Output` making up the long tail), an average
// of 1.5 target files, commits and completed_at on finished work, block lists with no indent, and
// `depends_on` on one spec in five. Live projects carry more open work and more relations than that
// history, so the generator adds investigations (an `issue-N` label plus a phase label), drivers
// with members, `informed_by` chains and a few approvals and legacy types. The same seed and size
// always give the same files.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { toBase36Sequence } from '../src/core/spec/ids';

export interface GeneratedProject {
  root: string;
  /** Every spec file written (active and archived), in generation order. */
  files: string[];
  active: number;
  archived: number;
  /** Investigation keys used (`issue-N`), for the graph benchmark. */
  investigations: string[];
}

/** mulberry32: tiny, fast and good enough for picking fixtures; the one seeded generator of the bench and the tests. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PHASE_LABELS = ['comprehension', 'reproduction', 'root-cause', 'impact-map', 'fix', 'upstream-pr'];
const OTHER_LABELS = ['docs', 'refactor', 'ux', 'work-engine', 'tests', 'migration', 'bug', 'cleanup', 'accuracy', 'safety'];
const MODELS = ['haiku', 'sonnet', 'opus'];
const WORDS = (
  'spec index parser chant agent branch merge worktree status ready blocked driver member phase ' +
  'research output commit review config prompt watcher tree graph cache update field label file ' +
  'test build release error message window editor command option value render layout node edge'
).split(' ');
const DIRS = ['src', 'src/core', 'src/cmd', 'src/git', 'docs', 'tests', '.github/workflows'];
const EXTS = ['.rs', '.ts', '.md', '.toml', '.yml'];

interface Draft {
  id: string;
  day: string;
  archived: boolean;
  text: string;
}

/** Writes a project of `size` spec files below `dir/.chant` and returns what it wrote. */
export function generateProject(dir: string, size: number, seed = 20260124): GeneratedProject {
  const drafts = draftSpecs(size, seed);
  const root = dir;
  const specsDir = path.join(root, '.chant', 'specs');
  const archiveDir = path.join(root, '.chant', 'archive');
  mkdirSync(specsDir, { recursive: true });
  mkdirSync(archiveDir, { recursive: true });
  writeFileSync(
    path.join(root, '.chant', 'config.md'),
    '---\nproject:\n  name: bench\ndefaults:\n  prompt: standard\n---\n# Benchmark project\n',
  );
  const files: string[] = [];
  const madeDays = new Set<string>();
  let archived = 0;
  for (const draft of drafts) {
    let file: string;
    if (draft.archived) {
      const folder = path.join(archiveDir, draft.day);
      if (!madeDays.has(draft.day)) {
        mkdirSync(folder, { recursive: true });
        madeDays.add(draft.day);
      }
      file = path.join(folder, `${draft.id}.md`);
      archived++;
    } else {
      file = path.join(specsDir, `${draft.id}.md`);
    }
    writeFileSync(file, draft.text);
    files.push(file);
  }
  const investigations = [...new Set(drafts.flatMap((d) => /issue-\d+/.exec(d.text)?.[0] ?? []))];
  return { root, files, active: files.length - archived, archived, investigations };
}

function draftSpecs(size: number, seed: number): Draft[] {
  const next = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const chance = (p: number): boolean => next() < p;
  const drafts: Draft[] = [];
  const ids: string[] = [];
  const start = Date.UTC(2024, 0, 1);
  let dayIndex = 0;
  let seqInDay = 0;
  let perDay = 10 + Math.floor(next() * 30);
  let issue = 1000;
  let investigationLeft = 0;
  let phase = 0;

  while (drafts.length < size) {
    if (seqInDay >= perDay) {
      dayIndex++;
      seqInDay = 0;
      perDay = 10 + Math.floor(next() * 30);
    }
    const day = new Date(start + dayIndex * 86400000).toISOString().slice(0, 10);
    const id = `${day}-${toBase36Sequence(seqInDay++)}-${randomSuffix(next)}`;
    // History is older: the first part of the project is mostly archived and completed.
    const age = drafts.length / size;
    const archived = age < 0.75 && chance(0.27);

    if (investigationLeft === 0 && chance(0.1)) {
      issue += 1 + Math.floor(next() * 40);
      investigationLeft = 6 + Math.floor(next() * 18);
      phase = 0;
    }
    const labels: string[] = [];
    if (investigationLeft > 0) {
      labels.push(`issue-${issue}`, PHASE_LABELS[Math.min(PHASE_LABELS.length - 1, phase)]);
      investigationLeft--;
      if (chance(0.3)) phase++;
    } else if (chance(0.15)) {
      labels.push(pick(OTHER_LABELS));
      if (chance(0.3)) labels.push(pick(OTHER_LABELS));
    }

    const isDriver = !archived && chance(0.03) && drafts.length + 3 < size;
    const type = isDriver
      ? chance(0.5) ? 'driver' : 'group'
      : pick(['code', 'code', 'code', 'code', 'code', 'code', 'code', 'code', 'documentation', 'research', 'task', 'code']);
    const status = archived || age < 0.6 ? (chance(0.95) ? 'completed' : 'cancelled') : openStatus(next);
    // Unmet and met dependencies on recent specs: one in four live specs, a few with several.
    const deps: string[] = [];
    if (ids.length > 0 && chance(0.25)) {
      const count = chance(0.8) ? 1 : 2 + Math.floor(next() * 3);
      for (let i = 0; i < count; i++) {
        const back = 1 + Math.floor(next() * Math.min(ids.length, 200));
        const dep = ids[ids.length - back];
        if (!deps.includes(dep)) deps.push(dep);
      }
    }
    const informed: string[] = [];
    if (ids.length > 0 && (type === 'research' || labels.length > 0) && chance(0.5)) {
      informed.push(`.chant/specs/${ids[ids.length - 1 - Math.floor(next() * Math.min(ids.length, 20))]}.md`);
      if (chance(0.4)) informed.push(`docs/${pick(WORDS)}-${pick(WORDS)}.md`);
      if (chance(0.1)) informed.push(`https://github.com/lex00/chant/issues/${issue}`);
    }
    const targets: string[] = [];
    const targetCount = type === 'research' ? 1 : Math.floor(next() * next() * 5);
    for (let i = 0; i < targetCount; i++) {
      targets.push(type === 'research' ? `.chant/research/${id}.md` : `${pick(DIRS)}/${pick(WORDS)}${pick(EXTS)}`);
    }

    const lines = ['---', `type: ${chance(0.004) ? 'docs' : type}`, `status: ${status}`];
    if (deps.length > 0) lines.push('depends_on:', ...deps.map((d) => `- ${d}`));
    if (labels.length > 0) lines.push('labels:', ...labels.map((l) => `- ${l}`));
    if (targets.length > 0) lines.push('target_files:', ...targets.map((t) => `- ${t}`));
    if (status === 'completed') {
      lines.push('commits:');
      const commits = chance(0.8) ? 1 : 2;
      for (let i = 0; i < commits; i++) lines.push(`- ${hex(next, 7)}`);
      lines.push(`completed_at: ${day}T${pad(Math.floor(next() * 24))}:${pad(Math.floor(next() * 60))}:00Z`);
      lines.push(`model: ${pick(MODELS)}`);
    } else if (status === 'in_progress') {
      lines.push(`branch: chant/${id}`);
    }
    if (informed.length > 0) lines.push('informed_by:', ...informed.map((i) => `- ${i}`));
    if (!archived && chance(0.02)) lines.push('approval:', '  required: true', `  status: ${chance(0.5) ? 'approved' : 'pending'}`);
    lines.push('---');
    const text = `${lines.join('\n')}\n${body(next, status === 'completed')}`;
    drafts.push({ id, day, archived, text });
    ids.push(id);

    if (isDriver) {
      // Members `<driver>.1` … `.n`, the later ones usually after the earlier ones in chant's order.
      const members = 2 + Math.floor(next() * 4);
      for (let m = 1; m <= members && drafts.length < size; m++) {
        const memberId = `${id}.${m}`;
        const memberStatus = m === 1 && chance(0.5) ? 'completed' : 'pending';
        const memberLines = ['---', 'type: code', `status: ${memberStatus}`];
        if (labels.length > 0) memberLines.push('labels:', ...labels.map((l) => `- ${l}`));
        memberLines.push('target_files:', `- ${pick(DIRS)}/${pick(WORDS)}${pick(EXTS)}`, '---');
        drafts.push({ id: memberId, day, archived: false, text: `${memberLines.join('\n')}\n${body(next, memberStatus === 'completed')}` });
        ids.push(memberId);
      }
    }
  }
  return drafts;
}

function openStatus(next: () => number): string {
  const r = next();
  if (r < 0.45) return 'completed';
  if (r < 0.8) return 'pending';
  if (r < 0.85) return 'blocked';
  if (r < 0.9) return 'in_progress';
  if (r < 0.93) return 'failed';
  if (r < 0.96) return 'cancelled';
  if (r < 0.98) return 'paused';
  return 'needs_attention';
}

function body(next: () => number, done: boolean): string {
  const sentence = (): string => {
    const n = 6 + Math.floor(next() * 14);
    const words: string[] = [];
    for (let i = 0; i < n; i++) words.push(WORDS[Math.floor(next() * WORDS.length)]);
    return `${words.join(' ')}.`;
  };
  const paragraph = (): string => {
    const n = 2 + Math.floor(next() * 4);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(sentence());
    return out.join(' ');
  };
  const parts = [`# ${sentence().slice(0, -1)}`, '', '## Overview', '', paragraph(), ''];
  const sections = Math.floor(next() * 3);
  for (let s = 0; s < sections; s++) parts.push(`## ${sentence().slice(0, 30)}`, '', paragraph(), '', paragraph(), '');
  parts.push('## Acceptance Criteria', '');
  const criteria = 2 + Math.floor(next() * 6);
  for (let i = 0; i < criteria; i++) parts.push(`- [${done ? 'x' : ' '}] ${sentence()}`);
  if (done && next() < 0.6) {
    // The long tail of real specs: a transcript excerpt with the closing fence glued on.
    parts.push('', '## Agent Output', '', '2026-01-25T09:58:00Z', '', '```');
    const outputLines = Math.floor(next() * next() * 80);
    for (let i = 0; i < outputLines; i++) parts.push(sentence());
    parts.push('done!```');
  }
  return `${parts.join('\n')}\n`;
}

function randomSuffix(next: () => number): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  let s = '';
  for (let i = 0; i < 3; i++) s += alphabet[Math.floor(next() * 36)];
  return s;
}

function hex(next: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += '0123456789abcdef'[Math.floor(next() * 16)];
  return s;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
