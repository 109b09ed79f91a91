import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { type ApprovalDecision, type ApprovalGate, type ApprovalRequest, CancelledError } from '@aisre/core';

/** Options of {@link createTerminalApprovalGate}. */
export interface TerminalApprovalGateOptions {
  /** Where answers are typed (the terminal's standard input). */
  input: Readable;
  /** Where the question is shown (standard error, so a report on standard output stays clean). */
  write: (text: string) => void;
  /** Who answers, recorded in the audit trail. */
  approver: string;
  /** The roles the person at the terminal holds, as your identity system says. */
  roles?: readonly string[];
}

function describeChange(request: ApprovalRequest): string[] {
  const { proposal } = request;
  const parameters = Object.entries(proposal.action.parameters)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
  const rollback =
    typeof proposal.rollback === 'string'
      ? proposal.rollback
      : `${proposal.rollback.type} on ${proposal.rollback.target}`;
  return [
    '',
    `Approval needed in ${request.environment}${request.approver ? ` from ${request.approver}` : ''}: ${proposal.title}`,
    `  change:   ${proposal.action.type} on ${proposal.action.target}${parameters ? ` (${parameters})` : ''}`,
    `  risk:     ${proposal.risk}`,
    `  rollback: ${rollback}`,
    `  why:      ${proposal.rationale}`,
    `  policy:   ${request.rule ? `${request.rule}: ` : ''}${request.reason}`,
    ...request.evidence.map((evidence) => `  [${evidence.id}] ${evidence.verdict}: ${evidence.summary}`),
    `  expires:  ${request.expiresAt}`,
  ];
}

/**
 * An {@link ApprovalGate} that asks at a terminal: it shows the change, its risk, rollback, the policy rule
 * that asks and the evidence cited, then reads one line. `y` or `yes` approves; anything else, an empty line
 * or the end of the input refuses. A request that times out or is cancelled while waiting rejects with a
 * `CancelledError` (the resolver then applies nothing).
 *
 * @param options - the input to read, where to write, who answers and their roles
 */
export function createTerminalApprovalGate(options: TerminalApprovalGateOptions): ApprovalGate {
  const lines = createInterface({ input: options.input, terminal: false });
  const waiting: ((line: string | undefined) => void)[] = [];
  const buffered: string[] = [];
  let ended = false;
  lines.on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else buffered.push(line);
  });
  lines.on('close', () => {
    ended = true;
    for (const next of waiting.splice(0)) next(undefined);
  });
  const nextLine = (signal: AbortSignal): Promise<string | undefined> => {
    const line = buffered.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (ended) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const index = waiting.indexOf(answer);
        if (index >= 0) waiting.splice(index, 1);
        reject(new CancelledError('cli: the approval prompt was cancelled or timed out; nothing is applied'));
      };
      const answer = (value: string | undefined) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      };
      waiting.push(answer);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  };
  return {
    async request(request, { signal }): Promise<ApprovalDecision> {
      if (signal.aborted)
        throw new CancelledError('cli: the approval request was cancelled before it was asked');
      options.write(`${describeChange(request).join('\n')}\nApply this change? [y/N] `);
      const line = await nextLine(signal);
      const approved = /^\s*(y|yes)\s*$/i.test(line ?? '');
      return {
        approved,
        approver: options.approver,
        ...(options.roles && options.roles.length > 0 ? { roles: [...options.roles] } : {}),
        ...(line === undefined
          ? { reason: 'no answer: the input ended' }
          : approved
            ? {}
            : { reason: 'refused at the terminal' }),
      };
    },
  };
}
