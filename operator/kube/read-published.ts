// Reading a published config back from the API the way an Envoy pod sees it: the ConfigMaps of the projected
// config volume, merged into one directory (a later source's key wins, as in a projected volume), unpacked by
// unpackConfig. Used by `portico dev`'s gateway and by tests.
import type { CoreV1Api } from '@kubernetes/client-node';
import { unpackConfig } from '../publish/config-chunks.js';

/** The files a projected volume of these ConfigMaps shows (binaryData decoded). */
export async function projectedFiles(
  core: CoreV1Api,
  namespace: string,
  configMapNames: readonly string[],
): Promise<Map<string, Buffer | string>> {
  const cms = await Promise.all(configMapNames.map((name) => core.readNamespacedConfigMap({ name, namespace })));
  const files = new Map<string, Buffer | string>();
  for (const cm of cms) {
    for (const [k, v] of Object.entries(cm.data ?? {})) files.set(k, v);
    for (const [k, v] of Object.entries(cm.binaryData ?? {})) files.set(k, Buffer.from(v, 'base64'));
  }
  return files;
}

export async function readPublishedConfig(
  core: CoreV1Api,
  namespace: string,
  configMapNames: readonly string[],
): Promise<string> {
  return unpackConfig(await projectedFiles(core, namespace, configMapNames));
}
