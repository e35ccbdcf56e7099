import { join, resolve } from 'node:path';

/**
 * The application root, from this file's folder: src-main/core in a checkout, out/electron in the
 * bundled app (both two levels down). Every shipped data file is found from here, never from a
 * module's own depth, which bundling changes.
 */
export const appRoot = resolve(import.meta.dirname, '../..');
export const resourcesDir = join(appRoot, 'resources');
