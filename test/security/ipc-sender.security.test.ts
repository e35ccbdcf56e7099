import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../src-main/electron/sender-check';

describe('IPC sender check', () => {
  const appOrigin = 'app://vanthu';
  it('accepts the main frame of our app origin', () => {
    expect(isTrustedSender({ frameUrl: 'app://vanthu/index.html', isMainFrame: true, appOrigin })).toBe(true);
  });
  it('refuses sub-frames, foreign origins and junk', () => {
    expect(isTrustedSender({ frameUrl: 'app://vanthu/index.html', isMainFrame: false, appOrigin })).toBe(false);
    expect(isTrustedSender({ frameUrl: 'https://evil.example/', isMainFrame: true, appOrigin })).toBe(false);
    expect(isTrustedSender({ frameUrl: 'app://vanthu.evil/index.html', isMainFrame: true, appOrigin })).toBe(false);
    expect(isTrustedSender({ frameUrl: 'file:///etc/passwd', isMainFrame: true, appOrigin })).toBe(false);
    expect(isTrustedSender({ frameUrl: '', isMainFrame: true, appOrigin })).toBe(false);
  });
});
