import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

// The C library's realpath: Node's own walks the path component by component in JavaScript (an
// lstat each), ~1 ms of every issue; both sides resolve the same way, which is all a comparison needs.
const realpath = realpathSync.native;

/**
 * Whether writing `output` would replace `input`: the same path after resolution, the same file
 * through symbolic links (realpath of the file, or of the folder for a file not yet there), or the
 * same inode through a hard link. An input that does not exist cannot be overwritten.
 */
export function isSameFile(input: string, output: string): boolean {
  const a = resolve(input);
  const b = resolve(output);
  if (a === b) return true;
  let inReal: string;
  let inStat: { dev: number; ino: number };
  try {
    inReal = realpath(a);
    inStat = statSync(inReal);
  } catch {
    return false;
  }
  let outReal: string;
  try {
    // An output not yet there (the usual case) is asked without an exception: building one costs more
    // than the question.
    const outStat = statSync(b, { throwIfNoEntry: false });
    if (outStat && outStat.dev === inStat.dev && outStat.ino === inStat.ino) return true;
    outReal = outStat ? realpath(b) : resolve(realpath(dirname(b)), basename(b));
  } catch {
    return false; // no such folder: the write fails on its own, and cannot touch the input
  }
  return outReal === inReal;
}
