import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { tokenError } from './errors';

/** Machine codes of the binary formats we can load, per Node `process.arch`. */
const ELF_MACHINE: Record<string, number> = { x64: 62, arm64: 183, ia32: 3, arm: 40 };
const PE_MACHINE: Record<string, number> = { x64: 0x8664, arm64: 0xaa64, ia32: 0x14c, arm: 0x1c4 };
const MACHO_CPU: Record<string, number> = { x64: 0x01000007, arm64: 0x0100000c, ia32: 7, arm: 12 };

export type BinaryFormat = 'elf' | 'pe' | 'macho';
export interface BinaryInfo { format: BinaryFormat; machines: number[] }

const HEADER_BYTES = 4096;

/**
 * Reads the header of a would-be PKCS#11 library and refuses what dlopen would refuse less clearly:
 * a missing file, a non-binary, a binary for another CPU (a 32-bit vendor DLL in a 64-bit app).
 * Done before dlopen because loading a wrong-architecture library gives an opaque OS message.
 */
export function checkLibraryFile(path: string, arch: string = process.arch): BinaryInfo {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw tokenError('TOKEN_LIBRARY_INVALID', `${path} is not a regular file`, { path });
    size = st.size;
  } catch (e) {
    if (e instanceof Error && 'code' in e && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) {
      throw tokenError('TOKEN_LIBRARY_MISSING', `no file at ${path}`, { path });
    }
    throw e;
  }
  const head = Buffer.alloc(Math.min(HEADER_BYTES, size));
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const info = parseBinaryHeader(head);
  if (!info) throw tokenError('TOKEN_LIBRARY_INVALID', `${path} is not an ELF, PE or Mach-O binary`, { path });
  const want = { elf: ELF_MACHINE, pe: PE_MACHINE, macho: MACHO_CPU }[info.format][arch];
  if (want !== undefined && !info.machines.includes(want)) {
    throw tokenError('TOKEN_LIBRARY_WRONG_ARCH', `${path}: ${info.format} machine ${info.machines.map((m) => `0x${m.toString(16)}`).join('/')} does not match ${arch}`, { path, arch });
  }
  return info;
}

export function parseBinaryHeader(b: Buffer): BinaryInfo | null {
  if (b.length >= 20 && b.readUInt32BE(0) === 0x7f454c46) {
    // EI_DATA (byte 5) says the endianness of e_machine at offset 18.
    const machine = b[5] === 2 ? b.readUInt16BE(18) : b.readUInt16LE(18);
    return { format: 'elf', machines: [machine] };
  }
  if (b.length >= 0x40 && b[0] === 0x4d && b[1] === 0x5a) {
    const peOffset = b.readUInt32LE(0x3c);
    if (peOffset + 6 > b.length || b.readUInt32BE(peOffset) !== 0x50450000) return null;
    return { format: 'pe', machines: [b.readUInt16LE(peOffset + 4)] };
  }
  if (b.length >= 8) {
    const magicLe = b.readUInt32LE(0);
    if (magicLe === 0xfeedfacf || magicLe === 0xfeedface) return { format: 'macho', machines: [b.readUInt32LE(4)] };
    if (b.readUInt32BE(0) === 0xcafebabe) {
      // Universal binary: any slice for our CPU will do. Bounded by the header we read.
      const n = Math.min(b.readUInt32BE(4), Math.floor((b.length - 8) / 20));
      const machines: number[] = [];
      for (let i = 0; i < n; i++) machines.push(b.readUInt32BE(8 + i * 20));
      return { format: 'macho', machines };
    }
  }
  return null;
}
