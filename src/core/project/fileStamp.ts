// What a file looked like when its content was read: size, modification and change times and
// inode. The saved index trusts a file whose stamp is unchanged and re-reads any other. An edit
// that keeps size and modification time still moves the change time (which no program can set
// back), and a replace by rename changes the inode.
import type { Stats } from 'node:fs';

export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  /**
   * Wall-clock time (Date.now()) at or before the read of the content the stamp vouches for; the
   * stat itself may come later (the index stats files when it saves). A stamp whose times are not
   * clearly older than this is "racy": the file may have changed after the read, or may change
   * again within the same timestamp tick and keep the stamp, so it is not trusted (see `isRacy`).
   * Infinity for a stamp that was already proven.
   */
  seenAt: number;
}

/**
 * How much older than the read a file's times must be for its stamp to be trusted. File-system
 * timestamps are coarse (a kernel tick on Linux, 1 s on HFS+ and some network file systems, 2 s on
 * FAT), so a file changed twice within one tick keeps its stamp; 2 s covers all of them, at the
 * cost of re-reading, on the next open, the few files changed in the two seconds before a read.
 */
export const RACY_WINDOW_MS = 2000;

export function stampOf(stats: Stats, seenAt: number): FileStamp {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino, seenAt };
}

/** True when the file may have changed after the read without changing its stamp (or the clock is off). */
export function isRacy(stamp: FileStamp, windowMs = RACY_WINDOW_MS): boolean {
  const limit = stamp.seenAt - windowMs;
  return !(stamp.mtimeMs < limit && stamp.ctimeMs < limit);
}
