// Finding the programs a run or a PR hands work to (`chant`, `gh`) on the extension host's PATH.
// The absolute path found here is what goes into the terminal's command line, so the program we
// checked for is the one that runs, whatever the terminal's shell profile does to PATH.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** The first executable `command` on PATH, or undefined. */
export async function findOnPath(command: string, envPath = process.env.PATH ?? ''): Promise<string | undefined> {
  if (command.includes('/')) return (await isExecutable(command)) ? command : undefined;
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, command);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutable(file: string): Promise<boolean> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) return false;
  return fs.access(file, 1).then(() => true, () => false);
}
