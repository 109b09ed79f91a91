import type { EntityRef } from '../contracts/entity-ref';
import type { RemediationProposal } from '../contracts/remediation';
import type { RemediationCatalogueEntry } from './remediation-catalogue';
import { createRemediationProposal } from './remediation-proposals';
import { topologyNeighbours } from './report-facts';

const maximumCallers = 3;

/** `network.latency`: restart to move the pods to other nodes; fail traffic over. Both need a human. */
export const networkLatencyRemediation: RemediationCatalogueEntry = {
  fault: 'network.latency',
  propose: (conclusion, report) => [
    createRemediationProposal(conclusion, report, {
      title: `Restart ${conclusion.entity} so its pods move to other nodes`,
      type: 'deployment.restart',
      parameters: {},
      risk: 'medium',
      rollback: 'nothing to undo: the pods restart with the same specification',
      rationale:
        'Calls into it are slow on the network while it is healthy itself; new pods usually land on other nodes and paths. Needs a human: confirm where on the network path the latency is (node, zone, mesh) first.',
    }),
    createRemediationProposal(conclusion, report, {
      title: `Fail the traffic of ${conclusion.entity} over to another zone`,
      type: 'traffic.failover',
      parameters: { to: 'secondary' },
      risk: 'high',
      rollback: { type: 'traffic.failover', target: conclusion.entity, parameters: { to: 'primary' } },
      rationale:
        'Moves the traffic off the slow network path. Needs a human: only where a healthy secondary zone exists and has the capacity.',
    }),
  ],
};

/** `dependency.timeout`: circuit breakers and longer timeouts in the callers; fail over. All need a human. */
export const dependencyTimeoutRemediation: RemediationCatalogueEntry = {
  fault: 'dependency.timeout',
  propose(conclusion, report) {
    const dependency = conclusion.entity;
    const callers: EntityRef[] = topologyNeighbours(report, dependency)
      .filter((neighbour) => neighbour.direction === 'in')
      .map((neighbour) => neighbour.ref)
      .slice(0, maximumCallers);
    const clients = callers.length > 0 ? callers : [dependency];
    const proposals: RemediationProposal[] = clients.flatMap((client) => [
      createRemediationProposal(conclusion, report, {
        title: `Open a circuit breaker in ${client} for calls to ${dependency}`,
        type: 'client.circuit-breaker',
        target: client,
        parameters: { dependency, enabled: true },
        risk: 'medium',
        rollback: {
          type: 'client.circuit-breaker',
          target: client,
          parameters: { dependency, enabled: false },
        },
        rationale: `Fails calls to ${dependency} fast instead of waiting for timeouts, so threads and connections are not tied up. Needs a human: ${client} must degrade gracefully without the dependency.`,
      }),
      createRemediationProposal(conclusion, report, {
        title: `Double the client timeout of ${client} for ${dependency}`,
        type: 'client.set-timeout',
        target: client,
        parameters: { dependency, timeoutFactor: 2 },
        risk: 'medium',
        rollback: `set the client timeout of ${client} for ${dependency} back to its previous value`,
        rationale: `Lets slow but successful calls complete. Needs a human: longer waits hold more threads and connections and can spread the slowness upstream.`,
      }),
    ]);
    proposals.push(
      createRemediationProposal(conclusion, report, {
        title: `Fail over from ${dependency} to its secondary provider or region`,
        type: 'dependency.failover',
        parameters: { to: 'secondary' },
        risk: 'high',
        rollback: { type: 'dependency.failover', target: dependency, parameters: { to: 'primary' } },
        rationale:
          'The dependency is slow or timing out and it is outside this system. Needs a human: only where a secondary exists; check its status page first.',
      }),
    );
    return proposals;
  },
};
