/**
 * `<daily-missions>` on a host page with a strict Content-Security-Policy and Trusted
 * Types (docs/architecture.md §3, "Shipping the worker"; README "Under Trusted Types, allow the
 * policy `daily-missions`").
 *
 * Each scenario is an iframe whose policy comes from a `<meta http-equiv>` in the
 * fixture page (fixtures/csp-*.html): no 'unsafe-inline', no 'unsafe-eval', and
 * `require-trusted-types-for 'script'`. The fixture's only script is the external module
 * fixtures/csp-page.ts, which mounts the widget, records a lesson and posts a report
 * (see `CspReport` there) back to this page.
 *
 * The dev server injects one script into every HTML page it serves
 * (`<script type="module" src="/__web-dev-server__web-socket.js">`, its reload
 * socket). It is an external same-origin script, so `script-src 'self'` covers it and
 * no hash is needed; the first test checks that nothing inline is injected, which is
 * what a hash would be needed for.
 *
 * Scenarios:
 * - csp-strict.html: exactly the policy a host gets by following the README
 *   (`trusted-types daily-missions lit-html`: the package's policy and Lit's own).
 * - csp-no-worker.html: `worker-src 'none'`: the main-thread fallback.
 */
import { expect } from 'chai';
import type { CspReport } from './fixtures/csp-page.js';

const NOW = Date.UTC(2025, 5, 11, 10); // a Wednesday, 12:00 in Berlin
const WORKER_URL = new URL('../../worker/main.ts', import.meta.url).href;

const BASE_POLICY =
  "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self'; connect-src 'self'; require-trusted-types-for 'script'";
const POLICIES: Record<string, string> = {
  'csp-strict.html': `${BASE_POLICY}; trusted-types daily-missions lit-html`,
  'csp-no-worker.html': `${BASE_POLICY.replace("worker-src 'self'", "worker-src 'none'")}; trusted-types daily-missions lit-html`,
};

const fixtureUrl = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

const open: HTMLIFrameElement[] = [];

