// seedrandom's Alea generator on its own: the package's index pulls in every
// generator and a Node crypto require, none of which the worker needs.
declare module 'seedrandom/lib/alea.js' {
  interface AleaGenerator {
    (): number;
  }
  function alea(seed: string): AleaGenerator;
  export default alea;
}
