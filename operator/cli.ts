#!/usr/bin/env node
// `portico <command>`: a thin dispatcher. Each command lives in operator/cli/<command>.ts and is loaded lazily,
// so `portico render` never pays for the API server or client-node.

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  run: {
    summary: 'run the operator against a cluster (in-cluster config or KUBECONFIG)',
    load: () => import('./cli/run.js'),
  },
  dev: {
    summary: 'start an embedded Kubernetes API server with the operator, for trying Portico locally',
    load: () => import('./cli/dev.js'),
  },
  render: {
    summary: 'compile Mapping/TLSContext/Service/Secret YAML into Envoy config, offline',
    load: () => import('./cli/render.js'),
  },
  validate: {
    summary: 'check Mapping/TLSContext YAML and print one line per rejected object',
    load: () => import('./cli/validate.js'),
  },
  migrate: {
    summary: 'convert Emissary/Ambassador Mappings, TLSContexts and Hosts into Portico objects',
    load: () => import('./cli/migrate.js'),
  },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: portico <command> [flags]\n\ncommands:\n${lines.join('\n')}\n\nRun 'portico <command> --help' for a command's flags, 'portico --version' for the version.\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === 'version') {
    const { porticoVersion } = await import('./server/version.js');
    process.stdout.write(`portico ${porticoVersion()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`portico: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const mod = await command.load();
  return mod.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`portico: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
