import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Whether writing `output` would replace `input`: the same path after resolution, or the same file
 * by device and inode, which stat reaches through symbolic links (to the file or to a folder on the
 * way) and hard links alike. An input that does not exist cannot be overwritten, and an output that
 * does not exist is a new file (the write renames over the path, so a dangling link there is replaced,
 * not followed). No path is resolved with realpath unless a volume gives no inode numbers.
 */
export function isSameFile(input: string, output: string): boolean {
  const a = resolve(input);
  const b = resolve(output);
  if (a === b) return true;
  try {
    const inStat = statSync(a, { throwIfNoEntry: false });
    // Asked without an exception: an output not yet there is the usual case, and building one costs
    // more than the question.
    const outStat = inStat && statSync(b, { throwIfNoEntry: false });
    if (!inStat || !outStat) return false;
    if (inStat.ino !== 0 || outStat.ino !== 0) return inStat.dev === outStat.dev && inStat.ino === outStat.ino;
    // Some network and FAT volumes report no inode numbers: compare the resolved paths instead.
    return realpathSync.native(a) === realpathSync.native(b);
  } catch {
    return false; // no such folder or no access: the write fails on its own, and cannot touch the input
  }
}
