import type { Signal } from '@aisre/core';
import { buildSystemModel } from '../simulation/system-model';
import { triggerSignal } from '../telemetry/signal-feed';
import type { Scenario } from '../types';
import { parseScenario } from './parse-scenario';

/**
 * The scenario's trigger alert as the {@link Signal} the mock connector raises at the trigger time
 * (same id, labels and payload), e.g. to start an investigation.
 *
 * @param scenario - a scenario (validated again here)
 * @throws InvalidInputError when the scenario is invalid
 */
export function scenarioTrigger(scenario: Scenario): Signal {
  return triggerSignal(buildSystemModel(parseScenario(structuredClone(scenario))));
}
