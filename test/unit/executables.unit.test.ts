// findOnPath (src/runs/executables.ts) against real files: the first executable on PATH, as an
// absolute path; directories and files without the executable bit are skipped.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findOnPath, relativePathEntries } from '../../src/workspace/executables';
import { makeTempDir, removeDir } from './tempRepo';

describe('findOnPath', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir('chant-path-');
    for (const sub of ['a', 'b', 'c']) fs.mkdirSync(path.join(dir, sub));
    fs.writeFileSync(path.join(dir, 'a', 'gh'), 'not executable\n', { mode: 0o644 });
    fs.mkdirSync(path.join(dir, 'b', 'gh')); // a directory named like the program
    fs.writeFileSync(path.join(dir, 'c', 'gh'), '#!/bin/sh\n', { mode: 0o755 });
  });
  afterEach(() => removeDir(dir));

  it('returns the first executable file on PATH, skipping non-executables and directories', async () => {
    const envPath = ['a', 'b', 'c'].map((sub) => path.join(dir, sub)).join(path.delimiter);
    assert.equal(await findOnPath('gh', envPath, 'linux'), path.join(dir, 'c', 'gh'));
    assert.equal(await findOnPath('chant', envPath, 'linux'), undefined);
    assert.equal(await findOnPath('gh', '', 'linux'), undefined);
  });

  it('ignores relative PATH entries and relative paths: from a project folder they would run its programs (issue 19, finding 9)', async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      assert.equal(await findOnPath('gh', `a${path.delimiter}c`, 'linux'), undefined);
      assert.equal(await findOnPath('gh', `c${path.delimiter}${path.join(dir, 'c')}`, 'linux'), path.join(dir, 'c', 'gh'));
      assert.equal(await findOnPath('./c/gh', '', 'linux'), undefined);
      assert.deepEqual(relativePathEntries(`/usr/bin${path.delimiter}.${path.delimiter}${path.delimiter}node_modules/.bin`), ['.', '(empty: the current folder)', 'node_modules/.bin']);
    } finally {
      process.chdir(cwd);
    }
  });

  it('tries the PATHEXT extensions on Windows', async () => {
    fs.writeFileSync(path.join(dir, 'a', 'chant.EXE'), '', { mode: 0o755 });
    assert.equal(await findOnPath('chant', path.join(dir, 'a'), 'win32'), path.join(dir, 'a', 'chant.EXE'));
    assert.equal(await findOnPath('chant', path.join(dir, 'a'), 'linux'), undefined);
  });
});
