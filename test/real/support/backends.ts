// Upstream Services for real-world tests: a Deployment of the echo image (test/world/echo-server.ts stands in for
// it) and a Service in front of it, as YAML for kubectl.
import { ECHO_IMAGE } from '../../world/kubelet/images.js';

export function echoBackendYaml(
  name: string,
  namespace: string,
  opts: { replicas?: number; env?: Record<string, string> } = {},
): string {
  const env = Object.entries(opts.env ?? {})
    .map(([k, v]) => `            - {name: ${k}, value: "${v}"}`)
    .join('\n');
  return `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  selector: {app: ${name}}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  replicas: ${opts.replicas ?? 1}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
        - name: echo
          image: ${ECHO_IMAGE}
          ports: [{containerPort: 8080}]
          readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 1}
${env ? `          env:\n${env}\n` : ''}`;
}

export function namespaceYaml(name: string): string {
  return `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}}\n`;
}

export function mappingYaml(name: string, namespace: string, spec: Record<string, unknown>): string {
  return `apiVersion: portico.dev/v1alpha1
kind: Mapping
metadata: {name: ${name}, namespace: ${namespace}}
spec: ${JSON.stringify(spec)}
`;
}
