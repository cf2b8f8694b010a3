// Certificate files go to Envoy as Secrets, which hold at most 1 MiB each. Pack the files (sorted by name, so
// the grouping is a function of content only) greedily into as few Secrets as fit SECRET_DATA_BYTES; a single
// file larger than that cannot be published at all and is reported, naming the file. Pure.

/** Decoded bytes per published Secret: 768 KiB is 1 MiB of base64 on the wire, under etcd's 1.5 MiB. */
export const SECRET_DATA_BYTES = 768 * 1024;

export interface OversizedFile {
  file: string;
  bytes: number;
}

export type CertGrouping = { ok: true; groups: string[][] } | { ok: false; oversized: OversizedFile[]; limit: number };

/** Always at least one group (possibly empty): the head Secret exists even without certificates. */
export function groupCertFiles(files: Readonly<Record<string, string>>, limit = SECRET_DATA_BYTES): CertGrouping {
  const names = Object.keys(files).sort();
  const oversized = names
    .map((file) => ({ file, bytes: Buffer.byteLength(files[file]) }))
    .filter((f) => f.bytes > limit);
  if (oversized.length > 0) return { ok: false, oversized, limit };
  const groups: string[][] = [[]];
  let used = 0;
  for (const name of names) {
    const bytes = Buffer.byteLength(files[name]);
    if (used + bytes > limit && groups[groups.length - 1].length > 0) {
      groups.push([]);
      used = 0;
    }
    groups[groups.length - 1].push(name);
    used += bytes;
  }
  return { ok: true, groups };
}
