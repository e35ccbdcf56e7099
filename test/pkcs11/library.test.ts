import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src-main/contract/errors';
import { candidatePaths, checkLibraryFile, detectModules, loadCatalogue, openTokenService, parseBinaryHeader } from '../../src-main/core/token';
import { loadPki, type TestPki } from '../helpers/pki';

let pki: TestPki;
let dir: string;
const LIBZ = '/lib/x86_64-linux-gnu/libz.so.1';

/** A 64-byte ELF64 little-endian header of a shared object for `machine`. */
function elfHeader(machine: number, elfClass = 2): Buffer {
  const b = Buffer.alloc(64);
  b.writeUInt32BE(0x7f454c46, 0);
  b[4] = elfClass;
  b[5] = 1; // little endian
  b[6] = 1;
  b.writeUInt16LE(3, 16); // ET_DYN
  b.writeUInt16LE(machine, 18);
  return b;
}

function peHeader(machine: number): Buffer {
  const b = Buffer.alloc(0x100);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.writeUInt32BE(0x50450000, 0x80);
  b.writeUInt16LE(machine, 0x84);
  return b;
}

function loadError(svc: ReturnType<typeof openTokenService>, path: string): AppError {
  try {
    svc.loadModule(path);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error(`${path} loaded`);
}

beforeAll(() => {
  pki = loadPki();
  dir = mkdtempSync(join(tmpdir(), 'vanthu-p11lib-'));
  if (!existsSync(LIBZ)) throw new Error(`${LIBZ} is missing: install zlib1g`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loading PKCS#11 libraries', () => {
  it('refuses non-libraries, missing paths and other CPUs with clear codes, and the process carries on', () => {
    const svc = openTokenService({ modules: [pki.module] });
    try {
      const text = join(dir, 'notes.so');
      writeFileSync(text, 'đây không phải thư viện\n');
      expect(loadError(svc, text).code).toBe('TOKEN_LIBRARY_INVALID');
      expect(loadError(svc, LIBZ)).toMatchObject({ code: 'TOKEN_LIBRARY_INVALID', message: expect.stringContaining('C_GetFunctionList') });
      expect(loadError(svc, join(dir, 'vnpt-ca_csp11.so')).code).toBe('TOKEN_LIBRARY_MISSING');
      expect(loadError(svc, dir).code).toBe('TOKEN_LIBRARY_INVALID');
      const foreign = join(dir, 'foreign.so');
      writeFileSync(foreign, elfHeader(process.arch === 'arm64' ? 62 : 183));
      const wrongArch = loadError(svc, foreign);
      expect(wrongArch.code).toBe('TOKEN_LIBRARY_WRONG_ARCH');
      expect(wrongArch.vi).toMatch(/kiến trúc/);
      const elf32 = join(dir, 'i386.so');
      writeFileSync(elf32, elfHeader(3, 1));
      expect(loadError(svc, elf32).code).toBe('TOKEN_LIBRARY_WRONG_ARCH');
      // Right CPU, truncated: dlopen itself refuses it.
      const truncated = join(dir, 'truncated.so');
      writeFileSync(truncated, elfHeader(process.arch === 'arm64' ? 183 : 62));
      expect(loadError(svc, truncated).code).toBe('TOKEN_LIBRARY_INVALID');
      // Still alive, and the real module still works.
      expect(svc.listTokens().map((t) => t.label)).toContain(pki.tokens.agency);
      const statuses = openTokenService({ modules: [pki.module, LIBZ] });
      try {
        expect(statuses.modules().map((m) => [m.loaded, m.errorCode])).toEqual([[true, null], [false, 'TOKEN_LIBRARY_INVALID']]);
      } finally {
        statuses.close();
      }
    } finally {
      svc.close();
    }
  });

  it('reads PE and Mach-O machine types (32-bit vendor DLLs in a 64-bit app)', () => {
    expect(parseBinaryHeader(peHeader(0x14c))).toEqual({ format: 'pe', machines: [0x14c] });
    const dll = join(dir, 'viettel-ca_v1.dll');
    writeFileSync(dll, peHeader(0x14c));
    expect(() => checkLibraryFile(dll, 'x64')).toThrow(expect.objectContaining({ code: 'TOKEN_LIBRARY_WRONG_ARCH' }));
    writeFileSync(dll, peHeader(0x8664));
    expect(checkLibraryFile(dll, 'x64')).toEqual({ format: 'pe', machines: [0x8664] });
    const macho = Buffer.alloc(32);
    macho.writeUInt32LE(0xfeedfacf, 0);
    macho.writeUInt32LE(0x0100000c, 4);
    expect(parseBinaryHeader(macho)).toEqual({ format: 'macho', machines: [0x0100000c] });
    expect(parseBinaryHeader(Buffer.from('#!/bin/sh\n'))).toBeNull();
  });
});

describe('driver catalogue', () => {
  it('holds the Vietnamese CA drivers for every OS and finds SoftHSM here', () => {
    const cat = loadCatalogue();
    const dlls = cat.modules.flatMap((m) => m.windows);
    for (const name of ['bit4xpki.dll', 'eTPKCS11.dll', 'vnpt-ca_csp11.dll', 'viettel-ca_v6.dll', 'BkavCA.dll', 'fpt-ca.dll', 'CA2_csp11.dll', 'Vina-CA.dll', 'opensc-pkcs11.dll']) {
      expect(dlls).toContain(name);
    }
    expect(cat.modules.flatMap((m) => m.darwin)).toContain('/Library/bit4id/pkcs11/libbit4xpki.dylib');
    expect(detectModules().map((m) => m.path)).toContain(pki.module);
  });

  it('expands Windows folders and ~ and keeps only existing files', () => {
    const env = { SystemRoot: 'C:\\Windows', ProgramFiles: 'C:\\Program Files', 'ProgramFiles(x86)': 'C:\\Program Files (x86)' };
    const win = candidatePaths({ platform: 'win32', env });
    expect(win.map((c) => c.path)).toContain('C:\\Windows\\System32\\vnpt-ca_csp11.dll');
    const found = detectModules({ platform: 'win32', env, exists: (p) => p === 'C:\\Program Files (x86)\\Viettel-CA\\viettel-ca_v6.dll' });
    expect(found).toEqual([{ vendor: 'Viettel-CA', path: 'C:\\Program Files (x86)\\Viettel-CA\\viettel-ca_v6.dll' }]);
    const linux = candidatePaths({ platform: 'linux', home: '/home/vanthu' });
    expect(linux.map((c) => c.path)).toContain('/home/vanthu/.uid/viettel-ca_v6.so');
  });
});
