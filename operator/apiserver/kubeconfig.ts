// A kubeconfig for the embedded server. `insecure-skip-tls-verify: true` because client-node refuses a plain
// http:// server without it; kubectl is fine either way.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export function kubeconfigYaml(serverUrl: string, namespace = 'default'): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: portico',
    '  cluster:',
    `    server: ${serverUrl}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    '- name: portico',
    '  user:',
    '    token: portico-dev',
    'contexts:',
    '- name: portico',
    '  context:',
    '    cluster: portico',
    '    user: portico',
    `    namespace: ${namespace}`,
    'current-context: portico',
    '',
  ].join('\n');
}

export async function writeKubeconfigFile(path: string, serverUrl: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, kubeconfigYaml(serverUrl), { mode: 0o600 });
}
