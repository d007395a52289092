// Every file chant itself wrote must load, and our counts must agree with a plain YAML read of the
// same files. The corpus sits beside the repository; the suite skips when it is not there (fails in CI).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SpecIndex } from '../../src/core/project/specIndex';
import { parseSpec } from '../../src/core/spec/specParser';
import { corpusDir, markdownFiles } from './paths';
import { requireCorpus } from './prerequisites';


/** The simplest possible reading: the text between the first two `---` lines, through `yaml`. */
function plainStatus(text: string): string {
  const match = /^\s*---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  if (!match) return '(none)';
  try {
    const data = parseYaml(match[1]) as Record<string, unknown> | null;
    const status = data?.status;
    return status === undefined || status === null ? '(none)' : String(status);
  } catch {
    return '(unreadable)';
  }
}

describe('the real corpus written by chant', function () {
  before(function () {
    requireCorpus(this);
  });

  it('loads every historical spec without throwing, each with a title', () => {
    const files = markdownFiles(path.join(corpusDir, 'historical-specs'));
    assert.equal(files.length, 300);
    const counts: Record<string, number> = {};
    const plain: Record<string, number> = {};
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const spec = parseSpec(text, { id: path.basename(file, '.md'), path: file });
      assert.ok(spec.title, `${file} has a title`);
      assert.ok(!spec.problems.some((p) => p.code === 'yaml'), `${file} has valid YAML`);
      const written = spec.frontmatter.status === undefined ? '(none)' : String(spec.frontmatter.status);
      counts[written] = (counts[written] ?? 0) + 1;
      const p = plainStatus(text);
      plain[p] = (plain[p] ?? 0) + 1;
    }
    assert.deepEqual(counts, plain);
  });

  it('flags the specs chant v0.23 can no longer load (type: docs)', () => {
    const files = markdownFiles(corpusDir);
    const rejected = files
      .map((file) => parseSpec(readFileSync(file, 'utf8'), { id: path.basename(file, '.md'), path: file }))
      .filter((spec) => spec.chantWouldReject);
    assert.ok(rejected.length > 0);
    for (const spec of rejected) {
      assert.ok(spec.problems.length > 0, `${spec.path} says why`);
      assert.ok(!spec.typeKnown || !spec.statusKnown || spec.problems.some((p) => p.severity === 'error'));
    }
    // The corpus holds 7 files with `type: docs` (a free string before v0.23 closed the enum).
    assert.equal(rejected.filter((spec) => spec.type === 'docs').length, 7);
    assert.ok(rejected.every((spec) => spec.problems.some((p) => p.code === 'unknown-type' || p.code === 'yaml')));
  });

  it('indexes the workspace snapshot: counts per status match a plain YAML read, readiness matches chant', async () => {
    const root = path.join(corpusDir, 'workspace-2026-01-25');
    const index = await SpecIndex.load(root, { includeArchive: true });
    const specFiles = markdownFiles(path.join(root, '.chant', 'specs'));
    const archiveFiles = markdownFiles(path.join(root, '.chant', 'archive'));
    assert.equal(index.specs.size, specFiles.length);
    assert.equal(index.archived!.size, archiveFiles.length);
    assert.equal(index.specs.size, 66);
    assert.equal(index.archived!.size, 96);
    const ours: Record<string, number> = {};
    for (const spec of [...index.specs.values(), ...index.archived!.values()]) {
      const s = spec.frontmatter.status === undefined ? '(none)' : String(spec.frontmatter.status);
      ours[s] = (ours[s] ?? 0) + 1;
    }
    const plain: Record<string, number> = {};
    for (const file of [...specFiles, ...archiveFiles]) {
      const s = plainStatus(readFileSync(file, 'utf8'));
      plain[s] = (plain[s] ?? 0) + 1;
    }
    assert.deepEqual(ours, plain);
    assert.equal(index.config.projectName, 'chant');
    // Readiness as chant would give it, worked out by hand from the snapshot: the group's members
    // sgp.1-3 are completed, sgp.4-7 each depend on the previous one; 011-pyt and 01g-v2e are
    // pending with nothing in the way; everything else is completed or in progress as written.
    const sgp = '2026-01-25-010-sgp';
    const ready: string[] = [];
    const blocked: Record<string, string[]> = {};
    for (const spec of index.specs.values()) {
      const readiness = index.readiness(spec.id)!;
      assert.equal(readiness.chantCannotLoad, false, spec.id);
      if (readiness.ready) ready.push(spec.id);
      if (readiness.blocked) blocked[spec.id] = readiness.blockers.map((b) => `${b.kind} ${b.id} (${b.status})`);
      if (!readiness.ready && !readiness.blocked) assert.equal(readiness.effective, spec.status, spec.id);
    }
    assert.deepEqual(ready.sort(), [`${sgp}.4`, '2026-01-25-011-pyt', '2026-01-25-01g-v2e']);
    assert.deepEqual(blocked, {
      [`${sgp}.5`]: [`dependency-unmet ${sgp}.4 (pending)`],
      [`${sgp}.6`]: [`dependency-unmet ${sgp}.5 (blocked)`],
      [`${sgp}.7`]: [`dependency-unmet ${sgp}.6 (blocked)`],
    });
    // chant work would also refuse sgp.7 for each earlier sibling that is not completed.
    assert.deepEqual(
      index.readiness(`${sgp}.7`)!.workBlockers.map((b) => b.id),
      [`${sgp}.6`, `${sgp}.4`, `${sgp}.5`, `${sgp}.6`],
    );
  });
});
