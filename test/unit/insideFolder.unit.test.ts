// Paths from untrusted text (spec fields, webview messages) confined to the workspace folders, on a
// real file system with real symbolic links: a link inside the folder that leads out is refused.
import * as assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { isInsideFolder, relativeBelow, resolveInsideFolders } from '../../src/core/project/insideFolder';
import { makeTempDir, removeDir } from './tempRepo';

describe('insideFolder', () => {
  it('judges the text of a path: .. climbs out, a name starting with .. does not', () => {
    const root = path.join(path.sep, 'project');
    assert.equal(isInsideFolder(root, root), true);
    assert.equal(isInsideFolder(root, path.join(root, 'a', 'b.md')), true);
    assert.equal(isInsideFolder(root, path.join(root, '..notes.md')), true);
    assert.equal(isInsideFolder(root, path.join(root, '..')), false);
    assert.equal(isInsideFolder(root, path.join(root, '..', 'other', 'x.md')), false);
    assert.equal(isInsideFolder(root, path.join(path.sep, 'project-other', 'x.md')), false);
  });

  it('relativeBelow: the path below the folder, never the folder itself or anything outside it', () => {
    const root = path.join(path.sep, 'project');
    assert.equal(relativeBelow(root, path.join(root, 'a', 'b.md')), path.join('a', 'b.md'));
    assert.equal(relativeBelow(root, path.join(root, '..notes.md')), '..notes.md', 'a name starting with .. is inside');
    assert.equal(relativeBelow(root, root), undefined);
    assert.equal(relativeBelow(root, path.join(root, '..', 'other', 'x.md')), undefined);
    assert.equal(relativeBelow(root, path.join(path.sep, 'project-other', 'x.md')), undefined);
  });

  describe('resolveInsideFolders on a real file system', () => {
    let base: string;
    let workspace: string;
    let secret: string;

    before(() => {
      base = makeTempDir('chant-confine-');
      workspace = path.join(base, 'workspace');
      mkdirSync(path.join(workspace, 'docs'), { recursive: true });
      writeFileSync(path.join(workspace, 'docs', 'a.md'), 'inside\n');
      secret = path.join(base, 'secret.md');
      writeFileSync(secret, 'outside\n');
      symlinkSync(secret, path.join(workspace, 'escape.md'));
      symlinkSync(base, path.join(workspace, 'up'));
      symlinkSync(path.join(workspace, 'docs', 'a.md'), path.join(workspace, 'alias.md'));
    });
    after(() => removeDir(base));

    it('allows files inside, relative or absolute, and files still to be written', () => {
      assert.equal(resolveInsideFolders('docs/a.md', workspace, [workspace]), path.join(workspace, 'docs', 'a.md'));
      assert.equal(resolveInsideFolders(path.join(workspace, 'docs', 'a.md'), base, [workspace]), path.join(workspace, 'docs', 'a.md'));
      assert.equal(resolveInsideFolders('docs/new.md', workspace, [workspace]), path.join(workspace, 'docs', 'new.md'));
      // A link that stays inside is fine; the path is returned as asked, not as resolved.
      assert.equal(resolveInsideFolders('alias.md', workspace, [workspace]), path.join(workspace, 'alias.md'));
    });

    it('refuses .. and absolute paths outside, a symbolic link out of the folder, and NUL bytes', () => {
      assert.equal(resolveInsideFolders('../secret.md', workspace, [workspace]), undefined);
      assert.equal(resolveInsideFolders(secret, workspace, [workspace]), undefined);
      assert.equal(resolveInsideFolders('escape.md', workspace, [workspace]), undefined);
      assert.equal(resolveInsideFolders('up/secret.md', workspace, [workspace]), undefined);
      assert.equal(resolveInsideFolders('docs/a.md\0', workspace, [workspace]), undefined);
      assert.equal(resolveInsideFolders('docs/a.md', workspace, []), undefined);
    });

    it('accepts a workspace folder reached through a symbolic link', () => {
      const linked = path.join(base, 'linked-workspace');
      symlinkSync(workspace, linked);
      assert.equal(resolveInsideFolders('docs/a.md', linked, [linked]), path.join(linked, 'docs', 'a.md'));
      assert.equal(resolveInsideFolders('escape.md', linked, [linked]), undefined);
    });
  });
});
