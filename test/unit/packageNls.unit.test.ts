// package.json's contribution strings go through package.nls.json (`%key%`), as VS Code's own
// extensions do, so a translation is one package.nls.<locale>.json away. This fails when a
// contribution names its text inline, when a key has no text, and when a text is left unused.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './paths';

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const nls = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;

/** Every string a person reads in the workbench, with where it is. */
function userStrings(): { where: string; value: unknown }[] {
  const out: { where: string; value: unknown }[] = [];
  const c = manifest.contributes;
  const add = (where: string, value: unknown): void => void (value !== undefined && out.push({ where, value }));
  add('capabilities.untrustedWorkspaces.description', manifest.capabilities?.untrustedWorkspaces?.description);
  for (const v of c.viewsContainers?.activitybar ?? []) add(`viewsContainer ${v.id}`, v.title);
  for (const views of Object.values(c.views ?? {}) as { id: string; name: string; contextualTitle?: string }[][]) {
    for (const v of views) {
      add(`view ${v.id}`, v.name);
      add(`view ${v.id} contextualTitle`, v.contextualTitle);
    }
  }
  for (const w of c.viewsWelcome ?? []) add(`viewsWelcome ${w.view}`, w.contents);
  for (const cmd of c.commands ?? []) {
    add(`command ${cmd.command}`, cmd.title);
    add(`command ${cmd.command} category`, cmd.category);
    add(`command ${cmd.command} shortTitle`, cmd.shortTitle);
  }
  for (const s of c.submenus ?? []) add(`submenu ${s.id}`, s.label);
  for (const w of c.walkthroughs ?? []) {
    add(`walkthrough ${w.id}`, w.title);
    add(`walkthrough ${w.id} description`, w.description);
    for (const s of w.steps) {
      add(`walkthrough step ${s.id}`, s.title);
      add(`walkthrough step ${s.id} description`, s.description);
      add(`walkthrough step ${s.id} altText`, s.media?.altText);
    }
  }
  for (const conf of [c.configuration].flat()) {
    add('configuration title', conf.title);
    for (const [name, prop] of Object.entries(conf.properties ?? {}) as [string, Record<string, unknown>][]) {
      for (const f of ['description', 'markdownDescription', 'deprecationMessage', 'markdownDeprecationMessage']) add(`${name} ${f}`, prop[f]);
      for (const f of ['enumDescriptions', 'markdownEnumDescriptions']) for (const [i, d] of ((prop[f] as unknown[]) ?? []).entries()) add(`${name} ${f}[${i}]`, d);
    }
  }
  return out;
}

describe('package.nls.json', () => {
  it('holds every text package.json contributes', () => {
    const strings = userStrings();
    assert.ok(strings.length > 50, `${strings.length} strings`);
    const inline = strings.filter((s) => typeof s.value !== 'string' || !/^%[\w.-]+%$/.test(s.value));
    assert.deepEqual(inline.map((s) => `${s.where}: ${String(s.value)}`), [], 'write these as %key% with the text in package.nls.json');
  });

  it('has a non-empty text for every key package.json uses, and no unused key', () => {
    const used = new Set([...JSON.stringify(manifest).matchAll(/"%([\w.-]+)%"/g)].map((m) => m[1]));
    for (const key of used) assert.ok(typeof nls[key] === 'string' && nls[key].trim() !== '', `package.nls.json has "${key}"`);
    assert.deepEqual(Object.keys(nls).filter((key) => !used.has(key)), [], 'keys no contribution uses');
  });
});
