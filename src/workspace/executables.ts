// Finding the programs a run or a PR hands work to (`chant`, `gh`) on the extension host's PATH.
// The absolute path found here is what goes into the terminal's command line, so the program we
// checked for is the one that runs, whatever the terminal's shell profile does to PATH.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * The first executable `command` on PATH, as an absolute path, or undefined. On Windows each
 * PATHEXT extension is tried too (`gh` is `gh.exe` there). Only absolute PATH entries count: a
 * relative one (`.`, `bin`, `node_modules/.bin`) names a folder of whatever project is the current
 * one, so the repository would choose the program. A command with a `/` must be absolute.
 */
export async function findOnPath(command: string, envPath = process.env.PATH ?? '', platform = process.platform): Promise<string | undefined> {
  const extensions = platform === 'win32' ? ['', ...(process.env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean)] : [''];
  if (command.includes('/') || command.includes(path.sep)) {
    if (!path.isAbsolute(command)) return undefined;
    for (const ext of extensions) if (await isExecutable(command + ext)) return command + ext;
    return undefined;
  }
  for (const dir of absolutePathEntries(envPath)) {
    for (const ext of extensions) {
      const candidate = path.join(dir, command + ext);
      if (await isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** PATH's absolute entries, in order. */
export function absolutePathEntries(envPath = process.env.PATH ?? ''): string[] {
  return envPath.split(path.delimiter).filter((dir) => dir !== '' && path.isAbsolute(dir));
}

/** PATH's relative entries (an empty entry means the current folder too): Check Agent warns about them. */
export function relativePathEntries(envPath = process.env.PATH ?? ''): string[] {
  return envPath.split(path.delimiter).filter((dir) => !path.isAbsolute(dir)).map((dir) => (dir === '' ? '(empty: the current folder)' : dir));
}

async function isExecutable(file: string): Promise<boolean> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) return false;
  return fs.access(file, 1).then(() => true, () => false);
}

/** Runs `file --version` (10 s at most) and returns its first line, or undefined when it gives none. */
export function versionOf(file: string, timeoutMs = 10_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(file, ['--version'], { timeout: timeoutMs, killSignal: 'SIGKILL', env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      const text = `${String(stdout)}\n${String(stderr)}`;
      const line = text.split(/\r?\n/).map((l) => l.trim()).find(Boolean);
      resolve(error && !line ? undefined : line?.slice(0, 120));
    });
  });
}

/** The `terminal.integrated.env.<platform>` key for a Node platform. */
export function terminalEnvKey(platform = process.platform): 'windows' | 'osx' | 'linux' {
  return platform === 'win32' ? 'windows' : platform === 'darwin' ? 'osx' : 'linux';
}

/**
 * The PATH a new integrated terminal gets, where runs start their agents: the extension host's own,
 * unless `terminal.integrated.env.<platform>` sets PATH (VS Code resolves `${env:PATH}` in it to the
 * host's, and a null value removes the variable). In code-server the terminal's settings, not the
 * host's environment, decide what a run finds.
 */
export function terminalPathOf(
  hostPath: string,
  terminalEnv: Record<string, unknown> | undefined,
): { path: string; fromSetting: boolean } {
  if (!terminalEnv || !Object.prototype.hasOwnProperty.call(terminalEnv, 'PATH'))
    return { path: hostPath, fromSetting: false };
  const value = terminalEnv.PATH;
  if (value === null) return { path: '', fromSetting: true };
  if (typeof value !== 'string') return { path: hostPath, fromSetting: false };
  return {
    path: value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) =>
      name === 'PATH' ? hostPath : (process.env[name] ?? ''),
    ),
    fromSetting: true,
  };
}
