// Fails when an installed package declares it cannot run on the oldest Node we support
// (npm only warns about `engines`; several current majors need Node 22).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

const oldest = JSON.parse(readFileSync('package.json', 'utf8')).engines.node.replace(/^>=/, '');
const bad = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const p = join(dir, name);
    if (name.startsWith('@')) {
      walk(p);
      continue;
    }
    const manifest = join(p, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
    const range = pkg.engines?.node;
    if (range && !semver.satisfies(oldest, range)) bad.push(`${pkg.name}@${pkg.version} needs node ${range}`);
    if (existsSync(join(p, 'node_modules'))) walk(join(p, 'node_modules'));
  }
}
walk('node_modules');
if (bad.length) {
  console.error(`packages that do not run on Node ${oldest}:\n  ${bad.join('\n  ')}`);
  process.exit(1);
}
console.log(`every installed package accepts Node ${oldest}`);
