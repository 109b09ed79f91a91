import type { LogRecord } from '@aisre/core';
import { formatIsoTime } from '../scenario/duration';
import type { RandomSource } from '../simulation/random';
import type { Simulation } from '../simulation/simulation';
import type { ModelEntity } from '../simulation/system-model';
import type { LogText } from './log-messages';
import { podName } from './naming';

/** The lines one entity writes during one step, with the step's random source. */
export class StepLog {
  readonly lines: LogRecord[] = [];
  /** The time of each line, epoch milliseconds (parallel to `lines`). */
  readonly times: number[] = [];
  constructor(
    private readonly simulation: Simulation,
    private readonly entity: ModelEntity,
    private readonly step: number,
    readonly random: RandomSource,
  ) {}

  /** Adds a line at a random moment of the step, from a random pod unless `pod` is given. */
  add(text: LogText, pod?: string): void {
    const at =
      this.simulation.timeAt(this.step) + Math.floor(this.random.next() * this.simulation.model.stepMs);
    const replica = this.random.integer(0, Math.max(0, this.entity.replicas - 1));
    this.times.push(at);
    this.lines.push({
      at: formatIsoTime(at),
      entity: this.entity.ref,
      level: text.level,
      message: text.message,
      attributes: { pod: pod ?? podName(this.entity, replica), ...text.attributes },
    });
  }

  /** Adds a random number of lines (mean `mean`, at most `cap` on average) made by `make`. */
  repeat(mean: number, cap: number, make: () => LogText): void {
    const count = this.random.count(Math.min(mean, cap));
    for (let index = 0; index < count; index++) this.add(make());
  }
}
