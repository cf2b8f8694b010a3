// Certificates of many shapes, made with the real openssl CLI in a temp dir, for holding our certificate
// verdict to real Envoy's: key types, curves and sizes (RSA, RSA-PSS, ECDSA on named and explicit curves,
// Ed25519/Ed448, DSA), key usages and extended key usages, chains (self-signed, or leaf + intermediate [+
// root]) with issuers of every key type, PSS or SHA-384/512 signatures, PKCS#8 or traditional key files, CRLF
// line ends. Keys are made once per kind per process and shared between certificates (test material only).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';

export const KEY_KINDS = [
  'rsa2048',
  'rsa3072',
  'rsa4096',
  'rsa1024',
  'rsa2048-e3',
  'pss2048',
  'p256',
  'p384',
  'p521',
  'p224',
  'secp256k1',
  'brainpool256',
  'p256-explicit',
  'ed25519',
  'ed448',
  'dsa2048',
] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

export const KEY_USAGES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'keyAgreement',
  'keyCertSign',
] as const;
export const EXTENDED_KEY_USAGES = ['serverAuth', 'clientAuth', 'codeSigning'] as const;

export interface CertShape {
  leaf: KeyKind;
  /** undefined: no keyUsage extension. */
  keyUsage?: { bits: Array<(typeof KEY_USAGES)[number]>; critical: boolean };
  extendedKeyUsage?: Array<(typeof EXTENDED_KEY_USAGES)[number]>;
  /** basicConstraints CA:TRUE on the leaf. */
  leafIsCa: boolean;
  /** Self-signed, or signed by an intermediate (of this key kind) that the root signed. */
  chain: { kind: 'self-signed' } | { kind: 'intermediate'; intermediate: KeyKind; root: KeyKind; includeRoot: boolean };
  /** How the leaf's issuer signs: its default digest, SHA-384/512, or RSA-PSS padding (RSA issuers only). */
  signature: 'default' | 'sha384' | 'sha512' | 'pss';
  keyFormat: 'pkcs8' | 'traditional';
  crlf: boolean;
}

export const certShapeArb: fc.Arbitrary<CertShape> = fc.record({
  leaf: fc.constantFrom(...KEY_KINDS),
  keyUsage: fc.option(fc.record({ bits: fc.subarray([...KEY_USAGES], { minLength: 1 }), critical: fc.boolean() }), {
    nil: undefined,
  }),
  extendedKeyUsage: fc.option(fc.subarray([...EXTENDED_KEY_USAGES], { minLength: 1 }), { nil: undefined }),
  leafIsCa: fc.boolean(),
  chain: fc.oneof(
    fc.constant({ kind: 'self-signed' as const }),
    fc.record({
      kind: fc.constant('intermediate' as const),
      intermediate: fc.constantFrom(...KEY_KINDS),
      root: fc.constantFrom('p256', 'p384', 'rsa2048', 'ed25519', 'pss2048'),
      includeRoot: fc.boolean(),
    }),
  ),
  signature: fc.constantFrom('default', 'sha384', 'sha512', 'pss'),
  keyFormat: fc.constantFrom('pkcs8', 'traditional'),
  crlf: fc.boolean(),
}) as fc.Arbitrary<CertShape>;

export interface MadeCert {
  crt: string;
  key: string;
}

const isRsa = (k: KeyKind) => k.startsWith('rsa') || k.startsWith('pss');
const isEdwards = (k: KeyKind) => k === 'ed25519' || k === 'ed448';

/** A per-process factory; call remove() when done. */
export class CertFactory {
  readonly dir = mkdtempSync(join(tmpdir(), 'portico-cert-shapes-'));
  private keys = new Map<KeyKind, string>();
  private issuers = new Map<string, string>();
  private serial = 1;

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private openssl(args: string[]): void {
    execFileSync('openssl', args, { cwd: this.dir, stdio: ['ignore', 'ignore', 'pipe'] });
  }

