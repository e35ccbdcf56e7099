// Worker threads do not inherit the TypeScript loader: register tsx here, then load the host.
import { register } from 'tsx/esm/api';

register();
// Told to the host, which loads a TypeScript extension through tsx itself when it runs from a bundle.
globalThis.__vanthuTsx = true;
await import('./worker-host.ts');
