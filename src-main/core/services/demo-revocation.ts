import { demoCaFiles, type Settings } from '../config';
import type { Logger } from '../log';
import { startDemoResponder, type DemoResponder } from '../trust/demo-responder';

/**
 * The demo profile's revocation source (core/trust/demo-responder.ts), and the settings that send the
 * workstation's revocation checks to it; core/backend.ts asks it for every host (window, CLI, tests).
 * An agency's settings, and a demo whose OCSP/CRL addresses are already set, are returned as they are.
 */
export async function withDemoRevocation(settings: Settings, log: Logger, env: NodeJS.ProcessEnv): Promise<{ settings: Settings; responder: DemoResponder | null }> {
  if (!settings.demo || settings.ocspUrlOverride || settings.crlUrlOverride) return { settings, responder: null };
  try {
    const responder = await startDemoResponder(demoCaFiles(env));
    log.info('demo revocation source started', { ocsp: responder.ocspUrl, crl: responder.crlUrl });
    return { settings: { ...settings, ocspUrlOverride: responder.ocspUrl, crlUrlOverride: responder.crlUrl }, responder };
  } catch (e) {
    // The workstation still starts: revocation is then unknown, and issuing refuses it unless the clerk confirms.
    log.warn('demo revocation source did not start', { error: (e as Error).message });
    return { settings, responder: null };
  }
}
