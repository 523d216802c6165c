/**
 * The demo page (demo/index.html, what `npm start` serves) in a frame: it loads without
 * errors, its buttons record activity that moves a mission, and its controls reach the
 * widget.
 */
import { expect } from 'chai';
import { sleep } from './support/helpers.js';

async function until<T>(read: () => T | null | undefined | false, timeoutMs = 10_000): Promise<T> {
  const start = performance.now();
  for (;;) {
    const value = read();
    if (value) return value;
    if (performance.now() - start > timeoutMs) throw new Error('condition not met in time');
    await sleep(25);
  }
}

describe('demo page', function () {
  this.timeout(30_000);
  let frame: HTMLIFrameElement;
  let errors: string[];

  before(async () => {
    errors = [];
    frame = document.createElement('iframe');
    frame.style.inlineSize = '1000px';
    frame.style.blockSize = '900px';
    frame.src = new URL('../../demo/index.html', import.meta.url).href;
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    document.body.append(frame);
    await loaded;
    const win = frame.contentWindow!;
    win.addEventListener('error', (e) => errors.push(e.message));
    win.addEventListener('unhandledrejection', (e) => errors.push(String((e as PromiseRejectionEvent).reason)));
  });
  after(() => frame.remove());

  const widget = () => frame.contentDocument!.querySelector('daily-missions')!;
  const progress = () => [...widget().shadowRoot!.querySelectorAll('[part="progress"]')].map((bar) => Number(bar.getAttribute('aria-valuenow')));

  it('shows the widget with missions and no errors', async () => {
    await until(() => widget()?.shadowRoot?.querySelectorAll('[part="mission"]').length === 3);
    expect(widget().shadowRoot!.querySelector('[part="error"]'), 'no degraded state').to.equal(null);
    expect(errors).to.deep.equal([]);
  });

  it('records a lesson from its buttons and a mission moves', async () => {
    const before = progress().reduce((a, b) => a + b, 0);
    const doc = frame.contentDocument!;
    for (const name of ['lesson-3', 'perfect', 'study', 'new-set']) {
      doc.querySelector<HTMLButtonElement>(`button[data-record="${name}"]`)!.click();
      await until(() => doc.querySelector('#log')!.textContent !== '');
    }
    await until(() => progress().reduce((a, b) => a + b, 0) > before);
    expect(errors).to.deep.equal([]);
  });

  it('switches the widget language from the panel', async () => {
    const doc = frame.contentDocument!;
    const select = doc.querySelector<HTMLSelectElement>('select[name="language"]')!;
    select.value = 'ar';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await until(() => widget().shadowRoot!.querySelector('[part="card"]')?.getAttribute('dir') === 'rtl');
    expect(errors).to.deep.equal([]);
  });
});
