// The Debian packages `npm start` and `npm test` need, checked before anything is downloaded
// (ensureDeps.mjs runs this first). code-server's install builds native modules (libkrb5-dev, g++,
// make, python3) and takes ripgrep from Debian instead of GitHub; git runs every workspace. Chromium
// is only for the end-to-end tests, so only `npm test` asks for it. Missing packages are installed
// with apt-get as root or with password-less sudo (as .ci/run does); otherwise they are named, with
// the command to run, and nothing else happens. Uses only Node built-ins.
import { spawnSync } from 'node:child_process';

/** Package → a command whose presence shows it is installed. */
const NEEDED = {
  start: { git: 'git', ripgrep: 'rg', 'libkrb5-dev': 'krb5-config', 'g++': 'g++', make: 'make', python3: 'python3' },
  test: { chromium: 'chromium' },
};

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** The packages missing for `purpose` ('start' or 'test', which includes start's). */
export function missingPackages(purpose) {
  const wanted = purpose === 'test' ? { ...NEEDED.start, ...NEEDED.test } : NEEDED.start;
  return Object.entries(wanted)
    .filter(([, command]) => !has(command))
    .map(([pkg]) => pkg);
}

/** Installs what is missing when allowed to; exits with the list otherwise. Returns when all is there. */
export function ensurePrerequisites(purpose) {
  if (process.platform !== 'linux' || process.env.CHANT_SKIP_PREREQUISITES) return;
  const missing = missingPackages(purpose);
  if (missing.length === 0) return;
  const apt = has('apt-get');
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = !root && has('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  const command = `${root ? '' : 'sudo '}apt-get install -y ${missing.join(' ')}`;
  if (!apt || (!root && !sudo)) {
    console.error(`npm ${purpose}: these packages are missing: ${missing.join(', ')}.`);
    console.error(apt ? `Install them, then run npm ${purpose} again:\n\n  ${command}\n` : 'Install them with your system package manager, then run it again.');
    process.exit(1);
  }
  console.log(`Installing missing packages: ${missing.join(' ')}`);
  const prefix = root ? [] : ['sudo', '-n'];
  const run = (args) => {
    const [cmd, ...rest] = [...prefix, ...args];
    const result = spawnSync(cmd, rest, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.status !== 0) {
      console.error(`npm ${purpose}: '${args.join(' ')}' failed; install ${missing.join(', ')} yourself and try again.`);
      process.exit(1);
    }
  };
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', ...missing]);
}
