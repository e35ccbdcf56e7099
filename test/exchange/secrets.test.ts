import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { osKeychain, readSecret, writeSecret } from '../../src-main/core/exchange/secrets';
import { tempDir } from './helpers';

/** The system tools this file drives: installed by native/install-system-packages.sh, never skipped. */
function need(tool: string): void {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`${tool} missing: run bash native/install-system-packages.sh`);
}

const VALUE = Buffer.from('hmac-secret-value-7f3a');

describe('exchange secrets: OS keychain, else a 0600 file', () => {
  it('without a keychain (VANTHU_KEYCHAIN=off) the secret is a 0600 file; a file others can read is refused', () => {
    const dir = tempDir('vanthu-secret-');
    const keychain = osKeychain({ ...process.env, VANTHU_KEYCHAIN: 'off' });
    expect(keychain).toBeNull();
    expect(writeSecret(dir, 'exchange-hmac', VALUE, keychain)).toEqual({ backend: 'file', keychain: null });
    const file = join(dir, 'secrets', 'exchange-hmac');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readSecret(dir, 'exchange-hmac', keychain)).toEqual(VALUE);
    chmodSync(file, 0o644);
    expect(() => readSecret(dir, 'exchange-hmac', keychain)).toThrow(expect.objectContaining({ code: 'CONFLICT', vi: expect.stringMatching(/quyền truy cập quá rộng/) }));
    expect(() => readSecret(dir, '../etc', keychain)).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
  });

  it('secret-tool installed but no session bus answering: falls back to the 0600 file and says why, without the value', () => {
    need('secret-tool');
    const dir = tempDir('vanthu-secret-');
    const keychain = osKeychain({ PATH: process.env.PATH, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-bus')}` }, 'linux');
    expect(keychain?.kind).toBe('secret-tool');
    const placed = writeSecret(dir, 'exchange-hmac', VALUE, keychain);
    expect(placed).toMatchObject({ backend: 'file', keychain: 'secret-tool' });
    expect(placed.fallbackReason).toMatch(/secret-tool exited 1: .*connect/i);
    expect(placed.fallbackReason).not.toContain(VALUE.toString());
    expect(statSync(join(dir, 'secrets', 'exchange-hmac')).mode & 0o777).toBe(0o600);
    expect(readSecret(dir, 'exchange-hmac', keychain)).toEqual(VALUE);
  });

  it('no keychain named at all (no bus address, or no secret-tool on PATH): the file', () => {
    expect(osKeychain({ PATH: process.env.PATH }, 'linux')).toBeNull();
    expect(osKeychain({ PATH: '/nonexistent', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x' }, 'linux')).toBeNull();
    expect(osKeychain({ PATH: process.env.PATH }, 'win32')).toBeNull();
  });

  describe('with a running Secret Service (dbus + gnome-keyring, unlocked)', () => {
    const started: ChildProcess[] = [];
    const pids: number[] = [];
    let env: NodeJS.ProcessEnv = {};
    beforeAll(() => {
      need('dbus-daemon');
      need('gnome-keyring-daemon');
      need('secret-tool');
      const home = tempDir('vanthu-keyring-home-');
      mkdirSync(join(home, 'data'), { recursive: true });
      const bus = spawnSync('dbus-daemon', ['--session', '--fork', '--print-address=1', '--print-pid=1'], { encoding: 'utf8' });
      const [address, pid] = bus.stdout.trim().split('\n');
      if (!address || !pid) throw new Error(`dbus-daemon did not start: ${bus.stderr}`);
      pids.push(Number(pid));
      env = { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_RUNTIME_DIR: home, DBUS_SESSION_BUS_ADDRESS: address };
      const unlock = spawnSync('gnome-keyring-daemon', ['--unlock', '--components=secrets'], { input: 'keyring-password', env, encoding: 'utf8' });
      if (unlock.status !== 0) throw new Error(`gnome-keyring-daemon: ${unlock.stderr}`);
    });
    afterAll(() => {
      // The keyring daemon forks: end every process this test's bus started, then the bus.
      const ps = spawnSync('pgrep', ['-f', `gnome-keyring-daemon`], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean).map(Number);
      for (const p of ps) {
        const environ = spawnSync('cat', [`/proc/${p}/environ`]).stdout.toString('latin1');
        if (environ.includes(env.DBUS_SESSION_BUS_ADDRESS!)) process.kill(p);
      }
      for (const p of pids) process.kill(p);
      for (const c of started) c.kill();
    });

    it('the secret goes to the keychain, no file is written, and it reads back', () => {
      const dir = tempDir('vanthu-secret-');
      const keychain = osKeychain(env, 'linux');
      expect(writeSecret(dir, 'exchange-hmac', VALUE, keychain)).toEqual({ backend: 'keychain', keychain: 'secret-tool' });
      expect(existsSync(join(dir, 'secrets')) ? readdirSync(join(dir, 'secrets')) : []).toEqual([]);
      expect(readSecret(dir, 'exchange-hmac', keychain)).toEqual(VALUE);
      // Keyed by data folder: another workstation folder on the same account does not see it.
      expect(() => readSecret(tempDir('vanthu-secret-'), 'exchange-hmac', keychain)).toThrow(expect.objectContaining({ code: 'NOT_FOUND', vi: expect.stringMatching(/Chưa cấu hình khóa bí mật/) }));
    });
  });
});
