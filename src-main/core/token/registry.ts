import { realpathSync } from 'node:fs';
import { CK, isPkcs11Error, type Pkcs11Factory, type Pkcs11Like } from './pkcs11-api';
import { mapPkcs11Error, tokenError } from './errors';
import { checkLibraryFile } from './library-check';

export interface LoadedModule {
  /** The path as configured (what token refs carry). */
  path: string;
  p11: Pkcs11Like;
  manufacturer: string;
  description: string;
  /** Whether we called C_Initialize (and so owe the C_Finalize). */
  ownsInit: boolean;
}

/**
 * Loads each PKCS#11 library once and keeps it loaded for the life of the process: some vendor
 * modules crash or leak on a second C_Initialize/C_Finalize cycle. `close()` finalises them all.
 */
export class ModuleRegistry {
  private readonly loaded = new Map<string, LoadedModule>();
  private readonly byRealPath = new Map<string, LoadedModule>();

  constructor(private readonly factory: Pkcs11Factory) {}

  get(path: string): LoadedModule {
    const hit = this.loaded.get(path);
    if (hit) return hit;
    checkLibraryFile(path);
    // Two names for one file (symlinks) must share the one Cryptoki instance.
    const real = safeRealpath(path);
    const same = this.byRealPath.get(real);
    if (same) {
      this.loaded.set(path, same);
      return same;
    }
    const mod = this.load(path);
    this.loaded.set(path, mod);
    this.byRealPath.set(real, mod);
    return mod;
  }

  all(): LoadedModule[] {
    return [...new Set(this.loaded.values())];
  }

  close(): void {
    for (const m of this.all()) {
      try {
        if (m.ownsInit) m.p11.C_Finalize();
      } catch {
        // Finalising a module that lost its device still has to unload it.
      }
      try {
        m.p11.close();
      } catch {
        // Already unloaded.
      }
    }
    this.loaded.clear();
    this.byRealPath.clear();
  }

  private load(path: string): LoadedModule {
    const p = this.factory();
    try {
      p.load(path);
    } catch (e) {
      throw loadError(path, e);
    }
    let ownsInit = true;
    try {
      initialize(p);
    } catch (e) {
      if (isPkcs11Error(e) && e.code === CK.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        ownsInit = false;
      } else {
        try { p.close(); } catch { /* nothing left to release */ }
        throw mapPkcs11Error(e, `C_Initialize of ${path}`);
      }
    }
    let manufacturer = '';
    let description = '';
    try {
      const info = p.C_GetInfo();
      manufacturer = info.manufacturerID.trim();
      description = info.libraryDescription.trim();
    } catch {
      // Informational only.
    }
    return { path, p11: p, manufacturer, description, ownsInit };
  }
}

/**
 * C_SignAsync runs C_Sign on a libuv worker thread while the main thread may call C_GetTokenInfo
 * (slot polling): the module must lock for itself. A module that cannot (CKR_CANT_LOCK) gets the
 * plain call; our per-token queue still keeps one operation at a time on each session.
 */
function initialize(p: Pkcs11Like): void {
  try {
    p.C_Initialize({ flags: CK.CKF_OS_LOCKING_OK });
  } catch (e) {
    if (isPkcs11Error(e) && e.code === CK.CKR_CANT_LOCK) p.C_Initialize();
    else throw e;
  }
}

/** dlopen failures arrive as plain Errors whose text is the OS loader's. */
function loadError(path: string, e: unknown) {
  const msg = e instanceof Error ? e.message : String(e);
  if (/wrong ELF class|architecture|bad CPU type|%1 is not a valid Win32/i.test(msg)) {
    return tokenError('TOKEN_LIBRARY_WRONG_ARCH', `dlopen ${path}: ${msg}`, { path }, e);
  }
  if (/No such file|cannot find the (file|module)|not found/i.test(msg) && !/symbol/i.test(msg)) {
    return tokenError('TOKEN_LIBRARY_MISSING', `dlopen ${path}: ${msg}`, { path }, e);
  }
  return tokenError('TOKEN_LIBRARY_INVALID', `dlopen ${path}: ${msg}`, { path }, e);
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
