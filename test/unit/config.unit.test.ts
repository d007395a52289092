import * as assert from 'node:assert/strict';
import { parseConfig } from '../../src/core/project/config';

describe('parseConfig', () => {
  it('uses chant defaults when config.md is missing', () => {
    const config = parseConfig(undefined);
    assert.equal(config.branchPrefix, 'chant/');
    assert.equal(config.mainBranch, 'main');
    assert.equal(config.defaultPrompt, 'bootstrap');
    assert.equal(config.projectName, '');
  });

  it('reads project and defaults', () => {
    const config = parseConfig(
      '---\nproject:\n  name: kvstore\ndefaults:\n  prompt: standard\n  main_branch: develop\n  branch_prefix: work/\n  model: sonnet\n---\n\n# Chant Configuration\n',
    );
    assert.equal(config.projectName, 'kvstore');
    assert.equal(config.defaultPrompt, 'standard');
    assert.equal(config.mainBranch, 'develop');
    assert.equal(config.branchPrefix, 'work/');
    assert.equal(config.defaultModel, 'sonnet');
    assert.deepEqual(config.problems, []);
  });

  it('reads the silent flag written by chant silent', () => {
    assert.equal(parseConfig('---\nsilent: true\n---\n').silentFlag, true);
  });

  it('reports a missing frontmatter and broken YAML with defaults', () => {
    assert.equal(parseConfig('# no frontmatter').problems[0].code, 'config-no-frontmatter');
    const broken = parseConfig('---\nproject: [\n---\n');
    assert.equal(broken.problems[0].code, 'config-yaml');
    assert.equal(broken.mainBranch, 'main');
  });
});
