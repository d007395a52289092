// The settings' trust rules (core/runs/settingValues) and their agreement with package.json and README:
// a setting that names a program or folder never takes a workspace value, limits a workspace may only lower.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveSetting, SETTING_RULES, type SettingRule } from '../../src/core/runs/settingValues';

const REPO = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const contributed = manifest.contributes.configuration.properties as Record<
  string,
  { default?: unknown; scope?: string }
>;
const rules: Array<SettingRule<unknown>> = Object.values(SETTING_RULES);

describe('settings', () => {
  it('knows every chant.* setting package.json contributes, and nothing else', () => {
    assert.deepEqual(rules.map((rule) => `chant.${rule.key}`).sort(), Object.keys(contributed).sort());
  });

  it('defaults agree with package.json', () => {
    for (const rule of rules) {
      const declared = contributed[`chant.${rule.key}`].default;
      assert.deepEqual(rule.read(declared) ?? declared, rule.fallback, `chant.${rule.key}`);
    }
  });

  it('a setting read from the user only is machine-scoped in package.json, and the others are not', () => {
    for (const rule of rules) {
      const scope = contributed[`chant.${rule.key}`].scope;
      if (rule.trust === 'user')
        assert.ok(scope === 'machine' || scope === 'application', `chant.${rule.key} has scope ${scope}`);
      else assert.ok(scope !== 'machine' && scope !== 'application', `chant.${rule.key} has scope ${scope}`);
    }
    const userOnly = rules.filter((rule) => rule.trust === 'user').map((rule) => rule.key).sort();
    assert.deepEqual(userOnly, ['actions.agent', 'actions.remote', 'actions.runsOn', 'agent.command', 'agent.prices', 'cliPath', 'notifications.desktop', 'runner', 'runs.budgetStop', 'worktreeFolder']);
  });

  it('README lists every setting in its Settings table', () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const table = readme.slice(
      readme.indexOf('## Settings'),
      readme.indexOf('\n## ', readme.indexOf('## Settings') + 1),
    );
    for (const rule of rules)
      assert.ok(table.includes(`| \`chant.${rule.key}\` |`), `chant.${rule.key} missing from README's Settings table`);
  });

  describe('a program or folder comes from the user only', () => {
    for (const rule of [SETTING_RULES.agentCommand, SETTING_RULES.cliPath, SETTING_RULES.worktreeFolder]) {
      it(`chant.${rule.key}: the workspace and folder values are ignored`, () => {
        assert.equal(resolveSetting(rule, { workspaceValue: '/bin/sh', workspaceFolderValue: '/bin/sh' }), '');
        assert.equal(
          resolveSetting(rule, { globalValue: 'mine', workspaceValue: '/bin/sh', workspaceFolderValue: '/bin/sh' }),
          'mine',
        );
      });
    }

    it('chant.runner: a workspace cannot switch the runner', () => {
      assert.equal(resolveSetting(SETTING_RULES.runner, { workspaceValue: 'cli' }), 'auto');
      assert.equal(
        resolveSetting(SETTING_RULES.runner, { globalValue: 'direct', workspaceFolderValue: 'cli' }),
        'direct',
      );
    });

    it('a value of the wrong kind counts as unset', () => {
      assert.equal(resolveSetting(SETTING_RULES.runner, { globalValue: 'sh' }), 'auto');
      assert.equal(resolveSetting(SETTING_RULES.agentCommand, { globalValue: ['claude'] }), '');
      assert.equal(resolveSetting(SETTING_RULES.cliPath, { globalValue: '  /opt/chant  ' }), '/opt/chant');
    });
  });

  describe('chant.parallel.maxAgents: a workspace may lower it, never raise it', () => {
    const rule = SETTING_RULES.maxAgents;
    it('lowers', () => {
      assert.equal(resolveSetting(rule, { workspaceValue: 1 }), 1);
      assert.equal(resolveSetting(rule, { globalValue: 8, workspaceValue: 3 }), 3);
      assert.equal(resolveSetting(rule, { globalValue: 8, workspaceValue: 5, workspaceFolderValue: 4 }), 4);
    });
    it('never raises', () => {
      assert.equal(resolveSetting(rule, { workspaceValue: 16 }), 2);
      assert.equal(resolveSetting(rule, { globalValue: 4, workspaceFolderValue: 12 }), 4);
    });
    it('keeps a hand-written value inside 1..16', () => {
      assert.equal(resolveSetting(rule, { globalValue: 99 }), 16);
      assert.equal(resolveSetting(rule, { globalValue: 8, workspaceValue: 0 }), 1);
      assert.equal(resolveSetting(rule, { globalValue: 'many', workspaceValue: 'lots' }), 2);
    });
  });

  describe('chant.runs.budgetUsd: 0 is off; a workspace may lower it or turn it on, never raise it or turn it off', () => {
    const rule = SETTING_RULES.budgetUsd;
    it('off by default; a workspace may turn it on', () => {
      assert.equal(resolveSetting(rule, {}), 0);
      assert.equal(resolveSetting(rule, { workspaceValue: 5 }), 5);
    });
    it('lowers the user budget', () => {
      assert.equal(resolveSetting(rule, { globalValue: 10, workspaceValue: 2.5 }), 2.5);
    });
    it('cannot raise or turn off the user budget', () => {
      assert.equal(resolveSetting(rule, { globalValue: 10, workspaceValue: 50 }), 10);
      assert.equal(resolveSetting(rule, { globalValue: 10, workspaceValue: 0 }), 10);
      assert.equal(resolveSetting(rule, { globalValue: 10, workspaceValue: -1 }), 10);
    });
  });

  describe('other settings follow the workspace', () => {
    it('a folder value wins over the workspace and the user', () => {
      assert.equal(
        resolveSetting(SETTING_RULES.isolation, { globalValue: 'worktree', workspaceValue: 'checkout' }),
        'checkout',
      );
      assert.equal(
        resolveSetting(SETTING_RULES.pauseBetweenPhases, {
          globalValue: true,
          workspaceValue: true,
          workspaceFolderValue: false,
        }),
        false,
      );
    });
    it('an unusable phases value falls back to the defaults', () => {
      assert.deepEqual(
        resolveSetting(SETTING_RULES.phases, { workspaceValue: 'Comprehension' }),
        SETTING_RULES.phases.fallback,
      );
      const phases = resolveSetting(SETTING_RULES.phases, { workspaceValue: [{ name: 'Only', labels: ['only'] }] });
      assert.deepEqual(phases, [{ name: 'Only', labels: ['only'] }]);
    });
  });
});
