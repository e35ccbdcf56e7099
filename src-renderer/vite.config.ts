import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

const here = import.meta.dirname;

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  resolve: { alias: { '@contract': resolve(here, '../src-main/contract'), '@resources': resolve(here, '../resources') } },
  build: { outDir: resolve(here, '../out/renderer'), emptyOutDir: true, sourcemap: false, target: 'es2022' },
});