/** Loads a fixture page in an iframe for a fresh user and resolves with its report. */
function runFixture(name: string, timeoutMs = 20_000): Promise<CspReport> {
  const frame = document.createElement('iframe');
  const url = fixtureUrl(name);
  url.searchParams.set('user', `csp-${crypto.randomUUID()}`);
  url.searchParams.set('now', String(NOW));
  frame.src = url.href;
  open.push(frame);
  return new Promise<CspReport>((resolve, reject) => {
    const timer = setTimeout(() => {
      window.removeEventListener('message', onMessage);
      reject(new Error(`${name} posted no report within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (event: MessageEvent) => {
      if (event.source !== frame.contentWindow || (event.data as { type?: string })?.type !== 'csp-report') return;
      clearTimeout(timer);
      window.removeEventListener('message', onMessage);
      resolve(event.data as CspReport);
    };
    window.addEventListener('message', onMessage);
    document.body.append(frame);
  });
}

const show = (value: unknown) => JSON.stringify(value, null, 1);

after(() => {
  for (const frame of open.splice(0)) frame.remove();
});

describe('<daily-missions> under a strict Content-Security-Policy', () => {
  it('fixture pages are served with their policy first and without any inline script', async () => {
    for (const [name, policy] of Object.entries(POLICIES)) {
      const response = await fetch(fixtureUrl(name));
      expect(response.ok, name).to.equal(true);
      const served = new DOMParser().parseFromString(await response.text(), 'text/html');
      const meta = served.querySelector('meta[http-equiv="Content-Security-Policy"]');
      expect(meta?.getAttribute('content'), `${name}: policy`).to.equal(policy);
      // A <meta> policy only governs what comes after it: nothing may load before it.
      const first = served.head.querySelector('script, link, style, meta[http-equiv="Content-Security-Policy"]');
      expect(first, `${name}: the policy comes before any script or style`).to.equal(meta);
      const scripts = [...served.querySelectorAll('script')];
      // What the dev server injects (its web-socket module) is external and same-origin:
      // script-src 'self' allows it. An inline script here would need a hash in the policy.
      for (const script of scripts) {
        expect(script.getAttribute('src'), `${name}: inline script injected: ${script.outerHTML}`).to.be.a('string').and.not.equal('');
        expect(new URL(script.getAttribute('src')!, response.url).origin, `${name}: ${script.outerHTML}`).to.equal(location.origin);
      }
      expect(served.querySelectorAll('style, [style]'), `${name}: inline styles`).to.have.length(0);
      expect(scripts.map((s) => s.getAttribute('src'))).to.include('./csp-page.ts');
    }
  });

  describe('with the policy the README documents (trusted-types daily-missions lit-html)', () => {
    let report: CspReport;
    before(async function () {
      this.timeout(25_000);
      report = await runFixture('csp-strict.html');
    });

    it('loads the package and shows missions', () => {
      // Lit creates its own Trusted Types policy, 'lit-html', when its module starts, so
      // the documented policy names both; with 'daily-missions' alone Lit cannot load.
      expect(report.errors, show(report)).to.deep.equal([]);
      expect(report.imported, 'import of src/index succeeded').to.equal(true);
      expect(report.defined, '<daily-missions> is defined').to.equal(true);
      expect(report.missionsRendered, show(report)).to.equal(3);
      expect(report.storage).to.equal('indexeddb');
    });

    it('renders the missions and records a lesson without any uncaught error', () => {
      expect(report.errors, show(report.errors)).to.deep.equal([]);
      expect(report.missionsRendered).to.equal(3);
      expect(report.progress.some((value) => value > 0), `progress after the lesson: ${show(report.progress)}`).to.equal(true);
      expect(report.recordResult).to.be.an('array');
      expect(report.missionsErrors, 'no degraded state').to.deep.equal([]);
    });

    it("starts the real worker through the 'daily-missions' Trusted Types policy", () => {
      // Trusted Types really are enforced on the page: a plain string is refused as a worker URL.
      expect(report.trustedTypes).to.equal(true);
      expect(report.plainStringWorkerRefused, 'a plain string worker URL is refused').to.equal(true);
      expect(report.policies.filter((p) => p.name === 'daily-missions'), show(report.policies)).to.deep.equal([{ name: 'daily-missions', created: true }]);
      // getPolicyNames() is gone from current Chromium; the page's spy on createPolicy stands in for it.
      if (report.policyNames) expect(report.policyNames).to.include('daily-missions');
      expect(report.scriptUrlsThroughPolicy, 'the worker URL went through the policy').to.deep.equal([WORKER_URL]);
      expect(report.runningWorkers, 'a worker is running').to.equal(1);
      expect(report.storage, 'the worker answers with IndexedDB storage').to.equal('indexeddb');
    });

    it("applies Lit's adopted stylesheet under style-src 'self'", () => {
      // Constructable stylesheets are not subject to style-src: `static styles` work.
      expect(report.adoptedStyleSheets).to.be.greaterThan(0);
      expect(report.hostRadius, '--dm-radius from the :host rule').to.equal('12px');
    });

    it('causes no Content-Security-Policy violation', () => {
      expect(report.violations, show(report.violations)).to.deep.equal([]);
    });

    it("draws each progress bar at its progress under style-src 'self'", () => {
      // The fill's width is rendered as a style attribute (`style="inline-size: N%"`),
      // which style-src without 'unsafe-inline' refuses (style-src-attr); the fill
      // then keeps its default width, the whole track.
      expect(report.fills).to.have.length(3);
      for (const bar of report.fills) {
        const drawn = bar.fillWidth / bar.trackWidth;
        expect(drawn, `bar ${bar.current}/${bar.target} drawn at ${(drawn * 100).toFixed(0)}%: ${show(bar)}`).to.be.closeTo(bar.current / bar.target, 0.02);
      }
    });
  });

  describe("with worker-src 'none' (no worker can start)", () => {
    let report: CspReport;
    before(async function () {
      this.timeout(25_000);
      report = await runFixture('csp-no-worker.html');
    });

    it('shows missions from the main-thread fallback and records a lesson there', () => {
      expect(report.defined).to.equal(true);
      expect(report.missionsRendered, show(report)).to.equal(3);
      expect(report.progress.some((value) => value > 0), `progress after the lesson: ${show(report.progress)}`).to.equal(true);
      expect(report.runningWorkers, 'no worker is running').to.equal(0);
    });

    it("fires missions-error with code 'worker-unavailable'", () => {
      expect(report.missionsErrors.length, show(report.missionsErrors)).to.be.greaterThan(0);
      expect(report.missionsErrors.map((e) => e.code)).to.include('worker-unavailable');
      for (const error of report.missionsErrors) expect(error.code, show(error)).to.equal('worker-unavailable');
    });

    it('throws no uncaught error into the page', () => {
      expect(report.errors, show(report.errors)).to.deep.equal([]);
    });

    it('is refused only the worker, and only once (the fallback does not retry it on every call)', () => {
      // The worker URL still went through the package's policy; CSP refused the load.
      expect(report.scriptUrlsThroughPolicy).to.deep.equal([WORKER_URL]);
      // style-src-attr violations of the progress bars are covered by the test above.
      const others = report.violations.filter((v) => v.directive !== 'style-src-attr');
      expect(others.map((v) => ({ directive: v.directive, blockedURI: v.blockedURI })), show(report.violations)).to.deep.equal([
        { directive: 'worker-src', blockedURI: WORKER_URL },
      ]);
    });
  });
});
