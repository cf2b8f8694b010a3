// A kubeconfig for the embedded server, holding its bearer token, so it is written 0600 (storage/state-files.ts).
// Over https it trusts the server's own certificate (certificate-authority-data). Over http (tests) it says
// `insecure-skip-tls-verify: true`, because client-node refuses a plain http:// server without it; kubectl
// is fine either way but sends no token over http. Without a token, a placeholder is written.
import { writeFileDurably } from '../storage/state-files.js';

export const PLACEHOLDER_TOKEN = 'portico-dev';

export function kubeconfigYaml(
  serverUrl: string,
  token = PLACEHOLDER_TOKEN,
  caPem?: string,
  namespace = 'default',
): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: portico',
    '  cluster:',
    `    server: ${serverUrl}`,
    caPem
      ? `    certificate-authority-data: ${Buffer.from(caPem).toString('base64')}`
      : '    insecure-skip-tls-verify: true',
    'users:',
    '- name: portico',
    '  user:',
    `    token: ${token}`,
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

export async function writeKubeconfigFile(
  path: string,
  serverUrl: string,
  token?: string,
  caPem?: string,
): Promise<void> {
  writeFileDurably(path, kubeconfigYaml(serverUrl, token, caPem));
}
