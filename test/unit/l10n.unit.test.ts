// The text of src/ is translatable and the translators' source cannot drift from it
// (scripts/l10n.mjs --check): l10n/bundle.l10n.json holds exactly the `vscode.l10n.t` and `l10n.t`
// messages of src/, every message is a literal, no English words are passed into a sentence, and no
// message box, quick pick, tree item, input box or webview element outside core/ shows text that
// skipped l10n. A translation then loads in the editor, the core and the webviews alike.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { STATE_LABELS } from '../../src/core/present/displayState';
import { investigationLabel } from '../../src/core/present/grouping';
import { RUN_GROUP_LABELS, todaysCostLabel } from '../../src/core/runs/runRecord';
import { repoRoot } from './paths';

describe('translations (l10n)', () => {
  it('l10n/bundle.l10n.json is the text of src/, and no user-facing text escapes l10n', () => {
    const check = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'l10n.mjs'), '--check'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(check.status, 0, `scripts/l10n.mjs --check:\n${check.stderr}${check.stdout}`);
  });

  it('the core says its words in the language configured after it loaded (what activation does)', () => {
    assert.equal(STATE_LABELS.ready, 'Ready');
    try {
      l10n.config({ contents: { Ready: 'Bereit', 'Needs you': 'Braucht dich', 'Issue #{0}': 'Ticket #{0}', '1 run': '1 Lauf', 'today {0} · {1}': 'heute {0} · {1}' } });
      assert.equal(STATE_LABELS.ready, 'Bereit');
      assert.equal(RUN_GROUP_LABELS['needs-you'], 'Braucht dich');
      assert.equal(investigationLabel('issue-7'), 'Ticket #7');
      assert.equal(todaysCostLabel({ usd: 1.5, runs: 1, unknown: 0, estimated: false }), 'heute $1.50 · 1 Lauf');
      // A message the bundle lacks stays in English.
      assert.equal(STATE_LABELS.paused, 'Paused');
    } finally {
      l10n.config({ contents: {} });
    }
    assert.equal(STATE_LABELS.ready, 'Ready');
  });

  it('ships the bundle and tells VS Code where it is', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { l10n?: string };
    assert.equal(manifest.l10n, './l10n');
    const bundle = JSON.parse(fs.readFileSync(path.join(repoRoot, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
    // Some of each kind of caller: the editor glue, the core's seam and a webview.
    for (const message of ['Work this spec', 'Zoom in', 'merged into {0}']) assert.equal(bundle[message], message);
    assert.match(fs.readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8'), /^!l10n\/\*\.json$/m);
  });
});
