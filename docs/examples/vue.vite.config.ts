// vite.config.ts of a Vue app with single-file components: tell Vue's template compiler
// that <daily-missions> is a custom element, not a Vue component it failed to resolve.
// https://vuejs.org/guide/extras/web-components.html#skipping-component-resolution
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  plugins: [
    vue({
      template: {
        compilerOptions: {
          isCustomElement: (tag) => tag === 'daily-missions',
        },
      },
    }),
  ],
});
