/** Whether the built CLI in `out` may run for the checkout at `root` (built.cjs). */
export function builtIsFresh(root: string, out: string): boolean;
