// The saved index must give exactly what a cold index gives: over the real corpus, and over
// generated projects edited between sessions in every way a file can change (content, size, an
// edit that keeps size and modification time, replace by rename, add, delete, archive). A snapshot
// that is corrupt, truncated, foreign or of another format is never trusted.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { generateProject } from '../../bench/generateProject';
import { crc32Js, decodeSnapshot, encodeSnapshot, SNAPSHOT_FORMAT } from '../../src/core/project/indexSnapshot';
import { IndexSnapshotStore } from '../../src/core/project/snapshotStore';
import { SpecIndex } from '../../src/core/project/specIndex';
import { compareSpecIds } from '../../src/core/spec/ids';
import type { Spec } from '../../src/core/spec/types';
import { corpusDir, hasCorpus } from './paths';
import { makeTempDir, removeDir, writeFiles } from './tempRepo';

const PRODUCER = 'test-producer';
/** Files written this long before a read are trusted by a store with the window below. */
const SETTLE_MS = 40;
const WINDOW_MS = 10;
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
/** Sets `file`'s modification time to `reference`'s to the nanosecond (Node's utimes rounds it). */
const copyTime = (reference: string, file: string): void => void execFileSync('touch', ['-m', '-r', reference, file]);

/** Everything a consumer can ask an index, in plain data, for deep comparison. */
function observable(index: SpecIndex): unknown {
  const specs = (map: ReadonlyMap<string, Spec> | undefined) =>
    map &&
    [...map.values()]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((spec) => ({ ...spec, acceptance: { ...spec.acceptance } }));
  return {
    specs: specs(index.specs),
    archived: specs(index.archived),
    duplicates: [...index.duplicates].sort(),
    readiness: index.sorted().map((spec) => index.readiness(spec.id)),
    cycles: index.cycles(),
    ready: index.readyIds(),
    dependents: index.sorted().map((spec) => index.dependentsOf(spec.id)),
    members: index.sorted().map((spec) => index.membersOf(spec.id)),
    config: index.config,
  };
}

async function assertSameAsCold(warm: SpecIndex, root: string): Promise<void> {
  const cold = await SpecIndex.load(root, { includeArchive: warm.archived !== undefined });
  assert.deepStrictEqual(observable(warm), observable(cold));
}

