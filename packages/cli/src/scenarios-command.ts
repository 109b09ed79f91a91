import { builtInScenarioNames, loadBuiltInScenario } from '@aisre/connector-mock';
import { type CliIo, exitCodes } from './cli-io';
import { commonFlags, parseCommandFlags } from './command-flags';
import { commandHelp } from './help-text';
import { textTable } from './terminal-text';

const flags = { ...commonFlags, json: { type: 'boolean' } } as const;

/** A built-in scenario as `aisre scenarios` lists it. */
export interface ScenarioListing {
  /** The scenario's name (what `--scenario` takes). */
  name: string;
  /** The alert that triggers it. */
  alert: string;
  /** The entity the alert is about. */
  entity: string;
  /** The alert's severity. */
  severity: string;
}

/** The built-in scenarios, and those that failed to load (a bug of the library, reported rather than fatal). */
export interface ScenarioListings {
  /** The scenarios that loaded, in the library's order. */
  scenarios: ScenarioListing[];
  /** The scenarios that did not load, with why. */
  errors: {
    /** The scenario's name. */
    name: string;
    /** Why it did not load. */
    error: string;
  }[];
}

/** Lists the built-in scenarios of `@aisre/connector-mock`, in the library's order. */
export async function listBuiltInScenarios(): Promise<ScenarioListings> {
  const listings: ScenarioListings = { scenarios: [], errors: [] };
  for (const name of builtInScenarioNames()) {
    try {
      const scenario = await loadBuiltInScenario(name);
      const { alert, entity, severity } = scenario.trigger;
      listings.scenarios.push({ name: scenario.name, alert, entity, severity });
    } catch (error) {
      listings.errors.push({ name, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return listings;
}

/**
 * `aisre scenarios [--json]`: lists the built-in scenarios (name, trigger alert, entity, severity), as a
 * table or as one JSON object `{ "scenarios": [...], "errors": [...] }` (scenarios that failed to load).
 *
 * @param args - the arguments after `scenarios`
 * @param io - where to write
 * @returns the exit code
 */
export async function scenariosCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandFlags('scenarios', args, flags);
  if (values.help) {
    io.stdout(commandHelp.scenarios ?? '');
    return exitCodes.ok;
  }
  const { scenarios, errors } = await listBuiltInScenarios();
  for (const failure of errors)
    io.stderr(`aisre scenarios: ${failure.name} did not load: ${failure.error}\n`);
  if (values.json) {
    io.stdout(`${JSON.stringify({ scenarios, errors }, null, 2)}\n`);
    return exitCodes.ok;
  }
  const rows = scenarios.map((listing) => [listing.name, listing.alert, listing.entity, listing.severity]);
  const footer = `${scenarios.length} built-in scenarios; run one with aisre investigate --scenario <name>`;
  io.stdout(`${[...textTable(['name', 'alert', 'entity', 'severity'], rows), '', footer].join('\n')}\n`);
  return exitCodes.ok;
}
