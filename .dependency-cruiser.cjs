// The direction of imports in operator/ (DESIGN.md "The flow"), checked by `npm run lint:deps` before the suite.
//
// The pure core — api/, compile/, envoy/, publish/ — is a function of its input: no file system, process,
// network or Kubernetes client, directly or through anything it imports. Above it each folder names the folders it
// may import; everything else is a wrong-way import. Only `portico dev` (cli/dev.ts) starts the embedded API
// server and the dev gateway. No cycles anywhere, and no known exceptions.

/** Which operator/ folders each folder may import (besides itself). The flow reads top to bottom. */
const MAY_IMPORT = {
  api: [],
  publish: [],
  compile: ['api', 'publish'],
  envoy: ['api', 'compile'],
  'envoy-validate': [],
  'envoy-check': ['api', 'compile', 'envoy', 'envoy-validate'],
  log: [],
  metrics: [],
  kube: ['api', 'compile', 'publish', 'log'],
  // Pure figures (names, ledger, report) and the scrape of Envoy's stats listener; writes nothing anywhere.
  stats: ['compile', 'envoy'],
  server: ['api', 'compile', 'log', 'stats'],
  // The ADS server of `xds` delivery: published generations (read back through kube/) → xDS resources.
  xds: ['envoy', 'envoy-validate', 'publish', 'kube', 'log'],
  reconcile: ['api', 'compile', 'envoy', 'envoy-validate', 'envoy-check', 'publish', 'kube', 'log', 'metrics', 'xds'],
  devgateway: ['publish', 'kube', 'stats'],
  apiserver: ['api'],
  // Emissary objects → Portico objects; reads compile/'s list of fields it does not implement yet.
  migrate: ['api', 'compile'],
  // Build-time: writes operator/api/types.ts and crd-documents.ts from crds/*.yaml; nothing imports it.
  codegen: ['api'],
};

const PURE = '^operator/(api|compile|envoy|publish|migrate)/';
/** Node modules that reach the file system, processes, the network or the host. */
const IO_BUILTINS =
  '^(node:)?(fs|fs/promises|child_process|net|http|https|http2|tls|dgram|dns|os|readline|worker_threads|cluster|process)$';

const layerRules = Object.entries(MAY_IMPORT).map(([folder, allowed]) => ({
  name: `layer-${folder}`,
  comment: `operator/${folder}/ may import only ${allowed.length ? allowed.map((a) => `${a}/`).join(', ') : 'itself'} from operator/`,
  severity: 'error',
  from: { path: `^operator/${folder}/` },
  to: { path: '^operator/', pathNot: `^operator/(${[folder, ...allowed].join('|')})/` },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycle anywhere in operator/.',
      severity: 'error',
      from: { path: '^operator/' },
      to: { circular: true },
    },
    {
      name: 'pure-core-no-io',
      comment: 'api/, compile/, envoy/ and publish/ reach no I/O module, directly or through what they import.',
      severity: 'error',
      from: { path: PURE },
      to: { dependencyTypes: ['core'], path: IO_BUILTINS },
    },
    {
      name: 'pure-core-no-kubernetes-client',
      comment: 'The pure core never talks to the Kubernetes API.',
      severity: 'error',
      from: { path: PURE },
      to: { path: '^node_modules/@kubernetes/client-node/' },
    },
    {
      name: 'dev-only',
      comment: 'Only `portico dev` (cli/dev.ts) starts the embedded API server or the dev gateway.',
      severity: 'error',
      from: { path: '^operator/', pathNot: '^operator/(cli/dev\\.ts|apiserver/|devgateway/)' },
      to: { path: '^operator/(apiserver|devgateway)/' },
    },
    {
      name: 'composition-root',
      comment: 'operator.ts wires the running operator; only the command line starts it.',
      severity: 'error',
      from: { path: '^operator/', pathNot: '^operator/(cli/|cli\\.ts$)' },
      to: { path: '^operator/operator\\.ts$' },
    },
    {
      name: 'codegen-is-build-time',
      comment: 'Nothing in the product imports the code generator (it runs from npm run generate:api).',
      severity: 'error',
      from: { path: '^operator/', pathNot: '^operator/codegen/' },
      to: { path: '^operator/codegen/' },
    },
    {
      name: 'command-line-on-top',
      comment: 'Nothing below the command line imports it.',
      severity: 'error',
      from: { path: '^operator/', pathNot: '^operator/(cli/|cli\\.ts$)' },
      to: { path: '^operator/(cli/|cli\\.ts$)' },
    },
    ...layerRules,
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves (a typo, or a package not in package.json).',
      severity: 'error',
      from: { path: '^operator/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
