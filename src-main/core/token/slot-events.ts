import { CK, isPkcs11Error, type Handle } from './pkcs11-api';
import type { LoadedModule } from './registry';

export interface SlotEvent {
  kind: 'inserted' | 'removed';
  module: string;
  /** Slot id, hex: for logs only, never to address a token. */
  slotId: string;
  label: string;
  serial: string;
}

export interface SlotPresence { module: string; slotId: string; label: string; serial: string }

/** Tokens present now, keyed so that a re-initialised token in the same slot counts as a new one. */
export function snapshotModule(m: LoadedModule): Map<string, SlotPresence> {
  const out = new Map<string, SlotPresence>();
  let slots: Handle[];
  try {
    slots = m.p11.C_GetSlotList(true);
  } catch {
    return out;
  }
  for (const slot of slots) {
    try {
      const info = m.p11.C_GetTokenInfo(slot);
      if (!(info.flags & CK.CKF_TOKEN_INITIALIZED)) continue; // an empty slot SoftHSM keeps for --init-token
      const p: SlotPresence = { module: m.path, slotId: slot.toString('hex'), label: cleanLabel(info.label), serial: info.serialNumber.trim() };
      out.set(`${m.path}\n${p.slotId}\n${p.label}\n${p.serial}`, p);
    } catch {
      // A token pulled out mid-scan (SoftHSM: CKR_GENERAL_ERROR after --delete-token) is absent.
    }
  }
  return out;
}

export function cleanLabel(s: string): string {
  return s.replace(/[\s\0]+$/, '').normalize('NFC');
}

export interface WatcherOptions {
  modules: () => LoadedModule[];
  intervalMs: number;
  emit: (e: SlotEvent) => void;
}

/**
 * Watches for token insertion and removal. Each tick drains C_WaitForSlotEvent(CKF_DONT_BLOCK) where
 * the module implements it; once a module has proven its event queue works, ticks without events
 * skip the rescan (C_GetTokenInfo on a real card is USB traffic). Modules without the call, or
 * whose queue never reports (SoftHSM answers CKR_NO_EVENT forever), are rescanned every tick.
 */
export class SlotWatcher {
  private timer: NodeJS.Timeout | null = null;
  private readonly known = new Map<string, Map<string, SlotPresence>>();
  private readonly waitState = new Map<string, 'unknown' | 'unsupported' | 'proven'>();

  constructor(private readonly opts: WatcherOptions) {}

  start(): void {
    if (this.timer) return;
    for (const m of this.opts.modules()) this.known.set(m.path, snapshotModule(m));
    this.timer = setInterval(() => this.tick(), this.opts.intervalMs);
    // Watching must never keep a CLI process alive.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.known.clear();
  }

  tick(): void {
    for (const m of this.opts.modules()) {
      // A module loaded after start() gives a baseline, not a burst of "inserted".
      if (!this.known.has(m.path)) {
        this.known.set(m.path, snapshotModule(m));
        continue;
      }
      const events = this.drainEvents(m);
      const state = this.waitState.get(m.path);
      if (state === 'proven' && events === 0) continue;
      this.diff(m);
    }
  }

  private drainEvents(m: LoadedModule): number {
    if (this.waitState.get(m.path) === 'unsupported') return 0;
    let n = 0;
    try {
      // Bounded: a module that reports an event on every call must not spin the loop.
      for (let i = 0; i < 32 && m.p11.C_WaitForSlotEvent(CK.CKF_DONT_BLOCK) !== null; i++) n++;
      if (n > 0) this.waitState.set(m.path, 'proven');
      else if (!this.waitState.has(m.path)) this.waitState.set(m.path, 'unknown');
    } catch (e) {
      if (!isPkcs11Error(e) || e.code === CK.CKR_FUNCTION_NOT_SUPPORTED) this.waitState.set(m.path, 'unsupported');
    }
    return n;
  }

  private diff(m: LoadedModule): void {
    const before = this.known.get(m.path) ?? new Map<string, SlotPresence>();
    const now = snapshotModule(m);
    this.known.set(m.path, now);
    for (const [key, p] of before) if (!now.has(key)) this.safeEmit({ kind: 'removed', ...p });
    for (const [key, p] of now) if (!before.has(key)) this.safeEmit({ kind: 'inserted', ...p });
  }

  private safeEmit(e: SlotEvent): void {
    try {
      this.opts.emit(e);
    } catch {
      // A failing subscriber must not stop the watcher.
    }
  }
}
