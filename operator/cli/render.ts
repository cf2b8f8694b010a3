// Placeholder until the owning issue lands; replaced by the real command.
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('portico render: not implemented yet\n');
  return 1;
}
