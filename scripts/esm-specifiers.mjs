// After `tsc -p tsconfig.build.json`: Node's ES module loader wants full file names, while the
// sources import relative modules without extensions (moduleResolution: bundler, as tsx, vitest and
// esbuild read them). Rewrites every relative specifier in dist/**/*.js and *.d.ts to the file it
// names (`./x` → `./x.js`, `./dir` → `./dir/index.js`); a specifier that names no emitted file fails
// the build.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = process.argv[2] ?? 'dist';
// from '…' / import '…' / import('…') / export … from '…', with a relative specifier.
const specifier = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\2/g;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(js|d\.ts)$/.test(name) ? [path] : [];
  });
}

let rewritten = 0;
for (const file of files(root)) {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(specifier, (whole, lead, quote, spec) => {
    if (/\.(js|json|mjs|cjs)$/.test(spec)) return whole;
    const base = join(dirname(file), spec);
    const target = existsSync(`${base}.js`) ? `${spec}.js` : existsSync(join(base, 'index.js')) ? `${spec}/index.js` : undefined;
    if (target === undefined) throw new Error(`${relative('.', file)}: '${spec}' names no emitted module`);
    return `${lead}${quote}${target}${quote}`;
  });
  if (next !== text) {
    writeFileSync(file, next);
    rewritten++;
  }
}
console.log(`esm-specifiers: ${rewritten} files under ${root} now name their imports in full`);
