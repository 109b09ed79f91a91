import type { JsonValue } from '../contracts/common';
import type { EntityRef } from '../contracts/entity-ref';
import type { Evidence, EvidenceVerdict } from '../contracts/evidence';
import type { Hypothesis, HypothesisStatus } from '../contracts/hypothesis';

/** A hypothesis with the log-weight its posterior is computed from. */
interface Entry {
  hypothesis: Hypothesis;
  logWeight: number;
  evidence: number[];
  /** How many of `evidence` it inherited from its parent when refined (the rest is its own). */
  inherited: number;
  reason: string;
}

/** Id of the "nothing is wrong" pseudo-hypothesis. */
export const noFaultId = '(no-fault)';
/** Id of the "a cause nobody proposed" remainder. */
export const unknownId = '(unknown)';

/**
 * The competing hypotheses of one investigation and their posteriors. Posteriors are a softmax over
 * log-weights (log prior + Σ log likelihood ratios) of the active hypotheses plus two pseudo-hypotheses:
 * "nothing is wrong" and "a cause nobody proposed". A refined hypothesis hands its weight to its children
 * and leaves the competition.
 */
export class HypothesisBoard {
  readonly #entries = new Map<string, Entry>();
  /** The entries in the order their ids were first added (the map's order), as an array to walk cheaply. */
  readonly #order: Entry[] = [];
  readonly #position = new Map<string, number>();
  /** Children by parent id, in insertion order; rebuilt when hypotheses are added. */
  #children: Map<string, Entry[]> | undefined;
  readonly #evidence: Evidence[] = [];
  #noFault: number;
  #unknown: number;

  /**
   * @param noFaultPrior - prior that nothing is wrong
   * @param unknownPrior - prior of a cause nobody proposed
   */
  constructor(noFaultPrior: number, unknownPrior: number) {
    this.#noFault = Math.log(noFaultPrior);
    this.#unknown = Math.log(unknownPrior);
  }

