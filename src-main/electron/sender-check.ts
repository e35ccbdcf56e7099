/**
 * IPC sender check (pure, so it is tested without Electron): only the main frame of our own window,
 * loaded from our app:// origin, may call the API. Sub-frames and any other origin are refused.
 */
export function isTrustedSender(s: { frameUrl: string; isMainFrame: boolean; appOrigin: string }): boolean {
  if (!s.isMainFrame) return false;
  let url: URL;
  try {
    url = new URL(s.frameUrl);
  } catch {
    return false;
  }
  return `${url.protocol}//${url.host}` === s.appOrigin;
}
