import type { ChildProcess } from 'node:child_process';

export type Engine = 'chromium' | 'firefox' | 'webkit';
export const ENGINES: Engine[];
export const FIREFOX_PATH: string;
export const WEBKIT_DRIVER_PATH: string;
export const MINIBROWSER_PATH: string;
export function selectedEngine(): Engine;
export function missingPrograms(engine: Engine): string[];
export function startXvfb(): Promise<{ display: string; child: ChildProcess }>;
export function startWebKitDriver(display: string): Promise<{ port: number; child: ChildProcess }>;
export function stopOnExit(children: ChildProcess[]): () => void;
export function webkitSessionOptions(port: number): { hostname: string; port: number; path: string; logLevel: 'error'; capabilities: Record<string, unknown> };
export function engineLauncher(engine: Engine, options: { chromiumExecutable: () => Promise<string>; chromiumArgs: string[] }): Promise<unknown>;
export function engineVersion(engine: Engine, chromiumExecutable: () => Promise<string>): Promise<string>;
