// Confining paths to folders. Spec text and webview messages are untrusted: a path they name is
// followed only when it stays inside the project (or a workspace folder), after `..` and symbolic
// links are resolved.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Whether `file` (absolute) is `folder` or lies below it, judged on the text of the paths. */
export function isInsideFolder(folder: string, file: string): boolean {
  const rel = path.relative(folder, file);
  // `..x` is a name inside the folder; only `..` itself or `../…` climbs out.
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** `file`'s path relative to `folder` when it lies strictly below it; undefined for `folder` itself and outside it. */
export function relativeBelow(folder: string, file: string): string | undefined {
  const rel = path.relative(folder, file);
  return rel !== '' && isInsideFolder(folder, file) ? rel : undefined;
}

/**
 * The absolute path of `file` (absolute, or relative to `root`) when it lies inside one of
 * `folders` after resolving `..` and symbolic links; undefined otherwise. A file that does not
 * exist yet is judged on its text alone.
 */
export function resolveInsideFolders(file: string, root: string, folders: readonly string[]): string | undefined {
  if (file.includes('\0')) return undefined;
  const absolute = path.resolve(root, file);
  if (!folders.some((folder) => isInsideFolder(folder, absolute))) return undefined;
  let real: string;
  try {
    real = fs.realpathSync(absolute);
  } catch {
    return absolute; // does not exist (yet): the lexical check above is all there is
  }
  const realFolders = folders.map((folder) => {
    try {
      return fs.realpathSync(folder);
    } catch {
      return folder;
    }
  });
  return realFolders.some((folder) => isInsideFolder(folder, real)) ? absolute : undefined;
}
