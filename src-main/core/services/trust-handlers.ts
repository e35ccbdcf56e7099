import type { Handlers } from '../../contract/dispatch';
import type { trustMethods } from '../../contract/trust';
import type { Settings } from '../config';
import { refreshTrust, trustStatus } from '../verify/trust-status';

/** trust.status and trust.refresh over the agency's configured anchors, intermediates, CRL mirror and cache. */
export function trustHandlers(settings: Pick<Settings, 'trustDir' | 'intermediates' | 'dataDir' | 'crlUrlOverride'>): Handlers<typeof trustMethods> {
  return {
    'trust.status': () => trustStatus(settings),
    'trust.refresh': ({ extraUrls }) => refreshTrust(settings, { extraUrls: extraUrls ?? [] }),
  };
}
