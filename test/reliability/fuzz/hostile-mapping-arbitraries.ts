// The hostile Mappings of the fuzz suite (issue 7 §4), shared with test/envoy-real, which loads the configs
// they compile to into real Envoy: huge, unicode, control-character, `..` and `%2e` prefixes; regex-like
// strings; invalid service strings; ports out of range; hosts with wildcards in wrong places.
import fc from 'fast-check';
import type { Mapping, MappingSpec, Service } from '../../../operator/api/types.js';
import { mapping as baseMapping } from '../../support/objects.js';
import type { Expectation } from './fuzz-harness.js';

export const NOW = '2030-01-01T00:00:00Z';
export const NS = 'fuzz';
/** A Mapping whose spec may be anything (hostile), in namespace fuzz unless told otherwise. */
export const mapping = (name: string, spec: Record<string, unknown>, namespace = NS): Mapping =>
  baseMapping(namespace, name, spec as unknown as MappingSpec);

export const services: Service[] = [
  { metadata: { name: 'web', namespace: NS }, spec: { ports: [{ name: 'http', port: 80 }] } },
  {
    metadata: { name: 'api', namespace: NS },
    spec: {
      ports: [
        { name: 'http', port: 8080 },
        { name: 'grpc', port: 9090 },
      ],
    },
  },
  { metadata: { name: 'other', namespace: 'elsewhere' }, spec: { ports: [{ port: 80 }] } },
];
export const VALID: Mapping[] = [
  mapping('valid-root', { prefix: '/', service: 'web' }),
  mapping('valid-api', { prefix: '/api/', service: 'api:http', rewrite: '' }),
  mapping('valid-host', { prefix: '/h/', service: 'web', host: 'shop.example.com' }),
  mapping('valid-wild', { prefix: '/w/', service: 'api:grpc', host: '*.example.com', rewrite: '/x/' }),
];
export const validExpectations: Expectation[] = VALID.map((m) => ({
  kind: 'Mapping',
  namespace: NS,
  name: m.metadata.name,
}));

// --- hostile strings -------------------------------------------------------------------------------------
const huge = fc
  .integer({ min: 1025, max: 100_000 })
  .chain((n) =>
    fc.constantFrom('a', '/', '%2e', 'é', '.*').map((unit) => `/${unit.repeat(Math.ceil(n / unit.length))}`),
  );
const unicode = fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `/${s}`);
const controls = fc
  .array(
    fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
    { minLength: 1, maxLength: 5 },
  )
  .chain((cs) => fc.constantFrom(`/a${cs.join('')}b/`, `/${cs.join('')}`, `/x/\u007f`, `/line\nbreak`, `/tab\there`));
const dotty = fc
  .array(
    fc.constantFrom(
      '..',
      '.',
      '%2e',
      '%2E',
      '%2e%2e',
      '.%2e',
      '%2E.',
      'a',
      'admin',
      '',
      '%2f',
      '%5C',
      '%',
      '%zz',
      '%c3%a9',
      '%7e',
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((segs) => `/${segs.join('/')}`);
const regexLike = fc
  .constantFrom('.*', '(', '[', '[a-z]+', '(a|b)*', '\\d+', '^/x$', '$', '{1,2}', '*', '+?', '\\')
  .chain((r) => fc.constantFrom(`/${r}`, `/${r}/`, `/api/${r}`, r, `/${r}${r}`));
const randomPath = fc.string({ maxLength: 30 });
const hostilePath = fc.oneof(huge, unicode, controls, dotty, regexLike, randomPath);

const badPort = fc.oneof(
  fc.constantFrom(0, -1, 65536, 99999, 2 ** 31, 1e21),
  fc.integer({ min: 65536, max: 10_000_000 }),
  fc.integer({ min: -1000, max: 0 }),
);
const hostileService = fc.oneof(
  badPort.map((p) => `web:${p}`),
  badPort.map((p) => `https://api.${NS}:${p}`),
  fc.constantFrom(
    '',
    ' ',
    'web:',
    ':80',
    'web::80',
    'web:http:80',
    'ftp://web',
    'http://',
    'web/path',
    'web?x',
    'user@web',
    '[::1]:80',
    'WEB',
    'web.',
    '.web',
    'a.b.c.d',
    'web.svc.cluster.local',
    'web:' + 'p'.repeat(16),
    'web:1e3',
    'web:0x50',
    'web:+80',
    'web:８０',
    '-web',
    'web-',
    'x'.repeat(64),
    'other.elsewhere',
    'nosuch',
    'api:nope',
    'api',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer({ min: 513, max: 50_000 }).map((n) => 'w'.repeat(n)),
);
const hostileHost = fc.oneof(
  fc.constantFrom(
    '*',
    '**',
    '*.',
    '*.*.example.com',
    'a.*.example.com',
    'example.*',
    '*example.com',
    'ex*ample.com',
    'example.com*',
    '.example.com',
    'example.com.',
    'EXAMPLE.com',
    'exa mple.com',
    'example.com:8080',
    '-a.com',
    'a-.com',
    'xn--caf-dma.com',
    'café.com',
    '*.com',
    'a'.repeat(64) + '.com',
    `${'a.'.repeat(130)}com`,
    '1.2.3.4',
    '[::1]',
  ),
  fc.string({ maxLength: 30 }),
  fc.stringMatching(/^[a-z*.]{1,12}$/),
);

export type Hostile = { field: 'spec.prefix' | 'spec.rewrite' | 'spec.service' | 'spec.host'; value: string };
export const hostileArb: fc.Arbitrary<Hostile> = fc.oneof(
  { weight: 4, arbitrary: hostilePath.map((value) => ({ field: 'spec.prefix' as const, value })) },
  { weight: 2, arbitrary: hostilePath.map((value) => ({ field: 'spec.rewrite' as const, value })) },
  { weight: 3, arbitrary: hostileService.map((value) => ({ field: 'spec.service' as const, value })) },
  { weight: 2, arbitrary: hostileHost.map((value) => ({ field: 'spec.host' as const, value })) },
);

export function hostileMapping(h: Hostile, i: number): Mapping {
  const spec: Record<string, unknown> = { prefix: `/hostile-${i}/`, service: 'web' };
  spec[h.field.slice('spec.'.length)] = h.value;
  return mapping(`hostile-${i}`, spec);
}

/** Several hostile Mappings at once beside the valid ones, with duplicates, in shuffled order. */
export const manyHostileArb = fc
  .array(hostileArb, { minLength: 1, maxLength: 25 })
  .chain((hs) =>
    fc
      .shuffledSubarray([...VALID, ...hs.map(hostileMapping)], { minLength: VALID.length + hs.length })
      .map((ms) => ({ hs, ms })),
  );
