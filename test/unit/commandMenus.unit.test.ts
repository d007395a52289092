// package.json's menus against the context values the tree can produce (core/present/contextValues):
// every `viewItem` condition must match something the code sets, so no menu waits for a value
// nothing makes (as `spec:running` once did).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { producibleContextValues, specContextValue } from '../../src/core/present/contextValues';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8'));

/** Every `viewItem == x` and `viewItem =~ /re/` in the contributed menus. */
function viewItemConditions(): Array<{ command: string; test: (value: string) => boolean; source: string }> {
  const out: Array<{ command: string; test: (value: string) => boolean; source: string }> = [];
  for (const entries of Object.values(manifest.contributes.menus) as Array<Array<{ command: string; when?: string }>>) {
    for (const entry of entries) {
      const when = entry.when ?? '';
      for (const m of when.matchAll(/viewItem == ([\w:-]+)/g)) out.push({ command: entry.command, test: (v) => v === m[1], source: m[0] });
      for (const m of when.matchAll(/viewItem =~ \/((?:\\\/|[^/])+)\/([a-z]*)/g)) {
        const re = new RegExp(m[1], m[2]);
        out.push({ command: entry.command, test: (v) => re.test(v), source: m[0] });
      }
    }
  }
  return out;
}

describe('menus and context values', () => {
  const values = producibleContextValues();

  it('finds the menu conditions it checks', () => {
    assert.ok(viewItemConditions().length >= 15);
  });

  it('every viewItem condition matches a value the tree can produce', () => {
    for (const condition of viewItemConditions()) {
      assert.ok(values.some(condition.test), `${condition.command}: ${condition.source} matches nothing the tree sets`);
    }
  });

  it('a running spec offers Pause and Take Over, and not Work', () => {
    const running = specContextValue({ state: 'running', type: 'code', typeKnown: true, archived: false, role: 'single', hasTargets: false });
    const offered = (value: string): Set<string> =>
      new Set(
        viewItemConditions()
          .filter((c) => c.test(value))
          .map((c) => c.command),
      );
    const menu = offered(running);
    assert.ok(menu.has('chant.pauseRun') && menu.has('chant.takeOver'), [...menu].join(', '));
    const ready = offered(specContextValue({ state: 'ready', type: 'code', typeKnown: true, archived: false, role: 'single', hasTargets: false }));
    assert.ok(!ready.has('chant.pauseRun'));
  });

  it('a spec awaiting approval offers Approve and Reject; one that does not, neither', () => {
    const offered = (value: string): Set<string> =>
      new Set(
        viewItemConditions()
          .filter((c) => c.test(value))
          .map((c) => c.command),
      );
    const parts = { state: 'pending', type: 'research', typeKnown: true, archived: false, role: 'single', hasTargets: true } as const;
    const gated = offered(specContextValue({ ...parts, awaitingApproval: true }));
    assert.ok(gated.has('chant.approveSpec') && gated.has('chant.rejectSpec') && gated.has('chant.openResearchOutput'), [...gated].join(', '));
    const free = offered(specContextValue(parts));
    assert.ok(!free.has('chant.approveSpec') && !free.has('chant.rejectSpec') && free.has('chant.reResearch'), [...free].join(', '));
  });

  it('a type chant does not know cannot add segments', () => {
    const value = specContextValue({ state: 'ready', type: 'x:archived:member', typeKnown: false, archived: false, role: 'single', hasTargets: true });
    assert.equal(value, 'spec:ready:other:active:single:targets');
  });
});
