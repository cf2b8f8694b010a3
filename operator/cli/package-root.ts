// The folder of the installed package (holding package.json and crds/), found by walking up from this module,
// so it works from operator/ under tsx and from dist/operator/ after `npm run build` alike.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'crds'))) return dir;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`portico: cannot find the package root (with crds/) above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}