describe('the saved index (snapshot)', () => {
  let dir: string;
  let store: IndexSnapshotStore;
  beforeEach(() => {
    dir = makeTempDir('chant-snapshot-');
    store = new IndexSnapshotStore(path.join(dir, 'storage'), PRODUCER, { racyWindowMs: WINDOW_MS });
  });
  afterEach(() => removeDir(dir));

  it('restores the real corpus exactly, without reading a spec file', async function () {
    if (!hasCorpus) this.skip();
    // A copy, so that the files' times are recent and known; the corpus itself stays read-only.
    const root = path.join(dir, 'corpus');
    cpSync(path.join(corpusDir, 'workspace-2026-01-25'), root, { recursive: true });
    await settle();
    const cold = await SpecIndex.load(root, { includeArchive: true });
    await store.save(cold);
    const warm = await SpecIndex.load(root, { includeArchive: true, snapshot: await store.load(root) });
    assert.deepEqual(warm.lastLoad, { snapshot: 'used', restored: 162, parsed: 0 });
    assert.deepStrictEqual(observable(warm), observable(cold));
  });

  it('gives a cold index’s results after edits between sessions, parsing only what changed', async () => {
    const project = generateProject(path.join(dir, 'p'), 600, 7);
    const root = project.root;
    await settle();
    const first = await SpecIndex.load(root, { includeArchive: true });
    await store.save(first);

    const active = first.sorted();
    const archived = [...first.archived!.values()];
    const edits: string[] = [];
    // 1. Content and size change.
    const changed = active[1].path;
    writeFileSync(changed, readFileSync(changed, 'utf8').replace(/^status: \w+$/m, 'status: failed'));
    edits.push(changed);
    // 2. Same size and the same modification time: one status word for another of equal length.
    const sneaky = active.slice(10).find((s) => /^status: pending$/m.test(readFileSync(s.path, 'utf8')))!.path;
    const before = statSync(sneaky);
    const reference = path.join(dir, 'reference');
    copyFileSync(sneaky, reference);
    copyTime(sneaky, reference);
    const text = readFileSync(sneaky, 'utf8');
    const same = text.replace(/^status: pending$/m, 'status: paused ');
    assert.equal(same.length, text.length);
    writeFileSync(sneaky, same);
    copyTime(reference, sneaky);
    assert.equal(statSync(sneaky).mtimeMs, before.mtimeMs);
    assert.equal(statSync(sneaky).size, before.size);
    edits.push(sneaky);
    // 3. Replaced by rename with the same size and time (an atomic write): a new inode.
    const replaced = active[3].path;
    const r = statSync(replaced);
    const swap = `${replaced}.swap`;
    writeFileSync(swap, readFileSync(replaced, 'utf8').replace(/# (.)/, (_m, c: string) => `# ${c === 'X' ? 'Y' : 'X'}`));
    copyTime(replaced, swap);
    renameSync(swap, replaced);
    assert.equal(statSync(replaced).mtimeMs, r.mtimeMs);
    edits.push(replaced);
    // 4. A new spec, 5. a deleted one, 6. a dependency added that makes a spec blocked.
    const added = path.join(root, '.chant', 'specs', '2030-01-01-000-new.md');
    writeFileSync(added, `---\ntype: code\nstatus: pending\ndepends_on:\n- ${active[5].id}\n---\n# New\n\n## Acceptance Criteria\n\n- [ ] done\n`);
    edits.push(added);
    rmSync(active[6].path);
    const blocked = active[7].path;
    writeFileSync(blocked, readFileSync(blocked, 'utf8').replace(/^---\n/, `---\ndepends_on:\n- ${active[8].id}\n`));
    edits.push(blocked);
    // 7. An archived spec edited, 8. one removed from the archive.
    writeFileSync(archived[0].path, `${readFileSync(archived[0].path, 'utf8')}\nmore\n`);
    edits.push(archived[0].path);
    rmSync(archived[1].path);
    await settle();

    const second = await SpecIndex.load(root, { includeArchive: true, snapshot: await store.load(root) });
    assert.equal(second.lastLoad.snapshot, 'used');
    assert.equal(second.lastLoad.parsed, edits.length, 'only the edited and new files are parsed');
    assert.equal(second.lastLoad.restored, project.files.length - 2 - (edits.length - 1));
    assert.equal(second.byPath(sneaky)!.status, 'paused');
    await assertSameAsCold(second, root);

    // A third session after saving the second: nothing changed, nothing is read.
    await store.save(second);
    const third = await SpecIndex.load(root, { includeArchive: true, snapshot: await store.load(root) });
    assert.deepEqual(third.lastLoad, { snapshot: 'used', restored: second.specs.size + second.archived!.size, parsed: 0 });
    await assertSameAsCold(third, root);
  });

  it('lists again only the folders whose entries changed since the save', async () => {
    const project = generateProject(path.join(dir, 'p'), 300, 13);
    const root = project.root;
    const sub = path.join(root, '.chant', 'specs', 'nested');
    writeFiles(sub, { '2026-03-01-001-nst.md': '---\nstatus: pending\n---\n# Nested\n' });
    await settle();
    const cold = await SpecIndex.load(root, { includeArchive: true });
    const folders = cold.lastListing.read;
    assert.ok(folders > 3, 'specs/, specs/nested/, archive/ and its date folders');
    await store.save(cold);

    const warm = await SpecIndex.load(root, { includeArchive: true, snapshot: await store.load(root) });
    assert.deepEqual(warm.lastListing, { reused: folders, read: 0 });
    await assertSameAsCold(warm, root);
    // Nothing changed: the ids come in the saved order, which is chant's.
    assert.deepEqual(
      warm.sorted().map((spec) => spec.id),
      [...warm.specs.keys()].sort(compareSpecIds),
    );

    // A spec added in the nested folder and one removed from a date folder of the archive: those
    // two folders changed (their parents did not) and are read; every other listing is reused.
    writeFiles(sub, { '2026-03-01-002-nsu.md': '---\nstatus: pending\n---\n# Nested too\n' });
    rmSync([...cold.archived!.values()][0].path);
    await settle();
    const after = await SpecIndex.load(root, { includeArchive: true, snapshot: await store.load(root) });
    assert.deepEqual(after.lastListing, { reused: folders - 2, read: 2 });
    assert.ok(after.get('2026-03-01-002-nsu'));
    await assertSameAsCold(after, root);

    // A folder listed within the timestamp granularity of its last change is not saved: a change in
    // the same tick after the listing would keep its stamp.
    writeFiles(sub, { '2026-03-01-003-nsv.md': '---\nstatus: pending\n---\n# Third\n' });
    // Its time a little ahead of the listing, as a change in the same tick would leave it, whatever
    // the machine's speed.
    utimesSync(sub, new Date(), new Date(Date.now() + 5));
    const listedAtOnce = await SpecIndex.load(root, { includeArchive: true });
    await settle();
    await store.save(listedAtOnce);
    const next = await SpecIndex.load(root, { includeArchive: true, snapshot: await store.load(root) });
    assert.deepEqual(next.lastListing, { reused: folders - 1, read: 1 }, 'only the nested folder is read again');
    await assertSameAsCold(next, root);
  });

  it('keeps the archive saved by an earlier session when this one never opened it', async () => {
    const project = generateProject(path.join(dir, 'p'), 200, 3);
    await settle();
    await store.save(await SpecIndex.load(project.root, { includeArchive: true }));
    const second = await SpecIndex.load(project.root, { snapshot: await store.load(project.root) });
    assert.equal(second.archived, undefined);
    await store.save(second);
    const third = await SpecIndex.load(project.root, { snapshot: await store.load(project.root) });
    await third.loadArchive();
    assert.equal(third.lastLoad.parsed, 0);
    assert.equal(third.lastLoad.restored, project.files.length);
    await assertSameAsCold(third, project.root);
  });

  it('re-reads files changed within the timestamp granularity of their read, and editor text', async () => {
    const project = generateProject(path.join(dir, 'p'), 100, 5);
    // Read at once after writing: with the default 2 s window every stamp is racy, none is saved.
    const racy = new IndexSnapshotStore(path.join(dir, 'storage'), PRODUCER);
    await racy.save(await SpecIndex.load(project.root));
    const next = await SpecIndex.load(project.root, { snapshot: await racy.load(project.root) });
    assert.equal(next.lastLoad.restored, 0);
    assert.equal(next.lastLoad.parsed, project.active);

    // Text from an editor buffer (applyText) is not the file's: that spec is read again next time.
    await settle();
    const index = await SpecIndex.load(project.root);
    const target = index.sorted()[0];
    index.applyText(target.path, readFileSync(target.path, 'utf8').replace(/^status: \w+$/m, 'status: cancelled'));
    await store.save(index);
    const after = await SpecIndex.load(project.root, { snapshot: await store.load(project.root) });
    assert.equal(after.lastLoad.parsed, 1);
    assert.deepStrictEqual(after.get(target.id), target);
  });

  it('never saves content older than its file: a change after the read that the index did not hear of', async () => {
    // The index reads without a stamp and stats each file when it saves; a file changed after the
    // read (here: with no watcher event) has times newer than the read and must not be saved.
    const project = generateProject(path.join(dir, 'p'), 100, 11);
    await settle();
    const index = await SpecIndex.load(project.root);
    const target = index.sorted()[3];
    await settle();
    writeFileSync(target.path, readFileSync(target.path, 'utf8').replace(/^status: \w+$/m, 'status: cancelled'));
    await settle();
    await store.save(index);
    const after = await SpecIndex.load(project.root, { snapshot: await store.load(project.root) });
    assert.deepEqual(after.lastLoad, { snapshot: 'used', restored: project.active - 1, parsed: 1 });
    assert.equal(after.get(target.id)!.status, 'cancelled');
    await assertSameAsCold(after, project.root);
  });

  it('updates made through the watcher path are saved with their own stamps', async () => {
    const project = generateProject(path.join(dir, 'p'), 100, 9);
    await settle();
    const index = await SpecIndex.load(project.root);
    const target = index.sorted()[2];
    writeFileSync(target.path, readFileSync(target.path, 'utf8').replace(/^status: \w+$/m, 'status: cancelled'));
    await settle();
    await index.updateFile(target.path);
    await store.save(index);
    const after = await SpecIndex.load(project.root, { snapshot: await store.load(project.root) });
    assert.deepEqual(after.lastLoad, { snapshot: 'used', restored: project.active, parsed: 0 });
    assert.equal(after.get(target.id)!.status, 'cancelled');
    await assertSameAsCold(after, project.root);
  });

  it('never trusts a corrupt, truncated, foreign or old-format snapshot', async () => {
    writeFiles(dir, {
      'a/.chant/specs/2026-01-01-001-aaa.md': '---\nstatus: pending\n---\n# A\n',
      'b/.chant/specs/2026-01-01-001-aaa.md': '---\nstatus: pending\n---\n# A\n',
    });
    const root = path.join(dir, 'a');
    await settle();
    await store.save(await SpecIndex.load(root));
    const good = readFileSync(store.fileFor(root));
    assert.ok(decodeSnapshot(good, root, PRODUCER));

    const flipped = Buffer.from(good);
    flipped[flipped.length - 3] ^= 0x40;
    assert.equal(decodeSnapshot(flipped, root, PRODUCER), undefined, 'a flipped bit');
    assert.equal(decodeSnapshot(good.subarray(0, good.length - 10), root, PRODUCER), undefined, 'truncated');
    assert.equal(decodeSnapshot(good.subarray(0, 10), root, PRODUCER), undefined, 'only a prefix');
    assert.equal(decodeSnapshot(Buffer.alloc(0), root, PRODUCER), undefined, 'empty');
    assert.equal(decodeSnapshot(Buffer.from('not a snapshot at all, just text'), root, PRODUCER), undefined, 'foreign bytes');
    assert.equal(decodeSnapshot(good, path.join(dir, 'b'), PRODUCER), undefined, 'another project');
    assert.equal(decodeSnapshot(good, root, 'another build'), undefined, 'another producer');
    const old = Buffer.from(good);
    old.writeUInt32LE(SNAPSHOT_FORMAT + 1, 8);
    assert.equal(decodeSnapshot(old, root, PRODUCER), undefined, 'another format');

    // The store gives nothing for a damaged file, and the index is then built cold.
    writeFileSync(store.fileFor(root), flipped);
    assert.equal(await store.load(root), undefined);
    const index = await SpecIndex.load(root, { snapshot: await store.load(root) });
    assert.deepEqual(index.lastLoad, { snapshot: 'none', restored: 0, parsed: 1 });
  });

  it('a checksummed snapshot with unreadable entries falls back to reading the files', async () => {
    writeFiles(dir, { '.chant/specs/2026-01-01-001-aaa.md': '---\nstatus: pending\n---\n# A\n' });
    const bad = encodeSnapshot({
      root: dir,
      producer: PRODUCER,
      chantDir: path.join(dir, '.chant'),
      active: { entries: Buffer.from('[["x"]]'), folders: Buffer.from('[]') } as never,
      archive: undefined,
    });
    const index = await SpecIndex.load(dir, { snapshot: decodeSnapshot(bad, dir, PRODUCER) });
    assert.deepEqual(index.lastLoad, { snapshot: 'unreadable', restored: 0, parsed: 1 });
    assert.equal(index.specs.size, 1);
  });

  it('keeps frontmatter values JSON cannot hold (a commit hash YAML reads as Infinity)', async () => {
    writeFiles(dir, {
      '.chant/specs/2026-01-01-001-aaa.md': '---\nstatus: pending\ncommits:\n- 9392e79\n- 1e999\nextra: -.inf\nnested:\n  zero: -0.0\n  nan: .nan\n---\n# A\n',
    });
    await settle();
    const cold = await SpecIndex.load(dir);
    assert.equal(cold.sorted()[0].frontmatter.extra, -Infinity);
    await store.save(cold);
    const warm = await SpecIndex.load(dir, { snapshot: await store.load(dir) });
    assert.equal(warm.lastLoad.restored, 1);
    assert.deepStrictEqual(observable(warm), observable(cold));
  });

  it('computes the checksum the same way with or without zlib', () => {
    const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff));
    assert.equal(crc32Js(bytes), zlibCrc32(bytes) >>> 0);
    assert.equal(crc32Js(Buffer.alloc(0)), 0);
  });
});
