// Emissary's TLSContext, and a Host with a TLS Secret, → a Portico TLSContext. Client certificates, cipher
// and curve lists and upstream (origination) contexts are issue 18's TLS half and are dropped with that reason.
// Emissary's defaults that differ are written out: no ALPN unless alpn_protocols is set (Portico offers h2 and
// http/1.1), and a Host redirects cleartext to HTTPS unless its insecure action says otherwise. Pure.
import { carried, changed, dropped, type FieldNote } from './report.js';
import { kubernetesName, type Converted, type EmissaryObject } from './convert-mapping.js';

const HOST = /^([*][.])?[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
const NOT_YET = 'client certificates and TLS settings beyond versions and ALPN are not in Portico yet (issue 18)';

function tlsVersion(field: string, v: unknown, notes: FieldNote[]): string | undefined {
  if (v === 'v1.2' || v === 'v1.3') {
    notes.push(carried(field, field.startsWith('min') ? 'minTlsVersion' : 'maxTlsVersion'));
    return v;
  }
  if (v === 'v1.0' || v === 'v1.1') {
    notes.push(changed(field, `${v} → v1.2: Portico does not offer TLS 1.0 or 1.1 (RFC 8996)`));
    return 'v1.2';
  }
  notes.push(dropped(field, `${show(v)} is not a TLS version`));
  return undefined;
}

function alpn(v: unknown, notes: FieldNote[], field: string): string[] {
  if (v === undefined) {
    notes.push(
      changed(
        `(default) ${field}`,
        'Emissary offers no ALPN unless it is set, so clients speak HTTP/1.1 → alpnProtocols: [http/1.1], written out (Portico would offer h2 too)',
      ),
    );
    return ['http/1.1'];
  }
  const list =
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : Array.isArray(v)
        ? v.map(String)
        : [];
  notes.push(
    typeof v === 'string'
      ? changed(field, `"${v}" → alpnProtocols: [${list.join(', ')}]`)
      : carried(field, 'alpnProtocols'),
  );
  return list;
}

function hostsOf(v: unknown, notes: FieldNote[]): string[] {
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  const out: string[] = [];
  for (const h of list) {
    const lower = typeof h === 'string' ? h.toLowerCase().replace(/:\d+$/, '') : '';
    if (lower === '*') notes.push(changed(`hosts[${show(h)}]`, '"*" → no hosts: the default certificate'));
    else if (HOST.test(lower)) out.push(lower);
    else notes.push(dropped(`hosts[${show(h)}]`, 'not a host name Portico matches (exact, or "*." followed by one)'));
  }
  if (out.length > 0) notes.push(carried('hosts', 'hosts'));
  return [...new Set(out)];
}

const TLS_NOT_YET = [
  'ca_secret',
  'cacert_chain_file',
  'cert_required',
  'crl_secret',
  'cipher_suites',
  'ecdh_curves',
  'sni',
  'cert_chain_file',
  'private_key_file',
];

/** An Emissary TLSContext (CRD spec, or an annotation-era document). */
export function convertTlsContext(src: EmissaryObject): Converted {
  const notes: FieldNote[] = [];
  const f = src.fields;
  const spec: Record<string, unknown> = {};
  for (const field of Object.keys(f)) {
    if (
      [
        'hosts',
        'secret',
        'secret_namespacing',
        'min_tls_version',
        'max_tls_version',
        'alpn_protocols',
        'redirect_cleartext_from',
        'name',
        'namespace',
        'apiVersion',
        'kind',
      ].includes(field)
    )
      continue;
    if (field === 'ambassador_id') notes.push(carried(field, 'nothing to write: Portico serves every TLSContext'));
    else notes.push(dropped(field, TLS_NOT_YET.includes(field) ? NOT_YET : 'no counterpart in Portico'));
  }
  if (typeof f.secret !== 'string' || f.secret === '') {
    notes.push(
      dropped(
        'secret',
        'no Secret: an origination-only context (or files on disk) has no Portico TLSContext yet; nothing is written',
      ),
    );
    return { notes };
  }
  if (f.secret_namespacing === false && f.secret.includes('.')) {
    notes.push(
      dropped(
        'secret',
        `${f.secret} with secret_namespacing false names a Secret with dots, and Portico reads name.namespace; nothing is written`,
      ),
    );
    return { notes };
  }
  const hosts = hostsOf(f.hosts, notes);
  if (hosts.length > 0) spec.hosts = hosts;
  spec.secret = f.secret;
  notes.push(carried('secret', 'secret'));
  if (f.redirect_cleartext_from !== undefined) {
    spec.redirectCleartext = true;
    notes.push(
      changed(
        'redirect_cleartext_from',
        `${show(f.redirect_cleartext_from)} → redirectCleartext: true (Portico redirects its HTTP listener, whatever its port)`,
      ),
    );
  }
  if (f.min_tls_version !== undefined) {
    const v = tlsVersion('min_tls_version', f.min_tls_version, notes);
    if (v) spec.minTlsVersion = v;
  }
  if (f.max_tls_version !== undefined) {
    const v = tlsVersion('max_tls_version', f.max_tls_version, notes);
    if (v) spec.maxTlsVersion = v;
  }
  spec.alpnProtocols = alpn(f.alpn_protocols, notes, 'alpn_protocols');
  const name = kubernetesName(src.name);
  if (name !== src.name) notes.push(changed('name', `${src.name} → metadata.name: ${name}`));
  return {
    object: {
      apiVersion: 'portico.dev/v1alpha1',
      kind: 'TLSContext',
      metadata: { name, namespace: src.namespace },
      spec,
    },
    notes,
  };
}

/** An Emissary Host: a TLSContext for its hostname when it has a tlsSecret; nothing otherwise. */
export function convertHost(src: EmissaryObject): Converted {
  const notes: FieldNote[] = [];
  const f = src.fields;
  const secret = f.tlsSecret as { name?: unknown; namespace?: unknown } | undefined;
  for (const field of Object.keys(f)) {
    if (
      ['hostname', 'tlsSecret', 'tls', 'tlsContext', 'requestPolicy', 'ambassador_id', 'acmeProvider'].includes(field)
    )
      continue;
    notes.push(
      dropped(
        field,
        field === 'mappingSelector' || field === 'selector'
          ? 'Portico ties Mappings to hosts by their spec.host'
          : 'no counterpart in Portico',
      ),
    );
  }
  const acme = f.acmeProvider as { authority?: unknown } | undefined;
  if (acme && acme.authority !== 'none')
    notes.push(
      dropped('acmeProvider', 'Portico does not run ACME: put the certificate in the Secret (e.g. with cert-manager)'),
    );
  if (f.tlsContext !== undefined) {
    notes.push(
      carried(
        'tlsContext',
        `TLS comes from TLSContext ${show((f.tlsContext as { name?: unknown })?.name)}, converted on its own; nothing is written for the Host`,
      ),
    );
    return { notes };
  }
  if (!secret || typeof secret.name !== 'string') {
    notes.push(
      carried(
        '(object)',
        'no tlsSecret: a cleartext Host needs no Portico object (Mappings name their hosts); nothing is written',
      ),
    );
    return { notes };
  }
  const spec: Record<string, unknown> = {};
  const hostname = typeof f.hostname === 'string' ? f.hostname : '*';
  const hosts = hostsOf(hostname, notes);
  if (hosts.length > 0) spec.hosts = hosts;
  const ns = typeof secret.namespace === 'string' && secret.namespace !== src.namespace ? `.${secret.namespace}` : '';
  spec.secret = `${secret.name}${ns}`;
  notes.push(changed('tlsSecret', `→ secret: ${spec.secret}`));
  const action = (f.requestPolicy as { insecure?: { action?: unknown } } | undefined)?.insecure?.action ?? 'Redirect';
  if (action === 'Redirect') {
    spec.redirectCleartext = true;
    notes.push(
      changed(
        f.requestPolicy ? 'requestPolicy.insecure.action' : '(default) requestPolicy.insecure.action',
        'Redirect → redirectCleartext: true',
      ),
    );
  } else if (action === 'Route')
    notes.push(carried('requestPolicy.insecure.action', 'Route: cleartext is served, as Portico does by default'));
  else
    notes.push(
      dropped(
        'requestPolicy.insecure.action',
        `${show(action)}: Portico serves cleartext requests for hosts it does not redirect`,
      ),
    );
  const tls = (f.tls ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(tls)) {
    const key = k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (key === 'min_tls_version' || key === 'max_tls_version') {
      const version = tlsVersion(`tls.${key}`, v, notes);
      if (version) spec[key === 'min_tls_version' ? 'minTlsVersion' : 'maxTlsVersion'] = version;
    } else if (key !== 'alpn_protocols')
      notes.push(dropped(`tls.${k}`, TLS_NOT_YET.includes(key) ? NOT_YET : 'no counterpart in Portico'));
  }
  spec.alpnProtocols = alpn(tls.alpn_protocols ?? tls.alpnProtocols, notes, 'tls.alpn_protocols');
  return {
    object: {
      apiVersion: 'portico.dev/v1alpha1',
      kind: 'TLSContext',
      metadata: { name: kubernetesName(src.name), namespace: src.namespace },
      spec,
    },
    notes,
  };
}

/** Emissary's name for each Portico TLSContext field (for docs/reference.md). */
export const EMISSARY_TLSCONTEXT_NAMES: Record<string, string> = {
  'spec.hosts': 'hosts; Host hostname',
  'spec.secret': 'secret; Host tlsSecret',
  'spec.redirectCleartext': 'redirect_cleartext_from (1.x); Host requestPolicy.insecure.action: Redirect',
  'spec.minTlsVersion': 'min_tls_version',
  'spec.maxTlsVersion': 'max_tls_version',
  'spec.alpnProtocols': 'alpn_protocols (a comma-separated string)',
};
