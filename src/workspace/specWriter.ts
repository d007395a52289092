// Writes an edit of a spec file made by the core's lossless editor. The file on disk is rewritten
// (after checking it did not change under us), and an editor showing it reloads as usual. Only when
// the file is open with unsaved changes does the edit go into that buffer instead, as a
// WorkspaceEdit of just the bytes that differ, so the user's text is kept and undo works; the buffer
// is left unsaved for the user to save.
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { writeFileAtomic } from '../core/project/atomicWrite';

export interface RewriteResult {
  changed: boolean;
  /** The buffer had unsaved changes, so the edit was applied but not saved. */
  leftUnsaved: boolean;
}

export async function rewriteSpecFile(file: string, transform: (text: string) => string): Promise<RewriteResult> {
  const uri = vscode.Uri.file(file);
  const dirty = vscode.workspace.textDocuments.find((doc) => doc.isDirty && doc.uri.scheme === 'file' && doc.uri.fsPath === uri.fsPath);
  if (dirty) {
    const before = dirty.getText();
    const after = transform(before);
    if (after === before) return { changed: false, leftUnsaved: true };
    const { start, end, insert } = minimalReplacement(before, after);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(dirty.positionAt(start), dirty.positionAt(end)), insert);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code refused to edit ${file}.`);
    return { changed: true, leftUnsaved: true };
  }
  const before = await fs.readFile(file, 'utf8');
  const after = transform(before);
  if (after === before) return { changed: false, leftUnsaved: false };
  // An agent or chant may write the same file; do not overwrite a change made while we computed ours.
  if ((await fs.readFile(file, 'utf8')) !== before) throw new Error(`${file} changed while it was being edited; try again.`);
  await writeFileAtomic(file, after);
  return { changed: true, leftUnsaved: false };
}

/** The smallest single replacement turning `before` into `after` (common prefix and suffix kept). */
export function minimalReplacement(before: string, after: string): { start: number; end: number; insert: string } {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  // Never cut through a CRLF or a surrogate pair: editor positions cannot point between them.
  while (start > 0 && isPairStart(before.charCodeAt(start - 1))) start--;
  let tail = 0;
  while (
    tail < max - start &&
    before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)
  )
    tail++;
  while (tail > 0 && isPairStart(before.charCodeAt(before.length - 1 - tail))) tail--;
  return { start, end: before.length - tail, insert: after.slice(start, after.length - tail) };
}

function isPairStart(code: number): boolean {
  return code === 0x0d || (code >= 0xd800 && code <= 0xdbff);
}
