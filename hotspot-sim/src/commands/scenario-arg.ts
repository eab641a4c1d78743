/** The scenario file a command takes as its one positional argument (`-` for stdin). */
import { UsageError, type CommandIo } from '@hexium/shared/cli/args';
import { parseScenario, ScenarioError, type ResolvedScenario } from '../core/scenario/load-scenario.ts';

/** Read and validate it; a missing or invalid file is a usage error naming the file. */
export async function readScenarioArg(positionals: string[], io: Pick<CommandIo, 'readInput'>): Promise<ResolvedScenario> {
  if (positionals.length !== 1) throw new UsageError('give exactly one scenario file (or - for stdin)');
  try {
    return parseScenario(await io.readInput(positionals[0]));
  } catch (e) {
    if (e instanceof ScenarioError) throw new UsageError(`${positionals[0]}: ${e.message}`);
    throw e;
  }
}
