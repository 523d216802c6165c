/**
 * custom-elements.json from the element's JSDoc (`@fires`, `@csspart`, `@cssprop`) and
 * its Lit properties. Internal reactive state (`_name`, `state: true`) is not API and is
 * left out.
 */
function dropInternalState() {
  return {
    name: 'daily-missions-drop-internal-state',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          if (!declaration.customElement) continue;
          declaration.attributes = (declaration.attributes ?? []).filter((a) => !a.name.startsWith('_'));
          declaration.members = (declaration.members ?? []).filter((m) => !m.name.startsWith('_') && m.privacy !== 'private');
        }
      }
    },
  };
}

export default {
  globs: ['src/daily-missions.ts', 'src/index.ts'],
  outdir: '.',
  litelement: true,
  plugins: [dropInternalState()],
};
