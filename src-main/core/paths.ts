import { join, resolve } from 'node:path';

/**
 * The application root, from this file's folder: src-main/core in a checkout, out/electron in the
 * bundled app (both two levels down). Every shipped data file is found from here, never from a
 * module's own depth, which bundling changes.
 */
export const appRoot = resolve(import.meta.dirname, '../..');
export const resourcesDir = join(appRoot, 'resources');

/**
 * Whether dispatchers parse their handlers' outputs (contract/dispatch.ts): in tests and development,
 * not in production builds (the packaged app, the built CLI: both set NODE_ENV at build time).
 */
export const checksOutputs = process.env.NODE_ENV !== 'production';
