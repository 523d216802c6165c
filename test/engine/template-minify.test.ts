/**
 * The build's minification of Lit template literals (vite.config.ts): CSS through
 * esbuild with its `${…}` substitutions in place, whitespace across line breaks in
 * `html` and `svg` made one space, everything else in the module left as written.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { transformSync } from 'esbuild';
import { minifyCss, minifyTemplateLiterals } from '../../vite.config.js';

describe('minifyCss', () => {
  it('minifies a stylesheet and keeps a substitution where its declarations go', () => {
    const css = minifyCss(`
      :host {
        /* light */
        color: #ffffff;
      }
      :host([theme='dark']) {
        \${darkTheme}
      }
    `);
    assert.equal(css, ':host{color:#fff}:host([theme="dark"]){${darkTheme}}');
  });

  it('minifies a block of declarations as the body of a rule', () => {
    assert.equal(minifyCss('\n  --dm-a: #16202c;\n  --dm-shadow: none;\n'), '--dm-a: #16202c;--dm-shadow: none');
  });

  it('refuses a substitution with braces inside, instead of guessing', () => {
    assert.throws(() => minifyCss(':host { ${fn({ a: 1 })} }'), /only simple/);
  });

  it('gives the same CSS as minifying the stylesheet of src/styles.ts directly', () => {
    const source = readFileSync(new URL('../../src/styles.ts', import.meta.url), 'utf8');
    const dark = /const darkTheme = css`([^`]*)`/.exec(source)![1]!;
    const styles = /export const styles = css`([^`]*)`/.exec(source)![1]!;
    const expanded = transformSync(styles.replaceAll('${darkTheme}', dark), { loader: 'css', minify: true }).code.trim();
    assert.equal(minifyCss(styles).replaceAll('${darkTheme}', minifyCss(dark)), expanded);
  });
});

describe('minifyTemplateLiterals', () => {
  const transform = (code: string) => minifyTemplateLiterals(code, 'module.ts').toString();

  it('makes whitespace across line breaks in html and svg one space, nested templates included', () => {
    const code = 'const a = html`\n  <ul>\n    ${items.map((i) => html`<li>\n      ${i}\n    </li>`)}\n  </ul>\n`;\nconst b = svg`<g>\n  <path></path>\n</g>`;';
    assert.equal(transform(code), 'const a = html` <ul> ${items.map((i) => html`<li> ${i} </li>`)} </ul> `;\nconst b = svg`<g> <path></path> </g>`;');
  });

  it('leaves other template literals, strings and code alone', () => {
    const code = "const message = `first line\n  second line`;\nconst tagged = sql`\n  select 1\n`;\nconst text = 'a\\n  b';\n";
    assert.equal(transform(code), code);
  });

  it('keeps whitespace that stays on one line', () => {
    const code = 'html`<span>${a}</span> · <b>${b}</b>`';
    assert.equal(transform(code), code);
  });
});
