// ALPN protocol names as Envoy reads them: it joins spec.alpnProtocols with "," and splits them again, so a
// name holding a comma silently becomes two, and one over 255 bytes (RFC 7301's limit; the CRD counts
// characters, not bytes) makes Envoy refuse the whole config ("Invalid ALPN protocol string", naming no
// object). Both were seen on the pinned Envoy (test/envoy-real/certificate-verdicts.test.ts). Pure.

export const MAX_ALPN_BYTES = 255;

/** The first problem as `spec.alpnProtocols[i]: …`, or undefined. */
export function alpnProblem(protocols: readonly string[] | undefined): string | undefined {
  for (const [i, p] of (protocols ?? []).entries()) {
    const field = `spec.alpnProtocols[${i}]`;
    if (p.includes(','))
      return `${field}: Invalid value: must not contain ",": Envoy splits protocol names on commas; list each one separately`;
    const bytes = Buffer.byteLength(p, 'utf8');
    if (bytes > MAX_ALPN_BYTES)
      return `${field}: Invalid value: is ${bytes} bytes in UTF-8; an ALPN protocol name is at most ${MAX_ALPN_BYTES} bytes, and Envoy refuses longer ones`;
  }
  return undefined;
}
