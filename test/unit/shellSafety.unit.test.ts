// Finding 3 of issue 11: POSIX quoting is not safe in fish, so spec-derived text never goes on a
// terminal line. These tests run the real shells (bash, dash as sh, zsh, fish) on the exact line a
// terminal would receive and look for the marker file a hostile title, id or folder name would make.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { isShellSafePath, scriptRunLine, shellScript, shQuote, writeShellScript } from '../../src/core/workflow/commandLine';
import { makeTempDir, removeDir } from './tempRepo';

const SHELLS = ['bash', 'sh', 'zsh', 'fish'];
const MARKER = 'PWNED';

/** Hostile texts a repository controls: a title, a spec id (a file name), a nested project's folder. */
export const HOSTILE_TEXTS = [
  "Fix the bug\\';touch PWNED;\\'",
  '$(touch PWNED)',
  '`touch PWNED`',
  "a'b;touch PWNED;'c",
  'x"; touch PWNED; echo "',
  '--chain',
  'line\ntouch PWNED',
  '%self; touch PWNED',
];

function available(shell: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;
}

/** Every file named PWNED below `dir`. */
function markers(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((entry) => path.basename(entry) === MARKER);
}

describe('terminal lines whatever the shell (issue 11, finding 3)', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir('chant-shells-');
  });
  afterEach(() => removeDir(dir));

  it('accepts only paths no shell interprets', () => {
    assert.ok(isShellSafePath('/tmp/chant-run-Ab12/agent-run.sh'));
    for (const bad of ['tmp/x.sh', '/tmp/a b.sh', "/tmp/a'b", '/tmp/~x', '/tmp/a=b', '/tmp/%x', '/tmp/-x', '/tmp/$x', '/tmp/a;b', '/tmp/{a,b}']) {
      assert.equal(isShellSafePath(bad), false, bad);
    }
    assert.throws(() => scriptRunLine("/tmp/x';touch PWNED;'.sh"), /Refusing/);
  });

  for (const shell of SHELLS) {
    it(`${shell}: a script run from a hostile folder with hostile arguments runs them as text`, async function () {
      if (!available(shell)) this.skip();
      const folder = path.join(dir, "proj'; touch PWNED; '\\'x");
      mkdirSync(folder);
      const script = shellScript({ cwd: folder, steps: [['printf', '%s\\n', ...HOSTILE_TEXTS]], label: HOSTILE_TEXTS[0] });
      const { file, line } = await writeShellScript(script, 'hostile');
      try {
        assert.match(line, /^\/[A-Za-z0-9_./-]*\/sh \/[A-Za-z0-9_./-]+$/, 'the terminal line holds a fixed, safe path only');
        const out = execFileSync(shell, ['-c', line], { cwd: dir, encoding: 'utf8', env: { ...process.env, HOME: dir } });
        assert.equal(out, HOSTILE_TEXTS.join('\n') + '\n', 'every value arrived as one literal argument');
        assert.deepEqual(markers(dir), []);
        assert.equal(existsSync(path.join(path.dirname(file), MARKER)), false);
      } finally {
        removeDir(path.dirname(file));
      }
    });
  }

  it('fish runs the hostile title when it is POSIX-quoted on the line (why scripts are needed)', function () {
    if (!available('fish')) this.skip();
    const line = `printf %s ${shQuote(HOSTILE_TEXTS[0])}`;
    spawnSync('fish', ['-c', line], { cwd: dir, encoding: 'utf8', env: { ...process.env, HOME: dir } });
    assert.deepEqual(markers(dir), [MARKER], 'the old way of quoting is exploitable in fish');
  });
});
