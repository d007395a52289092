// What a research phase produced, for Review Changes. Its real output is a document under
// `.chant/` (`target_files`), which in silent mode (and whenever git does not track it) never shows
// in the branch's diff. So before an agent runs, the spec's existing `.chant/` documents are copied
// to `.chant/tmp/review/<id>/` (the scratch folder, never committed); afterwards each document is
// either new (no copy), changed (differs from its copy: a diff against it) or untouched (skipped).
// Only paths inside the project are read or written (containment). No `vscode` import.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ensureProjectDir, readProjectFile, writeProjectFile } from '../project/safeFiles';
import { ProjectFiles } from '../project/containment';
import type { Spec } from '../spec/types';

/** The spec's documents under `.chant/` (not its own spec file, not the scratch folder). */
export function chantDocumentsOf(spec: Pick<Spec, 'targetFiles'>): string[] {
  return spec.targetFiles
    .map((t) => t.trim().replace(/^\.\//, ''))
    .filter((t) => t.startsWith('.chant/') && !t.startsWith('.chant/tmp/') && !t.startsWith('.chant/specs/'));
}

/** Where the copies taken before a run of `id` are kept. */
export function snapshotDir(root: string, id: string): string {
  return path.join(root, '.chant', 'tmp', 'review', id.replace(/[^A-Za-z0-9._-]/g, '_'));
}

/** Copies the spec's existing `.chant/` documents aside before a run (the copies of an earlier run are dropped). */
export async function snapshotDocuments(root: string, spec: Pick<Spec, 'id' | 'targetFiles'>): Promise<string[]> {
  const dir = snapshotDir(root, spec.id);
  // Checked first: removing `.chant/tmp/review/<id>` through a linked `.chant/tmp` would delete a
  // folder elsewhere (a LinkRefusedError stops the run before anything).
  await ensureProjectDir(root, path.dirname(dir));
  await fs.rm(dir, { recursive: true, force: true });
  const files = new ProjectFiles(root);
  const kept: string[] = [];
  for (const entry of chantDocumentsOf(spec)) {
    const read = await files.read(entry);
    if (read.kind !== 'read') continue;
    await writeProjectFile(root, path.join(dir, read.relative), read.text);
    kept.push(read.relative);
  }
  // An empty marker says "a run started here": a document without a copy is then new.
  await ensureProjectDir(root, dir);
  return kept;
}

export interface DocumentChange {
  /** Project-relative path. */
  relative: string;
  /** The document's real path. */
  file: string;
  /** Its copy from before the run; absent when the run created it. */
  before?: string;
}

/**
 * The spec's `.chant/` documents the last run wrote: changed against their copy, or new (no copy).
 * Without a run of this extension there are no copies, and every existing document counts as new.
 */
export async function documentChanges(root: string, spec: Pick<Spec, 'id' | 'targetFiles'>): Promise<DocumentChange[]> {
  const dir = snapshotDir(root, spec.id);
  const files = new ProjectFiles(root);
  const changes: DocumentChange[] = [];
  for (const entry of chantDocumentsOf(spec)) {
    const read = await files.read(entry);
    if (read.kind !== 'read') continue;
    const copy = path.join(dir, read.relative);
    // A copy is ours only when it is a regular file reached through real folders.
    const before = await readProjectFile(root, copy).catch(() => undefined);
    if (before === read.text) continue;
    changes.push({ relative: read.relative, file: read.real, ...(before === undefined ? {} : { before: copy }) });
  }
  return changes;
}
