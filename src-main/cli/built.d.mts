/** Whether the built CLI in `out` may run for the checkout at `root` (built.mjs). */
export function builtIsFresh(root: string, out: string): boolean;