  /** Adds a hypothesis with its prior. */
  add(hypothesis: Omit<Hypothesis, 'posterior' | 'status'>, reason: string): Hypothesis {
    const full: Hypothesis = { ...hypothesis, posterior: hypothesis.prior, status: 'open' };
    this.#set(full.id, {
      hypothesis: full,
      logWeight: Math.log(Math.max(hypothesis.prior, 1e-12)),
      evidence: [],
      inherited: 0,
      reason,
    });
    this.#children = undefined;
    this.#refresh();
    return full;
  }

  /**
   * Refines `parentId` into children: each child gets the parent's current weight times its share
   * (shares are normalised). The parent leaves the competition with status `supported`.
   */
  refine(
    parentId: string,
    children: {
      id: string;
      entity: EntityRef;
      fault: string;
      statement: string;
      generator: string;
      share: number;
      reason: string;
    }[],
  ): Hypothesis[] {
    const parent = this.#entries.get(parentId);
    if (!parent || children.length === 0) return [];
    const total = children.reduce((sum, child) => sum + child.share, 0);
    parent.hypothesis.status = 'supported';
    const created: Hypothesis[] = [];
    for (const child of children) {
      const share = child.share / total;
      const hypothesis: Hypothesis = {
        id: child.id,
        entity: child.entity,
        fault: child.fault,
        statement: child.statement,
        prior: parent.hypothesis.prior * share,
        posterior: 0,
        parent: parentId,
        status: 'open',
        generator: child.generator,
      };
      this.#set(child.id, {
        hypothesis,
        logWeight: parent.logWeight + Math.log(share),
        evidence: [...parent.evidence],
        inherited: parent.evidence.length,
        reason: child.reason,
      });
      created.push(hypothesis);
    }
    this.#children = undefined;
    this.#refresh();
    return created;
  }

  /** Applies a likelihood ratio to a hypothesis (or a pseudo-hypothesis) and records the evidence. */
  record(
    hypothesisId: string,
    check: string,
    likelihoodRatio: number,
    summary: string,
    excerpt: JsonValue,
    step: number,
    verdictOverride?: EvidenceVerdict,
  ): Evidence {
    const weight = Math.log(Math.max(likelihoodRatio, 1e-6));
    if (hypothesisId === noFaultId) this.#noFault += weight;
    else if (hypothesisId === unknownId) this.#unknown += weight;
    else {
      const entry = this.#entries.get(hypothesisId);
      if (entry) {
        entry.logWeight += weight;
        if (entry.hypothesis.status === 'open') entry.hypothesis.status = 'testing';
      }
    }
    const verdict: EvidenceVerdict =
      verdictOverride ?? (weight > 0.2 ? 'supports' : weight < -0.2 ? 'refutes' : 'neutral');
    const evidence: Evidence = {
      id: this.#evidence.length + 1,
      hypothesis: hypothesisId,
      check,
      verdict,
      weight: Number(weight.toFixed(4)),
      summary,
      excerpt,
      step,
    };
    this.#evidence.push(evidence);
    this.#entries.get(hypothesisId)?.evidence.push(evidence.id);
    this.#refresh();
    return evidence;
  }

  #set(id: string, entry: Entry): void {
    this.#entries.set(id, entry);
    const position = this.#position.get(id);
    if (position === undefined) {
      this.#position.set(id, this.#order.length);
      this.#order.push(entry);
    } else this.#order[position] = entry;
  }

  /** How many hypotheses were added (refined ones included). */
  get size(): number {
    return this.#entries.size;
  }

  /** Sets a hypothesis' status (pruned, refuted, concluded). */
  setStatus(id: string, status: HypothesisStatus): void {
    const entry = this.#entries.get(id);
    if (entry) entry.hypothesis.status = status;
    this.#ranked = undefined;
  }

  /** Whether a hypothesis was refined into children. */
  hasChildren(id: string): boolean {
    return this.#childrenIndex().has(id);
  }

  #childrenIndex(): Map<string, Entry[]> {
    if (this.#children) return this.#children;
    const children = new Map<string, Entry[]>();
    for (const entry of this.#order) {
      const parent = entry.hypothesis.parent;
      if (parent === undefined) continue;
      const list = children.get(parent) ?? [];
      list.push(entry);
      children.set(parent, list);
    }
    this.#children = children;
    return children;
  }

  /** A hypothesis by id. */
  get(id: string): Hypothesis | undefined {
    this.#recompute();
    return this.#entries.get(id)?.hypothesis;
  }

  /** Why a hypothesis was proposed. */
  reasonOf(id: string): string {
    return this.#entries.get(id)?.reason ?? '';
  }

  /** Citation numbers of the evidence about a hypothesis (including its parent's before refinement). */
  citationsOf(id: string): number[] {
    return [...(this.#entries.get(id)?.evidence ?? [])];
  }

  /** Whether evidence about the hypothesis itself was recorded (not only what it inherited from its parent). */
  hasOwnEvidence(id: string): boolean {
    const entry = this.#entries.get(id);
    return entry !== undefined && entry.evidence.length > entry.inherited;
  }

  /** Every hypothesis, in insertion order. */
  all(): Hypothesis[] {
    this.#recompute();
    return this.#order.map((entry) => entry.hypothesis);
  }

  /**
   * The competing hypotheses (not refined, not pruned), most likely first (ties by id). The list is shared
   * until the next change (a change makes a new one, so a list being walked never changes under its reader).
   */
  ranked(): readonly Hypothesis[] {
    this.#recompute();
    this.#ranked ??= this.#order
      .filter((entry) => isCompeting(entry.hypothesis.status))
      .map((entry) => entry.hypothesis)
      .sort((a, b) => descending(a.posterior, b.posterior) || (a.id < b.id ? -1 : 1));
    return this.#ranked;
  }

  /** The ranking until the next change of a weight or a status. */
  #ranked: Hypothesis[] | undefined;

  /** Posterior that nothing is wrong. */
  noFault(): number {
    return this.#posteriorOfPseudo(this.#noFault);
  }

  /** Posterior of a cause nobody proposed. */
  unknown(): number {
    return this.#posteriorOfPseudo(this.#unknown);
  }

  /** The evidence so far, in citation order. */
  evidence(): Evidence[] {
    return [...this.#evidence];
  }

  #normaliser(): number {
    let max = Math.max(this.#noFault, this.#unknown);
    for (const entry of this.#order)
      if (isCompeting(entry.hypothesis.status)) max = Math.max(max, entry.logWeight);
    let sum = Math.exp(this.#noFault - max) + Math.exp(this.#unknown - max);
    for (const entry of this.#order)
      if (isCompeting(entry.hypothesis.status)) sum += Math.exp(entry.logWeight - max);
    return max + Math.log(sum);
  }

  #posteriorOfPseudo(logWeight: number): number {
    this.#recompute();
    return Math.exp(logWeight - this.#logNormaliser);
  }

  #dirty = true;
  #logNormaliser = 0;

  /** Marks posteriors stale; they are recomputed once, when next read. */
  #refresh(): void {
    this.#dirty = true;
    this.#ranked = undefined;
  }

  /**
   * Recomputes every posterior in linear time: competing (and pruned) ones from their weights, refined ones as
   * the sums of their children.
   */
  #recompute(): void {
    if (!this.#dirty) return;
    this.#dirty = false;
    const log = this.#normaliser();
    this.#logNormaliser = log;
    const children = this.#childrenIndex();
    const sums = new Map<string, number>();
    const posteriorOf = (entry: Entry): number => {
      // A pruned hypothesis no longer competes (it is out of the normaliser) but keeps the posterior its
      // weight would give, so the tail of the ranking still says which of the ruled-out ones came closest.
      if (isCompeting(entry.hypothesis.status) || entry.hypothesis.status === 'pruned')
        return Math.exp(entry.logWeight - log);
      const known = sums.get(entry.hypothesis.id);
      if (known !== undefined) return known;
      let sum = 0;
      for (const child of children.get(entry.hypothesis.id) ?? []) sum += posteriorOf(child);
      sums.set(entry.hypothesis.id, sum);
      return sum;
    };
    for (const entry of this.#order) entry.hypothesis.posterior = posteriorOf(entry);
  }
}

/**
 * Orders larger numbers first, as `b - a` would (equal or incomparable: 0), but answers with small integers,
 * so a comparator built on it allocates nothing per comparison.
 */
export function descending(a: number, b: number): number {
  return b > a ? 1 : b < a ? -1 : 0;
}

function isCompeting(status: HypothesisStatus): boolean {
  return status === 'open' || status === 'testing' || status === 'concluded';
}
