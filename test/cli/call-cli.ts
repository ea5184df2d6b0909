// Calls the CLI in-process as a user would from `cwd`, off a terminal, and collects what it prints.
import type { CliIo } from '../../lib/cli/io';
import { main } from '../../lib/cli/main';

export async function callCli(cwd: string, argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), isTTY: false, cwd, env: {} };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
