// The kubectl commands the parity test runs against both API servers, in order: what users and the README do
// with Portico's resources, and the generic API behaviour behind it (a small CRD of the API server's own tests,
// widgets.example.portico.dev, so that no operator writes statuses on one side only). Mappings are created only
// where the API server rejects them, so their output never depends on the operator.

export interface ParityStep {
  name: string;
  args: string[];
  stdin?: string;
}

const widget = (ns: string, name: string, spec: string) => `apiVersion: example.portico.dev/v1
kind: Widget
metadata:
  name: ${name}
  namespace: ${ns}
spec:
${spec}`;

const mapping = (ns: string, name: string, spec: string) => `apiVersion: portico.dev/v1alpha1
kind: Mapping
metadata:
  name: ${name}
  namespace: ${ns}
spec:
${spec}`;

export function kubectlParityScript(ns: string): ParityStep[] {
  const n = ['-n', ns];
  return [
    // Create, read, list.
    {
      name: 'apply creates',
      args: ['apply', ...n, '-f', '-'],
      stdin: widget(ns, 'w1', '  prefix: /b/\n  replicas: 2\n'),
    },
    {
      name: 'apply creates a second',
      args: ['apply', ...n, '-f', '-'],
      stdin: widget(ns, 'w2', '  prefix: /a/\n  replicas: 1\n  mode: fast\n'),
    },
    {
      name: 'apply unchanged',
      args: ['apply', ...n, '-f', '-'],
      stdin: widget(ns, 'w1', '  prefix: /b/\n  replicas: 2\n'),
    },
    { name: 'get table', args: ['get', 'widgets', ...n] },
    { name: 'get wide', args: ['get', 'widgets', ...n, '-o', 'wide'] },
    { name: 'get by short name', args: ['get', 'wdg', ...n] },
    { name: 'get by category', args: ['get', 'portico', ...n] },
    { name: 'get sort-by spec field', args: ['get', 'widgets', ...n, '--sort-by=.spec.prefix'] },
    { name: 'get sort-by name', args: ['get', 'widgets', ...n, '--sort-by=.metadata.name'] },
    {
      name: 'get jsonpath',
      args: ['get', 'widgets', ...n, '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.rewrite}{"\\n"}{end}'],
    },
    {
      name: 'get custom-columns',
      args: ['get', 'widgets', ...n, '-o', 'custom-columns=NAME:.metadata.name,PREFIX:.spec.prefix,MODE:.spec.mode'],
    },
    { name: 'get name output', args: ['get', 'widgets', ...n, '-o', 'name'] },
    { name: 'get one as yaml', args: ['get', 'widget', 'w2', ...n, '-o', 'yaml', '--show-managed-fields=false'] },
    { name: 'get label selector none', args: ['get', 'widgets', ...n, '-l', 'tier=none'] },
    { name: 'get field selector name', args: ['get', 'widgets', ...n, '--field-selector', 'metadata.name=w1'] },
    { name: 'get missing', args: ['get', 'widget', 'nope', ...n] },
    { name: 'get in missing namespace', args: ['get', 'widgets', '-n', 'no-such-ns'] },
    { name: 'get chunked', args: ['get', 'widgets', ...n, '--chunk-size=1'] },
    // Changes.
    {
      name: 'apply configures',
      args: ['apply', ...n, '-f', '-'],
      stdin: widget(ns, 'w1', '  prefix: /b2/\n  replicas: 3\n'),
    },
    { name: 'generation after a change', args: ['get', 'widget', 'w1', ...n, '-o', 'jsonpath={.metadata.generation}'] },
    { name: 'label', args: ['label', 'widget', 'w1', ...n, 'tier=web'] },
    { name: 'get label selector', args: ['get', 'widgets', ...n, '-l', 'tier=web', '-o', 'name'] },
    { name: 'annotate', args: ['annotate', 'widget', 'w1', ...n, 'note=hello'] },
    { name: 'patch merge', args: ['patch', 'widget', 'w1', ...n, '--type=merge', '-p', '{"spec":{"replicas":4}}'] },
    {
      name: 'patch json',
      args: [
        'patch',
        'widget',
        'w1',
        ...n,
        '--type=json',
        '-p',
        '[{"op":"replace","path":"/spec/prefix","value":"/c/"}]',
      ],
    },
    {
      name: 'patch json test fails',
      args: [
        'patch',
        'widget',
        'w1',
        ...n,
        '--type=json',
        '-p',
        '[{"op":"test","path":"/spec/prefix","value":"/zzz/"}]',
      ],
    },
    { name: 'patch strategic refused on a CR', args: ['patch', 'widget', 'w1', ...n, '-p', '{"spec":{"replicas":5}}'] },
    {
      name: 'patch status subresource',
      args: [
        'patch',
        'widget',
        'w1',
        ...n,
        '--subresource=status',
        '--type=merge',
        '-p',
        '{"status":{"observedGeneration":7}}',
      ],
    },
    {
      name: 'status kept apart from spec',
      args: ['get', 'widget', 'w1', ...n, '-o', 'jsonpath={.status.observedGeneration}/{.metadata.generation}'],
    },
    {
      name: 'server-side apply',
      args: ['apply', '--server-side', ...n, '-f', '-'],
      stdin: widget(ns, 'w3', '  prefix: /ssa/\n'),
    },
    {
      name: 'server-side apply conflict',
      args: ['apply', '--server-side', '--field-manager=other', ...n, '-f', '-'],
      stdin: widget(ns, 'w3', '  prefix: /other/\n'),
    },
    {
      name: 'server-side apply force',
      args: ['apply', '--server-side', '--field-manager=other', '--force-conflicts', ...n, '-f', '-'],
      stdin: widget(ns, 'w3', '  prefix: /other/\n'),
    },
    {
      name: 'managed fields managers',
      args: [
        'get',
        'widget',
        'w3',
        ...n,
        '-o',
        'jsonpath={range .metadata.managedFields[*]}{.manager}:{.operation}{"\\n"}{end}',
      ],
    },
    {
      name: 'dry-run server',
      args: ['apply', '--dry-run=server', ...n, '-f', '-'],
      stdin: widget(ns, 'w9', '  prefix: /dry/\n'),
    },
    { name: 'dry-run left nothing', args: ['get', 'widget', 'w9', ...n] },
    {
      name: 'diff',
      args: ['diff', ...n, '-f', '-'],
      stdin: widget(ns, 'w2', '  prefix: /a2/\n  replicas: 1\n  mode: fast\n'),
    },
    // Validation.
    {
      name: 'schema: missing required',
      args: ['apply', ...n, '-f', '-'],
      stdin: widget(ns, 'bad1', '  replicas: 1\n'),
    },
    { name: 'schema: pattern', args: ['apply', ...n, '-f', '-'], stdin: widget(ns, 'bad2', '  prefix: nope\n') },
    {
      name: 'schema: enum',
      args: ['apply', ...n, '-f', '-'],
      stdin: widget(ns, 'bad3', '  prefix: /x/\n  mode: slow\n'),
    },
    {
      name: 'schema: minimum',
      args: ['apply', ...n, '-f', '-'],
      stdin: widget(ns, 'bad4', '  prefix: /x/\n  replicas: -1\n'),
    },
    {
      name: 'schema: wrong type',
      args: ['apply', ...n, '-f', '-'],
      stdin: widget(ns, 'bad5', '  prefix: /x/\n  replicas: many\n'),
    },
    {
      name: 'strict: unknown field',
      args: ['apply', ...n, '-f', '-'],
      stdin: widget(ns, 'bad6', '  prefix: /x/\n  timeout_ms: 3000\n'),
    },
    {
      name: 'warn: unknown field',
      args: ['apply', '--validate=warn', ...n, '-f', '-'],
      stdin: widget(ns, 'w4', '  prefix: /x/\n  timeout_ms: 3000\n'),
    },
    { name: 'pruned unknown field', args: ['get', 'widget', 'w4', ...n, '-o', 'jsonpath={.spec}'] },
    { name: 'bad name', args: ['apply', ...n, '-f', '-'], stdin: widget(ns, 'Bad_Name', '  prefix: /x/\n') },
    {
      name: 'Mapping: prefix rule',
      args: ['apply', ...n, '-f', '-'],
      stdin: mapping(ns, 'm1', '  prefix: user/\n  service: usersvc\n'),
    },
    {
      name: 'Mapping: host rule',
      args: ['apply', ...n, '-f', '-'],
      stdin: mapping(ns, 'm2', '  prefix: /u/\n  service: usersvc\n  host: Not_A_Host\n'),
    },
    { name: 'Mapping: missing service', args: ['apply', ...n, '-f', '-'], stdin: mapping(ns, 'm3', '  prefix: /u/\n') },
    {
      name: 'Mapping: unknown field',
      args: ['apply', ...n, '-f', '-'],
      stdin: mapping(ns, 'm4', '  prefix: /u/\n  service: usersvc\n  timeout_ms: 3000\n'),
    },
    // One bad field per step: kube-apiserver and the embedded server list schema errors of several fields in a
    // different order (kube-openapi's, ajv's), which the parity test would report; portico validate and the
    // vocabulary test compare such lists as sets.
    {
      name: 'Mapping: duration type',
      args: ['apply', ...n, '-f', '-'],
      stdin: mapping(ns, 'm5', '  prefix: /u/\n  service: usersvc\n  timeout: 3000\n'),
    },
    {
      name: 'Mapping: duration rule and enum',
      args: ['apply', ...n, '-f', '-'],
      stdin: mapping(
        ns,
        'm7',
        '  prefix: /u/\n  service: usersvc\n  retryPolicy: {retryOn: [5xx, sometimes], perTryTimeout: 1 second}\n',
      ),
    },
    {
      name: 'Mapping: duration rule',
      args: ['apply', ...n, '-f', '-'],
      stdin: mapping(ns, 'm8', '  prefix: /u/\n  service: usersvc\n  connectTimeout: 0s\n'),
    },
    {
      name: 'Mapping: duplicate header match',
      args: ['apply', ...n, '-f', '-'],
      stdin: mapping(
        ns,
        'm6',
        '  prefix: /u/\n  service: usersvc\n  headers: [{name: x-a, value: "1"}, {name: x-a}]\n',
      ),
    },
    {
      name: 'TLSContext: enum',
      args: ['apply', ...n, '-f', '-'],
      stdin: `apiVersion: portico.dev/v1alpha1\nkind: TLSContext\nmetadata: {name: t1, namespace: ${ns}}\nspec: {secret: s, minTlsVersion: v1.0}\n`,
    },
    // Discovery and docs.
    { name: 'api-resources', args: ['api-resources', '--api-group=portico.dev'] },
    { name: 'api-resources widgets', args: ['api-resources', '--api-group=example.portico.dev', '-o', 'wide'] },
    { name: 'explain', args: ['explain', 'widgets.spec'] },
    { name: 'explain Mapping', args: ['explain', 'mapping.spec.prefix'] },
    { name: 'explain Mapping retryPolicy', args: ['explain', 'mapping.spec.retryPolicy'] },
    { name: 'explain Mapping headers', args: ['explain', 'mapping.spec.headers', '--recursive'] },
    // The API on the wire (kubectl --raw): lists, paging, errors, discovery of the group.
    {
      name: 'raw: list with limit',
      args: ['get', '--raw', `/apis/example.portico.dev/v1/namespaces/${ns}/widgets?limit=1`],
    },
    { name: 'raw: get missing', args: ['get', '--raw', `/apis/example.portico.dev/v1/namespaces/${ns}/widgets/nope`] },
    {
      name: 'raw: bad label selector',
      args: ['get', '--raw', `/apis/example.portico.dev/v1/namespaces/${ns}/widgets?labelSelector=a%3D%3D%3Db`],
    },
    {
      name: 'raw: unknown field selector',
      args: [
        'get',
        '--raw',
        `/apis/example.portico.dev/v1/namespaces/${ns}/widgets?fieldSelector=spec.prefix%3D%2Fb%2F`,
      ],
    },
    {
      name: 'raw: create exists',
      args: ['create', '--raw', `/apis/example.portico.dev/v1/namespaces/${ns}/widgets`, '-f', '-'],
      stdin: JSON.stringify({
        apiVersion: 'example.portico.dev/v1',
        kind: 'Widget',
        metadata: { name: 'w1' },
        spec: { prefix: '/x/' },
      }),
    },
    { name: 'raw: group discovery', args: ['get', '--raw', '/apis/portico.dev/v1alpha1'] },
    { name: 'raw: group', args: ['get', '--raw', '/apis/portico.dev'] },
    {
      name: 'raw: CRD status conditions',
      args: [
        'get',
        'crd',
        'widgets.example.portico.dev',
        '-o',
        'jsonpath={range .status.conditions[*]}{.type}={.status}/{.reason}{"\n"}{end}',
      ],
    },
    // Deletion.
    { name: 'delete', args: ['delete', 'widget', 'w2', ...n] },
    { name: 'delete missing', args: ['delete', 'widget', 'w2', ...n] },
    { name: 'delete ignore-not-found', args: ['delete', 'widget', 'w2', ...n, '--ignore-not-found'] },
    { name: 'delete by label', args: ['delete', 'widgets', ...n, '-l', 'tier=web'] },
    { name: 'list after deletes', args: ['get', 'widgets', ...n, '-o', 'name'] },
  ];
}
