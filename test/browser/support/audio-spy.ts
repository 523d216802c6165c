/**
 * A Web Audio spy for celebration tests: counts AudioContext constructions and notes
 * (oscillators). `installAudioSpy()` replaces window.AudioContext for the test file
 * (mocha's before/after hooks of the file that calls it), before any element celebrates.
 */
export const audio = { constructed: 0, oscillators: 0 };

export function installAudioSpy(): void {
  const OriginalAudioContext = window.AudioContext;

  class CountingAudioContext extends OriginalAudioContext {
    constructor(options?: AudioContextOptions) {
      super(options);
      audio.constructed += 1;
    }
    override createOscillator(): OscillatorNode {
      audio.oscillators += 1;
      return super.createOscillator();
    }
  }

  before(() => {
    window.AudioContext = CountingAudioContext;
  });

  after(() => {
    window.AudioContext = OriginalAudioContext;
  });
}
