#!/usr/bin/env node
// Compiles the service into dist/ (tsc + tsc-alias, as `npm run build` does) only when a source file is
// (or a file of the Partner Center web app, built with Vite into dist/partner-center) newer than the last build, so `npm run cli`, `npm start` and the other scripts start at once when
// dist/ is current. It never empties dist/ (a running server keeps its files); messages go to stderr,
// so that a command's data output on stdout stays clean.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.build-stamp');
const SOURCES = ['apps', 'libs', 'bench', 'scripts', 'types'];
const FILES = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
const TEST_FILE = /\.(spec|int-spec|e2e-spec)\.ts$/;
const SOURCE_FILE = /\.(ts|tsx|mts|css|html|svg)$/;

function newest(dir) {
  let latest = 0;
  if (!existsSync(dir)) return latest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else if (SOURCE_FILE.test(entry.name) && !TEST_FILE.test(entry.name))
      latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

const sourcesChanged = Math.max(
  ...SOURCES.map((dir) => newest(join(root, dir))),
  ...FILES.map((file) => (existsSync(join(root, file)) ? statSync(join(root, file)).mtimeMs : 0)),
);
const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (built >= sourcesChanged && process.argv[2] !== '--force') process.exit(0);

const require = createRequire(import.meta.url);
const run = (script) =>
  execFileSync(process.execPath, [require.resolve(script), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: ['ignore', process.stderr, process.stderr],
  });
process.stderr.write('Building dist/ (sources changed since the last build) ...\n');
const started = Date.now();
try {
  run('typescript/bin/tsc');
  run('tsc-alias/dist/bin/index.js');
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--logLevel',
      'warn',
      '--config',
      'apps/partner-center/vite.config.mts',
    ],
    { cwd: root, stdio: ['ignore', process.stderr, process.stderr] },
  );
} catch {
  process.stderr.write('The build failed (see above).\n');
  process.exit(1);
}
writeFileSync(stamp, `${new Date().toISOString()}\n`);
process.stderr.write(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
