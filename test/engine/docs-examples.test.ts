/**
 * docs/frameworks.md shows the files of docs/examples/, which test/browser/frameworks.test.ts
 * runs: every code block on the page must be an example file, byte for byte, so the page
 * cannot drift from the tested code. Each block names its file in the HTML comment right
 * above it (`<!-- example: docs/examples/react.tsx -->`).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';

const ROOT = new URL('../../', import.meta.url);
const PAGE = 'docs/frameworks.md';
const EXAMPLES = 'docs/examples/';

interface Block {
  /** 1-based line of the opening fence. */
  line: number;
  /** The file named in the comment above the block, if any. */
  file: string | undefined;
  /** The block's text, each line ending in a newline. */
  text: string;
}

/** The fenced code blocks of a Markdown page (``` or ~~~, three or more). */
function codeBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^(`{3,}|~{3,})/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const closing = new RegExp(`^${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    let end = i + 1;
    while (end < lines.length && !closing.test(lines[end]!)) end += 1;
    assert.ok(end < lines.length, `${PAGE}:${i + 1}: code block never closed`);
    let above = i - 1;
    while (above >= 0 && lines[above]!.trim() === '') above -= 1;
    const marker = above >= 0 ? /^<!--\s*example:\s*(\S+)\s*-->$/.exec(lines[above]!.trim()) : null;
    const body = lines.slice(i + 1, end);
    blocks.push({ line: i + 1, file: marker?.[1], text: body.map((line) => `${line}\n`).join('') });
    i = end;
  }
  return blocks;
}

const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');
const blocks = codeBlocks(read(PAGE));
const files = readdirSync(new URL(EXAMPLES, ROOT)).sort();

describe('docs/frameworks.md and docs/examples/', () => {
  it('has code blocks', () => {
    assert.ok(blocks.length >= 5, `only ${blocks.length} code blocks in ${PAGE}`);
  });

  it('names an example file above every code block', () => {
    for (const block of blocks) {
      assert.ok(block.file, `${PAGE}:${block.line}: no <!-- example: ${EXAMPLES}… --> comment above this code block`);
      assert.ok(block.file.startsWith(EXAMPLES), `${PAGE}:${block.line}: ${block.file} is not in ${EXAMPLES}`);
    }
  });

  it('shows every example file byte for byte', () => {
    for (const block of blocks) {
      const name = block.file!.slice(EXAMPLES.length);
      assert.ok(files.includes(name), `${PAGE}:${block.line}: ${block.file} does not exist`);
      assert.equal(block.text, read(block.file!), `${PAGE}:${block.line}: the block differs from ${block.file}`);
    }
  });

  it('shows each example file exactly once', () => {
    const shown = blocks.map((block) => block.file!.slice(EXAMPLES.length)).sort();
    assert.deepEqual(shown, files);
  });

  it('has the framework examples the page promises', () => {
    for (const name of ['plain.html', 'react.tsx', 'vue.ts', 'vue-sfc.vue', 'angular.ts', 'svelte.svelte']) {
      assert.ok(files.includes(name), `${EXAMPLES}${name} is missing`);
    }
  });

  it('makes every framework example import the package, pass user-id, lang and tracks, listen and record', () => {
    for (const name of files.filter((file) => !file.includes('config'))) {
      const text = read(`${EXAMPLES}${name}`);
      assert.match(text, /import 'daily-missions';/, `${name}: imports the package by name`);
      assert.match(text, /user-id/, `${name}: passes user-id`);
      assert.match(text, /\blang\b/, `${name}: passes lang`);
      assert.match(text, /\btracks\b/, `${name}: sets tracks`);
      assert.match(text, /mission-complete|MissionComplete/, `${name}: listens to mission-complete`);
      assert.match(text, /missions-all-complete|MissionsAllComplete/, `${name}: listens to missions-all-complete`);
      assert.match(text, /\.record\(/, `${name}: calls record()`);
    }
  });
});
