// The containment rule (issue 11), the PR body drafter and config.md's prompt_extensions check.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../src/core/project/config';
import { globBase, isSafePromptName, isUrl, ProjectFiles } from '../../src/core/project/containment';
import { composePrBody, researchSummary } from '../../src/core/workflow/prBody';
import { makeSpec } from './specFactory';
import { makeTempDir, removeDir, writeFiles } from './tempRepo';

describe('containment', () => {
  let base: string;
  let root: string;
  let files: ProjectFiles;
  before(() => {
    base = makeTempDir('chant-contain-');
    root = path.join(base, 'project');
    writeFiles(base, { 'secret.txt': 'secret\n', 'project/docs/a.md': 'inside\n', 'project/big.md': 'x'.repeat(100) });
    mkdirSync(path.join(root, 'dir'));
    symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'docs', 'link-out.md'));
    symlinkSync(path.join(root, 'docs', 'a.md'), path.join(root, 'docs', 'link-in.md'));
    symlinkSync(base, path.join(root, 'folder-out'));
    files = new ProjectFiles(root);
  });
  after(() => removeDir(base));

  it('reads files inside, following links that stay inside', async () => {
    const read = await files.read('docs/link-in.md');
    assert.equal(read.kind, 'read');
    assert.equal(read.kind === 'read' && read.text, 'inside\n');
    const big = await files.read('big.md', 10);
    assert.ok(big.kind === 'read' && big.truncated && big.text.length === 10 && big.bytes === 100);
  });

  it('refuses absolute paths, .., links out and paths below a folder that links out', async () => {
    for (const [entry, why] of [
      [path.join(base, 'secret.txt'), /absolute/],
      ['../secret.txt', /leaves/],
      ['docs/../../secret.txt', /leaves/],
      ['docs/link-out.md', /symbolic link/],
      ['folder-out/secret.txt', /symbolic link/],
      ['folder-out/new-file.md', /folder that links outside/],
      ['/proc/self/environ', /absolute/],
    ] as const) {
      const resolved = await files.resolve(entry);
      assert.equal(resolved.kind, 'outside', entry);
      assert.match(resolved.kind === 'outside' ? resolved.why : '', why, entry);
      assert.equal((await files.read(entry)).kind, 'outside');
    }
  });

  it('lists URLs, reports missing files and never reads special files', async () => {
    assert.equal((await files.resolve('https://example.com/x')).kind, 'url');
    assert.ok(isUrl('file:///etc/passwd'));
    assert.equal((await files.read('docs/none.md')).kind, 'missing');
    assert.equal((await files.read('dir')).kind, 'not-a-file');
    // A named pipe inside the project: opening it for reading would wait for a writer forever.
    execFileSync('mkfifo', [path.join(root, 'pipe')]);
    assert.equal((await files.read('pipe')).kind, 'not-a-file');
  });

  it('names prompts and glob bases safely', () => {
    assert.ok(isSafePromptName('standard') && isSafePromptName('my-prompt.v2'));
    for (const bad of ['../x', '.hidden', 'a/b', '', '-x', 'a b']) assert.equal(isSafePromptName(bad), false, bad);
    assert.equal(globBase('src/**/*.rs'), 'src');
    assert.equal(globBase('/**'), '/');
    assert.equal(globBase('*.md'), '.');
    assert.equal(globBase('docs/a.md'), 'docs/a.md');
  });

  it('config.md: a prompt_extensions entry that is not a prompt name is a problem', () => {
    const config = parseConfig('---\ndefaults:\n  prompt_extensions: [ok, ../../x]\n---\n');
    assert.deepEqual(config.problems.map((p) => p.code), ['config-prompt-extension']);
  });

  it('composes a PR body from the issue, the research summaries and the commits', () => {
    const fix = makeSpec('2026-02-08-003-fix', { informedBy: ['https://github.com/o/r/issues/12'], commits: ['abc1234'] });
    const body = composePrBody([fix], fix, [{ specTitle: 'Research', relative: '.chant/research/a.md', text: '# A\n\n## Summary\nRoot cause.\n\n## More\nx\n' }]);
    assert.match(body, /^Fixes o\/r#12\n\n## Summary\n\nRoot cause\.\n\n## Fix\n\n- abc1234\n/);
    assert.equal(researchSummary('line 1\r\nline 2\r\n'), 'line 1\nline 2');
  });
});
