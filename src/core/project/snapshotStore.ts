// Where saved indexes live: one file per project in a folder the editor gives the extension for
// this workspace (VS Code's workspace storage), never in the repository. Reads and writes are
// best effort: a missing, unreadable or rejected snapshot means a cold index, a failed write
// means the next open is cold too.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { decodeSnapshot, encodeSnapshot, type IndexSnapshot } from './indexSnapshot';
import type { SpecIndex } from './specIndex';

export class IndexSnapshotStore {
  private producerValue: Promise<string> | undefined;

  /**
   * @param dir a folder outside the repository (created on the first save)
   * @param producer who writes the snapshots (the extension's build): others' snapshots are ignored.
   *   A function is called once, on first use, so that finding it costs activation nothing.
   */
  constructor(
    readonly dir: string,
    private readonly producer: string | (() => Promise<string>),
    private readonly options: { racyWindowMs?: number } = {},
  ) {}

  private producerName(): Promise<string> {
    this.producerValue ??= typeof this.producer === 'string' ? Promise.resolve(this.producer) : this.producer();
    return this.producerValue;
  }

  /** The file of the project at `root`; the name is a hash, so paths never become file names. */
  fileFor(root: string): string {
    const key = createHash('sha256').update(root).digest('hex').slice(0, 24);
    return path.join(this.dir, `index-${key}.chantidx`);
  }

  async load(root: string): Promise<IndexSnapshot | undefined> {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(this.fileFor(root));
    } catch {
      return undefined;
    }
    return decodeSnapshot(bytes, root, await this.producerName());
  }

  /** Saves `index` atomically (a temporary file renamed over the old one); returns the bytes written. */
  async save(index: SpecIndex): Promise<number> {
    const bytes = encodeSnapshot({
      ...(await index.snapshotContent(await this.producerName())),
      racyWindowMs: this.options.racyWindowMs,
    });
    const file = this.fileFor(index.paths.root);
    const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await fs.mkdir(this.dir, { recursive: true });
    try {
      await fs.writeFile(temp, bytes);
      await fs.rename(temp, file);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    return bytes.length;
  }
}
