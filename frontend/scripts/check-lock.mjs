#!/usr/bin/env node
/**
 * `npm ci` must work on Linux and macOS (x64 and arm64) alike, so the lock
 * file has to list every platform's optional binary package (rollup and
 * esbuild ship one per platform). A lock made while the registry lagged can
 * miss some; then `npm ci` fails on the other platforms only. This check
 * fails here instead, naming what is missing.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const lock = JSON.parse(readFileSync(resolve(root, 'package-lock.json'), 'utf8'));
const packages = lock.packages ?? {};

/** Where npm would find `name` for the package installed at `from` (node's lookup, upwards). */
function resolveFrom(from, name) {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return null;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

const missing = [];
for (const [path, meta] of Object.entries(packages)) {
  for (const name of Object.keys(meta.optionalDependencies ?? {})) {
    if (!resolveFrom(path, name)) missing.push(`${name} (optional dependency of ${path || 'the project'})`);
  }
}

const PLATFORMS = ['darwin-arm64', 'darwin-x64', 'linux-x64', 'linux-arm64'];
const required = [
  ...PLATFORMS.map((p) => `@esbuild/${p}`),
  ...['darwin-arm64', 'darwin-x64', 'linux-x64-gnu', 'linux-arm64-gnu', 'linux-x64-musl'].map((p) => `@rollup/rollup-${p}`),
];
for (const name of required) {
  if (!Object.keys(packages).some((path) => path.endsWith(`node_modules/${name}`))) missing.push(name);
}

if (missing.length) {
  console.error('check:lock: package-lock.json lacks packages that other platforms need:');
  for (const entry of [...new Set(missing)]) console.error(`  ${entry}`);
  console.error('Pin the package that brings them (see "overrides" in package.json) to a version whose');
  console.error('platform packages are all published, then run `npm install` again.');
  process.exit(1);
}
const count = Object.keys(packages).filter((p) => /node_modules\/(@esbuild|@rollup\/rollup-)/.test(p)).length;
console.log(`check:lock: every optional platform package is locked (${count} esbuild/rollup binaries)`);
