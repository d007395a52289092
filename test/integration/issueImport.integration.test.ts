// Start Issue Investigation from a GitHub issue in a real extension host, with a fake `gh` on PATH
// that answers `gh issue view` from a JSON fixture the test writes and records its arguments: the
// issue becomes `.chant/research/issue-<n>-report.md` (quoted, its HTML escaped), the first
// `informed_by` of Comprehension before the issue URL, and its title pre-fills the summary in the
// real input box. Without gh, or with a gh that cannot reach GitHub, the investigation still
// starts, from the issue URL the remote gives.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { acceptUntilDone, eventually } from './wait';

const EXTENSION_ID = 'chant-vscode.chant-vscode';
const ISSUE = {
  number: 5150,
  title: 'Writes lost under <concurrent> load',
  body: '## Steps\n\n1. run two writers\n<script>alert(1)</script>\n',
  url: 'https://github.com/acme/kvstore/issues/5150',
  labels: [{ name: 'bug' }, { name: 'storage' }],
  comments: [{ author: { login: 'maria' }, body: 'Seen on 2.3 too.', createdAt: '2026-04-02T10:00:00Z' }],
};
const REPORT = '.chant/research/issue-5150-report.md';

describe('Start Issue Investigation from a GitHub issue', () => {
  let root: string;
  let scratch: string;
  let record: string;
  let savedPath: string | undefined;
  let api: { projects: { findSpec(id: string): { spec: { informedBy: string[]; title?: string } } | undefined } };
  const created: string[] = [];
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
  const calls = (): string[][] =>
    fs.existsSync(record)
      ? fs
          .readFileSync(record, 'utf8')
          .split('---\n')
          .filter(Boolean)
          .map((call) => call.split('\n').filter(Boolean))
      : [];
  /** PATH without any folder holding a real gh. */
  const pathWithoutGh = (): string =>
    (savedPath ?? '')
      .split(path.delimiter)
      .filter((dir) => dir && !fs.existsSync(path.join(dir, 'gh')))
      .join(path.delimiter);
  /** A fake gh on PATH: `--version` answers, anything else is recorded and gets `answer`. */
  const fakeGh = (answer: string): void => {
    const bin = fs.mkdtempSync(path.join(scratch, 'bin-'));
    fs.writeFileSync(
      path.join(bin, 'gh'),
      `#!/bin/sh\n[ "$1" = --version ] && { echo 'gh version 2.0.0 (fake)'; exit 0; }\n{ for a in "$@"; do printf '%s\\n' "$a"; done; echo ---; } >> '${record}'\n${answer}\n`,
      { mode: 0o755 },
    );
    process.env.PATH = `${bin}${path.delimiter}${pathWithoutGh()}`;
  };
  const start = async (issue: string, summary?: string): Promise<string[]> => {
    const pending = vscode.commands.executeCommand<string[] | undefined>('chant.startInvestigation', { issue, ...(summary ? { summary } : {}), mode: 'chain', showGraph: false });
    const ids = summary ? await pending : await acceptUntilDone(pending, 20_000);
    assert.ok(ids && ids.length === 5, `five phases for ${issue}: ${JSON.stringify(ids)}`);
    for (const id of ids) created.push(path.join(root, '.chant', 'specs', `${id}.md`));
    await eventually(() => ids.every((id) => api.projects.findSpec(id) !== undefined), 'the index to see the phases');
    return ids;
  };

  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    await extension.activate();
    api = extension.exports as typeof api;
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-issue-import-'));
    record = path.join(scratch, 'gh-calls.txt');
    fs.writeFileSync(path.join(scratch, 'issue.json'), JSON.stringify(ISSUE));
    savedPath = process.env.PATH;
    git('remote', 'add', 'upstream', 'https://github.com/acme/kvstore.git');
    created.push(path.join(root, REPORT));
  });

  after(async () => {
    process.env.PATH = savedPath;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    git('remote', 'remove', 'upstream');
    for (const file of created) fs.rmSync(file, { force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('imports the issue by its number: the report, informed_by and the title as the summary', async () => {
    fakeGh(`cat '${path.join(scratch, 'issue.json')}'`);
    const [comprehension, reproduction] = await start('5150');
    // One read-only call, on the repository of the upstream remote.
    assert.deepEqual(calls(), [['issue', 'view', '5150', '--repo', 'acme/kvstore', '--json', 'number,title,body,url,labels,comments']]);
    const report = fs.readFileSync(path.join(root, REPORT), 'utf8');
    assert.match(report, /^# Issue #5150: Writes lost under &lt;concurrent> load\n/);
    assert.match(report, /^- URL: <https:\/\/github\.com\/acme\/kvstore\/issues\/5150>$/m);
    assert.match(report, /^- Labels: bug, storage$/m);
    assert.match(report, /^> ## Steps$/m, 'the reporter\'s headings are quoted, not the report\'s own');
    assert.match(report, /^> &lt;script>alert\(1\)&lt;\/script>$/m);
    assert.match(report, /^### maria on 2026-04-02T10:00:00Z\n\n> Seen on 2\.3 too\.$/m);
    const first = api.projects.findSpec(comprehension)!.spec;
    assert.deepEqual(first.informedBy, [REPORT, ISSUE.url]);
    assert.equal(first.title, 'Comprehension: issue #5150 Writes lost under <concurrent> load');
    assert.ok(api.projects.findSpec(reproduction)!.spec.title?.endsWith('Writes lost under <concurrent> load'));
  });

  it('without gh, says so and starts from the issue URL the remote gives', async () => {
    process.env.PATH = pathWithoutGh();
    const before = calls().length;
    const [comprehension] = await start('5151', 'offline start');
    assert.equal(calls().length, before);
    assert.equal(fs.existsSync(path.join(root, '.chant/research/issue-5151-report.md')), false);
    assert.deepEqual(api.projects.findSpec(comprehension)!.spec.informedBy, ['https://github.com/acme/kvstore/issues/5151']);
  });

  it('with a gh that cannot reach GitHub, goes on the same way', async () => {
    fakeGh(`echo 'error connecting to api.github.com' >&2; exit 1`);
    const [comprehension] = await start('5152', 'no network');
    assert.equal(calls().at(-1)?.[2], '5152');
    assert.equal(fs.existsSync(path.join(root, '.chant/research/issue-5152-report.md')), false);
    assert.deepEqual(api.projects.findSpec(comprehension)!.spec.informedBy, ['https://github.com/acme/kvstore/issues/5152']);
  });
});
