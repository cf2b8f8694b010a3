// The files a published config's ConfigMap holds (parts list, checksum line, gzip parts) for a JSON text, as
// the Envoy pod sees them mounted.
import { PARTS_KEY, SUM_KEY, packConfig } from '../../operator/publish/config-chunks.js';

export function packedFiles(json: string, partBytes?: number): Map<string, Buffer | string> {
  const p = packConfig(json, partBytes);
  return new Map<string, Buffer | string>([
    [PARTS_KEY, p.partsList],
    [SUM_KEY, p.sumLine],
    ...p.parts.map((x) => [x.key, x.bytes] as [string, Buffer]),
  ]);
}