  /** The key file (PKCS#8) of a kind, made on first use. */
  keyFile(kind: KeyKind): string {
    const known = this.keys.get(kind);
    if (known) return known;
    const file = `${kind}.key`;
    const gen = (...opts: string[]) => this.openssl(['genpkey', ...opts, '-out', file]);
    const ec = (curve: string) => gen('-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`);
    switch (kind) {
      case 'rsa2048':
      case 'rsa3072':
      case 'rsa4096':
      case 'rsa1024':
        gen('-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${kind.slice(3)}`);
        break;
      case 'rsa2048-e3':
        gen('-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-pkeyopt', 'rsa_keygen_pubexp:3');
        break;
      case 'pss2048':
        gen('-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048');
        break;
      case 'p256':
        ec('P-256');
        break;
      case 'p384':
        ec('P-384');
        break;
      case 'p521':
        ec('P-521');
        break;
      case 'p224':
        ec('P-224');
        break;
      case 'secp256k1':
        ec('secp256k1');
        break;
      case 'brainpool256':
        ec('brainpoolP256r1');
        break;
      case 'p256-explicit':
        this.openssl([
          'ecparam',
          '-name',
          'prime256v1',
          '-genkey',
          '-param_enc',
          'explicit',
          '-noout',
          '-out',
          'explicit-sec1.key',
        ]);
        this.openssl(['pkey', '-in', 'explicit-sec1.key', '-out', file]);
        break;
      case 'ed25519':
        gen('-algorithm', 'ED25519');
        break;
      case 'ed448':
        gen('-algorithm', 'ED448');
        break;
      case 'dsa2048':
        this.openssl([
          'genpkey',
          '-genparam',
          '-algorithm',
          'DSA',
          '-pkeyopt',
          'dsa_paramgen_bits:2048',
          '-out',
          'dsa-params.pem',
        ]);
        gen('-paramfile', 'dsa-params.pem');
        break;
    }
    this.keys.set(kind, file);
    return file;
  }

  private sign(
    csrOrKey: { csr: string } | { selfKey: string },
    issuer: { crt: string; key: string; kind: KeyKind } | undefined,
    ext: string,
    out: string,
    signature: CertShape['signature'],
    signerKind: KeyKind,
  ): void {
    const extFile = `${out}.ext`;
    writeFileSync(join(this.dir, extFile), ext);
    const digest = isEdwards(signerKind)
      ? []
      : signature === 'sha384'
        ? ['-sha384']
        : signature === 'sha512'
          ? ['-sha512']
          : ['-sha256'];
    const pss = signature === 'pss' && isRsa(signerKind) ? ['-sigopt', 'rsa_padding_mode:pss'] : [];
    const serial = ['-set_serial', String(this.serial++)];
    if ('selfKey' in csrOrKey) {
      this.openssl(['req', '-new', '-key', csrOrKey.selfKey, '-subj', `/CN=${out}`, '-out', `${out}.csr`]);
      this.openssl([
        'x509',
        '-req',
        '-in',
        `${out}.csr`,
        '-signkey',
        csrOrKey.selfKey,
        '-days',
        '30',
        ...serial,
        ...digest,
        ...pss,
        '-extfile',
        extFile,
        '-out',
        `${out}.crt`,
      ]);
    } else {
      this.openssl([
        'x509',
        '-req',
        '-in',
        csrOrKey.csr,
        '-CA',
        issuer!.crt,
        '-CAkey',
        issuer!.key,
        '-days',
        '30',
        ...serial,
        ...digest,
        ...pss,
        '-extfile',
        extFile,
        '-out',
        `${out}.crt`,
      ]);
    }
  }

  /** A CA certificate of this kind: the root self-signed, an intermediate signed by the root. */
  private ca(
    kind: KeyKind,
    parent?: { crt: string; key: string; kind: KeyKind },
    signature: CertShape['signature'] = 'default',
  ): string {
    const id = `ca-${kind}-by-${parent?.crt ?? 'self'}-${signature}`;
    const known = this.issuers.get(id);
    if (known) return known;
    const name = `ca${this.issuers.size}`;
    const ext = 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n';
    if (parent) {
      this.openssl(['req', '-new', '-key', this.keyFile(kind), '-subj', `/CN=${name}`, '-out', `${name}.csr`]);
      this.sign({ csr: `${name}.csr` }, parent, ext, name, signature, parent.kind);
    } else {
      this.sign({ selfKey: this.keyFile(kind) }, undefined, ext, name, signature, kind);
    }
    this.issuers.set(id, `${name}.crt`);
    return `${name}.crt`;
  }

  make(shape: CertShape): MadeCert {
    const name = `leaf${this.serial}`;
    const lines = [
      `subjectAltName=DNS:${name}.test`,
      `basicConstraints=${shape.leafIsCa ? 'critical,CA:TRUE' : 'CA:FALSE'}`,
    ];
    if (shape.keyUsage)
      lines.push(`keyUsage=${shape.keyUsage.critical ? 'critical,' : ''}${shape.keyUsage.bits.join(',')}`);
    if (shape.extendedKeyUsage) lines.push(`extendedKeyUsage=${shape.extendedKeyUsage.join(',')}`);
    const ext = `${lines.join('\n')}\n`;
    const leafKey = this.keyFile(shape.leaf);
    const read = (f: string) => readFileSync(join(this.dir, f), 'utf8');
    let chain: string;
    if (shape.chain.kind === 'self-signed') {
      this.sign({ selfKey: leafKey }, undefined, ext, name, shape.signature, shape.leaf);
      chain = read(`${name}.crt`);
    } else {
      const { intermediate, root, includeRoot } = shape.chain;
      const rootCrt = this.ca(root);
      const interCrt = this.ca(intermediate, { crt: rootCrt, key: this.keyFile(root), kind: root });
      this.openssl(['req', '-new', '-key', leafKey, '-subj', `/CN=${name}`, '-out', `${name}.csr`]);
      this.sign(
        { csr: `${name}.csr` },
        { crt: interCrt, key: this.keyFile(intermediate), kind: intermediate },
        ext,
        name,
        shape.signature,
        intermediate,
      );
      chain = read(`${name}.crt`) + read(interCrt) + (includeRoot ? read(rootCrt) : '');
    }
    let key = read(leafKey);
    if (shape.keyFormat === 'traditional' && !isEdwards(shape.leaf)) {
      try {
        this.openssl(['pkey', '-in', leafKey, '-traditional', '-out', `${name}-trad.key`]);
        key = read(`${name}-trad.key`);
      } catch {
        // No traditional form for this key type (RSA-PSS): the PKCS#8 file is what users have.
      }
    }
    const ends = (s: string) => (shape.crlf ? s.replace(/\n/g, '\r\n') : s);
    return { crt: ends(chain), key: ends(key) };
  }
}

/** A short description for failure messages. */
export function describeShape(s: CertShape): string {
  const ku = s.keyUsage ? `KU ${s.keyUsage.critical ? 'critical ' : ''}[${s.keyUsage.bits.join(',')}]` : 'no KU';
  const chain =
    s.chain.kind === 'self-signed'
      ? 'self-signed'
      : `by ${s.chain.intermediate} intermediate by ${s.chain.root} root${s.chain.includeRoot ? ' (root included)' : ''}`;
  return `${s.leaf} leaf, ${ku}, EKU ${s.extendedKeyUsage?.join(',') ?? 'none'}${s.leafIsCa ? ', CA:TRUE' : ''}, ${chain}, ${s.signature} signature, ${s.keyFormat} key${s.crlf ? ', CRLF' : ''}`;
}
